// The page for a Korean reader: Chromium with Accept-Language: ko. It checks
// the page's lang and a few labels, a namespace's tooltip, the gauges and
// counters, a number and a date formatted for Korean, that the switch leads to English and is
// remembered over the header, and that the Korean page passes axe-core.
//
//   node korean.mjs URL BOX
//
// Every check is collected; the script prints each failure and exits 1 if any.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const [base, box] = process.argv.slice(2);
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const failures = [];
const check = (ok, what) => ok || failures.push(what);

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const context = await browser.newContext({
    locale: "ko-KR",
    extraHTTPHeaders: { "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5" },
    bypassCSP: true,
  });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  check((await page.getAttribute("html", "lang")) === "ko", `the overview's lang is ko`);
  check((await page.textContent("h1"))?.trim() === "박스", `the overview's heading is 박스`);
  const nav = await page.$$eval("header nav a", (as) => as.map((a) => a.textContent.trim()));
  check(nav.includes("호스트 네임스페이스"), `the nav says 호스트 네임스페이스: ${nav}`);
  const cols = await page.$$eval("table.boxes thead th", (ths) => ths.map((t) => t.textContent.trim()));
  check(cols.includes("자기 네임스페이스") && cols.includes("레이어"), `the table's columns are Korean: ${cols}`);

  await page.goto(`${base}/box/${box}`);
  check((await page.getAttribute("html", "lang")) === "ko", `the box page's lang is ko`);
  await page.waitForFunction(() => document.getElementById("live")?.textContent === "실시간", null, { timeout: 15000 });
  const h2 = await page.$$eval("h2", (hs) => hs.map((h) => h.textContent.trim()));
  check(h2.includes("네임스페이스") && h2.includes("단계"), `the box page's headings are Korean: ${h2}`);
  // Inside the page too: a namespace's tooltip, the gauges, the tables, the
  // diagram, and numbers and dates as a Korean reader writes them.
  const badge = await page.getAttribute("#summary .badge:has-text('uts')", "title");
  check(badge === "uts: 격리됨 (호스트 이름과 NIS 도메인 이름)", `the uts tooltip is Korean: ${badge}`);
  const pids = (await page.textContent("[data-meter=pids] label"))?.trim() ?? "";
  check(pids.startsWith("프로세스 (pids)"), `the pids gauge's label is Korean: ${pids}`);
  const limit = (await page.textContent("[data-meter=pids] .limit"))?.trim();
  check(limit === "2,000", `the pids limit is grouped as a Korean reader writes it: ${limit}`);
  const cpuTime = (await page.textContent("[data-counter=cpu_time] th"))?.trim();
  check(cpuTime === "CPU 시간", `the counters are Korean: ${cpuTime}`);
  const when = await page.getAttribute("#steps > li:first-child summary span[title]", "title");
  check(/^\d{4}년 \d{1,2}월 \d{1,2}일 \d\d:\d\d:\d\d UTC$/.test(when ?? ""), `a step's date is Korean: ${when}`);
  const isolated = (await page.textContent("#namespaces tr[data-kind=uts] .isolated-cell"))?.trim();
  check(isolated === "예", `the namespace table says 예: ${isolated}`);
  const wall = await page.textContent("#ns-diagram g.wall[data-kind=uts] text");
  check(/^uts 네임스페이스 \d+$/.test(wall ?? ""), `the diagram's wall is labelled in Korean: ${wall}`);
  const text = await page.evaluate(() => document.body.innerText);
  for (const english of ["namespaces of its own", "Holds live under", "no limit", "made by", "processes (pids)"]) {
    check(!text.includes(english), `no English on the Korean box page: ${english}`);
  }
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ["violations"] })).violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => v.id),
  );
  check(violations.length === 0, `axe-core on the Korean page: ${violations}`);

  await page.goto(`${base}/host`);
  const uts = (await page.textContent("#kind-uts h2 .muted"))?.trim();
  check(uts === "— 격리하는 것: 호스트 이름과 NIS 도메인 이름", `the host page says what uts isolates: ${uts}`);
  await page.goto(`${base}/box/${box}`);

  // The switch: English now, and still English on the next visit although
  // the browser keeps asking for Korean.
  await page.click("#lang-switch");
  await page.waitForFunction(() => document.documentElement.lang === "en");
  await page.goto(`${base}/`);
  check((await page.getAttribute("html", "lang")) === "en", `the switch is remembered`);
  check((await page.textContent("h1"))?.trim() === "Boxes", `the remembered page is English`);
  check((await page.getAttribute("#lang-switch", "lang")) === "ko", `the switch now offers Korean`);
} finally {
  await browser.close();
}
for (const f of failures) console.log(`FAILED: ${f}`);
console.log(`${failures.length === 0 ? "ok" : "failed"}: the Korean page`);
process.exit(failures.length === 0 ? 0 : 1);
