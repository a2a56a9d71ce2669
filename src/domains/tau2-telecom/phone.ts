/**
 * τ²-bench's simulated phone (`TelecomUserTools`' private methods): the status bar, the network
 * search, mobile data and speed rules, MMS capability, toggles and payments, on the user's
 * device and surroundings. The user tools and the setup functions are thin wrappers over these.
 */
import { PyError } from '../../py/errors.ts';
import { compare, eq, truthy } from '../../py/ops.ts';
import { attr, construct, deepCopyPy, pyTypeName, setAttr } from '../../py/pydantic.ts';
import { pyRound } from '../../py/float.ts';
import { dict, PyFloat, type PyDict, type PyValue } from '../../py/value.ts';
import type { Tau2Doc } from '../../sandbox/tau2/db.ts';
import { fstr } from '../../sandbox/tau2/py.ts';
import {
  APNNames,
  APNSettings,
  NetworkModePreference,
  NetworkStatus,
  NetworkTechnology,
  PerformanceLevel,
  SignalStrength,
  SimStatus,
  VpnDetails,
} from './models.ts';

export interface PhoneCtx {
  user: Tau2Doc;
  /** `TelecomUserTools.default_vpn_details`: the object `connect_vpn` attaches (shared, as upstream). */
  defaultVpn: PyDict;
}

export const USER_CLASS = 'TelecomUserTools';

export const device = (ctx: PhoneCtx): PyDict => ctx.user.root.get('device') as PyDict;
export const surroundings = (ctx: PhoneCtx): PyDict => ctx.user.root.get('surroundings') as PyDict;
const dev = (ctx: PhoneCtx, name: string): PyValue => attr(device(ctx), name);
const setDev = (ctx: PhoneCtx, name: string, v: PyValue): void => setAttr(device(ctx), name, v);

export function newDefaultVpn(): PyDict {
  return construct(VpnDetails, dict([['server_address', '192.168.1.1'], ['protocol', 'OpenVPN'], ['server_performance', PerformanceLevel.EXCELLENT]]));
}

/** `member.value` on a field that holds a str Enum member (any other value raises as in Python). */
export function enumValue(v: PyValue): string {
  if (typeof v === 'string') return v;
  throw new PyError('AttributeError', `'${pyTypeName(v)}' object has no attribute 'value'`);
}

const SIGNAL_ICONS: Record<string, string> = {
  none: '📵 No Signal',
  poor: '📶¹ Poor',
  fair: '📶² Fair',
  good: '📶³ Good',
  excellent: '📶⁴ Excellent',
};

export function statusBar(ctx: PhoneCtx): string {
  const out: string[] = [];
  if (truthy(dev(ctx, 'airplane_mode'))) out.push('✈️ Airplane Mode');
  else {
    const signal = dev(ctx, 'network_signal_strength');
    out.push((typeof signal === 'string' ? SIGNAL_ICONS[signal] : undefined) ?? '📵 No Signal');
    const tech = dev(ctx, 'network_technology_connected');
    if (!eq(tech, NetworkTechnology.NONE)) out.push(enumValue(tech));
    if (truthy(dev(ctx, 'data_enabled')) && !eq(tech, NetworkTechnology.NONE)) {
      out.push('📱 Data Enabled');
      if (truthy(dev(ctx, 'data_saver_mode'))) out.push('🔽 Data Saver');
    } else out.push('📵 Data Disabled');
  }
  if (truthy(dev(ctx, 'wifi_enabled')) && truthy(dev(ctx, 'wifi_connected'))) {
    const ssid = dev(ctx, 'wifi_ssid');
    out.push(truthy(ssid) ? `📡 Connected to ${fstr(ssid)}` : '📡 Enabled');
  }
  if (truthy(dev(ctx, 'vpn_connected'))) out.push('🔒 VPN Connected');
  out.push(`🔋 ${fstr(dev(ctx, 'battery_level'))}%`);
  return out.join(' | ');
}

export const withStatusBar = (ctx: PhoneCtx, text: string): string => `${text}\nStatus Bar: ${statusBar(ctx)}`;

export function simStatus(ctx: PhoneCtx): PyValue {
  if (truthy(dev(ctx, 'sim_card_missing'))) return SimStatus.MISSING;
  return dev(ctx, 'sim_card_status');
}

function noService(ctx: PhoneCtx): void {
  setDev(ctx, 'network_connection_status', NetworkStatus.NO_SERVICE);
  setDev(ctx, 'network_technology_connected', NetworkTechnology.NONE);
  setDev(ctx, 'network_signal_strength', SignalStrength.NONE);
}

function signalFor(ctx: PhoneCtx, tech: string): PyValue {
  const map = attr(surroundings(ctx), 'signal_strength') as PyDict;
  return map.get(tech) ?? SignalStrength.NONE;
}

