/**
 * τ²-bench's banking database (`TransactionalDB`: tables `{data: {id: row}, notes}`) and its
 * query layer (`db_query.py`): constraint queries with `field__op` operators, the formatted
 * listing the tools return, adding and updating rows, with τ²'s texts and failure modes.
 */
import { PyError, typeError } from '../../py/errors.ts';
import { jsonLoads } from '../../py/json.ts';
import { checkHashable, compare, contains, eq, iterate } from '../../py/ops.ts';
import { field, T, type ModelSpec } from '../../py/pydantic.ts';
import { pyRepr, pyStr } from '../../py/repr.ts';
import { isDict, type PyDict, type PyValue } from '../../py/value.ts';
import type { Collection, Tau2Db, Tau2DbSpec } from '../../sandbox/tau2/db.ts';

/** Tables in `TransactionalDB`'s field order. */
export const TABLES = [
  'users',
  'accounts',
  'debit_cards',
  'referrals',
  'credit_card_applications',
  'user_discoverable_tools',
  'user_discoverable_tool_calls',
  'verification_history',
  'credit_card_transaction_history',
  'cash_back_disputes',
  'bank_account_transaction_history',
  'credit_card_accounts',
  'agent_discoverable_tools',
  'task_config',
  'human_transfer_requests',
  'transaction_disputes',
  'credit_card_orders',
  'debit_card_orders',
  'credit_card_closure_reasons',
  'credit_card_account_flags',
  'credit_limit_increase_requests',
  'payment_history',
  'debit_card_disputes',
] as const;

/** The databases `query_database_tool` knows, in `_load_databases` order. */
const QUERYABLE = [
  'users',
  'accounts',
  'referrals',
  'credit_card_applications',
  'user_discoverable_tools',
  'user_discoverable_tool_calls',
  'agent_discoverable_tools',
  'task_config',
  'verification_history',
  'credit_card_transaction_history',
  'cash_back_disputes',
  'bank_account_transaction_history',
  'credit_card_accounts',
  'human_transfer_requests',
  'transaction_disputes',
  'credit_card_orders',
  'credit_card_closure_reasons',
  'credit_card_account_flags',
  'debit_cards',
  'debit_card_orders',
  'debit_card_disputes',
  'credit_limit_increase_requests',
  'payment_history',
];

const DatabaseTable: ModelSpec = {
  name: 'DatabaseTable',
  extra: 'ignore',
  fields: [field('data', T.dict(T.dict(T.any)), { default: () => new Map() }), field('notes', T.str, { default: () => '' })],
};

export const TransactionalDB: ModelSpec = {
  name: 'TransactionalDB',
  extra: 'forbid',
  fields: TABLES.map((t) => field(t, T.model(() => DatabaseTable), { default: () => new Map<string, PyValue>([['data', new Map()], ['notes', '']]) })),
};

export const BANKING_DB: Tau2DbSpec = { model: TransactionalDB, collections: TABLES.map((t) => ({ path: [t, 'data'], kind: 'dict' as const })) };

export const table = (db: Tau2Db, name: string): Collection => db.collection(name, 'data');

const MODULE = 'tau2.domains.banking_knowledge.db_query';

/** `_record_matches`: every `field__op` constraint holds (a comparison that raises is a miss). */
function matches(record: PyDict, constraints: PyDict): boolean {
  for (const [key, expected] of constraints) {
    let fieldName = key;
    let op = 'eq';
    const cut = key.lastIndexOf('__');
    if (key.includes('__')) {
      fieldName = key.slice(0, cut);
      op = key.slice(cut + 2);
    }
    const actual = record.get(fieldName) ?? null;
    let ok: boolean;
    try {
      switch (op) {
        case 'ne':
          ok = !eq(actual, expected);
          break;
        case 'gt':
          ok = compare('>', actual, expected);
          break;
        case 'gte':
          ok = compare('>=', actual, expected);
          break;
        case 'lt':
          ok = compare('<', actual, expected);
          break;
        case 'lte':
          ok = compare('<=', actual, expected);
          break;
        case 'contains':
          ok = actual === null ? false : contains(actual, expected);
          break;
        case 'startswith':
          ok = actual === null ? false : pyStr(actual).startsWith(pyStr(expected));
          break;
        case 'endswith':
          ok = actual === null ? false : pyStr(actual).endsWith(pyStr(expected));
          break;
        case 'in':
          ok = contains(expected, actual);
          break;
        case 'nin':
          ok = !contains(expected, actual);
          break;
        default:
          ok = eq(actual, expected);
      }
    } catch (e) {
      if (e instanceof PyError && (e.pyType === 'TypeError' || e.pyType === 'ValueError')) return false;
      throw e;
    }
    if (!ok) return false;
  }
  return true;
}

