import { describe, expect, it } from 'vitest';
import {
  CLICK_ID_PARAMS,
  MAX_PARAM_LENGTH,
  TRAFFIC_TYPES,
  campaignKey,
  classifyVisit,
  isTrafficType,
  type TrafficType,
} from '../src/traffic.ts';

const SITE = 'https://shop.example.ru/catalog';

type Case = readonly [label: string, landing: string, referrer: string, type: TrafficType, source: string | null, medium: string | null];

const CASES: readonly Case[] = [
  // ── direct and self-referral ──
  ['bare visit', SITE, '', 'direct', null, null],
  ['about:blank referrer', SITE, 'about:blank', 'direct', null, null],
  ['"null" referrer', SITE, 'null', 'direct', null, null],
  ['garbage referrer', SITE, 'not a url at all', 'direct', null, null],
  ['javascript: referrer', SITE, 'javascript:alert(1)', 'direct', null, null],
  ['file: referrer', SITE, 'file:///C:/x.html', 'direct', null, null],
  ['chrome: referrer', SITE, 'chrome://newtab/', 'direct', null, null],
  ['self referral, same host', SITE, 'https://shop.example.ru/cart', 'direct', null, null],
  ['self referral, www of landing host', 'https://example.ru/', 'https://www.example.ru/', 'direct', null, null],
  ['self referral via siteHosts subdomain', SITE, 'https://blog.example.ru/post', 'direct', null, null],
  ['utm (direct)/(none)', `${SITE}?utm_source=(direct)&utm_medium=(none)`, '', 'direct', '(direct)', '(none)'],
  ['sign-in hop is no referrer', SITE, 'https://accounts.google.com/', 'direct', null, null],
  ['payment hop is no referrer', SITE, 'https://yoomoney.ru/checkout', 'direct', null, null],

  // ── organic search by referrer ──
  ['google.com', SITE, 'https://www.google.com/', 'organic_search', 'google', 'organic'],
  ['google.ru', SITE, 'https://www.google.ru/', 'organic_search', 'google', 'organic'],
  ['google.com.ua', SITE, 'https://www.google.com.ua/', 'organic_search', 'google', 'organic'],
  ['google.co.uk', SITE, 'https://www.google.co.uk/', 'organic_search', 'google', 'organic'],
  ['google.kz', SITE, 'https://google.kz/', 'organic_search', 'google', 'organic'],
  ['google.de', SITE, 'https://www.google.de/search?q=x', 'organic_search', 'google', 'organic'],
  ['google.com.br', SITE, 'https://www.google.com.br/', 'organic_search', 'google', 'organic'],
  ['google app (Discover)', SITE, 'android-app://com.google.android.googlequicksearchbox/https/www.google.com', 'organic_search', 'google', 'organic'],
  ['yandex.ru', SITE, 'https://yandex.ru/', 'organic_search', 'yandex', 'organic'],
  ['yandex.com', SITE, 'https://yandex.com/', 'organic_search', 'yandex', 'organic'],
  ['yandex.by', SITE, 'https://yandex.by/', 'organic_search', 'yandex', 'organic'],
  ['yandex.kz', SITE, 'https://yandex.kz/', 'organic_search', 'yandex', 'organic'],
  ['yandex.com.tr', SITE, 'https://yandex.com.tr/', 'organic_search', 'yandex', 'organic'],
  ['ya.ru', SITE, 'https://ya.ru/', 'organic_search', 'yandex', 'organic'],
  ['yandex app', SITE, 'android-app://ru.yandex.searchplugin/', 'organic_search', 'yandex', 'organic'],
  ['go.mail.ru', SITE, 'https://go.mail.ru/', 'organic_search', 'mail.ru', 'organic'],
  ['search.mail.ru', SITE, 'https://search.mail.ru/', 'organic_search', 'mail.ru', 'organic'],
  ['nova.rambler.ru', SITE, 'https://nova.rambler.ru/', 'organic_search', 'rambler', 'organic'],
  ['bing', SITE, 'https://www.bing.com/', 'organic_search', 'bing', 'organic'],
  ['duckduckgo', SITE, 'https://duckduckgo.com/', 'organic_search', 'duckduckgo', 'organic'],
  ['yahoo', SITE, 'https://search.yahoo.com/', 'organic_search', 'yahoo', 'organic'],
  ['yahoo.co.jp', SITE, 'https://search.yahoo.co.jp/', 'organic_search', 'yahoo', 'organic'],
  ['baidu', SITE, 'https://www.baidu.com/', 'organic_search', 'baidu', 'organic'],
  ['ecosia', SITE, 'https://www.ecosia.org/', 'organic_search', 'ecosia', 'organic'],
  ['startpage', SITE, 'https://www.startpage.com/', 'organic_search', 'startpage', 'organic'],
  ['brave search', SITE, 'https://search.brave.com/', 'organic_search', 'brave', 'organic'],
  ['bare-host referrer', SITE, 'www.google.com', 'organic_search', 'google', 'organic'],
  ['upper-case referrer', SITE, 'HTTPS://WWW.YANDEX.RU/', 'organic_search', 'yandex', 'organic'],

  // ── organic social by referrer ──
  ['vk.com', SITE, 'https://vk.com/', 'organic_social', 'vk', 'social'],
  ['m.vk.com', SITE, 'https://m.vk.com/', 'organic_social', 'vk', 'social'],
  ['vk.ru', SITE, 'https://vk.ru/', 'organic_social', 'vk', 'social'],
  ['away.vk.com', SITE, 'https://away.vk.com/', 'organic_social', 'vk', 'social'],
  ['vk app', SITE, 'android-app://com.vkontakte.android/', 'organic_social', 'vk', 'social'],
  ['ok.ru', SITE, 'https://ok.ru/', 'organic_social', 'ok', 'social'],
  ['m.ok.ru', SITE, 'https://m.ok.ru/', 'organic_social', 'ok', 'social'],
  ['facebook', SITE, 'https://www.facebook.com/', 'organic_social', 'facebook', 'social'],
  ['l.facebook.com', SITE, 'https://l.facebook.com/', 'organic_social', 'facebook', 'social'],
  ['lm.facebook.com', SITE, 'https://lm.facebook.com/', 'organic_social', 'facebook', 'social'],
  ['facebook app host', SITE, 'android-app://m.facebook.com/', 'organic_social', 'facebook', 'social'],
  ['instagram', SITE, 'https://www.instagram.com/', 'organic_social', 'instagram', 'social'],
  ['l.instagram.com', SITE, 'https://l.instagram.com/', 'organic_social', 'instagram', 'social'],
  ['instagram app', SITE, 'android-app://com.instagram.android/', 'organic_social', 'instagram', 'social'],
  ['t.co', SITE, 'https://t.co/', 'organic_social', 'twitter', 'social'],
  ['x.com', SITE, 'https://x.com/', 'organic_social', 'twitter', 'social'],
  ['linkedin', SITE, 'https://www.linkedin.com/', 'organic_social', 'linkedin', 'social'],
  ['pinterest.ru', SITE, 'https://www.pinterest.ru/', 'organic_social', 'pinterest', 'social'],
  ['youtube', SITE, 'https://www.youtube.com/', 'organic_social', 'youtube', 'social'],
  ['m.youtube.com', SITE, 'https://m.youtube.com/', 'organic_social', 'youtube', 'social'],
  ['tiktok', SITE, 'https://www.tiktok.com/', 'organic_social', 'tiktok', 'social'],
  ['reddit', SITE, 'https://out.reddit.com/', 'organic_social', 'reddit', 'social'],
  ['dzen.ru', SITE, 'https://dzen.ru/', 'organic_social', 'dzen', 'social'],
  ['zen.yandex.ru', SITE, 'https://zen.yandex.ru/', 'organic_social', 'dzen', 'social'],
  ['rutube', SITE, 'https://rutube.ru/', 'organic_social', 'rutube', 'social'],
  ['pikabu', SITE, 'https://pikabu.ru/', 'organic_social', 'pikabu', 'social'],
  ['vc.ru', SITE, 'https://vc.ru/', 'organic_social', 'vc.ru', 'social'],
  ['habr', SITE, 'https://habr.com/ru/articles/1/', 'organic_social', 'habr', 'social'],
  ['threads', SITE, 'https://www.threads.net/', 'organic_social', 'threads', 'social'],
  ['taplink (link in bio)', SITE, 'https://taplink.cc/', 'organic_social', 'taplink', 'social'],

  // ── messengers ──
  ['t.me', SITE, 'https://t.me/', 'messenger', 'telegram', 'messenger'],
  ['web.telegram.org', SITE, 'https://web.telegram.org/', 'messenger', 'telegram', 'messenger'],
  ['telegram android app', SITE, 'android-app://org.telegram.messenger/', 'messenger', 'telegram', 'messenger'],
  ['telegram app, no slash', SITE, 'android-app://org.telegram.messenger', 'messenger', 'telegram', 'messenger'],
  ['telegram X app', SITE, 'android-app://org.thunderdog.challegram/', 'messenger', 'telegram', 'messenger'],
  ['web.whatsapp.com', SITE, 'https://web.whatsapp.com/', 'messenger', 'whatsapp', 'messenger'],
  ['wa.me', SITE, 'https://wa.me/', 'messenger', 'whatsapp', 'messenger'],
  ['whatsapp app', SITE, 'android-app://com.whatsapp/', 'messenger', 'whatsapp', 'messenger'],
  ['whatsapp business app', SITE, 'android-app://com.whatsapp.w4b/', 'messenger', 'whatsapp', 'messenger'],
  ['viber app', SITE, 'android-app://com.viber.voip/', 'messenger', 'viber', 'messenger'],
  ['max.ru', SITE, 'https://web.max.ru/', 'messenger', 'max', 'messenger'],
  ['MAX app', SITE, 'android-app://ru.oneme.app/', 'messenger', 'max', 'messenger'],
  ['slack app, mixed case package', SITE, 'android-app://com.Slack/', 'messenger', 'slack', 'messenger'],

  // ── email ──
  ['gmail web', SITE, 'https://mail.google.com/', 'email', 'gmail', 'email'],
  ['gmail app', SITE, 'android-app://com.google.android.gm/', 'email', 'gmail', 'email'],
  ['e.mail.ru', SITE, 'https://e.mail.ru/', 'email', 'mail.ru', 'email'],
  ['mail.yandex.ru', SITE, 'https://mail.yandex.ru/', 'email', 'yandex', 'email'],
  ['mail.yandex.kz', SITE, 'https://mail.yandex.kz/', 'email', 'yandex', 'email'],
  ['outlook.live.com', SITE, 'https://outlook.live.com/', 'email', 'outlook', 'email'],
  ['mail.rambler.ru', SITE, 'https://mail.rambler.ru/', 'email', 'rambler', 'email'],
  ['utm email', `${SITE}?utm_source=newsletter&utm_medium=email&utm_campaign=may`, '', 'email', 'newsletter', 'email'],
  ['utm e-mail', `${SITE}?utm_source=unisender&utm_medium=e-mail`, '', 'email', 'unisender', 'e-mail'],
  ['utm medium newsletter', `${SITE}?utm_source=digest&utm_medium=newsletter`, '', 'email', 'digest', 'newsletter'],
  ['utm source only: email', `${SITE}?utm_source=email`, '', 'email', 'email', 'email'],
  ['mailchimp mc_cid', `${SITE}?mc_cid=abc123`, '', 'email', 'mailchimp', 'email'],

  // ── referral ──
  ['avito', SITE, 'https://www.avito.ru/moskva/', 'referral', 'avito', 'referral'],
  ['m.avito.ru', SITE, 'https://m.avito.ru/', 'referral', 'avito', 'referral'],
  ['2gis', SITE, 'https://2gis.ru/', 'referral', '2gis', 'referral'],
  ['market.yandex.ru is not search', SITE, 'https://market.yandex.ru/', 'referral', 'yandex_market', 'referral'],
  ['chatgpt', SITE, 'https://chatgpt.com/', 'referral', 'chatgpt', 'referral'],
  ['gemini is not google search', SITE, 'https://gemini.google.com/', 'referral', 'gemini', 'referral'],
  ['docs.google.com is not google search', SITE, 'https://docs.google.com/document/d/1', 'referral', 'docs.google.com', 'referral'],
  ['mail.ru portal', SITE, 'https://news.mail.ru/', 'referral', 'mail.ru', 'referral'],
  ['unknown site', SITE, 'https://www.some-blog.ru/post/1', 'referral', 'some-blog.ru', 'referral'],
  ['unknown site keeps m.', SITE, 'https://m.some-blog.ru/', 'referral', 'm.some-blog.ru', 'referral'],
  ['not own parent domain without siteHosts', 'https://shop.example.com/', 'https://example.com/', 'referral', 'example.com', 'referral'],
  ['unknown android app', SITE, 'android-app://com.some.reader/', 'referral', 'com.some.reader', 'referral'],
  ['yandex browser package is not yandex.*', SITE, 'android-app://com.yandex.browser/', 'referral', 'com.yandex.browser', 'referral'],
  ['look-alike host', SITE, 'https://google.evil.com/', 'referral', 'google.evil.com', 'referral'],
  ['utm referral', `${SITE}?utm_source=partner.ru&utm_medium=referral`, '', 'referral', 'partner.ru', 'referral'],
  ['unknown utm source, no referrer', `${SITE}?utm_source=spring_flyer`, '', 'referral', 'spring_flyer', 'referral'],
  ['unknown utm medium only', `${SITE}?utm_medium=qr`, '', 'referral', null, 'qr'],
  ['utm_referrer fills a hidden referrer', `${SITE}?utm_referrer=https%3A%2F%2Fyandex.ru%2F`, '', 'organic_search', 'yandex', 'organic'],

  // ── paid search ──
  ['gclid', `${SITE}?gclid=Cj0KCQ`, '', 'paid_search', 'google', 'cpc'],
  ['gclid from google', `${SITE}?gclid=Cj0KCQ`, 'https://www.google.com/', 'paid_search', 'google', 'cpc'],
  ['gbraid', `${SITE}?gbraid=0AAAAA`, '', 'paid_search', 'google', 'cpc'],
  ['wbraid', `${SITE}?wbraid=CjkKCQ`, '', 'paid_search', 'google', 'cpc'],
  ['gad_source without gclid', `${SITE}?gad_source=1`, '', 'paid_search', 'google', 'cpc'],
  ['msclkid', `${SITE}?msclkid=abc`, 'https://www.bing.com/', 'paid_search', 'bing', 'cpc'],
  ['yclid', `${SITE}?yclid=123456789`, '', 'paid_search', 'yandex', 'cpc'],
  ['yclid from yandex with utm', `${SITE}?utm_source=yandex&utm_medium=cpc&utm_campaign=brand&yclid=1`, 'https://yandex.ru/', 'paid_search', 'yandex', 'cpc'],
  ['yclid from yahoo.co.jp', `${SITE}?yclid=YSS.1`, 'https://search.yahoo.co.jp/', 'paid_search', 'yahoo', 'cpc'],
  ['yclid beats an email utm', `${SITE}?utm_source=news&utm_medium=email&yclid=1`, '', 'paid_search', 'news', 'email'],
  ['yandex direct utm', `${SITE}?utm_source=yandex&utm_medium=cpc&utm_term={keyword}`, '', 'paid_search', 'yandex', 'cpc'],
  ['google ppc utm', `${SITE}?utm_source=google&utm_medium=ppc`, '', 'paid_search', 'google', 'ppc'],
  ['paidsearch medium', `${SITE}?utm_source=bing&utm_medium=paidsearch`, '', 'paid_search', 'bing', 'paidsearch'],
  ['yandex_direct source only', `${SITE}?utm_source=yandex_direct`, '', 'paid_search', 'yandex_direct', 'cpc'],
  ['cpc, unknown source', `${SITE}?utm_source=context_net&utm_medium=cpc`, '', 'paid_search', 'context_net', 'cpc'],
  ['cpc medium, source from referrer', `${SITE}?utm_medium=cpc`, 'https://yandex.ru/', 'paid_search', 'yandex', 'cpc'],
  ['googleadservices hop', SITE, 'https://www.googleadservices.com/', 'paid_search', 'google', 'cpc'],
  ['yabs.yandex.ru hop is an ad click', SITE, 'https://yabs.yandex.ru/', 'paid_search', 'yandex', 'cpc'],
  ['ymclid (Yandex Market)', `${SITE}?ymclid=5678`, '', 'paid_search', 'yandex_market', 'cpc'],
  ['upper-case utm names and values', `${SITE}?UTM_SOURCE=Yandex&UTM_MEDIUM=CPC`, '', 'paid_search', 'yandex', 'cpc'],

  // ── display ──
  ['dclid', `${SITE}?dclid=CJ1`, '', 'display', 'google', 'cpm'],
  ['yandex cpm', `${SITE}?utm_source=yandex&utm_medium=cpm`, '', 'display', 'yandex', 'cpm'],
  ['yclid + rsya (YAN)', `${SITE}?utm_source=yandex&utm_medium=rsya&yclid=1`, '', 'display', 'yandex', 'rsya'],
  ['yclid from a YAN partner site', `${SITE}?yclid=1`, 'https://news-site.ru/', 'display', 'yandex', 'cpm'],
  ['gclid from a GDN site', `${SITE}?gclid=1`, 'https://some-news.com/', 'display', 'google', 'cpm'],
  ['gclid + utm display', `${SITE}?gclid=1&utm_source=google&utm_medium=display`, 'https://www.google.com/', 'display', 'google', 'display'],
  ['banner medium', `${SITE}?utm_source=adriver&utm_medium=banner`, '', 'display', 'adriver', 'banner'],
  ['gdn source only', `${SITE}?utm_source=gdn`, '', 'display', 'gdn', 'cpm'],
  ['googlesyndication hop', SITE, 'https://tpc.googlesyndication.com/', 'display', 'google', 'cpm'],
  ['erid alone', `${SITE}?erid=2VtzqwP8x4a`, '', 'display', null, 'cpm'],

  // ── paid social ──
  ['fbclid + paid medium', `${SITE}?utm_source=facebook&utm_medium=paid&fbclid=IwAR`, 'https://l.facebook.com/', 'paid_social', 'facebook', 'paid'],
  ['fbclid + cpc, unknown source', `${SITE}?utm_source=spring&utm_medium=cpc&fbclid=IwAR`, '', 'paid_social', 'spring', 'cpc'],
  ['vk cpc', `${SITE}?utm_source=vk&utm_medium=cpc`, '', 'paid_social', 'vk', 'cpc'],
  ['vk cpm is social, not display', `${SITE}?utm_source=vk&utm_medium=cpm`, '', 'paid_social', 'vk', 'cpm'],
  ['vkads source only', `${SITE}?utm_source=vkads`, '', 'paid_social', 'vkads', 'cpc'],
  ['vkclid', `${SITE}?vkclid=abc`, '', 'paid_social', 'vk', 'cpc'],
  ['rb_clickid', `${SITE}?rb_clickid=abc`, '', 'paid_social', 'vk', 'cpc'],
  ['ttclid', `${SITE}?ttclid=E.C.P`, '', 'paid_social', 'tiktok', 'cpc'],
  ['twclid', `${SITE}?twclid=2-abc`, '', 'paid_social', 'twitter', 'cpc'],
  ['li_fat_id', `${SITE}?li_fat_id=abc`, '', 'paid_social', 'linkedin', 'cpc'],
  ['epik', `${SITE}?epik=dj0y`, '', 'paid_social', 'pinterest', 'cpc'],
  ['rdt_cid', `${SITE}?rdt_cid=123`, '', 'paid_social', 'reddit', 'cpc'],
  ['ScCid, mixed case', `${SITE}?ScCid=abc`, '', 'paid_social', 'snapchat', 'cpc'],
  ['paid_social medium', `${SITE}?utm_source=instagram&utm_medium=paid_social`, '', 'paid_social', 'instagram', 'paid_social'],
  ['"target" slang medium', `${SITE}?utm_source=instagram&utm_medium=target`, '', 'paid_social', 'instagram', 'target'],
  ['telegram ads', `${SITE}?utm_source=telegram&utm_medium=cpc`, '', 'paid_social', 'telegram', 'cpc'],
  ['erid on a telegram post', `${SITE}?erid=2Vtzqx`, 'https://t.me/', 'paid_social', 'telegram', 'cpm'],
  ['erid + telegram source', `${SITE}?utm_source=telegram&erid=2Vtzqx`, '', 'paid_social', 'telegram', 'cpm'],

  // ── organic social / messenger by tags and weak ids ──
  ['fbclid alone', `${SITE}?fbclid=IwAR`, '', 'organic_social', 'facebook', 'social'],
  ['fbclid via instagram', `${SITE}?fbclid=IwAR`, 'https://l.instagram.com/', 'organic_social', 'instagram', 'social'],
  ['fbclid pasted into telegram', `${SITE}?fbclid=IwAR`, 'android-app://org.telegram.messenger/', 'messenger', 'telegram', 'messenger'],
  ['utm social', `${SITE}?utm_source=vk&utm_medium=social`, '', 'organic_social', 'vk', 'social'],
  ['utm smm', `${SITE}?utm_source=ok&utm_medium=smm`, '', 'organic_social', 'ok', 'smm'],
  ['utm source vk.com (host)', `${SITE}?utm_source=vk.com`, '', 'organic_social', 'vk.com', 'social'],
  ['utm source telegram', `${SITE}?utm_source=telegram&utm_campaign=channel_post`, '', 'messenger', 'telegram', 'messenger'],
  ['utm source tg', `${SITE}?utm_source=tg`, '', 'messenger', 'tg', 'messenger'],
  ['utm medium messenger', `${SITE}?utm_source=bot&utm_medium=messenger`, '', 'messenger', 'bot', 'messenger'],
  ['utm social + telegram stays messenger', `${SITE}?utm_source=telegram&utm_medium=social`, '', 'messenger', 'telegram', 'social'],
  ['utm whatsapp', `${SITE}?utm_source=whatsapp&utm_medium=messenger`, '', 'messenger', 'whatsapp', 'messenger'],
  ['unknown source, social referrer', `${SITE}?utm_source=spring`, 'https://vk.com/', 'organic_social', 'spring', 'social'],

  // ── organic search by weak ids ──
  ['ysclid alone is organic yandex', `${SITE}?ysclid=lq1w2e3r4t`, '', 'organic_search', 'yandex', 'organic'],
  ['ysclid from yandex', `${SITE}?ysclid=lq1w2e3r4t`, 'https://yandex.ru/', 'organic_search', 'yandex', 'organic'],
  ['ysclid from dzen is dzen', `${SITE}?ysclid=lq1w2e3r4t`, 'https://dzen.ru/', 'organic_social', 'dzen', 'social'],
  ['srsltid is organic google shopping', `${SITE}?srsltid=AfmBOo`, 'https://www.google.com/', 'organic_search', 'google', 'organic'],
  ['utm organic', `${SITE}?utm_source=google&utm_medium=organic`, '', 'organic_search', 'google', 'organic'],

  // ── affiliate ──
  ['utm affiliate', `${SITE}?utm_source=admitad&utm_medium=affiliate`, '', 'affiliate', 'admitad', 'affiliate'],
  ['utm cpa', `${SITE}?utm_source=cityads&utm_medium=cpa`, '', 'affiliate', 'cityads', 'cpa'],
  ['utm partner', `${SITE}?utm_source=blogger_ivan&utm_medium=partner`, '', 'affiliate', 'blogger_ivan', 'partner'],
  ['admitad source only', `${SITE}?utm_source=admitad`, '', 'affiliate', 'admitad', 'affiliate'],
  ['admitad_uid', `${SITE}?admitad_uid=abc`, '', 'affiliate', 'admitad', 'affiliate'],
  ['irclickid', `${SITE}?irclickid=xyz`, '', 'affiliate', 'impact', 'affiliate'],

  // ── landing URL quirks ──
  ['path-only landing', '/price?utm_source=vk&utm_medium=cpc', '', 'paid_social', 'vk', 'cpc'],
  ['hash-router landing', 'https://shop.example.ru/#/price?utm_source=yandex&utm_medium=cpc', '', 'paid_search', 'yandex', 'cpc'],
  ['garbage landing', '::::', 'https://t.me/', 'messenger', 'telegram', 'messenger'],
  ['empty utm values are absent', `${SITE}?utm_source=&utm_medium=`, 'https://yandex.ru/', 'organic_search', 'yandex', 'organic'],
];

