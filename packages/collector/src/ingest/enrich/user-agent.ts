import UAParser from 'ua-parser-js';
import type { Hit } from '@chatmark/shared';
import { Lru } from '../../app/lru.ts';

/** UA client hints as the snippet sends them (`Hit.ch`): platform, platformVersion, model, mobile. */
export type ClientHints = NonNullable<Hit['ch']>;

/**
 * Bots are not a device type: a crawler can look like any device, and whether to count a session
 * is a separate question answered by `isBot`.
 */
export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'smarttv' | 'console' | 'wearable' | 'embedded';

export interface Device {
  os: string | null;
  osVersion: string | null;
  browser: string | null;
  browserVersion: string | null;
  deviceType: DeviceType | null;
  deviceVendor: string | null;
  deviceModel: string | null;
}

/** Past this ua-parser-js reads nothing more, so longer strings would only be distinct cache keys. */
const UA_MAX_LENGTH = 500;
const CACHE_SIZE = 5_000;

// The Yandex app (the search app with its own in-app browser, big in Russia) is unknown to
// ua-parser-js 1.x: on iOS it would pass for plain Safari. Extensions are tried before the built-ins.
const extensions = {
  browser: [[/\byaapp_(?:ios|android)(?:_browser)?\/([\w.]+)/i], [UAParser.BROWSER.VERSION, [UAParser.BROWSER.NAME, 'Yandex App']]],
};

// One instance for the process: constructing one merges the regex tables again each time.
const parser = new UAParser(undefined, extensions);

/**
 * One name per product, whatever the platform: the device type already says "mobile", and a
 * report that splits Safari into "Safari" and "Mobile Safari" counts one browser twice.
 * Vendors' own product names otherwise ("Yandex Browser", not the bare "Yandex" that could also
 * mean the search engine or the app).
 */
const BROWSER_NAMES = new Map([
  ['Mobile Safari', 'Safari'],
  ['Mobile Chrome', 'Chrome'],
  ['Mobile Firefox', 'Firefox'],
  ['Chrome Headless', 'Headless Chrome'],
  ['Yandex', 'Yandex Browser'],
  ['Opera Mobi', 'Opera'],
  ['Opera Tablet', 'Opera'],
  ['Opera Touch', 'Opera'],
  ['Opera GX', 'Opera'],
]);

const OS_NAMES = new Map([
  ['Mac OS', 'macOS'],
  ['Chromium OS', 'ChromeOS'],
]);

/**
 * `navigator.userAgentData.platform` values → our OS names; others are left to the UA string.
 * "Linux" is left out on purpose: the UA string says as much, and may name the distribution.
 */
const HINT_PLATFORMS = new Map([
  ['Windows', 'Windows'],
  ['macOS', 'macOS'],
  ['Android', 'Android'],
  ['Chrome OS', 'ChromeOS'],
  ['Chromium OS', 'ChromeOS'],
]);

// ua-parser-js leaves the type empty for desktops; on these systems empty can only mean a desktop.
const DESKTOP_OS =
  /^(?:Windows|macOS|Linux|ChromeOS|[KXLN]?Ubuntu|Debian|SUSE|openSUSE|Gentoo|Arch|Slackware|Fedora|Mandriva|CentOS|PCLinuxOS|Red ?Hat|Mint|Deepin|Manjaro|elementary OS|Raspbian|FreeBSD|OpenBSD|NetBSD|DragonFly|Solaris|Haiku)$/i;
const HANDHELD_OS = /^(?:Android|iOS|HarmonyOS)$/;
const DEVICE_TYPES = new Set<string>(['mobile', 'tablet', 'smarttv', 'console', 'wearable', 'embedded']);

const cache = new Lru<Device>(CACHE_SIZE);

/**
 * OS, browser and device from a User-Agent header, corrected by UA client hints where the browser
 * sent them. Results are frozen and shared between callers: the same input always gives the same
 * object from a bounded LRU cache.
 */
export function parseDevice(userAgent: string, hints?: ClientHints): Device {
  const ua = userAgent.length > UA_MAX_LENGTH ? userAgent.slice(0, UA_MAX_LENGTH) : userAgent;
  const key = hints ? `${ua}\u0000${hints.p ?? ''}\u0000${hints.pv ?? ''}\u0000${hints.m ?? ''}\u0000${hints.mo ?? ''}` : ua;
  let device = cache.get(key);
  if (!device) cache.set(key, (device = Object.freeze(computeDevice(ua, hints))));
  return device;
}

