/** The banking agent's always-listed tools (τ²'s `KnowledgeTools`, `no_knowledge` variant). */
import { PyError } from '../../../py/errors.ts';
import { dumpsIndent, jsonLoads } from '../../../py/json.ts';
import { checkHashable } from '../../../py/ops.ts';
import { dict, type PyValue } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { addToDb, queryDatabaseTool, updateRecord } from '../db.ts';
import { DISCOVERABLE } from '../discoverable-info.ts';
import { userDiscoverableToolId, verificationId } from '../ids.ts';
import { fstr, inList, truthy } from '../py.ts';
import { SCHEMAS } from '../schemas.ts';
import { formatForAgent, NOW_ISO, type BankingCtx } from '../toolkit.ts';
import { typeError } from '../../../py/errors.ts';
import { typeName } from '../../../py/value.ts';

const REASONS = [
  'fraud_or_security_concern',
  'account_closure_request',
  'deceased_account_holder',
  'legal_or_regulatory_matter',
  'account_ownership_dispute',
  'complex_billing_dispute',
  'abusive_customer_behavior',
  'third_party_inquiry',
  'technical_system_error',
  'unconfirmed_external_communication',
  'customer_demands_after_unavailable_offer_refusal',
  'kb_search_unsuccessful_customer_requests_transfer',
  'specialized_department_required',
  'accessibility_or_special_needs',
  'customer_frustrated_demands_human',
  'supervisor_request_service_complaint',
  'customer_requests_human_no_specific_reason',
  'request_completed_customer_wants_human_followup',
  'other',
];

/** The JSON constraint τ²'s tools build with an f-string: `{"field": "<str(value)>"}`. */
export const constraint = (field: string, value: PyValue): string => `{"${field}": "${fstr(value)}"}`;

export const transferToHumanAgents = tau2Tool<BankingCtx>({
  name: 'transfer_to_human_agents',
  type: 'generic',
  schema: SCHEMAS.transfer_to_human_agents,
  run(_ctx, args) {
    const reason = arg(args, 'reason');
    if (!inList(reason, REASONS)) return `Error: Invalid transfer reason '${fstr(reason)}'. Must be one of: ${REASONS.join(', ')}`;
    return `Transfer successful (reason: ${fstr(reason)}). A human agent will assist you shortly.`;
  },
});

export const getCurrentTime = tau2Tool<BankingCtx>({
  name: 'get_current_time',
  type: 'read',
  schema: SCHEMAS.get_current_time,
  run: () => 'The current time is 2025-11-14 03:40:00 EST.',
});

const lookup = (name: string, tableName: string, field: string, param: string) =>
  tau2Tool<BankingCtx>({
    name,
    type: 'read',
    schema: SCHEMAS[name as keyof typeof SCHEMAS],
    run: (ctx, args) => queryDatabaseTool(ctx.db, tableName, constraint(field, arg(args, param))),
  });

export const getUserInformationById = lookup('get_user_information_by_id', 'users', 'user_id', 'user_id');
export const getUserInformationByName = lookup('get_user_information_by_name', 'users', 'name', 'customer_name');
export const getUserInformationByEmail = lookup('get_user_information_by_email', 'users', 'email', 'email');
export const getReferralsByUser = lookup('get_referrals_by_user', 'referrals', 'referrer_id', 'user_id');
export const getCreditCardTransactionsByUser = lookup('get_credit_card_transactions_by_user', 'credit_card_transaction_history', 'user_id', 'user_id');
export const getCreditCardAccountsByUser = lookup('get_credit_card_accounts_by_user', 'credit_card_accounts', 'user_id', 'user_id');

export const changeUserEmail = tau2Tool<BankingCtx>({
  name: 'change_user_email',
  type: 'write',
  schema: SCHEMAS.change_user_email,
  run(ctx, args) {
    const userId = arg(args, 'user_id');
    const email = arg(args, 'new_email');
    checkHashable(userId);
    if (!updateRecord(ctx.db, 'users', userId, [['email', email]])) return `Error: User with ID '${fstr(userId)}' not found.`;
    return `Email updated successfully.\n  - User ID: ${fstr(userId)}\n  - New Email: ${fstr(email)}`;
  },
});

