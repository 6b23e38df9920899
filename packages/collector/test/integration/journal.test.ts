import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/app/build-app.ts';
import { createSite } from '../../src/admin/sites.ts';
import { createChannel } from '../../src/admin/channels.ts';
import { CSV_COLUMNS } from '../../src/query/csv.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.ts';
import { testConfig } from '../support/config.ts';
import { seedContact, seedInquiry, seedSession } from '../support/seed.ts';

const ADMIN = 'admin-token-for-journal-tests';

/** RFC 4180 as a spreadsheet reads it: quoted fields may hold the separator, quotes and line breaks. */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

describe.each(DATABASE_KINDS)('the journal on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let site: { id: number; key: string; api_key: string };
  let other: { id: number; key: string; api_key: string };
  const ids: Record<string, number> = {};
  const db = () => t.database.db;

  const get = (path: string, key = site.api_key) => app.inject({ method: 'GET', url: `/v1/sites/${site.id}${path}`, headers: { authorization: `Bearer ${key}` } });
  const list = async (query: string) => {
    const res = await get(`/inquiries?limit=500&${query}`);
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    return (res.json() as { items: Array<{ id: number }> }).items.map((i) => i.id);
  };
  const named = (...names: string[]) => names.map((n) => ids[n]!);

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    app = await buildApp({ config: testConfig(), database: t.database, adminToken: ADMIN });
    site = await createSite(db(), { name: 'Цветы', domains: ['shop.example.com'], timezone: 'Europe/Moscow' }, 'https://cm');
    other = await createSite(db(), { name: 'Other', domains: [], timezone: 'UTC' }, 'https://cm');
    const wa = await createChannel(db(), { site: String(site.id), kind: 'whatsapp', provider: 'generic', address: '79991234567' }, 'https://cm');
    const tg = await createChannel(db(), { site: String(site.id), kind: 'telegram', provider: 'telegram', address: '@shop_bot' }, 'https://cm');
    const waOther = await createChannel(db(), { site: String(other.id), kind: 'whatsapp', provider: 'generic', address: '79990000000' }, 'https://cm');

    const s1 = await seedSession(db(), site.id, { startedAt: '2026-01-10T09:50:00Z', trafficType: 'paid_search', source: 'yandex', medium: 'cpc', campaign: 'roses', clickIds: { yclid: '123456' }, landingUrl: 'https://shop.example.com/roses?utm_source=yandex' });
    const s2 = await seedSession(db(), site.id, { startedAt: '2026-01-11T21:00:00Z', trafficType: 'organic_social', source: 'vk', medium: 'social' });
    const s3 = await seedSession(db(), site.id, { startedAt: '2026-01-20T08:00:00Z', trafficType: 'direct' });
    const anna = await seedContact(db(), site.id, { name: 'Анна', phone: '79161234567' });
    const ivan = await seedContact(db(), site.id, { messenger: 'telegram', name: 'Иван', username: 'ivan_petrov' });
    const odd = await seedContact(db(), site.id, { name: '100%_Real', phone: '79005550000' });
    const maria = await seedContact(db(), site.id, { name: 'Мария' });
    const stranger = await seedContact(db(), other.id, { name: 'Анна', phone: '79161234567' });

    ids.i1 = await seedInquiry(db(), site.id, { channelId: wa.id, contactId: anna, receivedAt: '2026-01-10T10:00:00Z', sessionCode: s1, pageUrl: 'https://shop.example.com/roses/red?x=1', pageTitle: 'Красные розы', firstMessage: 'Хочу букет роз; "красных"\nна завтра', tags: ['vip'] });
    // 21:30 UTC on the 11th is half past midnight on the 12th in Moscow.
    ids.i2 = await seedInquiry(db(), site.id, { channelId: tg.id, contactId: ivan, receivedAt: '2026-01-11T21:30:00Z', match: 'start', sessionCode: s2, pageUrl: 'https://shop.example.com/tulips', firstMessage: '=HYPERLINK("http://evil")' });
    ids.i3 = await seedInquiry(db(), site.id, { channelId: wa.id, contactId: anna, receivedAt: '2026-01-20T09:00:00Z', type: 'repeat', match: 'probable', confidence: 0.7, sessionCode: s3, pageUrl: 'https://shop.example.com/roses', firstMessage: 'Снова я', status: 'qualified' });
    ids.i4 = await seedInquiry(db(), site.id, { channelId: wa.id, contactId: odd, receivedAt: '2026-01-25T12:00:00Z', firstMessage: '50% скидка?' });
    ids.i5 = await seedInquiry(db(), site.id, { channelId: wa.id, contactId: maria, receivedAt: '2026-02-01T12:00:00Z', match: 'ad_referral', ad: { source_id: 'ad-1', source_url: 'https://fb.me/ad', headline: 'Розы', ctwa_clid: 'ctwa-1' } });
    ids.foreign = await seedInquiry(db(), other.id, { channelId: waOther.id, contactId: stranger, receivedAt: '2026-01-10T10:00:00Z', firstMessage: 'Хочу букет роз' });
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('filters by every field, alone and together, and only within the site', async () => {
    const cases: Array<[string, string[]]> = [
      ['', ['i5', 'i4', 'i3', 'i2', 'i1']],
      ['channel=telegram', ['i2']],
      ['channel=whatsapp', ['i5', 'i4', 'i3', 'i1']],
      ['provider=telegram', ['i2']],
      ['provider=generic', ['i5', 'i4', 'i3', 'i1']],
      ['traffic_type=paid_search', ['i1']],
      ['traffic_type=direct', ['i3']],
      ['source=yandex', ['i1']],
      ['source=(none)', ['i3']],
      ['medium=social', ['i2']],
      ['campaign=roses', ['i1']],
      ['campaign=(none)', ['i3', 'i2']],
      ['page=/roses', ['i3', 'i1']],
      ['page=/roses/', ['i1']],
      [`page=${encodeURIComponent('https://shop.example.com/tul')}`, ['i2']],
      ['type=repeat', ['i3']],
      ['type=new', ['i5', 'i4', 'i2', 'i1']],
      ['match=probable', ['i3']],
      ['match=ad_referral', ['i5']],
      ['tag=vip', ['i1']],
      ['status=qualified', ['i3']],
      ['status=new', ['i5', 'i4', 'i2', 'i1']],
      ['channel=whatsapp&type=new&match=code', ['i1']],
      ['source=yandex&channel=telegram', []],
    ];
    for (const [query, expected] of cases) expect(await list(query), query).toEqual(named(...expected));
  });

  it('searches name, phone, username and first message, case-insensitively, taking % and _ literally', async () => {
    const cases: Array<[string, string[]]> = [
      ['анна', ['i3', 'i1']],
      ['+7 (916) 123', ['i3', 'i1']],
      ['@ivan_p', ['i2']],
      ['IVAN', ['i2']],
      ['БУКЕТ', ['i1']],
      ['%', ['i4']],
      ['%_', ['i4']],
      ['_', ['i4', 'i2']],
      ["'; drop table inquiries; --", []],
    ];
    for (const [q, expected] of cases) expect(await list(`q=${encodeURIComponent(q)}`), q).toEqual(named(...expected));
    expect(await db().selectFrom('inquiries').select('id').execute()).toHaveLength(6);
  });

  it("reads dates in the site's time zone and instants as given", async () => {
    expect(await list('from=2026-01-12&to=2026-01-12')).toEqual(named('i2'));
    expect(await list('from=2026-01-11&to=2026-01-11')).toEqual([]);
    expect(await list('from=2026-01-10&to=2026-01-20')).toEqual(named('i3', 'i2', 'i1'));
    expect(await list('from=2026-01-11T21:00:00Z&to=2026-01-11T22:00:00Z')).toEqual(named('i2'));
    expect(await list(`from=${encodeURIComponent('2026-01-12T00:00:00+03:00')}&to=2026-01-12T01:00`)).toEqual(named('i2'));
    expect(await list('from=2026-01-21')).toEqual(named('i5', 'i4'));
    expect(await list('to=2026-01-10')).toEqual(named('i1'));
  });

  it('refuses bad filters, periods and cursors with a 400 that says what is wrong', async () => {
    const bad: Array<[string, RegExp]> = [
      ['type=old', /type must be one of new, repeat/],
      ['channel=viber', /channel must be one of whatsapp, telegram/],
      ['match=guess', /match must be one of start, code, ad_referral, probable, none/],
      ['status=done', /status must be one of/],
      ['traffic_type=tv', /traffic_type must be one of/],
      ['from=2026-02-30', /from is not a date/],
      ['from=tomorrow', /from must be a date/],
      ['to=2026-01-01T25:00:00Z', /to must be a date/],
      ['from=2026-02-01&to=2026-01-01', /from must be before to/],
      ['from=2021-01-01&to=2025-01-01', /three years at most/],
      ['page=roses', /page must be a path/],
      ['q=%20%20', /q must not be blank/],
      ['cursor=%%%', /cursor is malformed/],
      [`cursor=${Buffer.from('2026-01-01T00:00:00Z|1; drop').toString('base64url')}`, /cursor is malformed/],
      [`cursor=${Buffer.from("x'|1").toString('base64url')}`, /cursor is malformed/],
      ['limit=0', /limit/],
      ['colour=red', /must NOT have additional properties/],
    ];
    for (const [query, message] of bad) {
      const res = await get(`/inquiries?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toEqual({ error: 'bad_request', message: expect.stringMatching(message) });
    }
    // Values reach SQL only as parameters: a quote in a filter finds nothing and breaks nothing.
    expect(await list(`source=${encodeURIComponent("x' or '1'='1")}`)).toEqual([]);
  });

  it('sets tags and status, which the filters then find; refuses bad ones and other sites', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: `/v1/sites/${site.id}/inquiries/${ids.i4}`,
      headers: { authorization: `Bearer ${site.api_key}` },
      payload: { tags: [' опт ', 'опт', 'callback'], status: 'sale' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: ids.i4, tags: ['опт', 'callback'], status: 'sale', contact: { name: '100%_Real' } });
    expect(await list(`tag=${encodeURIComponent('опт')}`)).toEqual(named('i4'));
    expect(await list('status=sale')).toEqual(named('i4'));

    const statusOnly = await app.inject({ method: 'PATCH', url: `/v1/sites/${site.id}/inquiries/${ids.i4}`, headers: { authorization: `Bearer ${site.api_key}` }, payload: { status: 'junk' } });
    expect(statusOnly.json()).toMatchObject({ tags: ['опт', 'callback'], status: 'junk' });

    const patch = (payload: unknown, id = ids.i4) => app.inject({ method: 'PATCH', url: `/v1/sites/${site.id}/inquiries/${id}`, headers: { authorization: `Bearer ${site.api_key}` }, payload: payload as object });
    expect((await patch({ status: 'won' })).statusCode).toBe(400);
    expect((await patch({})).statusCode).toBe(400);
    expect((await patch({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })).statusCode).toBe(400);
    expect((await patch({ tags: ['x'.repeat(51)] })).statusCode).toBe(400);
    expect((await patch({ tags: 'vip' })).statusCode).toBe(400);
    expect((await patch({ note: 'x' })).statusCode).toBe(400);
    expect((await patch({ status: 'sale' }, ids.foreign)).statusCode).toBe(404);
    expect((await db().selectFrom('inquiries').select('status').where('id', '=', ids.foreign!).executeTakeFirstOrThrow()).status).toBe('new');
  });

  it('exports the filtered journal as CSV: BOM, separator, RFC 4180 quoting, Cyrillic, local times', async () => {
    const res = await get('/inquiries.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="inquiries-\d+-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.rawPayload.toString('utf8').slice(1);
    const rows = parseCsv(text, ';');
    expect(rows[0]).toEqual(CSV_COLUMNS);
    expect(rows).toHaveLength(6);
    const byId = new Map(rows.slice(1).map((r) => [Number(r[0]), Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]))]));
    expect(byId.get(ids.i1!)).toMatchObject({
      received_at: '2026-01-10 13:00:00',
      channel: 'whatsapp',
      match_method: 'code',
      contact_name: 'Анна',
      contact_phone: '79161234567',
      first_message: 'Хочу букет роз; "красных"\nна завтра',
      tags: 'vip',
      page_url: 'https://shop.example.com/roses/red?x=1',
      page_title: 'Красные розы',
      traffic_type: 'paid_search',
      source: 'yandex',
      campaign: 'roses',
      yclid: '123456',
      click_ids: 'yclid=123456',
      screen: '1920x1080',
      city: 'Москва',
    });
    // Half past midnight in Moscow, whatever the server's zone; a formula stays text.
    expect(byId.get(ids.i2!)).toMatchObject({ received_at: '2026-01-12 00:30:00', first_message: `'=HYPERLINK("http://evil")`, provider: 'telegram' });
    expect(byId.get(ids.i5!)).toMatchObject({ session_code: '', ad_headline: 'Розы', ctwa_clid: 'ctwa-1' });
    // The quoting is RFC 4180's: the field with ; " and a line break is quoted, quotes doubled.
    expect(text).toContain('"Хочу букет роз; ""красных""\nна завтра"');

    const comma = await get('/inquiries.csv?sep=,&channel=telegram');
    const commaRows = parseCsv(comma.rawPayload.toString('utf8').slice(1), ',');
    expect(commaRows.map((r) => r[0])).toEqual(['id', String(ids.i2)]);
    expect(comma.rawPayload.toString('utf8')).toContain(`,"'=HYPERLINK(""http://evil"")",`);

    expect((await get('/inquiries.csv?sep=|')).statusCode).toBe(400);
    expect((await get('/inquiries.csv?type=old')).json()).toMatchObject({ error: 'bad_request' });
  });
});

describe.each(DATABASE_KINDS)('journal paging on %s', (kind) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let site: { id: number; api_key: string };
  let channel: string;
  let contact: number;
  const db = () => t.database.db;
  const page = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/v1/sites/${site.id}/inquiries?${query}`, headers: { authorization: `Bearer ${site.api_key}` } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Array<{ id: number; received_at: string }>; next_cursor: string | null };
  };
  const insertAt = async (instants: string[]) => {
    const rows = await sql<{ id: number }>`
      insert into inquiries (site_id, channel_id, contact_id, received_at, last_message_at, type, match_method)
      select ${site.id}, ${channel}, ${contact}, t::timestamptz, t::timestamptz, 'new', 'none' from unnest(${instants}::text[]) t
      returning id`.execute(db());
    return rows.rows.map((r) => r.id);
  };

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    app = await buildApp({ config: testConfig(), database: t.database, adminToken: ADMIN });
    site = await createSite(db(), { name: 'Paging', domains: [], timezone: 'Europe/Moscow' }, 'https://cm');
    channel = (await createChannel(db(), { site: String(site.id), kind: 'whatsapp', provider: 'generic', address: '79991112233' }, 'https://cm')).id;
    contact = await seedContact(db(), site.id, { name: 'Пётр' });
  });
  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  it('pages newest first without gaps or repeats while inquiries keep arriving, down to the microsecond', async () => {
    // Ties on received_at, and instants a microsecond apart that a millisecond cursor would merge.
    const initial = await insertAt([
      ...Array.from({ length: 9 }, (_, i) => `2026-03-0${i + 1}T10:00:00Z`),
      '2026-03-05T10:00:00Z',
      '2026-03-05T10:00:00Z',
      '2026-02-01T10:00:00.123456Z',
      '2026-02-01T10:00:00.123457Z',
      '2026-02-01T10:00:00.123458Z',
      '2026-02-01T10:00:00.1234Z',
    ]);
    const seen: number[] = [];
    const written: number[] = [];
    const ties: number[] = [];
    let firstPage: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    // A writer keeps adding newer inquiries while the pages are read.
    let reading = true;
    const writer = (async () => {
      for (let n = 0; reading; n++) {
        written.push(...(await insertAt([new Date(Date.parse('2026-05-01T00:00:00Z') + n * 1000).toISOString()])));
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    do {
      const p = await page(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...p.items.map((i) => i.id));
      if (!pages) firstPage = p.items.map((i) => i.id);
      cursor = p.next_cursor;
      pages++;
      // Between two pages, one at the very instant of the last row seen: its larger id sorts it
      // before the cursor.
      const last = p.items.at(-1)!;
      const tie = await sql<{ id: number }>`
        insert into inquiries (site_id, channel_id, contact_id, received_at, last_message_at, type, match_method)
        select site_id, channel_id, contact_id, received_at, received_at, 'new', 'none' from inquiries where site_id = ${site.id} and id = ${last.id}
        returning id`.execute(db());
      ties.push(tie.rows[0]!.id);
    } while (cursor);
    reading = false;
    await writer;
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => !written.includes(id)).sort((a, b) => a - b)).toEqual(initial);
    expect(seen.filter((id) => ties.includes(id))).toEqual([]);
    // Newer inquiries come only before every older one: those written before the first page was
    // read lead the journal, and none written later can turn up behind the cursor.
    const newer = seen.filter((id) => written.includes(id));
    expect(seen.slice(0, newer.length)).toEqual(newer);
    expect(newer.length).toBeGreaterThanOrEqual(firstPage.filter((id) => written.includes(id)).length);
    expect(written.length).toBeGreaterThan(0);
  });

  it('streams a CSV longer than one read page, every row once', async () => {
    await sql`
      insert into inquiries (site_id, channel_id, contact_id, received_at, last_message_at, type, match_method, first_message)
      select ${site.id}, ${channel}, ${contact}, '2025-06-01T00:00:00Z'::timestamptz + n * interval '1 minute',
             '2025-06-01T00:00:00Z'::timestamptz, 'new', 'none', 'сообщение ' || n
      from generate_series(1, 2100) n`.execute(db());
    const res = await app.inject({ method: 'GET', url: `/v1/sites/${site.id}/inquiries.csv?to=2025-12-31`, headers: { authorization: `Bearer ${site.api_key}` } });
    expect(res.statusCode).toBe(200);
    const lines = res.body.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2101);
    const ids = lines.slice(1).map((l) => Number(l.split(';')[0]));
    expect(new Set(ids).size).toBe(2100);
    expect(lines[1]).toContain('сообщение 2100');
  });
});
