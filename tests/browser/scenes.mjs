// The web page in a real browser: Debian's Chromium driven by Playwright
// (playwright-core, no browser download), with axe-core for accessibility.
// tests/it/browser.rs makes the scene (real boxes under a test root),
// starts `glassbox serve`, and runs this script with:
//
//   node scenes.mjs URL GLASSBOX ROOT ARTIFACTS SCENE_JSON
//
// SCENE_JSON names the boxes: {"full", "half", "fresh", "child", "step",
// "caused", "cause", "built", "line", "lesson"}: `step` is the CLI step to
// make while the full box's page is open; `caused` has two steps made by
// the API request `cause`; `built` is made from an image whose layer the
// Dockerfile `line` made; `lesson` is the lesson started (its id, its box,
// the step that solves it); `fresh` belongs to the compose project
// "classroom". Every
// check is collected; the script prints each failure and exits 1 if any.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const [base, gb, root, artifacts, sceneJson] = process.argv.slice(2);
const scene = JSON.parse(sceneJson);
const slowdown = Number(process.env.GLASSBOX_TEST_SLOWDOWN || 1);
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const failures = [];
const notes = [];
mkdirSync(artifacts, { recursive: true });

function check(ok, what) {
  if (!ok) failures.push(what);
  return ok;
}

async function api(path) {
  const r = await fetch(base + path);
  return r.json();
}

function cli(...args) {
  execFileSync(gb, ["--root", root, ...args], { stdio: ["ignore", "ignore", "inherit"] });
}

async function open(context, path) {
  const page = await context.newPage();
  // Chromium drops a load when the machine's network interfaces change
  // (other tests make and delete veths): that is no failure of the page.
  await page.goto(base + path).catch((e) => {
    if (!String(e).includes("ERR_NETWORK_CHANGED")) throw e;
    return page.goto(base + path);
  });
  await page.waitForFunction(() => document.getElementById("live")?.textContent === "live", null, {
    timeout: 15000 * slowdown,
  });
  return page;
}

// The walls drawn, and each process's depth, against the model.
async function checkDiagram(page, name, when) {
  const model = await api(`/api/boxes/${name}`);
  const walls = await page.$$eval("#ns-diagram g.wall", (gs) => gs.map((g) => g.dataset.kind));
  const isolated = model.namespaces.filter((n) => n.isolated).map((n) => n.kind);
  check(
    walls.length === isolated.length && isolated.every((k) => walls.includes(k)),
    `${when}: walls ${walls} are the box's own namespaces ${isolated}`,
  );
  if (walls.includes("user")) check(walls[0] === "user", `${when}: the user namespace is the outermost wall`);
  const chips = await page.$$eval("#ns-diagram g.chip", (gs) =>
    gs.map((g) => ({ pid: Number(g.dataset.pid), depth: Number(g.dataset.depth), outside: g.classList.contains("outside") })),
  );
  check(chips.length === model.processes.length, `${when}: one process drawn per process (${chips.length} vs ${model.processes.length})`);
  for (const p of model.processes) {
    const chip = chips.find((c) => c.pid === p.host_pid);
    let depth = 0;
    while (depth < walls.length && !p.differs_in.includes(walls[depth])) depth++;
    check(chip && chip.depth === depth, `${when}: pid ${p.host_pid} drawn inside ${chip?.depth} walls, the model says ${depth}`);
    check(chip && chip.outside === p.differs_in.length > 0, `${when}: pid ${p.host_pid} marked outside iff it is`);
  }
  return { model, walls, chips };
}

