/**
 * τ²-bench's telecom world with dual control: the agent's 13 tools over the carrier database,
 * the user's 30 tools over a simulated phone, and `sync_tools` after every call and step
 * (line status, roaming, data-usage limit and payment requests copied into the user's
 * surroundings; a paid request marks its bill paid).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare, eq, truthy } from '../../py/ops.ts';
import { add } from '../../py/ops.ts';
import { attr, construct, setAttr } from '../../py/pydantic.ts';
import { parseToml } from '../../py/toml.ts';
import { dict } from '../../py/value.ts';
import { Tau2Db, Tau2DbTemplate, Tau2Doc, type Tau2DbSpec } from '../../sandbox/tau2/db.ts';
import { Tau2Environment } from '../../sandbox/tau2/environment.ts';
import type { EnvironmentOptions, Tau2World } from '../../sandbox/tau2/world.ts';
import { AGENT_FUNCTIONS, USER_FUNCTIONS } from './functions.ts';
import { LineStatus, PaymentRequest, TelecomDB, TelecomUserDB } from './models.ts';
import { newDefaultVpn, surroundings, USER_CLASS, type PhoneCtx } from './phone.ts';
import {
  billsAwaitingPayment,
  CLASS,
  getCustomerByPhone,
  getLineByPhone,
  getPlanById,
  randomBillId,
  setBillToPaid,
  type TelecomCtx,
} from './toolkit.ts';
import { getBillsForCustomer } from './tools/get_bills_for_customer.ts';
import { getCustomerByIdTool } from './tools/get_customer_by_id.ts';
import { getCustomerByName } from './tools/get_customer_by_name.ts';
import { getCustomerByPhoneTool } from './tools/get_customer_by_phone.ts';
import { getDataUsage } from './tools/get_data_usage.ts';
import { getDetailsById } from './tools/get_details_by_id.ts';
import { refuelData } from './tools/refuel_data.ts';
import { resumeLine } from './tools/resume_line.ts';
import { disableRoaming, enableRoaming } from './tools/roaming.ts';
import { sendPaymentRequest } from './tools/send_payment_request.ts';
import { suspendLine } from './tools/suspend_line.ts';
import { transferToHumanAgents } from './tools/transfer_to_human_agents.ts';
import * as act from './user-tools/actions.ts';
import * as st from './user-tools/status.ts';

export const TELECOM_DB: Tau2DbSpec = {
  model: TelecomDB,
  collections: ['plans', 'customers', 'lines', 'bills', 'devices'].map((name) => ({ path: [name], kind: 'list' as const })),
};

export const TELECOM_TOOLS = [
  getCustomerByPhoneTool,
  getCustomerByIdTool,
  getCustomerByName,
  getDetailsById,
  suspendLine,
  resumeLine,
  getBillsForCustomer,
  sendPaymentRequest,
  getDataUsage,
  enableRoaming,
  disableRoaming,
  transferToHumanAgents,
  refuelData,
];

export const TELECOM_USER_TOOLS = [
  st.checkStatusBar,
  st.checkNetworkStatus,
  st.checkNetworkModePreference,
  act.setNetworkModePreferenceTool,
  st.runSpeedTest,
  act.toggleAirplaneModeTool,
  st.checkSimStatus,
  act.reseatSimCard,
  act.toggleData,
  act.toggleRoaming,
  st.checkDataRestrictionStatus,
  act.toggleDataSaverMode,
  st.checkApnSettings,
  act.setApnSettings,
  act.resetApnSettings,
  st.checkWifiStatus,
  act.toggleWifiTool,
  st.checkWifiCallingStatus,
  act.toggleWifiCalling,
  st.checkVpnStatus,
  act.connectVpnTool,
  act.disconnectVpnTool,
  st.checkInstalledApps,
  st.checkAppStatus,
  st.checkAppPermissions,
  act.grantAppPermission,
  st.canSendMmsTool,
  act.rebootDeviceTool,
  st.checkPaymentRequest,
  act.makePaymentTool,
];

/** `TelecomEnvironment.sync_tools`. */
function syncTools(agent: TelecomCtx, user: PhoneCtx): void {
  const s = surroundings(user);
  const phone = attr(s, 'phone_number');
  if (phone === null) return;
  const line = getLineByPhone(agent, phone);
  setAttr(s, 'line_active', eq(attr(line, 'status'), LineStatus.ACTIVE));
  setAttr(s, 'roaming_allowed', truthy(attr(line, 'roaming_enabled')));
  const plan = getPlanById(agent, attr(line, 'plan_id'));
  setAttr(s, 'mobile_data_usage_exceeded', compare('>=', attr(line, 'data_used_gb'), add(attr(plan, 'data_limit_gb'), attr(line, 'data_refueling_gb'))));
  const request = attr(s, 'payment_request');
  if (request !== null && truthy(attr(request, 'paid'))) {
    setBillToPaid(agent, attr(request, 'bill_id'));
    setAttr(s, 'payment_request', null);
  }
  if (attr(s, 'payment_request') === null) {
    const bills = billsAwaitingPayment(agent, getCustomerByPhone(agent, phone));
    if (bills.length !== 0) {
      setAttr(s, 'payment_request', construct(PaymentRequest, dict([['bill_id', attr(bills[0]!, 'bill_id')], ['amount_due', attr(bills[0]!, 'total_due')]])));
    }
  }
}

