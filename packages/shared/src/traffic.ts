/**
 * Traffic-type classification of a visit from its landing URL and referrer.
 *
 * Pure and dependency-free: the collector runs it at ingest, the snippet may run it in the
 * browser. It only needs standard JS, `URL` and `TextDecoder`.
 *
 * The order of evidence follows GA4's default channel grouping and Yandex Metrica's source
 * types, adapted to one set of ten types:
 *   1. an ad platform's own click id (only the platform can set it, so it beats hand-made tags),
 *   2. utm_* tags (what the marketer says),
 *   3. the referrer host (where the browser says the click came from),
 *   4. weak ids that some platforms add to every outbound link (fbclid, ysclid, srsltid, erid),
 *   5. nothing → direct.
 * Browsers send only the origin of a cross-site referrer (strict-origin-when-cross-origin), so
 * every referrer rule is by host; a path-based rule would never fire.
 */

export type TrafficType =
  | 'paid_search'
  | 'organic_search'
  | 'paid_social'
  | 'organic_social'
  | 'messenger'
  | 'email'
  | 'referral'
  | 'display'
  | 'affiliate'
  | 'direct';

export const TRAFFIC_TYPES: readonly TrafficType[] = Object.freeze([
  'paid_search',
  'organic_search',
  'paid_social',
  'organic_social',
  'messenger',
  'email',
  'referral',
  'display',
  'affiliate',
  'direct',
] as const);

export function isTrafficType(value: unknown): value is TrafficType {
  return typeof value === 'string' && (TRAFFIC_TYPES as readonly string[]).includes(value);
}

export interface VisitSource {
  trafficType: TrafficType;
  /** utm_source, else a friendly name of the click platform or referrer ('google', 'vk', …) or its host, else null. */
  source: string | null;
  /** utm_medium, else derived from the type ('cpc', 'organic', 'social', …); null for direct. */
  medium: string | null;
  campaign: string | null;
  content: string | null;
  term: string | null;
  /** Every CLICK_ID_PARAMS present in the landing URL (lower-case names), values cut to 255 chars. */
  clickIds: Record<string, string>;
}

/** Stored values are cut to this many UTF-16 units so that a crafted URL cannot bloat a row. */
export const MAX_PARAM_LENGTH = 255;

// ─── vocabulary ──────────────────────────────────────────────────────────────────────────────

/** What a source (referrer host, utm_source, click platform) is. */
type Family = 'search' | 'social' | 'messenger' | 'email' | 'affiliate' | 'display' | 'referral';

/** What a medium (utm_medium, or what a click id / ad host implies) says about how the visit was bought. */
type Kind =
  | 'paid' // bought, but the source decides between search, social and display
  | 'paid_search'
  | 'paid_social'
  | 'display'
  | 'affiliate'
  | 'email'
  | 'messenger'
  | 'social'
  | 'referral'
  | 'organic'
  | 'direct';

/** Kinds a utm_medium may use to refine a click id, e.g. yclid + utm_medium=cpm is a YAN banner. */
const PAID_KINDS: ReadonlySet<Kind> = new Set<Kind>(['paid', 'paid_search', 'paid_social', 'display']);

/**
 * kind × family → type; '_' is the row's default. Mirrors GA4, where a paid medium is paid search
 * on a search engine and paid social on a social network. Deviations, on purpose:
 * - display mediums on a social network are paid social (VK/Meta sell CPM too);
 * - anything paid on a messenger is paid social (Telegram Ads, bought posts in channels);
 * - a paid click from an ordinary website is display (a banner there), not GA4's "Paid Other";
 * - a cpc tag with no known source is paid search: in practice that is contextual advertising.
 */
const RESOLVE: Readonly<Record<Kind | 'none', Readonly<Partial<Record<Family | '_', TrafficType>>>>> = {
  paid: { social: 'paid_social', messenger: 'paid_social', display: 'display', referral: 'display', affiliate: 'affiliate', email: 'email', _: 'paid_search' },
  paid_search: { _: 'paid_search' },
  paid_social: { _: 'paid_social' },
  display: { social: 'paid_social', messenger: 'paid_social', affiliate: 'affiliate', _: 'display' },
  affiliate: { _: 'affiliate' },
  email: { _: 'email' },
  messenger: { _: 'messenger' },
  // Our types keep messengers apart from social networks even when a tag calls Telegram "social".
  social: { messenger: 'messenger', _: 'organic_social' },
  referral: { _: 'referral' },
  organic: { social: 'organic_social', messenger: 'messenger', email: 'email', _: 'organic_search' },
  direct: { _: 'direct' },
  none: { search: 'organic_search', social: 'organic_social', messenger: 'messenger', email: 'email', affiliate: 'affiliate', display: 'display', _: 'referral' },
};

/** The medium reported when the URL has no utm_medium. */
const TYPE_MEDIUM: Readonly<Record<TrafficType, string | null>> = {
  paid_search: 'cpc',
  organic_search: 'organic',
  paid_social: 'cpc',
  organic_social: 'social',
  messenger: 'messenger',
  email: 'email',
  referral: 'referral',
  display: 'cpm',
  affiliate: 'affiliate',
  direct: null,
};

