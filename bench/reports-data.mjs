// The data set of bench:reports, generated inside PostgreSQL (generate_series, INSERT … SELECT) so
// a year of a busy site takes a minute or two rather than an hour of hits: 1,000,000 sessions,
// 3,000,000 pageviews, 300,000 chat clicks and 50,000 inquiries over the last 365 days, with the
// columns the ingest and inbound code write (hit-store.ts, inbound/record.ts).

// Pages with a Zipf-like popularity: the first few take most views, products make the long tail.
const PAGES = [
  ['/', 'Цветы с доставкой'], ['/catalog', 'Каталог'], ['/roses', 'Розы'], ['/roses/red', 'Красные розы'],
  ['/tulips', 'Тюльпаны'], ['/bouquets', 'Букеты'], ['/delivery', 'Доставка и оплата'], ['/contacts', 'Контакты'],
  ['/sale', 'Скидки'], ['/wedding', 'Свадебные букеты'], ['/peonies', 'Пионы'], ['/gifts', 'Подарки'],
  ['/about', 'О нас'], ['/reviews', 'Отзывы'], ['/corporate', 'Корпоративным клиентам'], ['/blog', 'Блог'],
];
const PRODUCTS = 180;

// [traffic type, cumulative share, sources, medium, campaigns]
const TRAFFIC = [
  ['organic_search', 0.3, ['yandex', 'google'], 'organic', 0],
  ['paid_search', 0.52, ['yandex', 'google'], 'cpc', 30],
  ['direct', 0.72, [null], null, 0],
  ['paid_social', 0.8, ['vk', 'telegram_ads', 'mytarget'], 'cpc', 20],
  ['organic_social', 0.86, ['vk', 'instagram', 'telegram', 'ok'], 'social', 0],
  ['referral', 0.91, ['flowers-blog.ru', 'zoon.ru', 'yandex.ru/maps', '2gis.ru', 'otzovik.com'], 'referral', 0],
  ['email', 0.94, ['unisender', 'sendpulse'], 'email', 12],
  ['messenger', 0.96, ['whatsapp', 'telegram'], 'messenger', 0],
  ['display', 0.98, ['yandex', 'google'], 'display', 8],
  ['affiliate', 1, ['admitad', 'cityads'], 'affiliate', 6],
];

const lit = (s) => (s === null ? 'null' : `'${String(s).replace(/'/g, "''")}'`);
const arr = (xs) => `array[${xs.map(lit).join(',')}]::text[]`;

/** A CASE over r (uniform 0..1) picking the traffic type's field. */
function byTraffic(field) {
  return `case ${TRAFFIC.map((t) => `when r_tt < ${t[1]} then ${field(t)}`).join(' ')} end`;
}

/** The path for a popularity draw z in [0,1): power 3 makes a long tail. */
const pathExpr = (z) =>
  `case when ${z} < 0.7 then (${arr(PAGES.map((p) => p[0]))})[1 + floor(power(${z} / 0.7, 2.5) * ${PAGES.length})::int] ` +
  `else '/product/' || (1 + floor(power((${z} - 0.7) / 0.3, 2) * ${PRODUCTS})::int) end`;
const titleExpr = (path) =>
  `coalesce((${arr(PAGES.map((p) => p[1]))})[array_position(${arr(PAGES.map((p) => p[0]))}, ${path})], 'Букет №' || split_part(${path}, '/', 3))`;

/**
 * Statements in order; each is timed by the caller. `$1` is the site id, `$2` and `$3` the
 * WhatsApp and Telegram channel ids.
 */
