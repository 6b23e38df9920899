export { parseDevice, type ClientHints, type Device, type DeviceType } from './user-agent.ts';
export { lookupGeo, preloadGeo, type Geo } from './geo.ts';
export { isBot } from './bot.ts';
