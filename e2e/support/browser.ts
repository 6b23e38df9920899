import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's Chromium, or CHROMIUM_PATH; Playwright's own browser download does not work here. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p)) ?? null;
}

const path = chromiumPath();
if (!path) {
  if (process.env.REQUIRE_BROWSER === '1') {
    throw new Error('REQUIRE_BROWSER=1 but no Chromium was found: install it (apt-get install -y chromium) or set CHROMIUM_PATH');
  }
  console.warn('\n*** e2e: no Chromium found (set CHROMIUM_PATH or apt-get install -y chromium): browser tests are SKIPPED ***\n');
}

/** describe() when a browser is there, describe.skip() with the notice above when it is not. */
export const describeBrowser = path ? describe : describe.skip;

export async function launchChromium(): Promise<Browser> {
  if (!path) throw new Error('no Chromium');
  return chromium.launch({
    executablePath: path,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}
