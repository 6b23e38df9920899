import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Hit, HitAnswer } from '../../shared/src/hit.ts';
import { transport } from '../src/transport.ts';

const URL_ = new URL('https://collector.example/v1/hit');
const hit = (t: Hit['t'], c = 'K7M2XQ9P'): Hit => ({ k: 'site', t, v: 'V', c, u: 'https://shop.example/' });
const settle = () => new Promise((r) => setTimeout(r, 0));

let beacon: ReturnType<typeof vi.fn>;
let fetchMock: ReturnType<typeof vi.fn>;
beforeEach(() => {
  beacon = vi.fn(() => true);
  fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
  vi.stubGlobal('navigator', { sendBeacon: beacon });
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

const sentBodies = () => [
  ...beacon.mock.calls.map((c) => JSON.parse(c[1] as string).t + ':' + JSON.parse(c[1] as string).c),
  ...fetchMock.mock.calls.map((c) => JSON.parse((c[1] as RequestInit).body as string).t + ':' + JSON.parse((c[1] as RequestInit).body as string).c),
];

describe('transport', () => {
  it('sends clicks and events by beacon, as a text/plain string', async () => {
    const send = transport(URL_, vi.fn());
    send(hit('click'));
    send(hit('event'));
    expect(beacon).toHaveBeenCalledTimes(2);
    expect(beacon.mock.calls[0]![0]).toBe(URL_);
    expect(typeof beacon.mock.calls[0]![1]).toBe('string');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('falls back to fetch(keepalive) when the beacon is refused', async () => {
    beacon.mockReturnValue(false);
    transport(URL_, vi.fn())(hit('click'));
    // No credentials option: a cross-origin fetch sends no cookies unless asked to.
    expect(fetchMock).toHaveBeenCalledWith(URL_, { method: 'POST', body: JSON.stringify(hit('click')), keepalive: true });
  });

  it('sends a page view by fetch and hands its answer over together with the hit', async () => {
    const answer: HitAnswer = { c: 'NEWCODE1', s: { tpl: '{text} {code}', wa: [], tg: [], bots: [] } };
    fetchMock.mockResolvedValue(Response.json(answer));
    const onAnswer = vi.fn();
    const h = hit('pv');
    transport(URL_, onAnswer)(h);
    expect(beacon).not.toHaveBeenCalled();
    await settle();
    expect(onAnswer).toHaveBeenCalledWith(answer, h);
  });

  it('reads no answer from a 204 or a 4xx, and does not retry a 4xx', async () => {
    const onAnswer = vi.fn();
    const send = transport(URL_, onAnswer);
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    send(hit('pv'));
    fetchMock.mockResolvedValueOnce(Response.json({ error: 'bad_hit', message: 'x' }, { status: 400 }));
    send(hit('pv', 'REFUSED1'));
    await settle();
    send(hit('pv', 'NEXT0001'));
    await settle();
    expect(onAnswer).not.toHaveBeenCalled();
    expect(sentBodies()).toEqual(['pv:K7M2XQ9P', 'pv:REFUSED1', 'pv:NEXT0001']);
  });

  it('retries a failed send once, just before the next hit, and then gives up on it', async () => {
    const send = transport(URL_, vi.fn());
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    send(hit('pv', 'FIRST001'));
    await settle();
    // the retry fails too
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    send(hit('click', 'SECOND01'));
    await settle();
    send(hit('click', 'THIRD001'));
    await settle();
    expect(sentBodies()).toEqual(['click:SECOND01', 'click:THIRD001', 'pv:FIRST001', 'pv:FIRST001']);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('retries after a 5xx', async () => {
    const onAnswer = vi.fn();
    const send = transport(URL_, onAnswer);
    fetchMock.mockResolvedValueOnce(new Response('oops', { status: 503 }));
    send(hit('pv'));
    await settle();
    fetchMock.mockResolvedValueOnce(Response.json({ s: { tpl: '{code}', wa: [], tg: [], bots: [] } }));
    send(hit('click'));
    await settle();
    expect(onAnswer).toHaveBeenCalledTimes(1);
  });

  it('never lets a failing answer handler escape as an unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    fetchMock.mockResolvedValue(Response.json({ s: {} }));
    transport(URL_, () => {
      throw new Error('bug in the handler');
    })(hit('pv'));
    await settle();
    await settle();
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
