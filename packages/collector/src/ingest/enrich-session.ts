import { classifyVisit, type Hit } from '@chatmark/shared';
import type { SessionFields } from './hit-store.ts';
import { isBot, lookupGeo, parseDevice } from './enrich/index.ts';

// The hit's strings are bounded by the schema, which counts characters: cutting them again by
// UTF-16 units could leave half an emoji, which jsonb refuses. The header is Latin-1, cut freely.
const UA_MAX = 1024;

/**
 * The columns of a new session, from the hit that opens it, its User-Agent and the client
 * address. The address is used for the geography here and goes no further.
 */
export function enrichSession(hit: Hit, userAgent: string, address: string, siteDomains: readonly string[]): SessionFields {
  const landing = hit.l || hit.u;
  const visit = classifyVisit(landing, hit.r ?? '', siteDomains);
  const device = parseDevice(userAgent, hit.ch);
  const geo = lookupGeo(address);
  return {
    landing_url: landing,
    landing_title: (landing === hit.u && hit.ti) || null,
    referrer: hit.r || null,
    traffic_type: visit.trafficType,
    source: visit.source,
    medium: visit.medium,
    campaign: visit.campaign,
    content: visit.content,
    term: visit.term,
    click_ids: visit.clickIds,
    user_agent: userAgent.slice(0, UA_MAX) || null,
    os: device.os,
    os_version: device.osVersion,
    browser: device.browser,
    browser_version: device.browserVersion,
    device_type: device.deviceType,
    device_vendor: device.deviceVendor,
    device_model: device.deviceModel,
    screen_width: hit.sw ?? null,
    screen_height: hit.sh ?? null,
    pixel_ratio: hit.dpr ?? null,
    viewport_width: hit.vw ?? null,
    viewport_height: hit.vh ?? null,
    language: hit.la || null,
    timezone: hit.tz || null,
    country: geo.country,
    region: geo.region,
    city: geo.city,
    is_bot: isBot(userAgent),
  };
}