describe('classifyVisit: table', () => {
  it('has enough cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
  });

  it.each(CASES)('%s', (_label, landing, referrer, type, source, medium) => {
    const result = classifyVisit(landing, referrer, ['example.ru']);
    expect({ type: result.trafficType, source: result.source, medium: result.medium }).toEqual({ type, source, medium });
  });
});

describe('classifyVisit: utm parsing', () => {
  it('reads all five utm parameters', () => {
    const r = classifyVisit(`${SITE}?utm_source=yandex&utm_medium=cpc&utm_campaign=brand_msk&utm_content=ad_42&utm_term=buy+sofa`, '');
    expect(r).toMatchObject({ source: 'yandex', medium: 'cpc', campaign: 'brand_msk', content: 'ad_42', term: 'buy sofa' });
  });

  it('decodes percent-encoded UTF-8 Cyrillic and + as space', () => {
    const r = classifyVisit(`${SITE}?utm_source=yandex&utm_medium=cpc&utm_term=%D0%BA%D1%83%D0%BF%D0%B8%D1%82%D1%8C+%D0%B4%D0%B8%D0%B2%D0%B0%D0%BD`, '');
    expect(r.term).toBe('купить диван');
  });

  it('accepts raw Cyrillic in the URL', () => {
    expect(classifyVisit(`${SITE}?utm_campaign=Распродажа весна`, '').campaign).toBe('Распродажа весна');
  });

  it('reads windows-1251 encoded Cyrillic', () => {
    // "диван" in windows-1251
    expect(classifyVisit(`${SITE}?utm_term=%E4%E8%E2%E0%ED`, '').term).toBe('диван');
  });

  it('keeps a literal % and an unsubstituted {keyword} macro as they are', () => {
    expect(classifyVisit(`${SITE}?utm_term=100%`, '').term).toBe('100%');
    expect(classifyVisit(`${SITE}?utm_source=yandex&utm_medium=cpc&utm_term={keyword}`, '').term).toBe('{keyword}');
    expect(classifyVisit(`${SITE}?utm_term=%7Bkeyword%7D`, '').term).toBe('{keyword}');
  });

  it('lower-cases source and medium but keeps campaign, content and term as given', () => {
    const r = classifyVisit(`${SITE}?utm_source=VK&utm_medium=CPC&utm_campaign=Summer&utm_content=Banner_A&utm_term=Sofa`, '');
    expect(r).toMatchObject({ source: 'vk', medium: 'cpc', campaign: 'Summer', content: 'Banner_A', term: 'Sofa' });
  });

  it('takes the first non-empty occurrence and trims', () => {
    expect(classifyVisit(`${SITE}?utm_source=&utm_source=%20vk%20&utm_source=ok`, '').source).toBe('vk');
  });

  it('strips control characters and cuts long values', () => {
    const r = classifyVisit(`${SITE}?utm_campaign=a%00b&utm_content=${'x'.repeat(1000)}`, '');
    expect(r.campaign).toBe('ab');
    expect(r.content).toHaveLength(MAX_PARAM_LENGTH);
  });

  it('does not cut a surrogate pair in half', () => {
    const value = `${'x'.repeat(MAX_PARAM_LENGTH - 1)}😀`;
    const r = classifyVisit(`${SITE}?utm_content=${encodeURIComponent(value)}`, '');
    expect(r.content).toBe('x'.repeat(MAX_PARAM_LENGTH - 1));
  });

  it('prefers the real query over a query in the hash', () => {
    expect(classifyVisit(`${SITE}?utm_source=vk#/p?utm_source=ok`, '').source).toBe('vk');
  });

  it('returns nulls for a visit without tags', () => {
    expect(classifyVisit(SITE, 'https://vk.com/')).toMatchObject({ campaign: null, content: null, term: null, clickIds: {} });
  });

  it('reads Openstat tags (base64) as Yandex Direct', () => {
    const value = btoa('direct.yandex.ru;12345;67890;yandex.ru:premium');
    const r = classifyVisit(`${SITE}?_openstat=${encodeURIComponent(value)}`, '');
    expect(r).toMatchObject({ trafficType: 'paid_search', source: 'yandex', medium: 'cpc', campaign: '12345', content: '67890' });
    expect(r.clickIds['_openstat']).toBe(value);
  });

  it('reads a plain Openstat tag on a partner site as display', () => {
    const r = classifyVisit(`${SITE}?_openstat=direct.yandex.ru;1;2;news.example.com:none`, '');
    expect(r).toMatchObject({ trafficType: 'display', source: 'yandex', campaign: '1', content: '2' });
  });

  it('survives a broken Openstat tag', () => {
    const r = classifyVisit(`${SITE}?_openstat=!!!`, '');
    expect(r.trafficType).toBe('paid_search');
    expect(r.clickIds).toEqual({ _openstat: '!!!' });
  });
});

