/** The user tools that change the phone (each answers with the new state and the status bar). */
import { attr, construct, setAttr } from '../../../py/pydantic.ts';
import { lower } from '../../../py/ops.ts';
import { pyRepr } from '../../../py/repr.ts';
import type { PyDict, PyValue } from '../../../py/value.ts';
import { arg, fstr } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { APNSettings, NetworkModePreference } from '../models.ts';
import {
  appsGet,
  connectVpn,
  device,
  disconnectVpn,
  enumValue,
  makePayment,
  rebootDevice,
  setNetworkModePreference,
  simulateNetworkSearch,
  toggle,
  toggleAirplaneMode,
  toggleWifi,
  withStatusBar,
  type PhoneCtx,
} from '../phone.ts';
import { USER_SCHEMAS as S } from '../user-schemas.ts';
import { truthy } from '../../../py/ops.ts';

const onOff = (v: PyValue): string => (truthy(v) ? 'ON' : 'OFF');

export const setNetworkModePreferenceTool = tau2Tool<PhoneCtx>({
  name: 'set_network_mode_preference',
  type: 'write',
  schema: S.set_network_mode_preference,
  run(ctx, args) {
    const mode = arg(args, 'mode');
    const valid = setNetworkModePreference(ctx, mode);
    if (valid === undefined || valid === null) {
      return withStatusBar(
        ctx,
        `Failed to set network mode: '${fstr(mode)}' is not a valid option. Please use one of: ${Object.values(NetworkModePreference).join(', ')}`,
      );
    }
    return withStatusBar(ctx, `Preferred Network Mode set to: ${enumValue(valid)}`);
  },
});

export const toggleAirplaneModeTool = tau2Tool<PhoneCtx>({
  name: 'toggle_airplane_mode',
  type: 'write',
  schema: S.toggle_airplane_mode,
  run: (ctx) => withStatusBar(ctx, `Airplane Mode is now ${onOff(toggleAirplaneMode(ctx))}.`),
});

export const reseatSimCard = tau2Tool<PhoneCtx>({
  name: 'reseat_sim_card',
  type: 'write',
  schema: S.reseat_sim_card,
  run(ctx) {
    setAttr(device(ctx), 'sim_card_missing', false);
    simulateNetworkSearch(ctx);
    return withStatusBar(ctx, 'SIM card re-seated successfully.');
  },
});

export const toggleData = tau2Tool<PhoneCtx>({
  name: 'toggle_data',
  type: 'write',
  schema: S.toggle_data,
  run: (ctx) => withStatusBar(ctx, `Mobile Data is now ${onOff(toggle(ctx, 'data_enabled', true))}.`),
});

export const toggleRoaming = tau2Tool<PhoneCtx>({
  name: 'toggle_roaming',
  type: 'write',
  schema: S.toggle_roaming,
  run: (ctx) => withStatusBar(ctx, `Data Roaming is now ${onOff(toggle(ctx, 'roaming_enabled', true))}.`),
});

export const toggleDataSaverMode = tau2Tool<PhoneCtx>({
  name: 'toggle_data_saver_mode',
  type: 'write',
  schema: S.toggle_data_saver_mode,
  run: (ctx) => withStatusBar(ctx, `Data Saver Mode is now ${onOff(toggle(ctx, 'data_saver_mode', false))}.`),
});

export const setApnSettings = tau2Tool<PhoneCtx>({
  name: 'set_apn_settings',
  type: 'write',
  schema: S.set_apn_settings,
  run(ctx, args) {
    let settings = arg(args, 'apn_settings');
    if (settings instanceof Map) settings = construct(APNSettings, settings);
    setAttr(device(ctx), 'active_apn_settings', settings);
    const status = `APN settings set to: ${enumValue(attr(settings, 'apn_name'))}`;
    simulateNetworkSearch(ctx);
    return withStatusBar(ctx, status);
  },
});

export const resetApnSettings = tau2Tool<PhoneCtx>({
  name: 'reset_apn_settings',
  type: 'write',
  schema: S.reset_apn_settings,
  run(ctx) {
    setAttr(attr(device(ctx), 'active_apn_settings'), 'reset_at_reboot', true);
    simulateNetworkSearch(ctx);
    return withStatusBar(ctx, 'APN settings will reset at reboot.');
  },
});

export const toggleWifiTool = tau2Tool<PhoneCtx>({
  name: 'toggle_wifi',
  type: 'write',
  schema: S.toggle_wifi,
  run(ctx) {
    const next = toggleWifi(ctx);
    if (next === null) return withStatusBar(ctx, 'Cannot change Wi-Fi settings while Airplane Mode is ON.');
    return withStatusBar(ctx, `Wi-Fi is now ${onOff(next)}.`);
  },
});

export const toggleWifiCalling = tau2Tool<PhoneCtx>({
  name: 'toggle_wifi_calling',
  type: 'write',
  schema: S.toggle_wifi_calling,
  run: (ctx) => withStatusBar(ctx, `Wi-Fi Calling is now ${onOff(toggle(ctx, 'wifi_calling_enabled', false))}.`),
});

export const connectVpnTool = tau2Tool<PhoneCtx>({
  name: 'connect_vpn',
  type: 'write',
  schema: S.connect_vpn,
  run(ctx) {
    const connected = connectVpn(ctx);
    if (connected === null) return 'VPN already connected.';
    return withStatusBar(ctx, connected ? 'VPN connected successfully.' : 'No VPN connection to connect.');
  },
});

export const disconnectVpnTool = tau2Tool<PhoneCtx>({
  name: 'disconnect_vpn',
  type: 'write',
  schema: S.disconnect_vpn,
  run: (ctx) => withStatusBar(ctx, disconnectVpn(ctx) ? 'VPN disconnected successfully.' : 'No active VPN connection to disconnect.'),
});

export const grantAppPermission = tau2Tool<PhoneCtx>({
  name: 'grant_app_permission',
  type: 'write',
  schema: S.grant_app_permission,
  run(ctx, args) {
    const appName = arg(args, 'app_name');
    const app = appsGet(attr(device(ctx), 'app_statuses') as PyDict, appName);
    const permission = lower(arg(args, 'permission'));
    let ok: boolean;
    let message: string;
    if (app !== undefined && app !== null) {
      const perms = attr(app, 'permissions') as PyDict;
      const available = [...perms.keys()];
      if (!available.includes(permission)) {
        ok = false;
        message = `Permission '${permission}' not tracked for app '${fstr(appName)}', available permissions: ${pyRepr(available)}`;
      } else {
        perms.set(permission, true);
        ok = true;
        message = `Permission '${permission}' granted to app '${fstr(appName)}'.`;
      }
    } else {
      ok = false;
      message = `App '${fstr(appName)}' not found. Cannot grant permission.`;
    }
    return withStatusBar(ctx, `${ok ? 'Success. ' : 'Error. '}${message}`);
  },
});

export const rebootDeviceTool = tau2Tool<PhoneCtx>({
  name: 'reboot_device',
  type: 'write',
  schema: S.reboot_device,
  run: (ctx) => withStatusBar(ctx, rebootDevice(ctx)),
});

export const makePaymentTool = tau2Tool<PhoneCtx>({
  name: 'make_payment',
  type: 'write',
  schema: S.make_payment,
  run: (ctx) => makePayment(ctx) ?? 'You do not have a payment request.',
});