/**
 * utm_medium → kind, first match wins, matched against the lower-cased value. Specific patterns
 * come before the GA4-style catch-all `.*cp.*` so that cpm/cpa/cpv are not read as cpc.
 * Russian practice is included: "target(ing)" is slang for social ads, "rsya"/"yan" is the
 * Yandex Advertising Network, "kms" is Google's display network, "posev" is paid seeding.
 */
const MEDIUM_RULES: ReadonlyArray<readonly [Kind, RegExp]> = [
  ['direct', /^\(?none\)?$/],
  ['paid_social', /^(paid[-_ ]?social|social[-_ ]?(paid|ads?|cpc|cpm)|paid[-_ ]?smm|smm[-_ ]?paid|target|targeting|targeted|targetirovannaya|influencers?|bloggers?|posev|seeding)$/],
  ['paid_search', /^(paid[-_ ]?search|search[-_ ]?(paid|ads?|cpc)|sem|context[-_ ]?search)$/],
  ['display', /^(cpm|cpv|vcpm|display|banners?|media|mediynaya|medijnaya|context[-_ ]?media|rsya|rsy|yan|gdn|kms|programmatic|rtb|native|teaser|interstitial|expandable|video[-_ ]?ads?)$/],
  ['affiliate', /^(affiliates?|aff|partners?|partnership|partnerka|cpa|cps|cpl|referral[-_ ]?program)$/],
  ['email', /^(e[-_ ]?mail|e[-_ ]?mailing|email[-_ ]?marketing|newsletters?|mail|mailing|mailout|rassylka|digest|trigger[-_ ]?e?mail|push|web[-_ ]?push|webpush)$/],
  ['messenger', /^(messengers?|im|chat|chatbot|bot|sms|telegram|tg|whatsapp|wa|viber|max)$/],
  ['social', /^(social|social[-_ ]?(network|media|post)s?|organic[-_ ]?social|sm|smm|sns|post|posting)$/],
  ['paid', /^(.*cp.*|ppc|paid.*|retarget.*|remarket.*|context.*|ads?|adv|advert.*|reklama|sponsored)$/],
  ['referral', /^(referral|referal|ref|link|links|app|backlink)$/],
  ['organic', /^(organic|seo|organic[-_ ]?search)$/],
];

// ─── hosts ───────────────────────────────────────────────────────────────────────────────────

interface SourceRule {
  /** Friendly source name; null means "use the host itself". */
  readonly name: string | null;
  /** 'ignore': a hop the visitor passes through (login, payment), treated as no referrer. */
  readonly family: Family | 'ignore';
  /** Set only where the host or name alone proves the click was bought. */
  readonly kind?: Kind;
}

interface HostGroup extends SourceRule {
  /**
   * 'host' matches the host and its subdomains; 'name.*' matches any public-suffix-like ending
   * (google.ru, google.co.uk, google.com.br). Android/iOS app referrers arrive as package ids
   * (android-app://org.telegram.messenger/) and are listed like hosts.
   * The most specific match wins, whatever the order here.
   */
  readonly hosts: readonly string[];
}

const g = (family: SourceRule['family'], name: string | null, hosts: readonly string[], kind?: Kind): HostGroup =>
  kind === undefined ? { family, name, hosts } : { family, name, hosts, kind };

