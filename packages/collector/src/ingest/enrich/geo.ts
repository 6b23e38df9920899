import { createRequire } from 'node:module';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type * as GeoipLite from 'geoip-lite';

export interface Geo {
  /** ISO 3166-1 alpha-2, e.g. "RU" */
  country: string | null;
  /** the subdivision part of ISO 3166-2 as geoip-lite has it, e.g. "MOW" (Moscow), "CA" (California) */
  region: string | null;
  /** English name, e.g. "Moscow" */
  city: string | null;
}

const NOWHERE: Geo = Object.freeze({ country: null, region: null, city: null });

// geoip-lite reads its whole database (~140 MB of Buffers, RSS grows by ~143 MB) synchronously
// when it is first required: ~0.15 s with the files in the page cache, ~0.5 s without. So it is
// required on first use rather than imported, and a process that only runs the CLI or migrations
// never pays for it.
const requireCjs = createRequire(import.meta.url);
let geoip: typeof GeoipLite | null = null;

function db(): typeof GeoipLite {
  geoip ??= requireCjs('geoip-lite') as typeof GeoipLite;
  return geoip;
}

/** Loads the geography data now, so that the first hit after start-up does not wait for it. */
export function preloadGeo(): void {
  db();
}

// Addresses that are not on the public internet have no geography. geoip-lite itself refuses only
// the three RFC 1918 ranges; the rest are merely absent from today's data, and a data update must
// not start placing loopback or CGNAT addresses somewhere. Refusing them first also skips the search.
// IPv4 is checked by hand on the 32-bit number (BlockList costs ~3 µs a check, as much as the
// lookup itself); IPv6 is rarer on the hit path and keeps the BlockList.
const NOT_PUBLIC_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3], // multicast, reserved, broadcast
];
const notPublicV4 = NOT_PUBLIC_V4.map(([net, prefix]) => {
  const first = ipv4ToNumber(net);
  return [first, first + 2 ** (32 - prefix) - 1] as const;
});
const notPublicV6 = new BlockList();
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  notPublicV6.addSubnet(net, prefix, 'ipv6');
}

/**
 * Country, region and city of a client address, or all null when it has none (private, loopback,
 * reserved, malformed, or simply not in the data). Only the geography leaves this function; the
 * address is neither kept nor logged.
 */
export function lookupGeo(ip: string): Geo {
  const addr = publicAddress(ip);
  if (addr === null) return NOWHERE;
  const found = db().lookup(addr);
  const country = found?.country || null;
  if (!found || country === null) return NOWHERE;
  return { country, region: found.region || null, city: found.city || null };
}

/**
 * What to look up: an IPv4 address as its number (geoip-lite takes numbers as IPv4, which also
 * spares it parsing the string again), an IPv6 address as text; null when it is not public.
 */
function publicAddress(raw: string): number | string | null {
  let ip = raw.trim();
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  if (isIPv4(ip)) return publicV4(ipv4ToNumber(ip));
  if (!isIPv6(ip)) return null;
  // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d (or ::ffff:0102:0304); their
  // geography is in the IPv4 table and their privacy in the IPv4 ranges.
  const mapped = mappedIPv4(ip);
  if (mapped !== null) return publicV4(mapped);
  return notPublicV6.check(ip, 'ipv6') ? null : ip;
}

function publicV4(n: number): number | null {
  for (const [first, last] of notPublicV4) if (n >= first && n <= last) return null;
  return n;
}

/** For an address `isIPv4` has accepted. */
function ipv4ToNumber(ip: string): number {
  let n = 0;
  for (const octet of ip.split('.')) n = n * 256 + Number(octet);
  return n;
}

function mappedIPv4(ip: string): number | null {
  // The URL parser writes IPv6 in canonical form (RFC 5952: lower case, longest zero run as "::",
  // a dotted tail as hex), which leaves a mapped address exactly one spelling to recognise.
  let host: string;
  try {
    host = new URL(`http://[${ip}]/`).hostname;
  } catch {
    return null;
  }
  const m = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(host);
  if (!m) return null;
  return Number.parseInt(m[1] ?? '', 16) * 65536 + Number.parseInt(m[2] ?? '', 16);
}
