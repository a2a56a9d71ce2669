/** The read-only phone checks a user can run. */
import { attr, modelMethod, reprDump } from '../../../py/pydantic.ts';
import { truthy } from '../../../py/ops.ts';
import { PyFloat, type PyDict, type PyValue } from '../../../py/value.ts';
import { format2f } from '../format.ts';
import { arg, fstr } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { enumValue, device, appStatus, canSendMms, simStatus, speedTest, statusBar, surroundings, type PhoneCtx } from '../phone.ts';
import { SimStatus } from '../models.ts';
import { USER_SCHEMAS as S } from '../user-schemas.ts';

const dev = (ctx: PhoneCtx, name: string) => attr(device(ctx), name);
const onOff = (v: PyValue): string => (truthy(v) ? 'ON' : 'OFF');
const yesNo = (v: PyValue): string => (truthy(v) ? 'Yes' : 'No');

export const checkStatusBar = tau2Tool<PhoneCtx>({
  name: 'check_status_bar',
  type: 'read',
  schema: S.check_status_bar,
  run: (ctx) => `Status Bar: ${statusBar(ctx)}`,
});

export const checkNetworkStatus = tau2Tool<PhoneCtx>({
  name: 'check_network_status',
  type: 'read',
  schema: S.check_network_status,
  run(ctx) {
    const lines = [
      `Airplane Mode: ${onOff(dev(ctx, 'airplane_mode'))}`,
      `SIM Card Status: ${enumValue(simStatus(ctx))}`,
      `Cellular Connection: ${enumValue(dev(ctx, 'network_connection_status'))}`,
      `Cellular Signal: ${enumValue(dev(ctx, 'network_signal_strength'))}`,
      `Cellular Network Type: ${enumValue(dev(ctx, 'network_technology_connected'))}`,
      `Mobile Data Enabled: ${yesNo(dev(ctx, 'data_enabled'))}`,
      `Data Roaming Enabled: ${yesNo(dev(ctx, 'roaming_enabled'))}`,
      `Wi-Fi Radio: ${onOff(dev(ctx, 'wifi_enabled'))}`,
      `Wi-Fi Connected: ${yesNo(dev(ctx, 'wifi_connected'))}`,
    ];
    if (truthy(dev(ctx, 'wifi_connected'))) lines.push(`Connected Wi-Fi Network: ${fstr(dev(ctx, 'wifi_ssid'))}`);
    return lines.join('\n');
  },
});

export const checkNetworkModePreference = tau2Tool<PhoneCtx>({
  name: 'check_network_mode_preference',
  type: 'read',
  schema: S.check_network_mode_preference,
  run: (ctx) => `Network Mode Preference: ${enumValue(dev(ctx, 'network_mode_preference'))}`,
});

const ADVICE: Record<string, string> = {
  'Very Poor': 'Connection is very slow. Basic web browsing might be difficult.',
  Poor: 'Connection is slow. Web browsing may be sluggish, streaming difficult.',
  Fair: 'Connection is okay for web browsing and some standard definition streaming.',
  Good: 'Connection is good for most activities, including HD streaming.',
  Excellent: 'Connection is very fast.',
};

export const runSpeedTest = tau2Tool<PhoneCtx>({
  name: 'run_speed_test',
  type: 'read',
  schema: S.run_speed_test,
  run(ctx) {
    const [speed, desc] = speedTest(ctx);
    if (speed === null) return `Speed test failed: ${desc || 'Could not determine speed'}.`;
    return `Speed Test Result: ${format2f(new PyFloat(speed))} Mbps (${desc}). ${ADVICE[desc] ?? ''}`;
  },
});

const SIM_TEXT: Record<string, string> = {
  [SimStatus.ACTIVE]: 'Your SIM card is active and working.',
  [SimStatus.MISSING]: 'No SIM card detected in the phone.',
  [SimStatus.LOCKED_PIN]: 'The SIM card is locked with a PIN code.',
  [SimStatus.LOCKED_PUK]: 'The SIM card is locked with a PUK code.',
};

export const checkSimStatus = tau2Tool<PhoneCtx>({
  name: 'check_sim_status',
  type: 'read',
  schema: S.check_sim_status,
  run(ctx) {
    const s = simStatus(ctx);
    return (typeof s === 'string' ? SIM_TEXT[s] : undefined) ?? `Unknown SIM status: ${enumValue(s)}`;
  },
});

export const checkDataRestrictionStatus = tau2Tool<PhoneCtx>({
  name: 'check_data_restriction_status',
  type: 'read',
  schema: S.check_data_restriction_status,
  run: (ctx) => (truthy(dev(ctx, 'data_saver_mode')) ? 'Data Saver mode is ON (limits data usage).' : 'Data Saver mode is OFF.'),
});

