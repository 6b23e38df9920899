import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { lookupGeo, preloadGeo, type Geo } from '../../src/ingest/enrich/geo.ts';

const NOWHERE: Geo = { country: null, region: null, city: null };

// Expected values read from the database shipped in geoip-lite 1.4.9 (pinned), not from a live service.
const located: [ip: string, expected: Geo][] = [
  ['8.8.8.8', { country: 'US', region: null, city: null }],
  ['9.9.9.9', { country: 'US', region: 'CA', city: 'Berkeley' }],
  ['77.88.8.8', { country: 'RU', region: null, city: null }], // Yandex DNS
  ['87.250.250.242', { country: 'RU', region: null, city: null }], // ya.ru
  ['194.67.1.1', { country: 'RU', region: 'MOW', city: 'Moscow' }],
  ['81.2.69.142', { country: 'GB', region: 'ENG', city: 'St Albans' }],
  ['91.108.56.1', { country: 'NL', region: 'NH', city: 'Amsterdam' }],
  ['1.0.0.1', { country: 'AU', region: null, city: null }],
  ['172.15.255.255', { country: 'US', region: 'CA', city: 'Castaic' }], // just below 172.16.0.0/12: public
  [' 77.88.8.8 ', { country: 'RU', region: null, city: null }],
  ['2a02:6b8::feed:0ff', { country: 'RU', region: 'MOW', city: 'Moscow' }],
  ['2A02:6B8::FEED:0FF', { country: 'RU', region: 'MOW', city: 'Moscow' }],
  ['2001:4860:4860::8888', { country: 'US', region: null, city: null }],
  // IPv4-mapped IPv6, as a dual-stack socket reports IPv4 clients
  ['::ffff:77.88.8.8', { country: 'RU', region: null, city: null }],
  ['::FFFF:194.67.1.1', { country: 'RU', region: 'MOW', city: 'Moscow' }],
  ['0:0:0:0:0:ffff:4d58:0808', { country: 'RU', region: null, city: null }],
  ['::ffff:4d58:808', { country: 'RU', region: null, city: null }],
];

const nowhere: string[] = [
  // private, loopback, link-local, CGNAT, reserved, multicast, documentation
  '10.0.0.1',
  '10.255.255.255',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '127.0.0.1',
  '127.255.255.254',
  '100.64.0.1',
  '100.127.255.255',
  '169.254.169.254',
  '0.0.0.0',
  '192.0.2.10',
  '198.51.100.7',
  '203.0.113.99',
  '198.18.0.1',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  '::',
  '::1',
  'fe80::1',
  'fe80::1%eth0',
  'fd00::1',
  'fc12:3456::1',
  'ff02::1',
  '2001:db8::1',
  '::ffff:127.0.0.1',
  '::ffff:10.1.2.3',
  '::ffff:192.168.0.1',
  '::ffff:7f00:1',
  // in the data, but without a country
  '1.1.1.1',
  // not addresses
  '',
  ' ',
  'localhost',
  'abc',
  '999.1.1.1',
  '1.2.3',
  '01.2.3.4',
  '8.8.8.8:53',
  '[::1]',
  '::ffff:999.1.1.1',
  '2a02:6b8::feed::0ff',
];

const loaded = () => {
  const req = createRequire(import.meta.url);
  return req.resolve('geoip-lite') in req.cache;
};

describe('lookupGeo', () => {
  // Before any lookup: importing the module must not load the data.
  it('does not load the database at import', () => {
    expect(loaded()).toBe(false);
  });

  it('loads it on preloadGeo()', () => {
    preloadGeo();
    expect(loaded()).toBe(true);
  });

  it.each(located)('%s', (ip, expected) => {
    expect(lookupGeo(ip)).toEqual(expected);
  });

  it.each(nowhere.map((ip) => [ip]))('%j → nowhere', (ip) => {
    expect(lookupGeo(ip)).toEqual(NOWHERE);
  });

  it('returns the geography and nothing else', () => {
    const geo = lookupGeo('194.67.1.1');
    expect(Object.keys(geo).sort()).toEqual(['city', 'country', 'region']);
    expect(JSON.stringify(geo)).not.toContain('194.67');
  });
});
