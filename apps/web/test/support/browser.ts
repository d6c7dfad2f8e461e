// A headless Chromium for the page's tests: Debian's `chromium` (installed by
// tools/install-services), driven by playwright-core; nothing is downloaded.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Where the tests save their screenshots (a CI artifact, gitignored). */
export const SCREENSHOT_DIR = join(import.meta.dirname, '../../../../artifacts/screenshots');

/** The browser binary; `ORC_CHROMIUM` overrides it. */
export const CHROMIUM = process.env['ORC_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium; fails (never skips) when it is missing.
 *
 * @example
 * const browser = await launchChromium();
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run tools/install-services (Debian package chromium)`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // --no-sandbox: CI and this machine run tests as root, where Chromium's sandbox refuses to start.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/**
 * Opens the first succeeded recovery on the recoveries page, unless it is open already (a hash
 * change keeps the page, and which recoveries it has open), and returns it.
 *
 * @example
 * await (await openRecovery(page)).locator('ol.steps li').first().waitFor();
 */
export async function openRecovery(p: Page): Promise<Locator> {
  const recovery = p.locator('details.recovery.succeeded').first();
  await recovery.waitFor();
  if ((await recovery.getAttribute('open')) === null) await recovery.locator('summary').click();
  await p.locator('details.recovery.succeeded[open]').first().waitFor();
  return recovery;
}
