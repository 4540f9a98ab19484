// The leaderboard page: plain JavaScript over the JSON API (GET /api/board, /api/history), no
// library. Every name, note and configuration is put in with textContent or an SVG text node,
// never as HTML, so '<script>alert(1)</script>' shows as those characters. The board is fetched
// again every `refresh` seconds (?refresh=N in the address, default 5).
"use strict";
(function () {
  const params = new URLSearchParams(location.search);
  const refresh = Math.max(0.2, Number(params.get("refresh")) || 5);
  let lines = [], seen = "", sortKey = "rank", ascending = true, known = new Set(), shown = null, closed = false;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function pct(x) { return x === undefined || x === null ? "" : (100 * x).toFixed(2) + "%"; }
  function configText(c) {
    return Object.keys(c || {}).map(k => k + "=" + (typeof c[k] === "object" ? JSON.stringify(c[k]) : c[k])).join(", ");
  }
  function when(iso) { return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : ""; }

  function compare(a, b) {
    let x = sortKey === "config" ? configText(a.config) : a[sortKey], y = sortKey === "config" ? configText(b.config) : b[sortKey];
    if (x === undefined) x = -1;
    if (y === undefined) y = -1;
    let r = typeof x === "string" ? x.localeCompare(y) : x - y;
    if (r === 0) r = a.rank - b.rank;
    return ascending ? r : -r;
  }

  function render() {
    const body = document.querySelector("#board tbody");
    const rows = lines.slice().sort(compare);
    body.replaceChildren();
    for (const l of rows) {
      const tr = el("tr");
      tr.dataset.name = l.name;
      if (!known.has(l.name + "#" + l.submissions) && known.size > 0) tr.className = "new";
      tr.append(el("td", String(l.rank), "num rank"));
      const name = el("td", undefined, "name");
      const b = el("button", l.name);
      b.type = "button";
      b.addEventListener("click", () => showHistory(l.name));
      name.append(b);
      tr.append(name, el("td", pct(l.score), "num score"), el("td", pct(l.privateScore), "num private privatescore"),
        el("td", String(l.submissions), "num submissions"), el("td", when(l.last), "last"), el("td", configText(l.config), "config"));
      body.append(tr);
    }
    known = new Set(lines.map(l => l.name + "#" + l.submissions));
    for (const th of document.querySelectorAll("#board th")) {
      th.classList.toggle("sorted-up", th.dataset.key === sortKey && ascending);
      th.classList.toggle("sorted-down", th.dataset.key === sortKey && !ascending);
    }
  }

  async function load() {
    try {
      const r = await fetch("api/board", { cache: "no-store" });
      const b = await r.json();
      if (!r.ok) throw new Error(b.error || r.status);
      closed = b.closed;
      document.body.classList.toggle("closed", closed);
      document.getElementById("title").textContent = b.name;
      document.title = b.name + " – jgrad leaderboard";
      document.getElementById("about").textContent = b.dataset + ", " + b.size + " test images; score: accuracy on the public " + b.publicCount
        + (closed ? ". Closed: ranked by the private " + (b.size - b.publicCount) + "." : "; the private " + (b.size - b.publicCount) + " are revealed at the close.")
        + " Board keeps each participant's " + b.keep + " submission; " + b.dailyLimit + " a day.";
      const text = JSON.stringify(b.lines);
      if (text !== seen) {  // redraw only what changed: a row under the pointer stays put between polls
        seen = text;
        lines = b.lines;
        render();
      }
      if (shown) showHistory(shown);
      document.getElementById("status").textContent = lines.length + " on the board, updated " + new Date().toLocaleTimeString();
    } catch (e) {
      document.getElementById("status").textContent = "could not update the board: " + e.message;
    }
  }

  async function showHistory(name) {
    shown = name;
    const r = await fetch("api/history?name=" + encodeURIComponent(name), { cache: "no-store" });
    const h = await r.json();
    if (!r.ok) return;
    document.getElementById("history").hidden = false;
    document.getElementById("history-title").textContent = "History of " + name;
    chart(h.submissions);
    const list = document.getElementById("history-list");
    list.replaceChildren(...h.submissions.map(s => el("li", when(s.time) + "  " + pct(s.score)
      + (s.privateScore !== undefined ? " (private " + pct(s.privateScore) + ")" : "") + (s.note ? "  " + s.note : ""))));
  }

  function chart(subs) {
    const NS = "http://www.w3.org/2000/svg", svg = document.getElementById("history-chart");
    const W = 600, H = 220, L = 50, R = 10, T = 10, B = 30;
    svg.replaceChildren();
    const s = (tag, attrs, text) => {
      const e = document.createElementNS(NS, tag);
      for (const k in attrs) e.setAttribute(k, attrs[k]);
      if (text !== undefined) e.textContent = text;
      svg.append(e);
      return e;
    };
    if (subs.length === 0) return;
    let lo = Math.min(...subs.map(x => x.score)), hi = Math.max(...subs.map(x => x.score));
    if (hi - lo < 0.01) { lo = Math.max(0, lo - 0.005); hi = Math.min(1, hi + 0.005); }
    const x = i => L + (subs.length === 1 ? (W - L - R) / 2 : i * (W - L - R) / (subs.length - 1));
    const y = v => T + (hi === lo ? (H - T - B) / 2 : (hi - v) * (H - T - B) / (hi - lo));
    s("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" });
    s("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" });
    s("text", { x: 4, y: T + 10 }, pct(hi));
    s("text", { x: 4, y: H - B }, pct(lo));
    s("text", { x: L, y: H - 8 }, "submission 1");
    s("text", { x: W - R - 90, y: H - 8 }, "submission " + subs.length);
    s("polyline", { points: subs.map((v, i) => x(i) + "," + y(v.score)).join(" "), class: "line" });
    subs.forEach((v, i) => s("circle", { cx: x(i), cy: y(v.score), r: 4, class: "dot" })
      .append(Object.assign(document.createElementNS(NS, "title"), { textContent: pct(v.score) + (v.note ? " " + v.note : "") })));
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const th of document.querySelectorAll("#board th")) {
      th.addEventListener("click", () => {
        const k = th.dataset.key;
        if (k === sortKey) ascending = !ascending;
        else { sortKey = k; ascending = k === "rank" || k === "name" || k === "last" || k === "config"; }
        render();
      });
    }
    load();
    setInterval(load, refresh * 1000);
  });
})();
