/**
 * τ²-bench's telecom data models (pydantic, `extra="forbid"`): the carrier database the agent
 * works on and the user's phone and surroundings, fields in declaration order with their
 * defaults exactly as `model_dump()` shows them (`Customer.created_at` defaults to a *date*).
 */
import { construct, field, T, type FieldType, type ModelSpec } from '../../py/pydantic.ts';
import { dict, PyFloat, type PyValue } from '../../py/value.ts';

const model = (name: string, fields: ModelSpec['fields']): ModelSpec => ({ name, fields, extra: 'forbid' });
const d = (v: () => PyValue): { default: () => PyValue } => ({ default: v });
const none = d(() => null);
const f0 = d(() => new PyFloat(0));
const no = d(() => false);
const yes = d(() => true);
const empty = d(() => []);

export const LineStatus = { ACTIVE: 'Active', SUSPENDED: 'Suspended', PENDING_ACTIVATION: 'Pending Activation', CLOSED: 'Closed' } as const;
export const BillStatus = {
  DRAFT: 'Draft',
  ISSUED: 'Issued',
  AWAITING_PAYMENT: 'Awaiting Payment',
  PAID: 'Paid',
  OVERDUE: 'Overdue',
  DISPUTED: 'Disputed',
} as const;
const AccountStatus = { ACTIVE: 'Active', SUSPENDED: 'Suspended', PENDING_VERIFICATION: 'Pending Verification', CLOSED: 'Closed' } as const;

export const Address = model('Address', [field('street', T.str), field('city', T.str), field('state', T.str), field('zip_code', T.str)]);
export const Plan = model('Plan', [
  field('plan_id', T.str),
  field('name', T.str),
  field('data_limit_gb', T.float),
  field('price_per_month', T.float),
  field('data_refueling_price_per_gb', T.float),
]);
export const Device = model('Device', [
  field('device_id', T.str),
  field('device_type', T.enum('DeviceType', { PHONE: 'phone', ROUTER: 'router', TABLET: 'tablet', WATCH: 'watch', OTHER: 'other' })),
  field('model', T.str),
  field('imei', T.optional(T.str), none),
  field('is_esim_capable', T.bool),
  field('activated', T.bool, no),
  field('activation_date', T.optional(T.datetime), none),
  field('last_esim_transfer_date', T.optional(T.datetime), none),
]);
export const LINE_STATUS: FieldType = T.enum('LineStatus', LineStatus);
export const Line = model('Line', [
  field('line_id', T.str),
  field('phone_number', T.str),
  field('status', LINE_STATUS, d(() => LineStatus.PENDING_ACTIVATION)),
  field('plan_id', T.str),
  field('device_id', T.optional(T.str), none),
  field('data_used_gb', T.float, f0),
  field('data_refueling_gb', T.float, f0),
  field('roaming_enabled', T.bool, no),
  field('contract_end_date', T.optional(T.date), none),
  field('last_plan_change_date', T.optional(T.date), none),
  field('last_sim_replacement_date', T.optional(T.date), none),
  field('suspension_start_date', T.optional(T.date), none),
]);
export const LineItem = model('LineItem', [field('description', T.str), field('amount', T.float), field('date', T.date), field('item_type', T.str)]);
export const Bill = model('Bill', [
  field('bill_id', T.str),
  field('customer_id', T.str),
  field('period_start', T.date),
  field('period_end', T.date),
  field('issue_date', T.date),
  field('total_due', T.float),
  field('due_date', T.date),
  field('line_items', T.list(T.model(() => LineItem)), empty),
  field('status', T.enum('BillStatus', BillStatus), d(() => BillStatus.DRAFT)),
]);
const PaymentMethod = model('PaymentMethod', [
  field('method_type', T.enum('PaymentMethodType', { CREDIT_CARD: 'Credit Card', DEBIT_CARD: 'Debit Card', PAYPAL: 'PayPal' })),
  field('account_number_last_4', T.str),
  field('expiration_date', T.str),
]);
export const Customer = model('Customer', [
  field('customer_id', T.str),
  field('full_name', T.str),
  field('date_of_birth', T.str),
  field('email', T.str),
  field('phone_number', T.str),
  field('address', T.model(() => Address)),
  field('account_status', T.enum('AccountStatus', AccountStatus), d(() => AccountStatus.PENDING_VERIFICATION)),
  field('payment_methods', T.list(T.model(() => PaymentMethod)), empty),
  field('line_ids', T.list(T.str), empty),
  field('bill_ids', T.list(T.str), empty),
  // τ²'s default is DEFAULT_START_DATE, a date (defaults are not validated into datetimes).
  field('created_at', T.datetime, d(() => '2025-01-01')),
  field('last_extension_date', T.optional(T.date), none),
  field('goodwill_credit_used_this_year', T.float, f0),
]);
export const TelecomDB: ModelSpec = model('TelecomDB', [
  field('plans', T.list(T.model(() => Plan)), empty),
  field('customers', T.list(T.model(() => Customer)), empty),
  field('lines', T.list(T.model(() => Line)), empty),
  field('bills', T.list(T.model(() => Bill)), empty),
  field('devices', T.list(T.model(() => Device)), empty),
]);

// --- the user's side

