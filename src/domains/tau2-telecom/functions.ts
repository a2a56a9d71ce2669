/**
 * The telecom toolkit methods that are not tools: what task initialisation (`set_user_info`,
 * `turn_airplane_mode_on`, `set_data_usage`, `suspend_line_for_overdue_bill`, …) and the
 * environment assertions (`assert_*`) call by name.
 */
import { valueError } from '../../py/errors.ts';
import { abs, add, compare, contains, eq, iterate, lower, sub, truthy } from '../../py/ops.ts';
import { attr, construct, setAttr } from '../../py/pydantic.ts';
import { dict, PyFloat, type PyDict, type PyValue } from '../../py/value.ts';
import type { Tau2Function } from '../../sandbox/tau2/environment.ts';
import { arg, fstr } from '../../sandbox/tau2/py.ts';
import { append } from '../airline/python.ts';
import { Bill, BillStatus, LineItem, LineStatus, NetworkStatus, PerformanceLevel, APNNames, SimStatus } from './models.ts';
import {
  appsGet,
  canSendMms,
  connectVpn,
  device,
  mobileDataWorking,
  simulateNetworkSearch,
  speedTest,
  surroundings,
  toggle,
  toggleAirplaneMode,
  type PhoneCtx,
} from './phone.ts';
import { getBillById, getCustomerById, getLineById, getPlanById, getTargetLine, TODAY, type TelecomCtx } from './toolkit.ts';

const fn = <C>(params: string[], run: Tau2Function<C>['run'], defaults?: Record<string, PyValue>): Tau2Function<C> =>
  defaults ? { params, run, defaults } : { params, run };

/** `Enum(value)`: the member value, or the ValueError Python raises for another value. */
function enumMember(values: Record<string, string>, name: string, v: PyValue): string {
  if (typeof v === 'string' && Object.values(values).includes(v)) return v;
  throw valueError(`${fstr(typeof v === 'string' ? `'${v}'` : v)} is not a valid ${name}`);
}

export const AGENT_FUNCTIONS: Record<string, Tau2Function<TelecomCtx>> = {
  get_available_plan_ids: fn([], (ctx) => ctx.db.collection('plans').values().map((p) => attr(p, 'plan_id'))),
  set_data_usage: fn(['customer_id', 'line_id', 'data_used_gb'], (ctx, a) => {
    const line = getTargetLine(ctx, arg(a, 'customer_id'), arg(a, 'line_id'), true);
    setAttr(line, 'data_used_gb', arg(a, 'data_used_gb'));
    return `Data usage set to ${fstr(arg(a, 'data_used_gb'))} GB for line ${fstr(arg(a, 'line_id'))}`;
  }),
  suspend_line_for_overdue_bill: fn(['customer_id', 'line_id', 'new_bill_id', 'contract_ended'], (ctx, a) => {
    const lineId = arg(a, 'line_id');
    const line = getLineById(ctx, lineId, true);
    if (!eq(attr(line, 'status'), LineStatus.ACTIVE)) throw valueError('Line must be active to suspend for unpaid bill');
    const amount = attr(getPlanById(ctx, attr(line, 'plan_id')), 'price_per_month');
    const description = `Charge for line ${fstr(attr(line, 'line_id'))}`;
    if (compare('<=', amount, 0)) throw valueError('Amount must be positive for overdue bill');
    const customerId = arg(a, 'customer_id');
    const customer = getCustomerById(ctx, customerId, true);
    const overdue = iterate(attr(customer, 'bill_ids')).filter((id) => eq(attr(getBillById(ctx, id), 'status'), BillStatus.OVERDUE));
    if (overdue.length > 0) throw valueError('Customer already has an overdue bill');
    const newBillId = arg(a, 'new_bill_id');
    const bill = construct(
      Bill,
      dict([
        ['bill_id', newBillId],
        ['customer_id', customerId],
        ['period_start', '2025-01-01'],
        ['period_end', '2025-01-31'],
        ['issue_date', '2025-01-01'],
        ['total_due', 0],
        ['due_date', '2025-01-15'],
        ['status', BillStatus.OVERDUE],
      ]),
    );
    const item = construct(
      LineItem,
      dict([
        ['description', description],
        ['amount', amount],
        ['date', TODAY],
        ['item_type', compare('>', amount, 0) ? 'Charge' : 'Credit'],
      ]),
    );
    append(attr(bill, 'line_items'), item);
    bill.set('total_due', add(attr(bill, 'total_due'), amount));
    ctx.db.collection('bills').append(bill);
    append(attr(customer, 'bill_ids'), newBillId);
    setAttr(line, 'status', LineStatus.SUSPENDED);
    setAttr(line, 'suspension_start_date', TODAY);
    const ended = arg(a, 'contract_ended');
    if (truthy(ended)) setAttr(line, 'contract_end_date', '2025-01-31');
    return `Line ${fstr(lineId)} suspended for unpaid bill ${fstr(newBillId)}. Contract ended: ${fstr(ended)}`;
  }),
  assert_data_refueling_amount: fn(['customer_id', 'line_id', 'expected_amount'], (ctx, a) => {
    const line = getTargetLine(ctx, arg(a, 'customer_id'), arg(a, 'line_id'));
    return compare('<', abs(sub(attr(line, 'data_refueling_gb'), arg(a, 'expected_amount'))), new PyFloat(1e-6));
  }),
  assert_line_status: fn(['customer_id', 'line_id', 'expected_status'], (ctx, a) =>
    eq(attr(getTargetLine(ctx, arg(a, 'customer_id'), arg(a, 'line_id')), 'status'), arg(a, 'expected_status')),
  ),
  assert_overdue_bill_exists: fn(['customer_id', 'overdue_bill_id'], (ctx, a) => {
    const customer = getCustomerById(ctx, arg(a, 'customer_id'));
    const billId = arg(a, 'overdue_bill_id');
    if (!contains(attr(customer, 'bill_ids'), billId)) throw valueError(`Overdue bill ${fstr(billId)} not found`);
    if (!eq(attr(getBillById(ctx, billId), 'status'), BillStatus.OVERDUE)) throw valueError(`Overdue bill ${fstr(billId)} is not overdue`);
    return true;
  }),
  assert_no_overdue_bill: fn(['overdue_bill_id'], (ctx, a) => {
    const id = arg(a, 'overdue_bill_id');
    const bill = ctx.db
      .collection('bills')
      .values()
      .find((b) => eq(attr(b, 'bill_id'), id));
    return bill === undefined || eq(attr(bill, 'status'), BillStatus.PAID);
  }),
};

