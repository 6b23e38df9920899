import { describe, expect, it } from 'vitest';
import { isBot } from '../../src/ingest/enrich/bot.ts';

const bots: [label: string, ua: string][] = [
  ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  ['Googlebot smartphone', 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.139 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  ['Google-InspectionTool', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 Google-InspectionTool/1.0'],
  ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  ['YandexBot', 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)'],
  ['YandexMetrika', 'Mozilla/5.0 (compatible; YandexMetrika/2.0; +http://yandex.com/bots)'],
  ['Mail.RU bot', 'Mozilla/5.0 (compatible; Linux x86_64; Mail.RU_Bot/2.0; +https://help.mail.ru/webmaster/indexing/robots)'],
  ['TelegramBot link preview', 'TelegramBot (like TwitterBot)'],
  ['WhatsApp link preview (Android)', 'WhatsApp/2.23.20.0 A'],
  ['WhatsApp link preview (iOS)', 'WhatsApp/2.2343.3 i'],
  ['VK link preview', 'Mozilla/5.0 (compatible; vkShare; +http://vk.com/dev/Share)'],
  ['Facebook link preview', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
  ['Viber link preview', 'Viber/20.3.0.0'],
  ['Slack link preview', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
  ['Discord link preview', 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com/)'],
  ['Skype link preview', 'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5'],
  ['Headless Chrome (our own e2e tests)', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36'],
  ['Chrome-Lighthouse (PageSpeed mobile)', 'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse'],
  ['Lighthouse (PageSpeed desktop)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Lighthouse'],
  ['WebPageTest (PTST)', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 PTST/231206.161713'],
  ['curl', 'curl/8.5.0'],
  ['python-requests', 'python-requests/2.31.0'],
  ['empty', ''],
  ['blank', '   '],
  ['bare Mozilla/5.0', 'Mozilla/5.0'],
  ['garbage', 'asdf'],
];

const people: [label: string, ua: string][] = [
  ['Windows Chrome', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'],
  ['Windows Edge', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'],
  ['Windows Firefox', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'],
  ['Windows Yandex Browser', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36'],
  ['macOS Safari', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15'],
  ['iPhone Safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1'],
  ['Android Chrome', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'],
  ['Samsung Internet', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36'],
  ['Opera Android', 'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 OPR/79.1.4195.76505'],
  ['MIUI Browser', 'Mozilla/5.0 (Linux; U; Android 12; ru-ru; Redmi Note 10 Pro Build/SKQ1.210908.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/112.0.5615.136 Mobile Safari/537.36 XiaoMi/MiuiBrowser/14.5.2-gn'],
  // In-app browsers of messengers and social apps are people following a link, not preview fetchers.
  ['Telegram in-app (Android)', 'Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 Telegram-Android/10.6.2 (Samsung SM-A536B; Android 13; SDK 33; AVERAGE)'],
  ['VK in-app (Android)', 'Mozilla/5.0 (Linux; Android 13; SM-A525F Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 VKAndroidApp/8.56-17561 (Android 13; SDK 33; arm64-v8a; samsung SM-A525F; ru; 2400x1080)'],
  ['Facebook in-app (iOS)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.40.90;FBBV/600000000;FBDV/iPhone15,3;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/5]'],
  ['Instagram in-app (iOS)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 340.0.2.17.109 (iPhone15,3; iOS 17_5; ru_RU; ru; scale=3.00; 1290x2796; 620000000)'],
  ['Yandex app (iOS)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 YaApp_iOS/24.50 YaApp_iOS_Browser/24.50 Safari/604.1 SA/3'],
  ['Yandex app (Android)', 'Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 YaApp_Android/24.116.1 YaSearchBrowser/24.116.1 BroPP/1.0 SA/3'],
  ['Samsung smart TV', 'Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV Safari/537.36'],
];

describe('isBot', () => {
  it.each(bots)('bot: %s', (_label, ua) => {
    expect(isBot(ua)).toBe(true);
  });

  it.each(people)('person: %s', (_label, ua) => {
    expect(isBot(ua)).toBe(false);
  });

  // Verdicts are remembered per UA: a second ask must give the same answer, for both kinds, and a
  // UA too long to remember is still judged.
  it('answers the same from memory', () => {
    for (const [, ua] of [...bots, ...people]) expect(isBot(ua)).toBe(isBot(ua));
    expect(isBot(`${'x'.repeat(600)} Googlebot/2.1`)).toBe(true);
    expect(isBot(people[0]![1] + ' '.repeat(600))).toBe(false);
  });
});