function computeDevice(ua: string, hints: ClientHints | undefined): Device {
  const r = parser.setUA(ua).getResult();
  let os = normalize(r.os.name, OS_NAMES);
  let osVersion = clean(r.os.version);
  let vendor = clean(r.device.vendor);
  let model = clean(r.device.model);
  let type = DEVICE_TYPES.has(r.device.type ?? '') ? (r.device.type as DeviceType) : null;

  // Chrome's reduced UA on Android always says "Android 10; K": the K is a placeholder, not a model.
  if (os === 'Android' && model === 'K' && !vendor) model = null;

  let modelKnown = false;
  // A Map, not an object: the platform is whatever the client sent, "constructor" included.
  const hintOs = hints?.p ? HINT_PLATFORMS.get(hints.p) : undefined;
  if (hints && hintOs) {
    // Hints come from the same browser and are not frozen like the UA string, so they win; a
    // version read from a UA that named another system does not belong to the hinted one.
    // HarmonyOS 2–4 runs Android apps and its Chromium says "Android"; the UA's name is the better one.
    if (hintOs !== os && !(hintOs === 'Android' && os === 'HarmonyOS')) {
      os = hintOs;
      osVersion = null;
    }
    const pv = hints.pv?.trim() ?? '';
    if (os === 'Windows' && pv) {
      // Every Windows from 10 on says "Windows NT 10.0"; only platformVersion tells 11 apart
      // (per Microsoft: 1–10 is Windows 10, 13 and up is Windows 11, 0.x is 7/8/8.1).
      const major = Number.parseInt(pv, 10);
      if (major >= 13) osVersion = '11';
      else if (major >= 1) osVersion = '10';
    } else if ((os === 'macOS' || os === 'Android') && /^\d+(?:\.\d+)*$/.test(pv)) {
      // Safari and Chrome freeze macOS at 10.15.7 and Chrome Android at 10; the hint is the real one.
      osVersion = trimZeros(pv);
    }
    if (os === 'Android') {
      const hintModel = hints.m?.trim();
      if (hintModel) {
        // Re-parse a UA with the real model so ua-parser-js's device table can name the vendor
        // and tell a tablet or a watch from a phone.
        const mobileToken = hints.mo === false ? '' : ' Mobile';
        const synthetic = `Mozilla/5.0 (Linux; Android ${osVersion ?? '10'}; ${hintModel}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0${mobileToken} Safari/537.36`;
        const d = parser.setUA(synthetic).getDevice();
        model = hintModel;
        vendor = clean(d.vendor);
        type = DEVICE_TYPES.has(d.type ?? '') ? (d.type as DeviceType) : null;
        modelKnown = true;
      }
    }
    // Without a model the mobile flag is all there is; with one, the model table knew better
    // (a phone in "desktop site" mode says mobile=false but is still a phone).
    if (!modelKnown) {
      if (hints.mo === true && (type === null || type === 'tablet')) type = 'mobile';
      else if (hints.mo === false && os === 'Android' && (type === null || type === 'mobile')) type = 'tablet';
    }
  }

  if (type === null && os) {
    if (DESKTOP_OS.test(os)) type = 'desktop';
    else if (HANDHELD_OS.test(os)) type = 'mobile';
  }

  return {
    os,
    osVersion,
    browser: normalize(r.browser.name, BROWSER_NAMES),
    browserVersion: clean(r.browser.version),
    deviceType: type,
    deviceVendor: vendor,
    deviceModel: model,
  };
}

function clean(s: string | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

function normalize(s: string | undefined, names: ReadonlyMap<string, string>): string | null {
  const t = clean(s);
  return t === null ? null : (names.get(t) ?? t);
}

/** "14.0.0" → "14", "14.5.0" → "14.5": the form the UA strings themselves use. */
function trimZeros(v: string): string {
  return v.replace(/(?:\.0+)+$/, '');
}

/** For tests and for measuring: how many distinct inputs are remembered. */
export function deviceCacheSize(): number {
  return cache.size;
}