/** `simulate_network_search`: reconnects according to the SIM, the preference and the surroundings. */
export function simulateNetworkSearch(ctx: PhoneCtx): void {
  const sim = simStatus(ctx);
  if (eq(sim, SimStatus.ACTIVE)) {
    setDev(ctx, 'network_connection_status', NetworkStatus.CONNECTED);
    const pref = dev(ctx, 'network_mode_preference');
    let tech: string;
    if (eq(pref, NetworkModePreference.FOUR_G_5G_PREFERRED)) {
      tech = eq(signalFor(ctx, NetworkTechnology.FIVE_G), SignalStrength.NONE) ? NetworkTechnology.FOUR_G : NetworkTechnology.FIVE_G;
    } else if (eq(pref, NetworkModePreference.FOUR_G_ONLY)) tech = NetworkTechnology.FOUR_G;
    else if (eq(pref, NetworkModePreference.THREE_G_ONLY)) tech = NetworkTechnology.THREE_G;
    else if (eq(pref, NetworkModePreference.TWO_G_ONLY)) tech = NetworkTechnology.TWO_G;
    else tech = NetworkTechnology.FOUR_G;
    setDev(ctx, 'network_technology_connected', tech);
    setDev(ctx, 'network_signal_strength', signalFor(ctx, tech));
  } else noService(ctx);
  if (truthy(dev(ctx, 'airplane_mode'))) noService(ctx);
  if (eq(attr(dev(ctx, 'active_apn_settings'), 'apn_name'), APNNames.BROKEN)) noService(ctx);
  if (!truthy(attr(surroundings(ctx), 'line_active'))) noService(ctx);
}

export function mobileDataWorking(ctx: PhoneCtx): boolean {
  if (truthy(dev(ctx, 'airplane_mode')) || eq(dev(ctx, 'network_signal_strength'), SignalStrength.NONE)) return false;
  if (eq(dev(ctx, 'network_connection_status'), NetworkStatus.NO_SERVICE)) return false;
  const s = surroundings(ctx);
  if (truthy(attr(s, 'is_abroad')) && (!truthy(dev(ctx, 'roaming_enabled')) || !truthy(attr(s, 'roaming_allowed')))) return false;
  if (!truthy(dev(ctx, 'data_enabled'))) return false;
  if (truthy(attr(s, 'mobile_data_usage_exceeded'))) return false;
  return true;
}

const TECH_SPEED: Record<string, [number, number]> = { '2G': [0.1, 0.4], '3G': [1.0, 5.0], '4G': [10.0, 100.0], '5G': [50.0, 500.0], none: [0.0, 0.0] };
const SIGNAL_FACTOR: Record<string, number> = { poor: 0.2, fair: 0.5, good: 0.8, excellent: 1.0, none: 0.0 };

/** `_run_speed_test`: (speed in Mbps rounded to 2 places, description), or (null, "No Connection"). */
export function speedTest(ctx: PhoneCtx): [number | null, string] {
  if (!mobileDataWorking(ctx)) return [null, 'No Connection'];
  const vpn = dev(ctx, 'vpn_details');
  let factor = truthy(dev(ctx, 'vpn_connected')) && truthy(vpn) && eq(attr(vpn, 'server_performance'), PerformanceLevel.POOR) ? 0.1 : 1.0;
  if (truthy(dev(ctx, 'data_saver_mode'))) factor *= 0.2;
  const tech = dev(ctx, 'network_technology_connected');
  const [lo, hi] = (typeof tech === 'string' ? TECH_SPEED[tech] : undefined) ?? [0.0, 0.0];
  const signal = dev(ctx, 'network_signal_strength');
  const sf = (typeof signal === 'string' ? SIGNAL_FACTOR[signal] : undefined) ?? 0.0;
  const speed = pyRound(((lo + hi) / 2.0) * sf * factor, 2);
  const desc = speed < 1 ? 'Very Poor' : speed < 5 ? 'Poor' : speed < 25 ? 'Fair' : speed < 100 ? 'Good' : 'Excellent';
  return [speed, desc];
}

export function canSendMms(ctx: PhoneCtx): boolean {
  if (!mobileDataWorking(ctx)) return false;
  if (eq(dev(ctx, 'network_technology_connected'), NetworkTechnology.TWO_G)) return false;
  if (truthy(dev(ctx, 'wifi_calling_enabled')) && truthy(dev(ctx, 'wifi_calling_mms_over_wifi'))) return false;
  if (attr(dev(ctx, 'active_apn_settings'), 'mmsc_url') === null) return false;
  const apps = dev(ctx, 'app_statuses') as PyDict;
  const msg = apps.get('messaging');
  if (msg === undefined || msg === null) return false;
  const perms = attr(msg, 'permissions');
  return truthy(attr(perms, 'storage')) && truthy(attr(perms, 'sms'));
}

