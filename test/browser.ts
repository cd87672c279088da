/**
 * Real headless Chromium (Debian's `chromium` package, which .ci/run installs) driven by
 * playwright-core, for the HTML report's browser test and the docs screenshot. Nothing is
 * downloaded: playwright-core brings no browser of its own.
 */
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

export const CHROMIUM = process.env["EXIFHUNT_CHROMIUM"] ?? "/usr/bin/chromium";

/** Browser tests skip cleanly where Chromium is not installed. */
export const chromiumSkip: string | false = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium)`;

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