const HOST_GROUPS: readonly HostGroup[] = [
  // Search engines. The first group naming a source also defines that name for utm_source.
  g('search', 'google', ['google.*', 'com.google.android.googlequicksearchbox']),
  g('search', 'yandex', ['yandex.*', 'ya.ru', 'turbopages.org', 'ru.yandex.searchplugin']),
  g('search', 'bing', ['bing.com']),
  g('search', 'mail.ru', ['go.mail.ru', 'search.mail.ru']),
  g('search', 'rambler', ['nova.rambler.ru']),
  g('search', 'duckduckgo', ['duckduckgo.com']),
  g('search', 'yahoo', ['yahoo.*']),
  g('search', 'baidu', ['baidu.com']),
  g('search', 'ecosia', ['ecosia.org']),
  g('search', 'startpage', ['startpage.com']),
  g('search', 'brave', ['search.brave.com']),
  g('search', 'naver', ['naver.com']),
  g('search', 'seznam', ['seznam.cz']),
  g('search', 'qwant', ['qwant.com']),
  g('search', 'sogou', ['sogou.com']),
  g('search', '360', ['so.com']),
  g('search', 'coccoc', ['coccoc.com']),
  g('search', 'kagi', ['kagi.com']),
  g('search', 'ask', ['ask.com']),
  g('search', 'aol', ['search.aol.com']),
  g('search', 'mojeek', ['mojeek.com']),
  g('search', 'swisscows', ['swisscows.com']),
  g('search', 'meta.ua', ['meta.ua']),

  // Ad-server hops: the referrer itself proves an ad click even when the click id was stripped.
  g('search', 'google', ['googleadservices.com', 'syndicatedsearch.goog'], 'paid'),
  g('display', 'google', ['googlesyndication.com', 'doubleclick.net']),
  g('search', 'yandex', ['yabs.yandex.*'], 'paid'),
  g('display', 'yandex', ['an.yandex.*']),
  g('display', 'adriver', ['adriver.ru']),

  // Social networks, video and UGC platforms. Dzen is a recommendation feed (Metrica's own
  // "recommendation systems" type), closest to organic social here. Link-in-bio pages (Taplink,
  // Linktree) are where Instagram/TikTok profiles send their clicks, so they count as social.
  g('social', 'vk', ['vk.com', 'vk.ru', 'vkontakte.ru', 'vkvideo.ru', 'vk.cc', 'com.vkontakte.android']),
  g('social', 'ok', ['ok.ru', 'odnoklassniki.ru', 'ru.ok.android']),
  // l.facebook.com / lm.facebook.com are Facebook's desktop and mobile link shims.
  g('social', 'facebook', ['facebook.com', 'fb.com', 'fb.me', 'fb.watch', 'com.facebook.katana', 'com.facebook.lite']),
  g('social', 'instagram', ['instagram.com', 'com.instagram.android']),
  g('social', 'threads', ['threads.net', 'threads.com', 'com.instagram.barcelona']),
  g('social', 'twitter', ['twitter.com', 'x.com', 't.co', 'com.twitter.android']),
  g('social', 'linkedin', ['linkedin.com', 'lnkd.in', 'com.linkedin.android']),
  g('social', 'pinterest', ['pinterest.*', 'pin.it', 'com.pinterest']),
  g('social', 'youtube', ['youtube.com', 'youtu.be', 'com.google.android.youtube']),
  g('social', 'tiktok', ['tiktok.com', 'com.zhiliaoapp.musically', 'com.ss.android.ugc.trill']),
  g('social', 'reddit', ['reddit.com', 'redd.it', 'com.reddit.frontpage']),
  g('social', 'dzen', ['dzen.ru', 'zen.yandex.*', 'ru.zen.android']),
  g('social', 'rutube', ['rutube.ru']),
  g('social', 'pikabu', ['pikabu.ru']),
  g('social', 'vc.ru', ['vc.ru']),
  g('social', 'habr', ['habr.com']),
  g('social', 'tenchat', ['tenchat.ru']),
  g('social', 'livejournal', ['livejournal.com']),
  g('social', 'snapchat', ['snapchat.com']),
  g('social', 'quora', ['quora.com']),
  g('social', 'tumblr', ['tumblr.com']),
  g('social', 'twitch', ['twitch.tv']),
  g('social', 'medium', ['medium.com']),
  g('social', 'taplink', ['taplink.cc', 'taplink.ru', 'taplink.at']),
  g('social', 'linktree', ['linktr.ee']),

  // Messengers. MAX is VK's messenger (max.ru, Android package ru.oneme.app).
  g('messenger', 'telegram', ['t.me', 'telegram.me', 'telegram.org', 'telegram.dog', 'org.telegram.messenger', 'org.telegram.messenger.web', 'org.telegram.messenger.beta', 'org.telegram.plus', 'org.thunderdog.challegram']),
  g('messenger', 'whatsapp', ['whatsapp.com', 'wa.me', 'com.whatsapp', 'com.whatsapp.w4b']),
  g('messenger', 'viber', ['viber.com', 'viber.click', 'com.viber.voip']),
  g('messenger', 'max', ['max.ru', 'ru.oneme.app']),
  g('messenger', 'vk', ['vk.me']),
  g('messenger', 'facebook_messenger', ['messenger.com', 'm.me', 'com.facebook.orca']),
  g('messenger', 'discord', ['discord.com', 'discord.gg', 'discordapp.com', 'com.discord']),
  g('messenger', 'slack', ['slack.com', 'com.slack']),
  g('messenger', 'teams', ['teams.microsoft.com', 'teams.live.com']),
  g('messenger', 'line', ['line.me', 'jp.naver.line.android']),
  g('messenger', 'wechat', ['weixin.qq.com', 'com.tencent.mm']),
  g('messenger', 'icq', ['icq.com', 'icq.im']),
  g('messenger', 'google_chat', ['chat.google.com']),
  g('messenger', 'sms', ['com.google.android.apps.messaging', 'com.samsung.android.messaging']),

  // Webmail and mail apps.
  g('email', 'gmail', ['mail.google.com', 'com.google.android.gm']),
  g('email', 'mail.ru', ['e.mail.ru', 'octavius.mail.ru', 'touch.mail.ru', 'ru.mail.mailapp']),
  g('email', 'yandex', ['mail.yandex.*', 'ru.yandex.mail']),
  g('email', 'outlook', ['outlook.live.com', 'outlook.office.com', 'outlook.office365.com', 'com.microsoft.office.outlook']),
  g('email', 'rambler', ['mail.rambler.ru']),
  g('email', 'yahoo', ['mail.yahoo.*', 'com.yahoo.mobile.client.android.mail']),
  g('email', 'proton', ['mail.proton.me']),
  g('email', 'aol', ['mail.aol.com']),
  g('email', 'zoho', ['mail.zoho.com']),
  g('email', 'ukr.net', ['mail.ukr.net']),

  // Known referrers worth a friendly name: classifieds, marketplaces, maps/directories, AI chats.
  // AI assistants stay referral: neither GA4 nor Metrica calls them search, and one rule here
  // is the place to change that.
  g('referral', 'avito', ['avito.ru', 'com.avito.android']),
  g('referral', 'hh', ['hh.ru', 'hh.kz', 'hh.uz']),
  g('referral', 'cian', ['cian.ru']),
  g('referral', 'youla', ['youla.ru']),
  g('referral', 'ozon', ['ozon.ru']),
  g('referral', 'wildberries', ['wildberries.*', 'wb.ru']),
  g('referral', 'megamarket', ['megamarket.ru']),
  g('referral', 'yandex_market', ['market.yandex.*']),
  g('referral', '2gis', ['2gis.*']),
  g('referral', 'drom', ['drom.ru']),
  g('referral', 'profi', ['profi.ru']),
  g('referral', 'zoon', ['zoon.*']),
  g('referral', 'flamp', ['flamp.ru']),
  g('referral', 'yell', ['yell.ru']),
  g('referral', 'otzovik', ['otzovik.com']),
  g('referral', 'irecommend', ['irecommend.ru']),
  g('referral', 'kolesa', ['kolesa.kz']),
  g('referral', 'krisha', ['krisha.kz']),
  g('referral', 'olx', ['olx.*']),
  g('referral', 'kufar', ['kufar.by']),
  g('referral', 'chatgpt', ['chatgpt.com', 'chat.openai.com', 'com.openai.chatgpt']),
  g('referral', 'perplexity', ['perplexity.ai']),
  g('referral', 'gemini', ['gemini.google.com']),
  g('referral', 'copilot', ['copilot.microsoft.com']),
  g('referral', 'claude', ['claude.ai']),
  g('referral', 'deepseek', ['chat.deepseek.com']),
  g('referral', 'alice', ['alice.yandex.*']),
  g('referral', 'gigachat', ['giga.chat']),
  g('referral', 'msn', ['msn.com']),
  g('referral', 'mail.ru', ['mail.ru']),
  g('referral', 'rambler', ['rambler.ru']),
  g('referral', 'google_play', ['play.google.com']),
  // Google's non-search products are ordinary referrers, not google/organic.
  g('referral', null, ['docs.google.com', 'drive.google.com', 'sites.google.com', 'groups.google.com', 'classroom.google.com', 'translate.google.*']),

  // Hops a visitor returns from (sign-in, payment); GA4 calls these unwanted referrals.
  g('ignore', null, [
    'accounts.google.com', 'passport.yandex.*', 'oauth.yandex.*', 'id.vk.com', 'oauth.vk.com', 'oauth.mail.ru',
    'esia.gosuslugi.ru', 'yoomoney.ru', 'yookassa.ru', 'securepay.tinkoff.ru', 'robokassa.ru', 'cloudpayments.ru',
    'checkout.stripe.com', 'paypal.com',
  ]),
];