export function generationSteps({ sessions = 1_000_000, pageviews = 3_000_000, clicks = 300_000, inquiries = 50_000 } = {}) {
  const contacts = Math.round(inquiries * 0.85);
  return [
    [
      'sessions',
      // Traffic grows over the year (from half the average a day to one and a half) and follows
      // the day (few at night, Moscow time); today has only the hours that have passed.
      `create temp table g_sessions as
       select g as sn,
         -- 6 base-32 characters of a bijection of g (unique), 2 more: the shape of a visit code
         (select string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + ((x >> (5 * i)) & 31)::int, 1), '' order by i)
            from generate_series(0, 7) i, (select ((g::bigint * 2654435761) % 1073741824) | ((g::bigint % 1024) << 30) as x) s) as code,
         'v' || (g % ${Math.round(sessions * 0.7)}) as visitor_id,
         (now() at time zone 'Europe/Moscow')::date - floor(365 * case when random() < 0.5 then random() else 1 - sqrt(random()) end)::int as day,
         (case when random() < 0.85 then 8 + random() * 15 else random() * 24 end) * interval '1 hour' as tod,
         random() as r_tt, random() as r_src, random() as r_cmp, random() as r_dev, random() as r_geo, random() < 0.02 as is_bot,
         random() as z
       from generate_series(1, ${sessions}) g`,
    ],
    [
      'sessions insert',
      `insert into sessions (site_id, code, visitor_id, started_at, last_seen_at, landing_url, landing_title, referrer, traffic_type,
         source, medium, campaign, content, term, click_ids, user_agent, os, os_version, browser, browser_version, device_type,
         device_vendor, device_model, screen_width, screen_height, pixel_ratio, viewport_width, viewport_height, language, timezone,
         country, region, city, is_bot)
       select $1::int, code, visitor_id, t.at, t.at + interval '1 second' * floor(random() * 1200), 'https://shop.example.com' || p.path ||
           case when tt.campaign is not null then '?utm_source=' || tt.source || '&utm_medium=' || tt.medium || '&utm_campaign=' || tt.campaign else '' end,
         ${titleExpr('p.path')},
         case when tt.type in ('direct', 'paid_search', 'paid_social', 'email') then null else 'https://' || coalesce(tt.source, 'example.org') || '/' end,
         tt.type, tt.source, tt.medium, tt.campaign, null, null,
         case when tt.type = 'paid_search' and tt.source = 'yandex' then jsonb_build_object('yclid', (sn::bigint * 7919)::text)
              when tt.type = 'paid_search' then jsonb_build_object('gclid', md5(sn::text)) else '{}'::jsonb end,
         case when r_dev < 0.62 then 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'
              else 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' end,
         case when r_dev < 0.62 then 'Android' else 'Windows' end, case when r_dev < 0.62 then '10' else '10' end,
         case when r_dev < 0.4 or r_dev > 0.9 then 'Chrome' else 'Yandex' end, '131.0.0.0',
         case when r_dev < 0.62 then 'mobile' else 'desktop' end, null, case when r_dev < 0.62 then 'K' end,
         case when r_dev < 0.62 then 412 else 1920 end, case when r_dev < 0.62 then 915 else 1080 end,
         case when r_dev < 0.62 then 2.625 else 1 end, case when r_dev < 0.62 then 412 else 1903 end, case when r_dev < 0.62 then 780 else 950 end,
         'ru-RU', 'Europe/Moscow', 'RU',
         case when r_geo < 0.45 then 'MOW' when r_geo < 0.6 then 'SPE' else 'KDA' end,
         case when r_geo < 0.45 then 'Москва' when r_geo < 0.6 then 'Санкт-Петербург' else 'Краснодар' end,
         is_bot
       from g_sessions,
         lateral (select case when (day + tod) at time zone 'Europe/Moscow' < now() - interval '1 minute' then (day + tod) at time zone 'Europe/Moscow'
                              else (day - 1 + tod) at time zone 'Europe/Moscow' end as at) t,
         lateral (select ${pathExpr('z')} as path) p,
         lateral (select ${byTraffic((x) => lit(x[0]))} as type,
                         ${byTraffic((x) => `(${arr(x[2])})[1 + floor(r_src * ${x[2].length})::int]`)} as source,
                         ${byTraffic((x) => lit(x[3]))} as medium,
                         ${byTraffic((x) => (x[4] ? `'${x[0]}_' || (1 + floor(power(r_cmp, 2) * ${x[4]})::int)` : 'null'))} as campaign) tt`,
    ],
    ['sessions index', `create temp table g_index as select row_number() over () as sn, code, started_at from sessions where site_id = $1::int`],
    [
      'visitors',
      `insert into visitors (site_id, id, first_seen_at, last_seen_at, first_session, first_traffic_type, first_source, first_medium,
         first_campaign, sessions)
       select $1::int, visitor_id, min(started_at), max(last_seen_at), min(code), min(traffic_type), min(source), min(medium), min(campaign), count(*)
       from sessions where site_id = $1::int group by visitor_id`,
    ],
    [
      'pageviews',
      // Every session views its landing page; the rest fall on sessions at random, a few minutes in.
      `insert into pageviews (site_id, ts, session_code, url, path, title)
       select $1::int, s.started_at, s.code, split_part(s.landing_url, '?', 1) || coalesce('?' || nullif(split_part(s.landing_url, '?', 2), ''), ''),
              substring(s.landing_url from 'https://[^/]+([^?]*)'), s.landing_title
       from sessions s where s.site_id = $1::int
       union all
       select $1::int, least(x.started_at + interval '1 second' * floor(random() * 1500), now()), x.code, 'https://shop.example.com' || p.path, p.path, ${titleExpr('p.path')}
       from (select 1 + floor(random() * (select count(*) from g_index))::int as sn, random() as z from generate_series(1, ${pageviews - sessions})) r
         join g_index x using (sn), lateral (select ${pathExpr('r.z')} as path) p`,
    ],
    [
      'chat clicks',
      // Clicks come from pages with messenger buttons, a third of them to the Telegram bot.
      `insert into chat_clicks (site_id, ts, session_code, messenger, target, page_url, page_path, page_title)
       select $1::int, least(x.started_at + interval '1 second' * floor(random() * 900), now()), x.code, m.messenger, m.target,
              'https://shop.example.com' || p.path, p.path, ${titleExpr('p.path')}
       from (select 1 + floor(random() * (select count(*) from g_index))::int as sn, random() as z, random() as r from generate_series(1, ${clicks})) r
         join g_index x using (sn),
         lateral (select ${pathExpr('r.z')} as path) p,
         lateral (select case when r.r < 0.68 then 'whatsapp' else 'telegram' end as messenger,
                         case when r.r < 0.68 then '79991234567' when r.r < 0.95 then 'shop_bot' else '' end as target) m`,
    ],
    [
      'contacts',
      `insert into contacts (site_id, messenger, external_id, phone, name, username, first_seen_at, last_seen_at)
       select $1::int, case when g % 3 = 0 then 'telegram' else 'whatsapp' end, (79000000000 + g)::text,
              case when g % 3 = 0 and g % 2 = 0 then null else (79000000000 + g)::text end,
              (array['Анна','Иван','Мария','Олег','Елена','Сергей','Ольга','Дмитрий'])[1 + g % 8] || ' ' || (array['К.','С.','П.','М.'])[1 + g % 4],
              case when g % 3 = 0 then 'user' || g end, now(), now()
       from generate_series(1, ${contacts}) g`,
    ],
    [
      'inquiries',
      // Most chats follow a click (code or start parameter), some only probably, some with no visit;
      // a contact's later inquiries are repeats.
      `with picked as (
         select k.*, row_number() over (order by k.id) as n, random() as r
         from chat_clicks k where k.site_id = $1::int and k.id % ${Math.floor(clicks / inquiries)} = 0
         limit ${inquiries}
       ), shaped as (
         select p.*, c.id as contact_id, c.messenger as cm,
           case when r < 0.80 then (case when p.messenger = 'telegram' then 'start' else 'code' end)
                when r < 0.86 then 'probable' when r < 0.90 then 'ad_referral' else 'none' end as method,
           p.ts + interval '1 second' * (20 + floor(random() * 600)) as at
         from picked p
         join (select id, row_number() over (order by id) as cn, messenger from contacts where site_id = $1::int) c
           on c.cn = case when p.n <= ${contacts} then p.n else 1 + (p.n::bigint * 7919) % ${contacts} end
       )
       insert into inquiries (site_id, channel_id, contact_id, received_at, last_message_at, message_count, type, match_method,
         match_confidence, session_code, click_id, page_url, page_title, first_message, ad, tags, status)
       select $1::int, case when method = 'ad_referral' or messenger = 'whatsapp' then $2::text else $3::text end, contact_id, least(at, now()),
         least(at + interval '1 minute' * floor(random() * 90), now()), 1 + floor(random() * 12)::int,
         case when row_number() over (partition by contact_id order by at) = 1 then 'new' else 'repeat' end,
         method, case method when 'probable' then 0.6 when 'none' then 0 else 1 end,
         case when method in ('code', 'start', 'probable') then session_code end,
         case when method = 'probable' then id end,
         case when method in ('code', 'start', 'probable') then page_url end,
         case when method in ('code', 'start', 'probable') then page_title end,
         case when method in ('code', 'start') then 'Здравствуйте! Хочу заказать букет. Номер обращения: ' || session_code
              else 'Здравствуйте, сколько стоит доставка?' end,
         case when method = 'ad_referral' then jsonb_build_object('source_id', '1200' || (n % 9), 'source_url', null, 'headline', 'Розы со скидкой', 'ctwa_clid', md5(n::text)) end,
         case when n % 10 = 0 then array['vip'] when n % 17 = 0 then array['опт', 'повтор'] else '{}' end,
         (array['new','in_progress','qualified','sale','junk'])[1 + floor(power(random(), 1.5) * 5)::int]
       from shaped`,
    ],
    [
      'messages',
      `insert into messages (site_id, channel_id, provider_message_id, received_at, kind, contact_id, inquiry_id, text, raw)
       select site_id, channel_id, 'bench.' || id, received_at, 'inquiry', contact_id, id, first_message, jsonb_build_object('id', 'bench.' || id)
       from inquiries where site_id = $1::int`,
    ],
    ['contacts seen', `update contacts c set first_seen_at = x.f, last_seen_at = x.l from (select contact_id, min(received_at) f, max(last_message_at) l from inquiries where site_id = $1::int group by 1) x where c.site_id = $1::int and c.id = x.contact_id`],
  ];
}
