import { loadConfig, type Config } from '../../src/config.ts';

/** The defaults a server would run with, plus what a test needs to set. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), publicUrl: 'https://chatmark.example.com', publicUrlSet: true, hitRateLimit: 0, ...overrides };
}