/**
 * utm_source spellings that are not a host or a HOST_GROUPS name: abbreviations and ad-platform
 * names. A name that proves the click was bought ('yandex_direct', 'vkads') carries kind 'paid'.
 */
const SOURCE_ALIASES: ReadonlyArray<readonly [SourceRule, readonly string[]]> = [
  [{ name: null, family: 'search' }, ['ya', 'mailru', 'ddg']],
  [{ name: null, family: 'search', kind: 'paid' }, [
    'yandex_direct', 'yandexdirect', 'yandex-direct', 'yandex.direct', 'ydirect', 'direct.yandex', 'ya_direct',
    'google_ads', 'googleads', 'google-ads', 'adwords', 'google_adwords', 'gads', 'bing_ads', 'microsoft_ads', 'msads',
  ]],
  [{ name: null, family: 'social' }, ['vkontakte', 'odnoklassniki', 'fb', 'meta', 'ig', 'insta', 'x', 'yt', 'zen', 'yandex_zen', 'vc', 'lj']],
  [{ name: null, family: 'social', kind: 'paid' }, [
    'vkads', 'vk_ads', 'vk-ads', 'vkreklama', 'vk_reklama', 'ads.vk.com', 'mytarget', 'my.target', 'target.my.com',
    'facebook_ads', 'fb_ads', 'meta_ads', 'instagram_ads', 'tiktok_ads', 'linkedin_ads', 'twitter_ads',
  ]],
  [{ name: null, family: 'messenger' }, ['tg', 'wa', 'wapp', 'max_messenger', 'messenger']],
  [{ name: null, family: 'messenger', kind: 'paid' }, ['telegram_ads', 'tg_ads', 'tgads']],
  [{ name: null, family: 'email' }, [
    'email', 'e-mail', 'e_mail', 'mail', 'newsletter', 'mailing', 'rassylka', 'push', 'webpush', 'web-push',
    'mailchimp', 'unisender', 'sendpulse', 'sendsay', 'dashamail', 'mindbox', 'esputnik', 'notisend', 'klaviyo',
    'sendgrid', 'brevo', 'getresponse',
  ]],
  [{ name: null, family: 'affiliate' }, [
    'admitad', 'actionpay', 'cityads', 'advcake', 'gdeslon', 'epn', 'leads.su', 'salid', 'awin', 'cj', 'impact',
    'partnerize', 'rakuten', 'shareasale', 'affise',
  ]],
  [{ name: null, family: 'display' }, [
    'gdn', 'kms', 'rsya', 'yan', 'criteo', 'getintent', 'buzzoola', 'soloway', 'dv360', 'dbm', 'cm360', 'dfa',
    'doubleclick', 'taboola', 'outbrain', 'smi2', 'adfox',
  ]],
];

