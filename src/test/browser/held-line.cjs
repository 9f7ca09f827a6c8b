// Reads the partition page's key-order line in Debian's Chromium (headless, through playwright-core) for
// PartitionsPageIT. Usage: node held-line.cjs <page URL> <screenshot file>
// Prints one JSON line: the line's text once the page shows it, and the screenshot.
'use strict';

const { chromium } = require(process.env.PLAYWRIGHT_CORE);

const [url, screenshot] = process.argv.slice(2);
const TIMEOUT_MS = 30000;

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 560 } });
    await page.goto(url);
    await page.waitForSelector('#held:not([hidden])', { timeout: TIMEOUT_MS });
    const text = await page.$eval('#held', line => line.innerText);
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(JSON.stringify({ text, screenshot }));
  } finally {
    await browser.close();
  }
}

main().then(() => process.exit(0), failure => {
  console.error(failure);
  process.exit(1);
});
