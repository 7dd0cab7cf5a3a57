// glassbox live page. Listens to /events: when a box this page shows moved
// to a new version, it fetches the page's <main> again and swaps in only
// the sections whose HTML changed, keeping keyboard focus, open details
// and the scroll position. Usage values come as numbers and update the
// meters and charts in place, without a fetch. The HTML comes escaped from
// the server; this script never builds markup from box data itself (it
// sets text and numbers only).
(() => {
  "use strict";
  const body = document.body;
  const page = body.dataset.page;
  const topic = body.dataset.box;
  const live = document.getElementById("live");
  const SVG = "http://www.w3.org/2000/svg";
  const WINDOW_MS = 5 * 60 * 1000;
  let busy = false;
  let again = false;
  let updates = 0;
  // The server's HTML of each section as last received (the DOM drifts
  // from it: charts drawn, details opened).
  const known = new Map();
  let samples = [];

  function sections(root) {
    return [...root.querySelectorAll("section[id]")];
  }

  function remember(root) {
    sections(root).forEach((s) => known.set(s.id, s.outerHTML));
  }

  // --- projector mode -------------------------------------------------------
  const projector = document.getElementById("projector");
  function setProjector(on) {
    body.classList.toggle("projector", on);
    if (projector) projector.setAttribute("aria-pressed", on ? "true" : "false");
    try {
      localStorage.setItem("glassbox-projector", on ? "1" : "");
    } catch (e) {
      // storage refused (private mode): the toggle still works for this page
    }
  }
  if (projector) {
    projector.addEventListener("click", () => setProjector(!body.classList.contains("projector")));
    try {
      setProjector(localStorage.getItem("glassbox-projector") === "1");
    } catch (e) {
      // as above
    }
  }

  // --- keeping focus and scroll across a patch ------------------------------
  function focusKey(section) {
    const a = document.activeElement;
    if (!a || a === body || !section.contains(a)) return null;
    if (a.id) return { id: a.id };
    const details = a.closest("details[data-key]");
    if (details && a.tagName === "SUMMARY") return { summary: details.dataset.key };
    const all = [...section.querySelectorAll("a, button, summary, [tabindex]")];
    return { index: all.indexOf(a) };
  }

  function refocus(section, key) {
    if (!key) return;
    let el = null;
    if (key.id) el = document.getElementById(key.id);
    else if (key.summary) el = section.querySelector(`details[data-key="${CSS.escape(key.summary)}"] > summary`);
    else if (key.index >= 0) el = section.querySelectorAll("a, button, summary, [tabindex]")[key.index];
    if (el) el.focus({ preventScroll: true });
  }

  // The section the reader is looking at: the first that starts on screen
  // (what grows above it must not push it), else the one the screen is in.
  // Chromium and Firefox anchor the scroll position themselves; Safari does not.
  function scrollAnchor() {
    const all = sections(document);
    const s =
      all.find((x) => x.getBoundingClientRect().top >= 0 && x.getBoundingClientRect().top < window.innerHeight) ||
      all.find((x) => x.getBoundingClientRect().bottom > 0);
    return s ? { id: s.id, top: s.getBoundingClientRect().top } : null;
  }

  function restoreScroll(anchor) {
    if (!anchor) return;
    const s = document.getElementById(anchor.id);
    if (s) window.scrollBy(0, s.getBoundingClientRect().top - anchor.top);
  }

  function stepCount() {
    return document.querySelectorAll("#steps > li").length;
  }

  function patch(fresh) {
    const main = document.getElementById("main");
    const anchor = scrollAnchor();
    const steps = stepCount();
    const changed = [];
    const freshSections = sections(fresh);
    const sameShape =
      freshSections.length === sections(main).length && freshSections.every((s) => document.getElementById(s.id));
    if (!sameShape) {
      // A box made or removed: the page's parts differ, so all of it goes.
      const key = focusKey(main);
      main.replaceWith(fresh);
      remember(fresh);
      refocus(fresh, key);
      changed.push("main");
    } else {
      freshSections.forEach((s) => {
        const html = s.outerHTML;
        if (known.get(s.id) === html) return;
        const old = document.getElementById(s.id);
        const open = new Set([...old.querySelectorAll("details[open]")].map((d) => d.dataset.key).filter(Boolean));
        s.querySelectorAll("details").forEach((d) => {
          if (open.has(d.dataset.key)) d.open = true;
        });
        const key = focusKey(old);
        old.replaceWith(s);
        known.set(s.id, html);
        refocus(s, key);
        changed.push(s.id);
      });
      main.dataset.version = fresh.dataset.version || "";
    }
    restoreScroll(anchor);
    if (stepCount() > steps) markNewest();
    if (changed.length) {
      updates += 1;
      body.dataset.updates = String(updates);
      body.dataset.patched = changed.join(" ");
    }
    loadSamples();
  }

  function markNewest() {
    const li = document.querySelector("#steps > li:last-child");
    if (!li) return;
    li.classList.add("fresh");
    setTimeout(() => li.classList.remove("fresh"), 6000);
  }

  async function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const r = await fetch(location.pathname + "?part=main", { cache: "no-store" });
      const tpl = document.createElement("template");
      tpl.innerHTML = await r.text();
      const fresh = tpl.content.getElementById("main");
      if (fresh) patch(fresh);
    } catch (e) {
      // The server is restarting: the event stream reconnects and says so.
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  // --- versions: fetch only when this page's boxes moved ----------------------
  function pageVersions() {
    const main = document.getElementById("main");
    const text = (main && main.dataset.version) || "";
    if (page === "box") return { [topic]: text };
    const v = {};
    text.split(" ").filter(Boolean).forEach((pair) => {
      const i = pair.lastIndexOf("=");
      v[pair.slice(0, i)] = pair.slice(i + 1);
    });
    return v;
  }

  function stale(versions) {
    const mine = pageVersions();
    if (page === "box") return String(versions[topic] || 0) !== String(mine[topic] || "0");
    if (page === "overview") {
      const a = Object.keys(versions).filter((k) => versions[k] > 0);
      const b = Object.keys(mine);
      return a.length !== b.length || a.some((k) => String(versions[k]) !== mine[k]);
    }
    return false;
  }

  function concerns(change) {
    if (change.all) return true;
    if (change.lesson && page === "lesson") return true;
    if (page !== "box") return change.boxes.length > 0 || change.removed.length > 0;
    if (change.logs.includes(topic) || change.removed.includes(topic)) return true;
    if (!change.boxes.includes(topic)) return false;
    return String(change.versions[topic]) !== pageVersions()[topic];
  }

  // --- usage: meters, counters and charts from numbers ----------------------
  // Numbers are formatted as the server formats them for the page's language
  // (src/web/lang.rs: English and Korean both group by thousands with a
  // comma), the unit words come from the page (head.html).
  function group(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function cpus(v) {
    return (body.dataset.wordCpus || "# CPUs").replace("#", v.toFixed(2));
  }

  function human(bytes) {
    const units = [["GiB", 1 << 30], ["MiB", 1 << 20], ["KiB", 1 << 10]];
    for (const [u, n] of units) if (bytes >= n) return (bytes / n).toFixed(1) + " " + u;
    return bytes + " B";
  }

  const METRICS = {
    memory: { value: (s) => s.memory, limit: (s) => s.memory_limit, text: (v) => human(v) },
    cpu: { value: (s) => s.cpu, limit: (s) => s.cpu_limit, text: cpus },
    pids: { value: (s) => s.pids, limit: (s) => s.pids_limit, text: (v) => group(Math.round(v)) },
  };

  function setMeter(key, s) {
    const row = document.querySelector(`[data-meter="${key}"]`);
    if (!row) return;
    const m = METRICS[key];
    const v = m.value(s);
    const lim = m.limit(s);
    if (v == null) return;
    row.querySelector(".used").textContent = m.text(v);
    const meter = row.querySelector("meter");
    if (meter && lim) {
      meter.max = lim;
      meter.high = lim * 0.9;
      meter.value = v;
      meter.textContent = m.text(v) + (document.body.dataset.wordOf || " of ") + m.text(lim);
    }
    row.classList.toggle("hot", !!lim && v / lim >= 0.9);
  }

  function setCounter(key, value) {
    const cell = document.querySelector(`[data-counter="${key}"] td`);
    if (cell && value != null) cell.textContent = group(value);
  }

  function loadSamples() {
    const charts = document.getElementById("charts");
    if (!charts) return;
    try {
      samples = JSON.parse(charts.dataset.samples || "[]");
    } catch (e) {
      samples = [];
    }
    drawCharts();
  }

  function drawCharts() {
    const now = samples.length ? samples[samples.length - 1].at : Date.now();
    document.querySelectorAll(".chart[data-chart]").forEach((fig) => {
      const m = METRICS[fig.dataset.chart];
      const pts = samples.filter((s) => m.value(s) != null && now - s.at <= WINDOW_MS);
      const limit = pts.length ? m.limit(pts[pts.length - 1]) : null;
      const top = Math.max(limit || 0, ...pts.map(m.value), 1e-9) * (limit ? 1 : 1.2);
      const x = (s) => (300 - ((now - s.at) / WINDOW_MS) * 300).toFixed(1);
      const y = (v) => (58 - (v / top) * 54).toFixed(1);
      fig.querySelector("polyline").setAttribute("points", pts.map((s) => `${x(s)},${y(m.value(s))}`).join(" "));
      fig.querySelector(".limit-line").classList.toggle("off", !limit);
      const marks = fig.querySelector(".marks");
      while (marks.firstChild) marks.firstChild.remove();
      for (let i = 1; i < pts.length; i++) {
        const [a, b] = [pts[i - 1], pts[i]];
        const oom = fig.dataset.chart === "memory" && (b.oom_kills || 0) > (a.oom_kills || 0);
        const thr = fig.dataset.chart === "cpu" && (b.throttled_periods || 0) > (a.throttled_periods || 0);
        if (!oom && !thr) continue;
        const mark = document.createElementNS(SVG, oom ? "path" : "circle");
        if (oom) mark.setAttribute("d", `M${x(b)} 2 l4 7 h-8 z`);
        else {
          mark.setAttribute("cx", x(b));
          mark.setAttribute("cy", "6");
          mark.setAttribute("r", "2.5");
        }
        mark.setAttribute("class", oom ? "oom" : "throttle");
        const title = document.createElementNS(SVG, "title");
        const words = document.body.dataset;
        title.textContent = oom ? words.wordOom || "OOM kill" : words.wordThrottled || "throttled";
        mark.appendChild(title);
        marks.appendChild(mark);
      }
    });
  }

  function onUsage(s) {
    Object.keys(METRICS).forEach((k) => setMeter(k, s));
    setCounter("oom_kills", s.oom_kills);
    setCounter("memory_limit_hits", s.memory_limit_hits);
    setCounter("throttled_periods", s.throttled_periods);
    samples.push(s);
    while (samples.length && s.at - samples[0].at > WINDOW_MS) samples.shift();
    drawCharts();
  }

  // --- the stream -------------------------------------------------------------
  function setLive(on, text) {
    live.textContent = text;
    live.className = on ? "live on" : "live off";
  }

  remember(document);
  loadSamples();
  const url = page === "box" ? "/events?box=" + encodeURIComponent(topic) : "/events";
  const events = new EventSource(url);
  events.addEventListener("hello", (e) => {
    // The words come from the page, in its language (head.html).
    setLive(true, live.dataset.on || "live");
    let hello = {};
    try {
      hello = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    // Fetch again only if something moved while the page was away.
    if (stale(hello.versions || {})) refresh();
  });
  events.addEventListener("change", (e) => {
    let change;
    try {
      change = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    if (concerns(change)) refresh();
  });
  events.addEventListener("usage", (e) => {
    try {
      onUsage(JSON.parse(e.data));
    } catch (err) {
      // a malformed sample is skipped
    }
  });
  events.onerror = () => setLive(false, live.dataset.off || "reconnecting…");
})();