// Wildcard endings: one label (ru, com, de) or a ccTLD under a generic second level (co.uk, com.br).
// One label is capped at 3 letters so that an app package like com.yandex.browser never looks like yandex.*.
const GENERIC_SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'ac', 'gov', 'edu', 'or', 'ne', 'go', 'gob', 'mil', 'nic']);

const EXACT = new Map<string, SourceRule>();
const WILDCARD = new Map<string, SourceRule>();
const NAMES = new Map<string, SourceRule>();

for (const group of HOST_GROUPS) {
  const rule: SourceRule = group.kind === undefined
    ? { name: group.name, family: group.family }
    : { name: group.name, family: group.family, kind: group.kind };
  for (const host of group.hosts) {
    const map = host.endsWith('.*') ? WILDCARD : EXACT;
    const key = host.endsWith('.*') ? host.slice(0, -2) : host;
    if (!map.has(key)) map.set(key, rule);
  }
  // Only non-paid groups name a source: utm_source=google says nothing about payment.
  if (group.name !== null && group.family !== 'ignore' && group.kind === undefined && !NAMES.has(group.name)) {
    NAMES.set(group.name, rule);
  }
}
for (const [rule, names] of SOURCE_ALIASES) {
  for (const name of names) NAMES.set(name, rule);
}

function lookupHost(host: string): SourceRule | undefined {
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const exact = EXACT.get(labels.slice(i).join('.'));
    if (exact) return exact;
    const rest = labels.length - i;
    const last = labels[labels.length - 1] ?? '';
    if (rest >= 2 && /^[a-z]{2,3}$/.test(last)) {
      const hit = WILDCARD.get(labels.slice(i, -1).join('.'));
      if (hit) return hit;
    }
    const second = labels[labels.length - 2] ?? '';
    if (rest >= 3 && /^[a-z]{2}$/.test(last) && GENERIC_SECOND_LEVEL.has(second)) {
      const hit = WILDCARD.get(labels.slice(i, -2).join('.'));
      if (hit) return hit;
    }
  }
  return undefined;
}

// ─── click ids ───────────────────────────────────────────────────────────────────────────────

interface ClickIdRule {
  /** Source reported when there is no utm_source. */
  readonly platform: string | null;
  readonly family: Family | null;
  readonly kind: Kind | null;
  /**
   * Strong: set only by an ad platform on an ad click, so it decides the type over utm tags
   * (a utm_medium may still narrow it within paid: cpm → display). Weak ids are added to
   * organic links too and only fill in what tags and referrer leave open.
   */
  readonly strong: boolean;
  /**
   * The platform's ads run on its search pages and on partner sites/apps (GDN, YAN, Microsoft
   * Audience Network). A referrer that is not a search engine means a display placement.
   */
  readonly network?: boolean;
  /** Referrer sources that legitimately carry this id; when the referrer is one, it names the source. */
  readonly via?: readonly string[];
}

const GOOGLE_ADS: ClickIdRule = { platform: 'google', family: 'search', kind: 'paid', strong: true, network: true, via: ['google', 'youtube'] };
const paidSocial = (platform: string): ClickIdRule => ({ platform, family: 'social', kind: 'paid', strong: true });