describe('classifyVisit: click ids', () => {
  it('collects every click id present, under lower-case names', () => {
    const r = classifyVisit(`${SITE}?gclid=G1&fbclid=F1&ScCid=S1&yclid=Y1&ysclid=YS1&erid=E1&foo=bar`, '');
    expect(r.clickIds).toEqual({ gclid: 'G1', fbclid: 'F1', sccid: 'S1', yclid: 'Y1', ysclid: 'YS1', erid: 'E1' });
  });

  it('cuts click id values to 255 characters', () => {
    const r = classifyVisit(`${SITE}?gclid=${'a'.repeat(300)}`, '');
    expect(r.clickIds['gclid']).toHaveLength(255);
  });

  it('ignores empty click ids', () => {
    const r = classifyVisit(`${SITE}?gclid=&fbclid=`, '');
    expect(r.clickIds).toEqual({});
    expect(r.trafficType).toBe('direct');
  });

  it('does not treat igshid as a click id', () => {
    expect(CLICK_ID_PARAMS).not.toContain('igshid');
    expect(classifyVisit(`${SITE}?igshid=abc`, '').trafficType).toBe('direct');
  });

  it('lists the expected ids, lower-case, without duplicates', () => {
    for (const id of ['gclid', 'gbraid', 'wbraid', 'dclid', 'yclid', 'ysclid', 'fbclid', 'msclkid', 'ttclid', 'vkclid', 'twclid', 'li_fat_id', 'epik', 'rdt_cid', 'sccid', 'irclid', '_openstat']) {
      expect(CLICK_ID_PARAMS).toContain(id);
    }
    expect(new Set(CLICK_ID_PARAMS).size).toBe(CLICK_ID_PARAMS.length);
    for (const id of CLICK_ID_PARAMS) expect(id).toBe(id.toLowerCase());
  });

  it('a strong id beats a weak one', () => {
    expect(classifyVisit(`${SITE}?fbclid=F&gclid=G`, '').trafficType).toBe('paid_search');
    expect(classifyVisit(`${SITE}?ysclid=Y&yclid=Y2`, 'https://yandex.ru/').trafficType).toBe('paid_search');
  });
});