export function toggleAirplaneMode(ctx: PhoneCtx): PyValue {
  const wasOn = truthy(dev(ctx, 'airplane_mode'));
  setDev(ctx, 'airplane_mode', !wasOn);
  if (wasOn) {
    setDev(ctx, 'network_connection_status', NetworkStatus.SEARCHING);
    if (truthy(dev(ctx, 'wifi_enabled'))) {
      setDev(ctx, 'wifi_connected', false);
      setDev(ctx, 'wifi_ssid', null);
      setDev(ctx, 'wifi_signal_strength', SignalStrength.NONE);
    }
  } else {
    setDev(ctx, 'wifi_connected', false);
    setDev(ctx, 'wifi_ssid', null);
    setDev(ctx, 'wifi_signal_strength', SignalStrength.NONE);
    if (truthy(dev(ctx, 'vpn_connected'))) disconnectVpn(ctx);
  }
  simulateNetworkSearch(ctx);
  return dev(ctx, 'airplane_mode');
}

/** Flips a device switch, optionally re-running the network search; returns the new state. */
export function toggle(ctx: PhoneCtx, name: string, search: boolean): boolean {
  const next = !truthy(dev(ctx, name));
  setDev(ctx, name, next);
  if (search) simulateNetworkSearch(ctx);
  return next;
}

export function toggleWifi(ctx: PhoneCtx): boolean | null {
  if (truthy(dev(ctx, 'airplane_mode'))) return null;
  const next = !truthy(dev(ctx, 'wifi_enabled'));
  setDev(ctx, 'wifi_enabled', next);
  if (!next) {
    setDev(ctx, 'wifi_connected', false);
    setDev(ctx, 'wifi_ssid', null);
    setDev(ctx, 'wifi_signal_strength', SignalStrength.NONE);
  }
  return next;
}

export function connectVpn(ctx: PhoneCtx): boolean | null {
  if (truthy(dev(ctx, 'vpn_connected'))) return null;
  setDev(ctx, 'vpn_connected', true);
  setDev(ctx, 'vpn_details', ctx.defaultVpn);
  return true;
}

export function disconnectVpn(ctx: PhoneCtx): boolean {
  if (!truthy(dev(ctx, 'vpn_connected'))) return false;
  setDev(ctx, 'vpn_connected', false);
  setDev(ctx, 'vpn_details', null);
  return true;
}

/** `_set_network_mode_preference`: a str must name a mode (else None); other values are stored as they are. */
export function setNetworkModePreference(ctx: PhoneCtx, mode: PyValue): PyValue | undefined {
  if (typeof mode === 'string' && !(Object.values(NetworkModePreference) as string[]).includes(mode)) return undefined;
  setDev(ctx, 'network_mode_preference', mode);
  simulateNetworkSearch(ctx);
  return mode;
}

export function rebootDevice(ctx: PhoneCtx): string {
  const lines: string[] = [];
  if (truthy(attr(dev(ctx, 'active_apn_settings'), 'reset_at_reboot'))) {
    lines.push('Resetting APN settings...');
    setDev(ctx, 'active_apn_settings', construct(APNSettings, new Map()));
  }
  lines.push('Restarting network services...');
  setDev(ctx, 'network_connection_status', NetworkStatus.SEARCHING);
  simulateNetworkSearch(ctx);
  return lines.join('\n');
}

export function makePayment(ctx: PhoneCtx): string | null {
  const request = attr(surroundings(ctx), 'payment_request');
  if (request === null) return null;
  setAttr(request, 'paid', true);
  return `Payment of ${fstr(attr(request, 'amount_due'))} USD has been made for bill ${fstr(attr(request, 'bill_id'))}.`;
}

/** `model_copy(deep=True)` of the messaging/browser status, or null. */
export function appStatus(ctx: PhoneCtx, name: PyValue): PyDict | null {
  const apps = dev(ctx, 'app_statuses') as PyDict;
  const v = typeof name === 'string' ? apps.get(name) : appsGet(apps, name);
  return v instanceof Map ? deepCopyPy(v) : null;
}

/** `dict.get(key)` with Python's hashing rules (unhashable keys raise, non-str keys miss). */
export function appsGet(apps: PyDict, name: PyValue): PyValue | undefined {
  if (Array.isArray(name) || name instanceof Map) throw new PyError('TypeError', `unhashable type: '${Array.isArray(name) ? 'list' : 'dict'}'`);
  return typeof name === 'string' ? apps.get(name) : undefined;
}

export const num = (x: number): PyFloat => new PyFloat(x);
export { compare };