/** In precedence order: the first strong id present decides. */
const CLICK_ID_RULES: Readonly<Record<string, ClickIdRule>> = {
  // Google Ads auto-tagging (Search, Shopping, Performance Max, Display, YouTube) → paid search
  // unless the referrer shows a partner site. gbraid/wbraid replace gclid for iOS app↔web clicks
  // under Apple's ATT; gad_source/gad_campaignid ride along with gclid and survive when privacy
  // features strip gclid (Safari Link Tracking Protection), so they still prove a Google Ads click.
  gclid: GOOGLE_ADS,
  gbraid: GOOGLE_ADS,
  wbraid: GOOGLE_ADS,
  gad_source: GOOGLE_ADS,
  gad_campaignid: GOOGLE_ADS,
  // Campaign Manager 360 / Display & Video 360 → display.
  dclid: { platform: 'google', family: 'display', kind: 'display', strong: true },
  // Microsoft Advertising (Bing search, plus the Microsoft Audience Network) → paid search.
  msclkid: { platform: 'bing', family: 'search', kind: 'paid', strong: true, network: true, via: ['bing'] },
  // Yandex Direct auto-tagging, on search and on YAN partner sites → paid search (display from a
  // partner referrer or utm_medium=cpm/rsya). Yahoo! Japan Ads uses the same name, hence via.
  yclid: { platform: 'yandex', family: 'search', kind: 'paid', strong: true, network: true, via: ['yandex', 'yahoo'] },
  // Yandex Market's click id on offers (CPC-billed shopping placements) → paid search.
  ymclid: { platform: 'yandex_market', family: 'search', kind: 'paid', strong: true },
  // Openstat tagging (Yandex Direct option, older ad systems): "service;campaign;ad;placement",
  // often base64. Decoded below; the service names the source and the placement picks display.
  _openstat: { platform: null, family: 'search', kind: 'paid', strong: true },
  // VK Ads: vkclid is its auto-added click id; rb_clickid is the VK Ads / myTarget pixel's click
  // id (also passed through verifiers such as AdRiver). VK Ads places in VK, OK and its ad
  // network, always bought → paid social.
  vkclid: paidSocial('vk'),
  rb_clickid: paidSocial('vk'),
  // TikTok Ads, X (Twitter) Ads, LinkedIn Ads (first-party ad tracking), Pinterest Ads, Reddit Ads,
  // Snapchat Ads (ScCid), Quora Ads: each added by the platform to ad clicks only → paid social.
  ttclid: paidSocial('tiktok'),
  twclid: paidSocial('twitter'),
  li_fat_id: paidSocial('linkedin'),
  epik: paidSocial('pinterest'),
  rdt_cid: paidSocial('reddit'),
  sccid: paidSocial('snapchat'),
  qclid: paidSocial('quora'),
  // Affiliate networks: impact.com (irclickid; irclid is the short form some templates use) and Admitad.
  irclickid: { platform: 'impact', family: 'affiliate', kind: 'affiliate', strong: true },
  irclid: { platform: 'impact', family: 'affiliate', kind: 'affiliate', strong: true },
  admitad_uid: { platform: 'admitad', family: 'affiliate', kind: 'affiliate', strong: true },

  // Weak ids.
  // fbclid: Meta adds it to every outbound link from Facebook/Instagram/Messenger, organic or not;
  // alone it is organic social, with a paid utm_medium it becomes paid social.
  fbclid: { platform: 'facebook', family: 'social', kind: null, strong: false, via: ['facebook', 'instagram', 'threads', 'facebook_messenger'] },
  // ysclid: Yandex adds it to clicks from its organic search results (so Metrica can join the
  // query when cookies are restricted) → organic search, never paid; yclid marks the ads.
  ysclid: { platform: 'yandex', family: 'search', kind: 'organic', strong: false },
  // srsltid: Google Merchant Center auto-tagging of free (organic) product listings → organic search.
  srsltid: { platform: 'google', family: 'search', kind: 'organic', strong: false },
  // mc_cid: Mailchimp campaign id (not the subscriber: mc_eid is personal and not kept) → email.
  mc_cid: { platform: 'mailchimp', family: 'email', kind: 'email', strong: false },
  // erid: the Russian ad-labelling token (law 38-FZ, since 2022) that must accompany an ad,
  // including bought posts in Telegram channels and blogs. Proves payment, not the platform:
  // paid social on a social/messenger referrer, display otherwise.
  erid: { platform: null, family: null, kind: 'display', strong: false },
};
// Not click ids, on purpose: igshid/igsh (Instagram share id on links *to* Instagram, organic),
// mc_eid/_kx (a person's id), ybaip (a Yandex flag of unpublished meaning, always "1"),
// gclsrc (a companion of gclid, no id of its own).

export const CLICK_ID_PARAMS: readonly string[] = Object.freeze(Object.keys(CLICK_ID_RULES));

// ─── parsing helpers ─────────────────────────────────────────────────────────────────────────

function truncate(value: string): string {
  if (value.length <= MAX_PARAM_LENGTH) return value;
  let cut = value.slice(0, MAX_PARAM_LENGTH);
  // Do not leave half of a surrogate pair (an emoji) at the end.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/** Trimmed, control characters removed (PostgreSQL text rejects NUL), cut, or null when empty. */
function clean(value: string): string | null {
  const v = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return v === '' ? null : truncate(v);
}

let utf8Strict: TextDecoder | null | undefined;
let cp1251: TextDecoder | null | undefined;
function decoder(label: string, fatal: boolean): TextDecoder | null {
  try {
    return new TextDecoder(label, { fatal });
  } catch {
    return null;
  }
}

/**
 * decodeURIComponent with '+' as space, falling back byte-wise: a lone '%' stays literal, and
 * bytes that are not UTF-8 are read as windows-1251 (old Russian sites and some ad systems
 * still encode Cyrillic that way).
 */
function decodeComponent(raw: string): string {
  const s = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(s);
  } catch {
    // fall through to the byte-wise decoder
  }
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const hex = s.slice(i + 1, i + 3);
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const code = s.codePointAt(i) ?? 0;
      if (code > 0xffff) i++;
      for (const b of encoder.encode(String.fromCodePoint(code))) bytes.push(b);
    }
  }
  const data = new Uint8Array(bytes);
  if (utf8Strict === undefined) utf8Strict = decoder('utf-8', true);
  try {
    if (utf8Strict) return utf8Strict.decode(data);
  } catch {
    // not UTF-8
  }
  if (cp1251 === undefined) cp1251 = decoder('windows-1251', false);
  return (cp1251 ?? new TextDecoder()).decode(data);
}