async function noSideScroll(page, what) {
  const wide = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const over = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > w + 1 && !e.closest(".scroll, ul.tree-list, pre"))
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`);
    return { scroll: document.documentElement.scrollWidth, width: w, over };
  });
  check(wide.scroll <= wide.width, `${what}: page is ${wide.scroll} px wide at ${wide.width} px (${wide.over.join(", ")})`);
}

async function axeCheck(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 2).map((n) => n.target.join(" ")) }));
  });
  const serious = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(serious.length === 0, `${what}: axe-core found ${JSON.stringify(serious)}`);
  if (result.length) notes.push(`${what}: minor axe findings ${result.map((v) => v.id).join(", ")}`);
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  // bypassCSP: axe-core is injected as an inline script, which the page's CSP refuses.
  const desktop = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });

  // --- the full box: diagram, a live CLI step with focus kept, before/after ---
  const page = await desktop.newPage();
  const parts = [];
  page.on("request", (r) => r.url().includes("part=main") && parts.push(r.url()));
  await page.goto(`${base}/box/${scene.full}`);
  await page.waitForFunction(() => document.getElementById("live")?.textContent === "live");
  await page.waitForTimeout(1500);
  check(parts.length === 0, `a page just loaded fetches nothing more while nothing changes: ${parts.length} fetches`);
  await checkDiagram(page, scene.full, "full box");
  const log = await page.textContent("#log-tail");
  check(log?.includes("hello from the box"), `the output log's end is shown: ${log}`);
  const mounts = await page.$$eval("#mount-table tbody tr", (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
  check(mounts.some((m) => m[0] === "/" && m[1] === "overlay"), `the box's / is its overlay: ${JSON.stringify(mounts.slice(0, 3))}`);
  check(mounts.some((m) => m[0] === "/proc" && m[1] === "proc"), "the box has its own /proc");
  const uids = await page.$$eval("#processes tbody tr", (rows) => rows.map((r) => [r.children[3].textContent, r.children[4].textContent]));
  check(uids.every(([inside, host]) => Number(host) === Number(inside) + 100000), `uid inside ↔ on the host: ${uids}`);
  await page.screenshot({ path: `${artifacts}/box-1366x768.png` });
  await page.evaluate(() => (window.__notReloaded = true));
  const first = '#steps li[data-step="1"] summary';
  await page.focus(first);
  const before = await page.$$eval("#steps > li", (l) => l.length);
  // The reader looks at the processes, below the steps: a new step must not push them.
  await page.evaluate(() => window.scrollTo(0, document.getElementById("processes-section").offsetTop - 120));
  const topBefore = await page.$eval("#processes-section", (s) => s.getBoundingClientRect().top);
  cli(...scene.step);
  const stepDone = Date.now();
  await page.waitForFunction((n) => document.querySelectorAll("#steps > li").length > n, before, {
    timeout: 5000 * slowdown,
  });
  const lag = Date.now() - stepDone;
  notes.push(`a CLI step reached the page's DOM in ${lag} ms`);
  check(lag <= 1000 * slowdown, `the step appeared after ${lag} ms (at most 1000)`);
  check(await page.evaluate(() => window.__notReloaded === true), "the page was not reloaded");
  const topAfter = await page.$eval("#processes-section", (s) => s.getBoundingClientRect().top);
  check(Math.abs(topAfter - topBefore) < 2, `the processes stayed where the reader saw them: ${topBefore} → ${topAfter}`);
  const focused = await page.evaluate(() => document.activeElement?.closest("details")?.dataset.key);
  check(focused === "step-1", `focus stayed on step 1's summary, not ${focused}`);
  check(await page.$eval("#steps > li:last-child", (li) => li.classList.contains("fresh")), "the newest step is highlighted");
  const after = await checkDiagram(page, scene.full, "after the step");
  check(after.chips.every((c) => c.outside), "every process started before the uts step is outside its wall");
  await page.click("#steps > li:last-child summary");
  const changes = await page.$$eval("#steps > li:last-child table.changes tbody tr", (rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent.trim())),
  );
  const uts = after.model.namespaces.find((n) => n.kind === "uts");
  const utsRow = changes.find((r) => r[0] === "uts namespace");
  check(
    utsRow && utsRow[1].includes(String(uts.host_inode)) && utsRow[2].includes(String(uts.inode)),
    `the step's before/after shows uts ${uts.host_inode} → ${uts.inode}: ${JSON.stringify(changes)}`,
  );
  check(changes.some((r) => r[0] === "hostname" && r[2] === "live-step"), "the step's before/after shows the new hostname");
  await axeCheck(page, "full box, light");

  // Usage arrives as numbers each second: the meters and the charts follow.
  await page.waitForFunction(() => (document.querySelector('[data-chart="memory"] polyline')?.getAttribute("points") || "").split(" ").length >= 2,
    null, { timeout: 5000 * slowdown });
  const memory = await page.$eval("#meter-memory", (m) => [m.value, m.max]);
  check(memory[0] > 0 && memory[1] === 64 * 1024 * 1024, `the memory meter has a value and the limit as its max: ${memory}`);

  // Projector mode: large type, the diagram alone across the first screen.
  await page.click("#projector");
  const projector = await page.evaluate(() => [document.body.classList.contains("projector"), getComputedStyle(document.body).fontSize]);
  check(projector[0] && projector[1] === "20px", `projector mode: ${projector}`);
  await page.click("#projector");

  // A process started after the step is inside the new wall.
  cli("exec", "-d", scene.full, "--", "sleep", "1004");
  await page.waitForFunction((n) => document.querySelectorAll("#ns-diagram g.chip").length > n, after.chips.length, {
    timeout: 5000 * slowdown,
  });
  const later = await checkDiagram(page, scene.full, "after exec");
  check(later.chips.some((c) => c.depth === later.walls.length), "a process started after the step is inside every wall");

  // --- dark mode --------------------------------------------------------------
  await page.emulateMedia({ colorScheme: "dark" });
  await axeCheck(page, "full box, dark");
  await page.emulateMedia({ colorScheme: "light" });

  // --- the committed image with a whiteout ------------------------------------
  const child = await open(desktop, `/box/${scene.child}`);
  const whiteout = await child.$$eval(
    'details[data-made-by="commit"] li[data-mark="deleted"]',
    (l) => l.map((e) => e.dataset.path),
  );
  check(whiteout.includes("/etc/hosts"), `the committed layer shows /etc/hosts deleted: ${whiteout}`);
  // A file a box named like markup is text in the layer tree, not an element.
  const marked = await child.$$eval('li[data-path="/etc/<img src=x onerror=alert(1)>"]', (l) => l.length);
  check(marked === 1, "the markup-named file is listed");
  check(await child.$$eval("#main img", (l) => l.length) === 0, "and no <img> came of it");
  const bands = await child.$$eval("#layers li.band", (l) => l.map((e) => e.textContent));
  check(bands.some((b) => b.includes("committed layer")), `the committed layer is labelled as one: ${bands}`);
  check(!bands.some((b) => b.includes("committed layer") && b.startsWith("base")), "and not as base");
  const hidden = await child.$$eval('details[data-made-by="image"] li.hidden-above', (l) => l.map((e) => e.dataset.path));
  check(hidden.includes("/etc/hosts"), `the image's /etc/hosts is shown hidden by the layer above: ${hidden.slice(0, 5)}`);
  await child.evaluate(() => document.querySelectorAll("#layer-files details").forEach((d) => (d.open = true)));
  // The sticky header would sit in the middle of a picture of one section.
  await child.addStyleTag({ content: "header { position: static }" });
  await child.locator("#rootfs").screenshot({ path: `${artifacts}/layers-1366.png` });
  await axeCheck(child, "committed-image box");
  await child.close();

  for (const [name, what] of [[scene.half, "half-built box"], [scene.fresh, "fresh box"]]) {
    const p = await open(desktop, `/box/${name}`);
    await checkDiagram(p, name, what);
    await axeCheck(p, what);
    await p.close(); // each open page holds a connection (its event stream): Chromium allows six
  }
  // --- a pod: one net wall around both of its boxes --------------------------------
  {
    const [a, b] = scene.pod;
    const p = await open(desktop, `/box/${b}`);
    await checkDiagram(p, b, "a pod's box");
    const pod = await p.$eval("#ns-diagram", (svg) => {
      const nets = [...svg.querySelectorAll("g.wall.net")];
      const net = nets[0]?.querySelector("rect").getBBox();
      const blocks = [...svg.querySelectorAll("g.pod-box")].map((g) => {
        const r = g.querySelector("rect").getBBox();
        const inside = !!net && r.x > net.x && r.y > net.y && r.x + r.width < net.x + net.width && r.y + r.height < net.y + net.height;
        return { name: g.dataset.box, inside, text: g.textContent };
      });
      return { nets: nets.length, blocks };
    });
    check(pod.nets === 1, `a pod's box page draws one net wall: ${pod.nets}`);
    for (const n of [a, b]) {
      const k = pod.blocks.find((x) => x.name === n);
      check(k && k.inside && k.text.includes(n), `the pod's net wall holds box ${n}: ${JSON.stringify(pod.blocks)}`);
    }
    check(await p.$$eval(`#ns-diagram a[href="/box/${a}"]`, (l) => l.length) === 1, "the other box's name links to its page");
    await axeCheck(p, "a pod's box");
    await p.close();
  }
  for (const path of ["/", "/host"]) {
    const p = await open(desktop, path);
    await axeCheck(p, path);
    if (path === "/") {
      const grouped = await p.$$eval('table.boxes[data-project="classroom"] tr[data-box]', (r) => r.map((e) => e.dataset.box));
      check(grouped.length === 1 && grouped[0] === scene.fresh, `the project's box stands under its heading: ${grouped}`);
      check((await p.textContent("#project-classroom"))?.includes("classroom"), "the project's heading names it");
    }
    if (path === "/") await p.screenshot({ path: `${artifacts}/overview-1366x768.png` });
    await p.close();
  }

  // --- steps made by an API request: the request above its steps ----------------
  const caused = await open(desktop, `/box/${scene.caused}`);
  const model = await api(`/api/boxes/${scene.caused}`);
  const madeBy = model.steps.filter((s) => s.cause).map((s) => String(s.n));
  const rows = await caused.$$eval("#steps > li.caused", (l) => l.map((li) => li.dataset.step));
  check(madeBy.length === 2 && JSON.stringify(rows) === JSON.stringify(madeBy), `the request's steps ${madeBy} are marked: ${rows}`);
  const requests = await caused.$$eval("#steps p.request", (ps) => ps.map((p) => p.textContent.replace(/\s+/g, " ")));
  const { method, path, body } = scene.cause;
  check(
    requests.length === 1 && requests[0].includes(`${method} ${path}`) && requests[0].includes(body.slice(0, 19)) &&
      requests[0].includes(`steps ${madeBy[0]}–${madeBy[1]}`),
    `one request line (method, path, body digest, its steps) above its steps: ${JSON.stringify(requests)}`,
  );
  await axeCheck(caused, "a box with an API request's steps");
  await caused.close();

  // --- a layer made by a Dockerfile line ----------------------------------------
  const built = await open(desktop, `/box/${scene.built}`);
  const lines = await built.$$eval("#layers li.band code.line", (l) => l.map((e) => e.textContent));
  check(lines.includes(scene.line), `the layer stack shows the Dockerfile line that made the layer: ${lines}`);
  await built.close();

  // --- the current lesson, its checks, and its box linking to it -----------------
  const lessonBox = await open(desktop, `/box/${scene.lesson.box}`);
  const link = await lessonBox.$eval("#box-lesson a", (a) => [a.getAttribute("href"), a.textContent]).catch(() => null);
  check(link && link[0] === "/lesson" && link[1].includes(scene.lesson.id), `the lesson's box links to the lesson: ${link}`);
  await lessonBox.close();
  const lesson = await open(desktop, "/lesson");
  const lessonChecks = async () => lesson.$$eval("#lesson-checks li.check", (l) => l.map((e) => e.dataset.passed));
  check(await lesson.textContent("#lesson-id") === scene.lesson.id, "the lesson page names the current lesson");
  const pending = await lessonChecks();
  check(pending.length > 0 && pending.every((p) => p === "false"), `before the solution no check has passed: ${pending}`);
  const chapter = await lesson.getAttribute("#lesson-chapter", "href");
  check(chapter?.endsWith(`/stages/${scene.lesson.id}.html`), `the lesson links to its book chapter: ${chapter}`);
  // Each `lesson check` shows on the open page by itself: FAILED first, then passed.
  try {
    cli("lesson", "check"); // exits 1: a check fails
  } catch (e) {
    // expected
  }
  const failedLive = await lesson
    .waitForSelector('#lesson-checks li.check[data-verdict="failed"]', { timeout: 10000 * slowdown })
    .then(() => true, () => false);
  check(failedLive, "a failed lesson check shows FAILED on the open page without a reload");
  await axeCheck(lesson, "/lesson");
  cli(...scene.lesson.solve);
  cli("lesson", "check");
  const passedLive = await lesson
    .waitForFunction(() => [...document.querySelectorAll("#lesson-checks li.check")].every((e) => e.dataset.verdict === "passed"),
      null, { timeout: 10000 * slowdown })
    .then(() => true, () => false);
  check(passedLive, "a passing lesson check shows passed on the open page without a reload");
  const passed = await lessonChecks();
  check(passed.length === pending.length && passed.every((p) => p === "true"), `after lesson check every check passed: ${passed}`);
  await lesson.close();

  // --- a phone ------------------------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  for (const path of ["/", "/host", "/lesson", ...[scene.full, scene.half, scene.fresh, scene.child, ...scene.pod].map((n) => `/box/${n}`)]) {
    const p = await open(phone, path);
    await noSideScroll(p, `${path} at 390 px`);
    if (path === `/box/${scene.full}`) await p.screenshot({ path: `${artifacts}/box-390x844.png` });
    await p.close();
  }
} finally {
  await browser.close();
}

for (const n of notes) console.log(`note: ${n}`);
for (const f of failures) console.log(`FAILED: ${f}`);
console.log(failures.length ? `${failures.length} checks failed` : "all browser checks passed");
process.exit(failures.length ? 1 : 0);
