// glassbox live page: listens to /events and, when something this page
// shows has changed, fetches the page's <main> again and swaps it in. The
// HTML comes escaped from the server; this script never builds markup from
// box data itself.
(() => {
  "use strict";
  const body = document.body;
  const page = body.dataset.page;
  const topic = body.dataset.box;
  const live = document.getElementById("live");
  let busy = false;
  let again = false;
  let updates = 0;

  function openDetails(root) {
    return new Set([...root.querySelectorAll("details[open]")].map((d) => d.dataset.key).filter(Boolean));
  }

  async function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const r = await fetch(location.pathname + "?part=main", { cache: "no-store" });
      const html = await r.text();
      const tpl = document.createElement("template");
      tpl.innerHTML = html;
      const fresh = tpl.content.getElementById("main");
      const main = document.getElementById("main");
      if (fresh && main) {
        const open = openDetails(main);
        fresh.querySelectorAll("details").forEach((d) => {
          if (open.has(d.dataset.key)) d.open = true;
        });
        main.replaceWith(fresh);
        updates += 1;
        body.dataset.updates = String(updates);
      }
    } catch (e) {
      // The server is restarting: the event stream reconnects and refreshes.
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  function concernsThisPage(change) {
    if (page !== "box") return true;
    return change.all || change.boxes.includes(topic) || change.removed.includes(topic);
  }

  function setLive(on, text) {
    live.textContent = text;
    live.className = on ? "live on" : "live off";
  }

  const events = new EventSource("/events");
  events.addEventListener("hello", () => {
    setLive(true, "live");
    refresh(); // anything may have changed while we were away
  });
  events.addEventListener("change", (e) => {
    let change;
    try {
      change = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    if (concernsThisPage(change)) refresh();
  });
  events.onerror = () => setLive(false, "reconnecting…");
})();