export const logVerification = tau2Tool<BankingCtx>({
  name: 'log_verification',
  type: 'write',
  schema: SCHEMAS.log_verification,
  run(ctx, args) {
    const userId = arg(args, 'user_id');
    const time = arg(args, 'time_verified');
    const id = verificationId(userId, time);
    const record = dict((['name', 'user_id', 'address', 'email', 'phone_number', 'date_of_birth', 'time_verified'] as const).map((k) => [k, arg(args, k)]));
    if (!addToDb(ctx.db, 'verification_history', id, record)) return 'Failed to log verification: Record may already exist.';
    return `Verification logged successfully.\n  - User: ${fstr(arg(args, 'name'))} (ID: ${fstr(userId)})\n  - Verified at: ${fstr(time)}`;
  },
});

/** `hasattr(cls, name)`: a non-str name raises, as `hasattr` does. */
function attrName(name: PyValue): string {
  if (typeof name !== 'string') throw typeError(`attribute name must be string, not '${typeName(name)}'`);
  return name;
}

/** `json.loads(arguments)`; a decode error comes back as τ²'s text (a non-str raises TypeError). */
export function parseArguments(text: PyValue, parseIntAsFloat: boolean): { ok: true; value: PyValue } | { ok: false; error: string } {
  try {
    return { ok: true, value: jsonLoads(text, { parseIntAsFloat }) };
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'JSONDecodeError') return { ok: false, error: `Error: Invalid JSON in arguments: ${e.pyMessage}` };
    throw e;
  }
}

/** `for x in v` over parsed JSON (dict keys, list items, str chars; numbers raise). */
export function iterateArgs(v: PyValue): PyValue[] {
  if (v instanceof Map) return [...v.keys()];
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  throw typeError(`'${typeName(v)}' object is not iterable`);
}

export const giveDiscoverableUserTool = tau2Tool<BankingCtx>({
  name: 'give_discoverable_user_tool',
  type: 'generic',
  mutatesState: true,
  schema: SCHEMAS.give_discoverable_user_tool,
  run(ctx, args) {
    const name = attrName(arg(args, 'discoverable_tool_name'));
    const info = DISCOVERABLE[name];
    if (!info || info.owner !== 'KnowledgeUserTools') return `Error: Unknown discoverable tool '${name}'.`;
    const parsed = parseArguments(arg(args, 'arguments'), false);
    if (!parsed.ok) return parsed.error;
    const argsDict = parsed.value;
    for (const k of iterateArgs(argsDict)) {
      checkHashable(k);
      if (!(typeof k === 'string' && (info.params.includes(k) || k === 'self'))) return `Error: Unexpected parameter: ${fstr(k)}`;
    }
    ctx.given.set(name, dict([['arguments', argsDict], ['given_at', NOW_ISO]]));
    addToDb(ctx.db, 'user_discoverable_tools', userDiscoverableToolId(name), dict([['tool_name', name], ['status', 'GIVEN']]));
    const argsStr = truthy(argsDict) ? dumpsIndent(argsDict, 2) : '(no arguments)';
    return (
      `Tool given to user: ${name}\nDescription: ${info.description}\nArguments: ${argsStr}\n\n` +
      `The user can now execute this action by calling \`call_discoverable_user_tool\` with discoverable_tool_name='${name}' and the same arguments.`
    );
  },
});

export const unlockDiscoverableAgentTool = tau2Tool<BankingCtx>({
  name: 'unlock_discoverable_agent_tool',
  type: 'generic',
  mutatesState: true,
  schema: SCHEMAS.unlock_discoverable_agent_tool,
  run(ctx, args) {
    const name = arg(args, 'agent_tool_name');
    checkHashable(name);
    const info = typeof name === 'string' ? DISCOVERABLE[name] : undefined;
    if (!info || info.owner !== 'KnowledgeTools') return `Error: Unknown agent tool '${fstr(name)}'. This tool is not available.`;
    ctx.unlocked.set(name as string, dict([['unlocked_at', NOW_ISO]]));
    return (
      `Tool unlocked: ${name as string}\nDescription: ${info.description}\n\n${formatForAgent(name as string)}\n\n` +
      `You can now use this tool by calling \`call_discoverable_agent_tool\` with agent_tool_name='${name as string}' and the required arguments.`
    );
  },
});