describe('classifyVisit: siteHosts', () => {
  it('accepts hosts written as URLs, with www and port', () => {
    const r = classifyVisit('https://landing.other.ru/', 'https://blog.example.ru/', ['https://www.Example.ru:8443/']);
    expect(r.trafficType).toBe('direct');
  });

  it('keeps the tags of a self-referred tagged landing', () => {
    const r = classifyVisit(`${SITE}?utm_source=vk&utm_medium=cpc`, 'https://shop.example.ru/', ['example.ru']);
    expect(r.trafficType).toBe('paid_social');
  });

  it('ignores garbage siteHosts', () => {
    expect(() => classifyVisit(SITE, 'https://vk.com/', ['', '::', 'http://'])).not.toThrow();
  });
});

describe('classifyVisit: never throws', () => {
  const junk = [
    '', ' ', 'about:blank', 'null', 'undefined', '%', '%%%', '?', '#', '?&&&==&', 'http://', 'https://[::1', 'http://a b',
    'android-app://', 'android-app:///', 'ios-app://123/', 'data:text/html,x', 'x'.repeat(10_000), '\u0000', '😀', 'http://%zz',
    '?utm_source=%E4%ZZ', '?_openstat=%%%', `?${'a=b&'.repeat(2000)}`, 'https://xn--d1acpjx3f.xn--p1ai/',
  ];
  it.each(junk)('landing/referrer %j', (value) => {
    expect(() => classifyVisit(value, value)).not.toThrow();
    expect(() => classifyVisit(SITE, value)).not.toThrow();
    expect(() => classifyVisit(value, '')).not.toThrow();
    expect(() => campaignKey(value)).not.toThrow();
    expect(TRAFFIC_TYPES).toContain(classifyVisit(value, value).trafficType);
  });

  it('tolerates non-string input from untyped callers', () => {
    const anyClassify = classifyVisit as unknown as (a: unknown, b: unknown, c?: unknown) => unknown;
    expect(() => anyClassify(undefined, null)).not.toThrow();
    expect(() => (campaignKey as unknown as (a: unknown) => string)(null)).not.toThrow();
  });
});