export const checkApnSettings = tau2Tool<PhoneCtx>({
  name: 'check_apn_settings',
  type: 'read',
  schema: S.check_apn_settings,
  run(ctx) {
    // `_check_apn_settings` copies the settings first (`model_copy(deep=True)`): a value that
    // set_apn_settings stored unvalidated fails there, before any field is read.
    const apn = dev(ctx, 'active_apn_settings');
    modelMethod(apn, 'model_copy');
    const name = enumValue(attr(apn, 'apn_name')) || 'Not Set';
    const url = attr(apn, 'mmsc_url');
    return `Current APN Name: ${name}\nMMSC URL (for picture messages): ${truthy(url) ? fstr(url) : 'Not Set'}\n(These are technical settings, usually best left unchanged.)`;
  },
});

export const checkWifiStatus = tau2Tool<PhoneCtx>({
  name: 'check_wifi_status',
  type: 'read',
  schema: S.check_wifi_status,
  run(ctx) {
    if (!truthy(dev(ctx, 'wifi_enabled'))) return 'Wi-Fi is turned OFF.';
    if (truthy(dev(ctx, 'wifi_connected'))) {
      return `Wi-Fi is ON and connected to '${fstr(dev(ctx, 'wifi_ssid'))}'. Signal strength: ${enumValue(dev(ctx, 'wifi_signal_strength'))}.`;
    }
    return 'Wi-Fi is ON but not connected to any network.';
  },
});

export const checkWifiCallingStatus = tau2Tool<PhoneCtx>({
  name: 'check_wifi_calling_status',
  type: 'read',
  schema: S.check_wifi_calling_status,
  run: (ctx) => `Wi-Fi Calling is currently turned ${onOff(dev(ctx, 'wifi_calling_enabled'))}.`,
});

export const checkVpnStatus = tau2Tool<PhoneCtx>({
  name: 'check_vpn_status',
  type: 'read',
  schema: S.check_vpn_status,
  run(ctx) {
    if (truthy(dev(ctx, 'vpn_connected'))) {
      const details = dev(ctx, 'vpn_details');
      if (truthy(details) && truthy(dev(ctx, 'vpn_connected'))) return `VPN is ON and connected. Details: ${reprDump(details as PyDict)}`;
      return 'VPN is ON and connected (no specific details available).';
    }
    if (truthy(dev(ctx, 'vpn_enabled_setting'))) return 'VPN is turned ON in settings, but currently not connected.';
    return 'VPN is turned OFF.';
  },
});

export const checkInstalledApps = tau2Tool<PhoneCtx>({
  name: 'check_installed_apps',
  type: 'read',
  schema: S.check_installed_apps,
  run: (ctx) => `The following apps are installed on the phone: ${[...(dev(ctx, 'app_statuses') as PyDict).keys()].join(', ')}`,
});

function grantedPermissions(perms: PyDict): string[] {
  return [...perms.entries()].filter(([, v]) => truthy(v)).map(([k]) => k.replaceAll('_', ' ').toLowerCase());
}

export const checkAppStatus = tau2Tool<PhoneCtx>({
  name: 'check_app_status',
  type: 'read',
  schema: S.check_app_status,
  run(ctx, args) {
    const name = arg(args, 'app_name');
    const app = appStatus(ctx, name);
    if (app === null) return `App '${fstr(name)}' not found on this phone.`;
    const lines = [`Status for App: ${fstr(name)}`];
    const granted = grantedPermissions(attr(app, 'permissions') as PyDict);
    if (granted.length === 0) lines.push(' - Permissions: None granted.');
    else {
      lines.push(' - Permissions Granted:');
      for (const p of granted) lines.push(`   - ${p}`);
    }
    return lines.join('\n');
  },
});

export const checkAppPermissions = tau2Tool<PhoneCtx>({
  name: 'check_app_permissions',
  type: 'read',
  schema: S.check_app_permissions,
  run(ctx, args) {
    const name = arg(args, 'app_name');
    const app = appStatus(ctx, name);
    if (app === null) return `App '${fstr(name)}' not found on this phone.`;
    const granted = grantedPermissions(attr(app, 'permissions') as PyDict);
    if (granted.length === 0) return `App '${fstr(name)}' currently has no permissions granted.`;
    return `App '${fstr(name)}' has permission for: ${granted.join(', ')}.`;
  },
});

export const canSendMmsTool = tau2Tool<PhoneCtx>({
  name: 'can_send_mms',
  type: 'read',
  schema: S.can_send_mms,
  run: (ctx) => (canSendMms(ctx) ? 'Your messaging app can send MMS messages.' : 'Your messaging app cannot send MMS messages.'),
});

export const checkPaymentRequest = tau2Tool<PhoneCtx>({
  name: 'check_payment_request',
  type: 'read',
  schema: S.check_payment_request,
  run(ctx) {
    const request = attr(surroundings(ctx), 'payment_request');
    if (request === null) return 'No payment request has been made.';
    return `You have a payment request for bill ${fstr(attr(request, 'bill_id'))} of ${fstr(attr(request, 'amount_due'))} USD.`;
  },
});