/** `query_db(name, db, return_ids=True, **constraints)`: matching (id, row) pairs in table order. */
export function queryDb(db: Tau2Db, name: string, constraints: PyValue): [string, PyDict][] {
  if (!isDict(constraints)) throw typeError(`${MODULE}.query_db() argument after ** must be a mapping, not ${pyTypeOf(constraints)}`);
  if (constraints.has('db_name')) throw typeError(`query_db() got multiple values for argument 'db_name'`);
  for (const k of ['db', 'return_ids']) if (constraints.has(k)) throw typeError(`${MODULE}.query_db() got multiple values for keyword argument '${k}'`);
  const limit = constraints.get('limit') ?? null;
  const rest: PyDict = new Map([...constraints].filter(([k]) => k !== 'limit'));
  const out: [string, PyDict][] = [];
  const t = table(db, name);
  for (const id of t.keys()) {
    const row = t.get(id)!;
    if (matches(row, rest)) {
      out.push([id, row]);
      if (limit !== null && compare('>=', out.length, limit)) break;
    }
  }
  return out;
}

function pyTypeOf(v: PyValue): string {
  return v === null ? 'NoneType' : typeof v === 'string' ? 'str' : Array.isArray(v) ? 'list' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' || typeof v === 'bigint' ? 'int' : 'float';
}

/** `query_database_tool(name, constraints_json, db)`: the listing the tools show, or its error text. */
export function queryDatabaseTool(db: Tau2Db, name: string, constraints: string): string {
  try {
    if (!QUERYABLE.includes(name)) return `Error: Database '${name}' not found. Available: ${pyRepr(QUERYABLE)}`;
    let parsed: PyValue;
    try {
      parsed = constraints ? jsonLoads(constraints) : new Map();
    } catch (e) {
      if (e instanceof PyError && e.pyType === 'JSONDecodeError') return `Error: Invalid JSON: ${e.pyMessage}`;
      throw e;
    }
    const results = queryDb(db, name, parsed);
    if (results.length === 0) return `No records found in '${name}'.`;
    const lines = [`Found ${results.length} record(s) in '${name}':\n`];
    results.forEach(([id, row], i) => {
      lines.push(`${i + 1}. Record ID: ${id}`);
      for (const [k, v] of row) lines.push(`   ${k}: ${pyStr(v)}`);
      lines.push('');
    });
    return lines.join('\n');
  } catch (e) {
    if (e instanceof PyError) return `Error querying database: ${e.pyMessage}`;
    throw e;
  }
}

/** `add_to_db`: false when the id exists (an unhashable id raises). The record is the episode's own. */
export function addToDb(db: Tau2Db, name: string, id: PyValue, record: PyDict): boolean {
  // `getattr(db, name, None)`: a table the model does not have takes nothing, silently.
  if (!(TABLES as readonly string[]).includes(name)) return false;
  checkHashable(id);
  const t = table(db, name);
  if (typeof id !== 'string') throw typeError(`non-str record id in ${name}`);
  if (t.has(id)) return false;
  t.set(id, record);
  return true;
}

/** `update_record_in_db`: the updated row, or undefined when the id is absent. */
export function updateRecord(db: Tau2Db, name: string, id: PyValue, updates: readonly [string, PyValue][]): PyDict | undefined {
  const t = table(db, name);
  if (!t.has(id)) return undefined;
  const row = t.mut(id as string)!;
  for (const [k, v] of updates) row.set(k, v);
  return row;
}

/** `id in table.data` / `table.data.get(id)` for a row to change (the episode's own copy). */
export function rowFor(db: Tau2Db, name: string, id: PyValue): PyDict | undefined {
  const t = table(db, name);
  return t.has(id) ? t.mut(id as string) : undefined;
}

/** A read-only view of a row (do not mutate). */
export function rowOf(db: Tau2Db, name: string, id: PyValue): PyDict | undefined {
  const t = table(db, name);
  return t.has(id) ? t.get(id as string) : undefined;
}

export { iterate };