function parseQueryInto(query: string, into: Map<string, string>): void {
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = clean(decodeComponent(eq < 0 ? '' : part.slice(eq + 1)));
    // The first non-empty occurrence wins, as in GA4.
    if (key !== '' && value !== null && !into.has(key)) into.set(key, value);
  }
}

const NO_HOST = 'landing.invalid';

interface Landing {
  readonly params: ReadonlyMap<string, string>;
  readonly host: string | null;
}

function readLanding(landingUrl: string): Landing {
  const params = new Map<string, string>();
  let host: string | null = null;
  try {
    // A base lets a path-only landing URL ("/price?utm_source=vk") still yield its parameters.
    const url = new URL(String(landingUrl ?? '').trim(), `http://${NO_HOST}/`);
    if (url.hostname !== NO_HOST) host = normaliseHost(url.hostname);
    parseQueryInto(url.search.slice(1), params);
    // Hash routers put the query after the fragment (/#/page?utm_source=vk); the real query wins.
    const q = url.hash.indexOf('?');
    if (q >= 0) parseQueryInto(url.hash.slice(q + 1), params);
  } catch {
    // An unparsable landing URL simply has no parameters.
  }
  return { params, host };
}

function normaliseHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '').replace(/^www\d*\./, '');
}

const REFERRER_PROTOCOLS = new Set(['http:', 'https:', 'android-app:', 'ios-app:']);
const BARE_HOST = /^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}(?:[/:?#]|$)/i;

/** The referrer's host (or app package), normalised; null for none, about:blank and garbage. */
function referrerHost(referrer: string): string | null {
  const raw = String(referrer ?? '').trim();
  if (raw === '' || raw === 'null' || raw.startsWith('about:')) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // Some clients send a bare host ("www.google.com").
    if (BARE_HOST.test(raw)) {
      try {
        url = new URL(`http://${raw}`);
      } catch {
        url = null;
      }
    }
  }
  if (!url || !REFERRER_PROTOCOLS.has(url.protocol)) return null;
  const host = normaliseHost(url.hostname);
  return host === '' ? null : host;
}

/** Accepts "example.com", "www.example.com", "https://example.com/", "пример.рф". */
function siteHost(value: string): string | null {
  const raw = String(value ?? '').trim();
  if (raw === '') return null;
  try {
    const url = new URL(raw.includes('://') ? raw : `http://${raw}`);
    const host = normaliseHost(url.hostname);
    return host === '' ? null : host;
  } catch {
    return null;
  }
}

function isOwnHost(host: string, own: readonly string[]): boolean {
  return own.some((h) => host === h || host.endsWith(`.${h}`));
}

/** utm_source as a SourceRule: alias, friendly name, or a host written as the source ("vk.com"). */
function sourceRule(source: string): SourceRule | undefined {
  const named = NAMES.get(source);
  if (named) return named;
  if (!source.includes('.')) return undefined;
  const host = siteHost(source);
  const rule = host ? lookupHost(host) : undefined;
  return rule && rule.family !== 'ignore' ? rule : undefined;
}

function mediumKind(medium: string): Kind | undefined {
  for (const [kind, pattern] of MEDIUM_RULES) if (pattern.test(medium)) return kind;
  return undefined;
}

interface Openstat {
  readonly rule: ClickIdRule;
  readonly campaign: string | null;
  readonly ad: string | null;
}

/** Openstat: "service;campaign;ad;placement", plain or base64(url). */
function parseOpenstat(value: string): Openstat | null {
  let text = value;
  if (!text.includes(';')) {
    try {
      const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
      const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
      text = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    } catch {
      return null;
    }
  }
  if (!text.includes(';')) return null;
  const [service = '', campaign = '', ad = '', placement = ''] = text.split(';');
  const serviceHost = siteHost(service);
  const serviceRule = serviceHost ? lookupHost(serviceHost) : undefined;
  const placementHost = siteHost(placement.split(':')[0] ?? '');
  const placementRule = placementHost ? lookupHost(placementHost) : undefined;
  const base = CLICK_ID_RULES['_openstat'] as ClickIdRule;
  const serviceFamily = serviceRule?.family;
  return {
    rule: {
      ...base,
      platform: serviceRule?.name ?? serviceHost,
      // An ad system that is a social network (target.my.com) sells social ads; others, search ads.
      family: serviceFamily === 'social' || serviceFamily === 'display' ? serviceFamily : 'search',
      // Placement "yandex.ru:premium" is the search page; any other site is a network placement.
      kind: placementHost && placementRule?.family !== 'search' ? 'display' : 'paid',
    },
    campaign: clean(campaign),
    ad: clean(ad),
  };
}

function firstOf<T>(items: readonly ClickIdRule[], pick: (r: ClickIdRule) => T | null | undefined): T | undefined {
  for (const item of items) {
    const v = pick(item);
    if (v !== null && v !== undefined) return v;
  }
  return undefined;
}

// ─── the API ─────────────────────────────────────────────────────────────────────────────────

/**
 * landingUrl: full URL of the first page of the visit; referrer: document.referrer ('' if none);
 * siteHosts: the site's own hosts (a referrer from the site itself or its subdomains counts as no
 * referrer). The landing URL's own host always counts as the site's. Never throws.
 */
export function classifyVisit(landingUrl: string, referrer: string, siteHosts: readonly string[] = []): VisitSource {
  const { params, host: landingHost } = readLanding(landingUrl);
  const lower = (name: string): string | null => params.get(name)?.toLowerCase() ?? null;
  const utm = {
    source: lower('utm_source'),
    medium: lower('utm_medium'),
    campaign: params.get('utm_campaign') ?? null,
    content: params.get('utm_content') ?? null,
    term: params.get('utm_term') ?? null,
  };
  const hasUtm = Object.values(utm).some((v) => v !== null);

  const clickIds: Record<string, string> = {};
  const present: ClickIdRule[] = [];
  let openstat: Openstat | null = null;
  for (const name of CLICK_ID_PARAMS) {
    const value = params.get(name);
    if (value === undefined) continue;
    clickIds[name] = value;
    if (name === '_openstat') openstat = parseOpenstat(value);
    present.push(name === '_openstat' && openstat ? openstat.rule : (CLICK_ID_RULES[name] as ClickIdRule));
  }
  const strong = present.find((r) => r.strong);
  const weak = present.filter((r) => !r.strong);

  // Metrica honours utm_referrer when a proxy (Turbo pages, AMP) hides the real referrer.
  const own = [landingHost, ...siteHosts.map(siteHost)].filter((h): h is string => h !== null);
  const rawRefHost = referrerHost(referrer) ?? referrerHost(params.get('utm_referrer') ?? '');
  let ref: { name: string; family: Family; kind?: Kind } | null = null;
  if (rawRefHost !== null && !isOwnHost(rawRefHost, own)) {
    const rule = lookupHost(rawRefHost);
    if (rule?.family !== 'ignore') {
      ref = { name: rule?.name ?? rawRefHost, family: rule?.family ?? 'referral' };
      if (rule?.kind !== undefined) ref.kind = rule.kind;
    }
  }

  const utmKind = utm.medium !== null ? mediumKind(utm.medium) : undefined;
  const utmSource = utm.source !== null ? sourceRule(utm.source) : undefined;
  const utmSourceFamily = utmSource?.family === 'ignore' ? undefined : utmSource?.family;

  let kind: Kind | undefined;
  let family: Family | undefined;
  let source: string | null;
  if (strong) {
    kind = utmKind !== undefined && PAID_KINDS.has(utmKind) ? utmKind : strong.kind ?? undefined;
    if (strong.network && kind === 'paid' && ref !== null && ref.family !== 'search') kind = 'display';
    family = strong.family ?? undefined;
    source = utm.source ?? (ref !== null && strong.via?.includes(ref.name) ? ref.name : strong.platform ?? ref?.name ?? null);
  } else {
    kind = utmKind ?? utmSource?.kind ?? (hasUtm ? undefined : ref?.kind) ?? firstOf(weak, (r) => r.kind);
    family = utmSourceFamily ?? ref?.family ?? firstOf(weak, (r) => r.family);
    source = utm.source ?? ref?.name ?? firstOf(weak, (r) => r.platform) ?? null;
  }

  let trafficType: TrafficType;
  if (kind === undefined && family === undefined) {
    // Tagged but unrecognisable still came from somewhere; only a bare URL is direct.
    trafficType = hasUtm || present.length > 0 ? 'referral' : 'direct';
  } else {
    const row = RESOLVE[kind ?? 'none'];
    trafficType = (family !== undefined ? row[family] : undefined) ?? row._ ?? 'referral';
  }

  return {
    trafficType,
    source,
    medium: utm.medium ?? (kind === 'display' && trafficType !== 'affiliate' ? 'cpm' : TYPE_MEDIUM[trafficType]),
    campaign: utm.campaign ?? openstat?.campaign ?? null,
    content: utm.content ?? openstat?.ad ?? null,
    term: utm.term,
    clickIds,
  };
}

const CAMPAIGN_UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'utm_id'] as const;

/**
 * A stable string of the campaign-defining parameters (utm_* and click ids, sorted, values
 * normalised as classifyVisit reads them), '' when there are none. The snippet starts a new
 * session when a landing's key is non-empty and differs from the session's: a new ad click or a
 * new tagged link is a new visit, while plain internal navigation ('' key) never splits one.
 */
export function campaignKey(landingUrl: string): string {
  const { params } = readLanding(landingUrl);
  const pairs: string[] = [];
  for (const name of [...CAMPAIGN_UTM, ...CLICK_ID_PARAMS]) {
    const value = params.get(name);
    if (value === undefined) continue;
    const normalised = name === 'utm_source' || name === 'utm_medium' ? value.toLowerCase() : value;
    pairs.push(`${name}=${encodeURIComponent(normalised)}`);
  }
  return pairs.sort().join('&');
}
