// bench/web.sh's last measure: from a CLI step's return to the open box
// page's DOM showing it, in Debian's Chromium, N times; prints the median.
//
//   node lag.mjs URL GLASSBOX ROOT BOX N
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";

const [base, gb, root, box, n] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage();
  await page.goto(`${base}/box/${box}`);
  await page.waitForFunction(() => document.getElementById("live")?.textContent === "live");
  const lags = [];
  for (let i = 0; i < Number(n); i++) {
    const steps = await page.$$eval("#steps > li", (l) => l.length);
    execFileSync(gb, ["--root", root, "limit", box, "--pids", String(200 + i)]);
    const done = performance.now();
    await page.waitForFunction((k) => document.querySelectorAll("#steps > li").length > k, steps, { polling: "raf" });
    lags.push(performance.now() - done);
  }
  lags.sort((a, b) => a - b);
  const median = lags[Math.floor(lags.length / 2)];
  console.log(`  CLI step -> patched DOM in Chromium: median ${median.toFixed(0)} ms, max ${lags[lags.length - 1].toFixed(0)} ms ` +
    `(target <= 300 ms median: ${median <= 300 ? "met" : "NOT met"})`);
} finally {
  await browser.close();
}