export const SimStatus = { ACTIVE: 'active', MISSING: 'missing', LOCKED_PIN: 'locked_pin', LOCKED_PUK: 'locked_puk' } as const;
export const NetworkTechnology = { NONE: 'none', TWO_G: '2G', THREE_G: '3G', FOUR_G: '4G', FIVE_G: '5G' } as const;
export const NetworkModePreference = {
  FOUR_G_5G_PREFERRED: '4g_5g_preferred',
  FOUR_G_ONLY: '4g_only',
  THREE_G_ONLY: '3g_only',
  TWO_G_ONLY: '2g_only',
} as const;
export const SignalStrength = { NONE: 'none', POOR: 'poor', FAIR: 'fair', GOOD: 'good', EXCELLENT: 'excellent' } as const;
export const PerformanceLevel = { UNKNOWN: 'unknown', POOR: 'poor', FAIR: 'fair', GOOD: 'good', EXCELLENT: 'excellent' } as const;
export const NetworkStatus = { CONNECTED: 'connected', SEARCHING: 'searching', NO_SERVICE: 'no_service', EMERGENCY_ONLY: 'emergency_only' } as const;
export const APNNames = { INTERNET: 'internet', BROKEN: 'broken' } as const;

const SIGNAL = T.enum('SignalStrength', SignalStrength);
const TECH = T.enum('NetworkTechnology', NetworkTechnology);

export const APNSettings = model('APNSettings', [
  field('apn_name', T.enum('APNNames', APNNames), d(() => APNNames.INTERNET)),
  field('reset_at_reboot', T.bool, no),
  field('mms_apn', T.optional(T.str), d(() => 'mms')),
  field('mmsc_url', T.optional(T.str), d(() => 'http://mms.carrier.com/mms/wapenc')),
  field('mms_proxy', T.optional(T.str), none),
  field('mms_port', T.optional(T.int), none),
]);
export const VpnDetails = model('VpnDetails', [
  field('server_address', T.optional(T.str), none),
  field('protocol', T.optional(T.str), none),
  field('server_performance', T.enum('PerformanceLevel', PerformanceLevel), { default: () => PerformanceLevel.UNKNOWN, validateDefault: true }),
]);
export const AppPermissions = model('AppPermissions', [field('sms', T.bool, no), field('storage', T.bool, no), field('phone', T.bool, no), field('network', T.bool, no)]);
export const AppStatus = model('AppStatus', [
  field('app_name', T.str),
  field('permissions', T.model(() => AppPermissions), d(() => construct(AppPermissions, new Map()))),
]);

const app = (name: string, perms: Record<string, boolean>): PyValue =>
  construct(AppStatus, dict([['app_name', name], ['permissions', construct(AppPermissions, dict(Object.entries(perms)))]]));

const validated = (v: string) => ({ default: () => v, validateDefault: true });

export const MockPhoneAttributes = model('MockPhoneAttributes', [
  field('sim_card_status', T.enum('SimStatus', SimStatus), validated(SimStatus.ACTIVE)),
  field('sim_card_missing', T.bool, no),
  field('airplane_mode', T.bool, no),
  field('network_signal_strength', SIGNAL, validated(SignalStrength.GOOD)),
  field('network_technology_connected', TECH, validated(NetworkTechnology.FIVE_G)),
  field('network_connection_status', T.enum('NetworkStatus', NetworkStatus), validated(NetworkStatus.CONNECTED)),
  field('battery_level', T.int, d(() => 80)),
  field('data_enabled', T.bool, yes),
  field('roaming_enabled', T.bool, no),
  field('network_mode_preference', T.enum('NetworkModePreference', NetworkModePreference), validated(NetworkModePreference.FOUR_G_5G_PREFERRED)),
  field('active_apn_settings', T.model(() => APNSettings), d(() => construct(APNSettings, new Map()))),
  field('wifi_enabled', T.bool, no),
  field('wifi_connected', T.bool, no),
  field('wifi_ssid', T.optional(T.str), none),
  field('wifi_signal_strength', SIGNAL, validated(SignalStrength.NONE)),
  field('wifi_calling_enabled', T.bool, no),
  field('wifi_calling_mms_over_wifi', T.bool, no),
  field('data_saver_mode', T.bool, no),
  field('vpn_enabled_setting', T.bool, no),
  field('vpn_connected', T.bool, no),
  field('vpn_details', T.optional(T.model(() => VpnDetails)), none),
  field(
    'app_statuses',
    T.dict(T.model(() => AppStatus)),
    d(() => dict([['messaging', app('messaging', { sms: true, storage: true, phone: true })], ['browser', app('browser', { network: true, storage: true })]])),
  ),
]);
export const PaymentRequest = model('PaymentRequest', [field('bill_id', T.str), field('amount_due', T.float), field('paid', T.bool, no)]);
export const UserSurroundings = model('UserSurroundings', [
  field('name', T.optional(T.str), none),
  field('phone_number', T.optional(T.str), none),
  field('is_abroad', T.bool, no),
  field('roaming_allowed', T.bool, no),
  field(
    'signal_strength',
    T.dict(SIGNAL, TECH),
    d(() => dict([['2G', 'poor'], ['3G', 'fair'], ['4G', 'good'], ['5G', 'excellent']])),
  ),
  field('mobile_data_usage_exceeded', T.bool, no),
  field('line_active', T.bool, yes),
  field('payment_request', T.optional(T.model(() => PaymentRequest)), none),
]);
export const TelecomUserDB: ModelSpec = model('TelecomUserDB', [
  field('device', T.model(() => MockPhoneAttributes), d(() => construct(MockPhoneAttributes, new Map()))),
  field('surroundings', T.model(() => UserSurroundings), d(() => construct(UserSurroundings, new Map()))),
]);
