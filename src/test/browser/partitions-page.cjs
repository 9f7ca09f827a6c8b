// Drives the partition page in Debian's Chromium (headless, through playwright-core) for PartitionsPageIT.
// Usage: node partitions-page.cjs <page URL> <topic> <partitions now> <screenshot directory>
// Prints "READY" once the page lists the partitions, then waits for a line "grown" on stdin (the test has added a
// partition), and prints one JSON line: how long the new partition took to show, its state, and the screenshots.
'use strict';

const { chromium } = require(process.env.PLAYWRIGHT_CORE);
const readline = require('readline');

const [url, topic, partitionsNow, screenshots] = process.argv.slice(2);
const TIMEOUT_MS = 30000;

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 560 }, colorScheme: 'dark' });
    await page.goto(url);
    const count = Number(partitionsNow);
    await page.waitForFunction(n => document.querySelectorAll('#partitions tbody tr[data-state="owned"]').length === n,
      count, { timeout: TIMEOUT_MS });
    const before = await page.$$eval('#partitions tbody tr', rows => rows.map(r => r.dataset.partition));
    console.log('READY');
    const input = readline.createInterface({ input: process.stdin });
    await new Promise(resolve => input.once('line', resolve));
    input.close();
    const grownAt = Date.now();
    const added = `${topic}-${count}`;
    await page.waitForSelector(`#partitions tbody tr[data-partition="${added}"]`, { timeout: TIMEOUT_MS });
    const shownAfterMs = Date.now() - grownAt;
    await page.waitForSelector(`#partitions tbody tr[data-partition="${added}"][data-state="unowned"]`, { timeout: TIMEOUT_MS });
    const row = await page.$eval(`#partitions tbody tr[data-partition="${added}"]`,
      r => ({ state: r.dataset.state, text: r.innerText }));
    const header = await page.$eval('header', h => h.innerText);
    await page.screenshot({ path: `${screenshots}/partitions-page.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: `${screenshots}/partitions-page-phone.png`, fullPage: true });
    console.log(JSON.stringify({ before, added, shownAfterMs, row, header }));
  } finally {
    await browser.close();
  }
}

main().then(() => process.exit(0), failure => {
  console.error(failure);
  process.exit(1);
});