const dev = (ctx: PhoneCtx): PyDict => device(ctx);

/** Sets a switch to `on` the way upstream does it: toggle, and toggle back if it landed wrong. */
function turn(ctx: PhoneCtx, name: string, on: boolean, search: boolean): void {
  if (toggle(ctx, name, search) !== on) toggle(ctx, name, search);
}

export const USER_FUNCTIONS: Record<string, Tau2Function<PhoneCtx>> = {
  set_user_info: fn(['name', 'phone_number'], (ctx, a) => {
    setAttr(surroundings(ctx), 'name', arg(a, 'name'));
    setAttr(surroundings(ctx), 'phone_number', arg(a, 'phone_number'));
    return null;
  }),
  set_user_location: fn(['abroad'], (ctx, a) => {
    setAttr(surroundings(ctx), 'is_abroad', arg(a, 'abroad'));
    return null;
  }),
  simulate_network_search: fn([], (ctx) => {
    simulateNetworkSearch(ctx);
    return null;
  }),
  turn_airplane_mode_on: fn([], (ctx) => {
    if (!truthy(toggleAirplaneMode(ctx))) toggleAirplaneMode(ctx);
    return 'Airplane Mode is now ON.';
  }),
  turn_airplane_mode_off: fn([], (ctx) => {
    if (truthy(toggleAirplaneMode(ctx))) toggleAirplaneMode(ctx);
    return 'Airplane Mode is now OFF.';
  }),
  unseat_sim_card: fn([], (ctx) => {
    setAttr(dev(ctx), 'sim_card_missing', true);
    simulateNetworkSearch(ctx);
    return 'SIM card un-seated successfully.';
  }),
  lock_sim_card: fn(['mode'], (ctx, a) => {
    const mode = arg(a, 'mode');
    if (eq(mode, 'pin')) setAttr(dev(ctx), 'sim_card_status', SimStatus.LOCKED_PIN);
    else if (eq(mode, 'puk')) setAttr(dev(ctx), 'sim_card_status', SimStatus.LOCKED_PUK);
    simulateNetworkSearch(ctx);
    return `SIM card locked successfully in ${fstr(mode)} mode.`;
  }),
  turn_data_on: fn([], (ctx) => {
    setAttr(dev(ctx), 'data_enabled', true);
    return 'Data connection restored.';
  }),
  turn_data_off: fn([], (ctx) => {
    turn(ctx, 'data_enabled', false, true);
    return 'Data connection broken.';
  }),
  turn_roaming_on: fn([], (ctx) => {
    turn(ctx, 'roaming_enabled', true, true);
    return 'Data Roaming is now ON.';
  }),
  turn_roaming_off: fn([], (ctx) => {
    turn(ctx, 'roaming_enabled', false, true);
    return 'Data Roaming is now OFF.';
  }),
  turn_data_saver_mode_on: fn([], (ctx) => {
    turn(ctx, 'data_saver_mode', true, false);
    return 'Data Saver Mode is now ON.';
  }),
  turn_data_saver_mode_off: fn([], (ctx) => {
    turn(ctx, 'data_saver_mode', false, false);
    return 'Data Saver Mode is now OFF.';
  }),
  break_apn_settings: fn([], (ctx) => {
    setAttr(attr(dev(ctx), 'active_apn_settings'), 'apn_name', APNNames.BROKEN);
    simulateNetworkSearch(ctx);
    return 'APN settings broken. Please call reset_apn_settings() to fix.';
  }),
  break_apn_mms_setting: fn([], (ctx) => {
    setAttr(attr(dev(ctx), 'active_apn_settings'), 'mmsc_url', null);
    return 'APN MMS setting broken. Please call reset_apn_settings() to fix.';
  }),
  set_wifi_calling: fn(
    ['enabled', 'mms_over_wifi'],
    (ctx, a) => {
      const enabled = arg(a, 'enabled');
      if (!eq(attr(dev(ctx), 'wifi_calling_enabled'), enabled)) toggle(ctx, 'wifi_calling_enabled', false);
      let msg = `Wi-Fi Calling is now ${truthy(enabled) ? 'ON' : 'OFF'}.`;
      const mms = arg(a, 'mms_over_wifi');
      if (mms !== null) {
        setAttr(dev(ctx), 'wifi_calling_mms_over_wifi', mms);
        msg += `\nMMS over Wi-Fi is now ${truthy(mms) ? 'ON' : 'OFF'}.`;
      }
      return msg;
    },
    { mms_over_wifi: null },
  ),
  break_vpn: fn([], (ctx) => {
    connectVpn(ctx);
    setAttr(attr(dev(ctx), 'vpn_details'), 'server_performance', PerformanceLevel.POOR);
    return 'VPN connection broken.';
  }),
  remove_app_permission: fn(['app_name', 'permission'], (ctx, a) => {
    const appName = arg(a, 'app_name');
    const app = appsGet(attr(dev(ctx), 'app_statuses') as PyDict, appName);
    const permission = lower(arg(a, 'permission'));
    if (app === undefined || app === null) return [false, `App '${fstr(appName)}' not found. Cannot remove permission.`];
    const perms = attr(app, 'permissions') as PyDict;
    if (!perms.has(permission)) return [false, `Permission '${permission}' not tracked for app '${fstr(appName)}'.`];
    perms.set(permission, false);
    return [true, `Permission '${permission}' removed from app '${fstr(appName)}'.`];
  }),
  assert_airplane_mode_status: fn(['expected_status'], (ctx, a) => eq(attr(dev(ctx), 'airplane_mode'), arg(a, 'expected_status'))),
  assert_service_status: fn(['expected_status'], (ctx, a) =>
    eq(attr(dev(ctx), 'network_connection_status'), enumMember(NetworkStatus, 'NetworkStatus', arg(a, 'expected_status'))),
  ),
  assert_mobile_data_status: fn(['expected_status'], (ctx, a) => eq(mobileDataWorking(ctx), arg(a, 'expected_status'))),
  assert_mobile_roaming_status: fn(['expected_status'], (ctx, a) => eq(attr(dev(ctx), 'roaming_enabled'), arg(a, 'expected_status'))),
  assert_mobile_data_saver_mode_status: fn(['expected_status'], (ctx, a) => eq(attr(dev(ctx), 'data_saver_mode'), arg(a, 'expected_status'))),
  assert_internet_speed: fn(
    ['expected_speed', 'expected_desc'],
    (ctx, a) => {
      const [speed, desc] = speedTest(ctx);
      const s = new PyFloat(speed ?? 0.0);
      const wantDesc = arg(a, 'expected_desc');
      if (wantDesc === null) return compare('>=', s, arg(a, 'expected_speed'));
      return compare('>=', s, arg(a, 'expected_speed')) && desc.toLowerCase() === lower(wantDesc);
    },
    { expected_desc: null },
  ),
  assert_internet_not_excellent: fn([], (ctx) => speedTest(ctx)[1].toLowerCase() !== 'excellent'),
  assert_can_send_mms: fn(['expected_status'], (ctx, a) => eq(canSendMms(ctx), arg(a, 'expected_status'))),
  assert_mobile_data_usage_exceeded: fn(['expected_status'], (ctx, a) =>
    eq(attr(surroundings(ctx), 'mobile_data_usage_exceeded'), arg(a, 'expected_status')),
  ),
};