export interface TelecomOptions {
  /** `workflow` uses tech_support_workflow.md (τ²'s `telecom-workflow`); default `manual`. */
  policyType?: 'manual' | 'workflow';
  /** Replaces the random new-bill id (golden replays use a fixed sequence). */
  newBillId?: () => string;
}

export function loadTelecom(dir: string, opts: TelecomOptions = {}): Tau2World {
  const dbFile = join(dir, 'db.toml');
  const template = Tau2DbTemplate.fromData(TELECOM_DB, parseToml(readFileSync(dbFile, 'utf8'), dbFile));
  const userFile = join(dir, 'user_db.toml');
  const userTemplate = construct(TelecomUserDB, parseToml(readFileSync(userFile, 'utf8'), userFile));
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  const policyType = opts.policyType ?? 'manual';
  const policy = (solo: boolean): string => {
    const main = read(solo ? 'main_policy_solo.md' : 'main_policy.md');
    const tech = read(policyType === 'manual' ? 'tech_support_manual.md' : solo ? 'tech_support_workflow_solo.md' : 'tech_support_workflow.md');
    return `<main_policy>\n${main}\n</main_policy>\n<tech_support_policy>\n${tech}\n</tech_support_policy>`;
  };
  const environmentWith = (o: EnvironmentOptions = {}): Tau2Environment => {
    const db = new Tau2Db(template);
    const agent: TelecomCtx = { db, newBillId: o.newBillId ?? opts.newBillId ?? randomBillId };
    const user: PhoneCtx = { user: new Tau2Doc(userTemplate), defaultVpn: o.process ? o.process.get('TelecomUserTools.default_vpn_details', newDefaultVpn) : newDefaultVpn() };
    return new Tau2Environment(
      {
        domain: policyType === 'manual' ? 'telecom' : 'telecom-workflow',
        agent: { className: CLASS, context: agent, tools: TELECOM_TOOLS, functions: AGENT_FUNCTIONS, dbHash: () => db.hash() },
        user: { className: USER_CLASS, context: user, tools: TELECOM_USER_TOOLS, functions: USER_FUNCTIONS, dbHash: () => user.user.hash() },
        sync: () => syncTools(agent, user),
      },
      o.soloMode ?? false,
    );
  };
  const pristine = environmentWith();
  return {
    domain: 'telecom',
    policy: (o) => policy(o?.soloMode ?? false),
    agentTools: () => TELECOM_TOOLS.map((t) => t.schema!),
    userTools: () => TELECOM_USER_TOOLS.map((t) => t.schema!),
    environment: (o) => environmentWith(o),
    pristine: () => ({ dbHash: pristine.dbHash(), userDbHash: pristine.userDbHash() }),
  };
}