describe('campaignKey', () => {
  it('is empty without campaign parameters', () => {
    expect(campaignKey(SITE)).toBe('');
    expect(campaignKey(`${SITE}?page=2&sort=price`)).toBe('');
    expect(campaignKey('not a url')).toBe('');
  });

  it('is stable across parameter order, case of names and of source/medium', () => {
    const a = campaignKey(`${SITE}?utm_source=Yandex&utm_medium=CPC&utm_campaign=brand&page=2`);
    const b = campaignKey(`https://shop.example.ru/other?UTM_CAMPAIGN=brand&utm_medium=cpc&utm_source=yandex`);
    expect(a).toBe(b);
    expect(a).toBe('utm_campaign=brand&utm_medium=cpc&utm_source=yandex');
  });

  it('changes with a new campaign or a new click id', () => {
    const base = campaignKey(`${SITE}?utm_source=vk&utm_campaign=a`);
    expect(campaignKey(`${SITE}?utm_source=vk&utm_campaign=b`)).not.toBe(base);
    expect(campaignKey(`${SITE}?gclid=1`)).not.toBe(campaignKey(`${SITE}?gclid=2`));
    expect(campaignKey(`${SITE}?yclid=1&utm_source=yandex`)).toBe('utm_source=yandex&yclid=1');
  });

  it('keeps case of campaign values and encodes separators', () => {
    expect(campaignKey(`${SITE}?utm_campaign=${encodeURIComponent('A&B=C')}`)).toBe('utm_campaign=A%26B%3DC');
    expect(campaignKey(`${SITE}?utm_campaign=Sale`)).not.toBe(campaignKey(`${SITE}?utm_campaign=sale`));
  });

  it('includes utm_id but not utm_referrer', () => {
    expect(campaignKey(`${SITE}?utm_id=42&utm_referrer=https%3A%2F%2Fyandex.ru`)).toBe('utm_id=42');
  });

  it('reads Cyrillic the same way as classifyVisit', () => {
    const key = campaignKey(`${SITE}?utm_campaign=%D0%B2%D0%B5%D1%81%D0%BD%D0%B0`);
    expect(key).toBe(`utm_campaign=${encodeURIComponent('весна')}`);
  });
});

describe('TRAFFIC_TYPES', () => {
  it('lists the ten types once', () => {
    expect(new Set(TRAFFIC_TYPES).size).toBe(10);
    expect(TRAFFIC_TYPES).toContain('direct');
  });

  it('isTrafficType guards', () => {
    expect(isTrafficType('paid_search')).toBe(true);
    expect(isTrafficType('paid')).toBe(false);
    expect(isTrafficType(1)).toBe(false);
  });
});
