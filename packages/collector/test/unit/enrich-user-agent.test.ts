import { describe, expect, it } from 'vitest';
import { deviceCacheSize, parseDevice, type ClientHints, type Device } from '../../src/ingest/enrich/user-agent.ts';

const d = (
  os: string | null,
  osVersion: string | null,
  browser: string | null,
  browserVersion: string | null,
  deviceType: Device['deviceType'],
  deviceVendor: string | null = null,
  deviceModel: string | null = null,
): Device => ({ os, osVersion, browser, browserVersion, deviceType, deviceVendor, deviceModel });

const NONE = d(null, null, null, null, null);

const UA = {
  winChrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  macChrome: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  // Chrome's reduced UA on Android: version frozen at 10, model replaced by "K".
  androidChrome: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  androidChromeTablet: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  samsungReduced: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  linuxChrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

type Case = [label: string, ua: string, hints: ClientHints | undefined, expected: Device];

const cases: Case[] = [
  // Windows
  ['Windows 10 Chrome, no hints', UA.winChrome, undefined, d('Windows', '10', 'Chrome', '131.0.0.0', 'desktop')],
  ['Windows 11 Chrome (platformVersion 15)', UA.winChrome, { p: 'Windows', pv: '15.0.0', m: '', mo: false }, d('Windows', '11', 'Chrome', '131.0.0.0', 'desktop')],
  ['Windows 11 Chrome (platformVersion 13, the first 11 build)', UA.winChrome, { p: 'Windows', pv: '13.0.0', mo: false }, d('Windows', '11', 'Chrome', '131.0.0.0', 'desktop')],
  ['Windows 10 Chrome (platformVersion 10)', UA.winChrome, { p: 'Windows', pv: '10.0.0', m: '', mo: false }, d('Windows', '10', 'Chrome', '131.0.0.0', 'desktop')],
  ['Windows 10 Chrome (platformVersion 1)', UA.winChrome, { p: 'Windows', pv: '1.0.0', mo: false }, d('Windows', '10', 'Chrome', '131.0.0.0', 'desktop')],
  ['Windows Chrome, hints without a version', UA.winChrome, { p: 'Windows', mo: false }, d('Windows', '10', 'Chrome', '131.0.0.0', 'desktop')],
  ['Windows 7 Chrome 109', 'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36', undefined, d('Windows', '7', 'Chrome', '109.0.0.0', 'desktop')],
  ['Windows Firefox', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', undefined, d('Windows', '10', 'Firefox', '133.0', 'desktop')],
  ['Windows Edge', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', { p: 'Windows', pv: '19.0.0', mo: false }, d('Windows', '11', 'Edge', '131.0.0.0', 'desktop')],
  ['Windows Opera', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0', undefined, d('Windows', '10', 'Opera', '115.0.0.0', 'desktop')],
  ['Windows Opera GX', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 OPR/106.0.0.0 (Edition Yx GX)', undefined, d('Windows', '10', 'Opera', '106.0.0.0', 'desktop')],
  ['Windows Yandex Browser', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36', { p: 'Windows', pv: '15.0.0', mo: false }, d('Windows', '11', 'Yandex Browser', '24.10.0.0', 'desktop')],

  // macOS
  ['macOS Safari (version frozen at 10.15.7, no hints from Safari)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15', undefined, d('macOS', '10.15.7', 'Safari', '17.6', 'desktop', 'Apple', 'Macintosh')],
  ['macOS Chrome, no hints', UA.macChrome, undefined, d('macOS', '10.15.7', 'Chrome', '131.0.0.0', 'desktop', 'Apple', 'Macintosh')],
  ['macOS 14.5 Chrome from platformVersion', UA.macChrome, { p: 'macOS', pv: '14.5.0', m: '', mo: false }, d('macOS', '14.5', 'Chrome', '131.0.0.0', 'desktop', 'Apple', 'Macintosh')],
  ['macOS 15 Chrome from platformVersion', UA.macChrome, { p: 'macOS', pv: '15.0.0', mo: false }, d('macOS', '15', 'Chrome', '131.0.0.0', 'desktop', 'Apple', 'Macintosh')],

  // iPhone and iPad
  ['iPhone iOS 17 Safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', undefined, d('iOS', '17.5', 'Safari', '17.5', 'mobile', 'Apple', 'iPhone')],
  ['iPhone iOS 18 Safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1', undefined, d('iOS', '18.1.1', 'Safari', '18.1.1', 'mobile', 'Apple', 'iPhone')],
  ['iPhone Chrome (CriOS)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1', undefined, d('iOS', '17.5', 'Chrome', '126.0.6478.54', 'mobile', 'Apple', 'iPhone')],
  ['iPhone Firefox (FxiOS)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/131.0 Mobile/15E148 Safari/605.1.15', undefined, d('iOS', '18.0', 'Firefox', '131.0', 'mobile', 'Apple', 'iPhone')],
  ['iPhone Edge (EdgiOS)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/126.0.2592.80 Mobile/15E148 Safari/605.1.15', undefined, d('iOS', '17.5', 'Edge', '126.0.2592.80', 'mobile', 'Apple', 'iPhone')],
  ['iPhone Yandex Browser', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 YaBrowser/24.6.4.580.10 SA/3 Mobile/15E148 Safari/604.1', undefined, d('iOS', '17.5', 'Yandex Browser', '24.6.4.580.10', 'mobile', 'Apple', 'iPhone')],
  ['iPhone Yandex app (unknown to ua-parser-js, added as an extension)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 YaApp_iOS/24.50 YaApp_iOS_Browser/24.50 Safari/604.1 SA/3', undefined, d('iOS', '17.5', 'Yandex App', '24.50', 'mobile', 'Apple', 'iPhone')],
  ['iPhone Facebook in-app', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.40.90;FBBV/600000000;FBDV/iPhone15,3;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/5]', undefined, d('iOS', '17.5', 'Facebook', '470.0.0.40.90', 'mobile', 'Apple', 'iPhone')],
  ['iPhone Instagram in-app', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 340.0.2.17.109 (iPhone15,3; iOS 17_5; ru_RU; ru; scale=3.00; 1290x2796; 620000000)', undefined, d('iOS', '17.5', 'Instagram', '340.0.2.17.109', 'mobile', 'Apple', 'iPhone')],
  ['iPad iOS 17 Safari (mobile UA)', 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', undefined, d('iOS', '17.5', 'Safari', '17.5', 'tablet', 'Apple', 'iPad')],

  // Android: reduced UA corrected by hints
  ['Android Chrome reduced UA, no hints', UA.androidChrome, undefined, d('Android', '10', 'Chrome', '131.0.0.0', 'mobile')],
  ['Android Chrome reduced UA + hints: Pixel 8, Android 14', UA.androidChrome, { p: 'Android', pv: '14.0.0', m: 'Pixel 8', mo: true }, d('Android', '14', 'Chrome', '131.0.0.0', 'mobile', 'Google', 'Pixel 8')],
  ['Android Chrome reduced UA + hints: Galaxy S23 Ultra', UA.androidChrome, { p: 'Android', pv: '14.0.0', m: 'SM-S918B', mo: true }, d('Android', '14', 'Chrome', '131.0.0.0', 'mobile', 'Samsung', 'SM-S918B')],
  ['Android Chrome reduced UA + hints: Xiaomi', UA.androidChrome, { p: 'Android', pv: '13.0.0', m: '23078PND5G', mo: true }, d('Android', '13', 'Chrome', '131.0.0.0', 'mobile', 'Xiaomi', '23078PND5G')],
  ['Android Chrome reduced UA + hints: Huawei', UA.androidChrome, { p: 'Android', pv: '12.0.0', m: 'ALN-AL00', mo: true }, d('Android', '12', 'Chrome', '131.0.0.0', 'mobile', 'Huawei', 'ALN-AL00')],
  ['Android Chrome reduced UA + hints: Galaxy Watch', UA.androidChrome, { p: 'Android', pv: '11.0.0', m: 'SM-R875F', mo: true }, d('Android', '11', 'Chrome', '131.0.0.0', 'wearable', 'Samsung', 'SM-R875F')],
  ['Android Chrome tablet reduced UA + hints: Galaxy Tab S9', UA.androidChromeTablet, { p: 'Android', pv: '14.0.0', m: 'SM-X710', mo: false }, d('Android', '14', 'Chrome', '131.0.0.0', 'tablet', 'Samsung', 'SM-X710')],
  ['Android Chrome tablet, hints without a model', UA.androidChromeTablet, { p: 'Android', pv: '14.0.0', m: '', mo: false }, d('Android', '14', 'Chrome', '131.0.0.0', 'tablet')],
  ['Android Chrome "desktop site" (Linux UA) + Android hints', UA.linuxChrome, { p: 'Android', pv: '14.0.0', m: 'Pixel 8', mo: false }, d('Android', '14', 'Chrome', '131.0.0.0', 'mobile', 'Google', 'Pixel 8')],
  ['Android Chrome, Android 8.1 from hints', UA.androidChrome, { p: 'Android', pv: '8.1.0', m: 'SM-J530F', mo: true }, d('Android', '8.1', 'Chrome', '131.0.0.0', 'mobile', 'Samsung', 'SM-J530F')],
  ['Android Edge reduced UA', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0', undefined, d('Android', '10', 'Edge', '131.0.0.0', 'mobile')],
  ['Android Chrome, full UA (older Chrome)', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', undefined, d('Android', '14', 'Chrome', '131.0.0.0', 'mobile', 'Google', 'Pixel 8')],

  // Samsung Internet, Yandex Browser, Opera, Firefox, MIUI, Huawei on Android
  ['Samsung Internet reduced UA', UA.samsungReduced, undefined, d('Android', '10', 'Samsung Internet', '26.0', 'mobile')],
  ['Samsung Internet reduced UA + hints', UA.samsungReduced, { p: 'Android', pv: '14.0.0', m: 'SM-S918B', mo: true }, d('Android', '14', 'Samsung Internet', '26.0', 'mobile', 'Samsung', 'SM-S918B')],
  ['Yandex Browser Android', 'Mozilla/5.0 (Linux; arm_64; Android 12; SM-G991B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 YaBrowser/24.7.6.94.00 SA/3 Mobile Safari/537.36', undefined, d('Android', '12', 'Yandex Browser', '24.7.6.94.00', 'mobile', 'Samsung', 'SM-G991B')],
  ['Yandex Browser Lite Android', 'Mozilla/5.0 (Linux; Android 12; M2101K6G) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 YaBrowser/24.1.1.94 (lite) Mobile Safari/537.36', undefined, d('Android', '12', 'Yandex Browser', '24.1.1.94', 'mobile', 'Xiaomi', 'M2101K6G')],
  ['Yandex app Android', 'Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 YaApp_Android/24.116.1 YaSearchBrowser/24.116.1 BroPP/1.0 SA/3', undefined, d('Android', '13', 'Yandex App', '24.116.1', 'mobile', 'Samsung', 'SM-A536B')],
  ['Opera Android', 'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 OPR/79.1.4195.76505', undefined, d('Android', '13', 'Opera', '79.1.4195.76505', 'mobile', 'Samsung', 'SM-S911B')],
  ['Opera Mini Android', 'Opera/9.80 (Android; Opera Mini/7.5.54678/191.227; U; ru) Presto/2.12.423 Version/12.16', undefined, d('Android', null, 'Opera Mini', '7.5.54678', 'mobile')],
  ['Firefox Android', 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0', undefined, d('Android', '14', 'Firefox', '133.0', 'mobile')],
  ['MIUI Browser', 'Mozilla/5.0 (Linux; U; Android 12; ru-ru; Redmi Note 10 Pro Build/SKQ1.210908.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/112.0.5615.136 Mobile Safari/537.36 XiaoMi/MiuiBrowser/14.5.2-gn', undefined, d('Android', '12', 'MIUI Browser', '14.5.2', 'mobile', 'Xiaomi', 'Redmi Note 10 Pro')],
  ['Huawei Browser on HarmonyOS', 'Mozilla/5.0 (Linux; Android 10; HarmonyOS; ELS-NX9; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36', undefined, d('HarmonyOS', '10', 'Huawei Browser', '14.0.5.302', 'mobile', 'Huawei', 'ELS-NX9')],
  ['Telegram in-app WebView (Android)', 'Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 Telegram-Android/10.6.2 (Samsung SM-A536B; Android 13; SDK 33; AVERAGE)', undefined, d('Android', '13', 'Chrome WebView', '120.0.6099.230', 'mobile', 'Samsung', 'SM-A536B')],
  ['Amazon Fire tablet Silk', 'Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/131.2.4 like Chrome/131.0.6778.135 Safari/537.36', undefined, d('Android', '9', 'Silk', '131.2.4', 'tablet', 'Amazon', 'KFTRWI')],
  ['Lenovo tablet', 'Mozilla/5.0 (Linux; Android 11; Lenovo TB-J606F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', undefined, d('Android', '11', 'Chrome', '131.0.0.0', 'tablet', 'Lenovo', 'TB-J606F')],

  // Linux, ChromeOS, TVs, consoles
  ['Ubuntu Firefox', 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', undefined, d('Ubuntu', null, 'Firefox', '133.0', 'desktop')],
  ['Linux Chrome with Linux hints (kernel version ignored)', UA.linuxChrome, { p: 'Linux', pv: '6.5.0', mo: false }, d('Linux', null, 'Chrome', '131.0.0.0', 'desktop')],
  ['ChromeOS', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', undefined, d('ChromeOS', '14541.0.0', 'Chrome', '131.0.0.0', 'desktop')],
  ['Samsung smart TV (Tizen)', 'Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV Safari/537.36', undefined, d('Tizen', '6.0', 'Safari', null, 'smarttv')],
  ['LG smart TV (webOS)', 'Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.79 Safari/537.36 WebAppManager', undefined, d('webOS', 'TV', 'Chrome', '79.0.3945.79', 'smarttv')],
  ['Xbox', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19041', undefined, d('Xbox', 'One', 'Edge', '18.19041', 'console', 'Microsoft', 'Xbox One')],

  // Bots, headless, nothing
  ['Googlebot (no device to speak of)', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', undefined, NONE],
  ['Googlebot smartphone (looks like a phone)', 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.139 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', undefined, d('Android', '6.0.1', 'Chrome', '131.0.6778.139', 'mobile', 'LG', 'Nexus 5')],
  ['YandexBot', 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', undefined, NONE],
  ['TelegramBot', 'TelegramBot (like TwitterBot)', undefined, NONE],
  ['Headless Chrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36', undefined, d('Linux', null, 'Headless Chrome', '131.0.0.0', 'desktop')],
  ['empty string', '', undefined, NONE],
  ['garbage', 'asdf qwerty ;;; ((', undefined, NONE],
  ['bare Mozilla/5.0', 'Mozilla/5.0', undefined, NONE],
  ['curl', 'curl/8.5.0', undefined, NONE],
  ['Huawei Browser on HarmonyOS with Android hints', 'Mozilla/5.0 (Linux; Android 10; HarmonyOS; ELS-NX9; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36', { p: 'Android', pv: '10.0.0', m: 'ELS-NX9', mo: true }, d('HarmonyOS', '10', 'Huawei Browser', '14.0.5.302', 'mobile', 'Huawei', 'ELS-NX9')],
  ['hint platform that is an Object.prototype key', UA.winChrome, { p: 'constructor', pv: '15.0.0', m: '__proto__', mo: false }, d('Windows', '10', 'Chrome', '131.0.0.0', 'desktop')],
  ['empty UA with Windows hints', '', { p: 'Windows', pv: '15.0.0', mo: false }, d('Windows', '11', null, null, 'desktop')],
];

describe('parseDevice', () => {
  it.each(cases)('%s', (_label, ua, hints, expected) => {
    expect(parseDevice(ua, hints)).toEqual(expected);
  });

  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it('gives the same frozen object for the same input', () => {
    const a = parseDevice(UA.winChrome, { p: 'Windows', pv: '15.0.0', mo: false });
    const b = parseDevice(UA.winChrome, { p: 'Windows', pv: '15.0.0', mo: false });
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('keys the cache by the hints too', () => {
    const win10 = parseDevice(UA.winChrome, { p: 'Windows', pv: '10.0.0' });
    const win11 = parseDevice(UA.winChrome, { p: 'Windows', pv: '15.0.0' });
    expect([win10.osVersion, win11.osVersion]).toEqual(['10', '11']);
    expect(parseDevice(UA.winChrome).osVersion).toBe('10');
  });

  it('keeps at most 5,000 inputs: those used again stay, the others go first', () => {
    const first = parseDevice(`${UA.macChrome} first`);
    const kept = parseDevice(`${UA.macChrome} kept`);
    for (let i = 0; i < 5_000; i++) {
      if (i % 1_000 === 0) parseDevice(`${UA.macChrome} kept`);
      parseDevice(`${UA.winChrome} filler-${i}`);
    }
    expect(deviceCacheSize()).toBeLessThanOrEqual(5_000);
    expect(deviceCacheSize()).toBeGreaterThanOrEqual(2_500);
    expect(parseDevice(`${UA.macChrome} kept`)).toBe(kept);
    const again = parseDevice(`${UA.macChrome} first`);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('reads no more than ua-parser-js does of a very long UA', () => {
    const long = UA.winChrome + ' x'.repeat(50_000);
    expect(parseDevice(long + 'a')).toEqual(d('Windows', '10', 'Chrome', '131.0.0.0', 'desktop'));
    // Differing only past the 500th character, they are one input and one cache entry.
    expect(parseDevice(long + 'b')).toBe(parseDevice(long + 'a'));
  });
});
