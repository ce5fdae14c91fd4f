// The outbox page: every order written on this device that the server has not accepted yet,
// waiting for a connection or refused (with the server's reason). Refused orders can be fixed
// in the order form (same Idempotency-Key: a refused order stored nothing) or discarded.
// The worker also shows this page for any page asked for without a connection.
(function () {
  "use strict";
  const app = document.querySelector("[data-outbox-app]");
  if (!app || !window.RumboSync) return;
  const T = JSON.parse(document.getElementById("order-strings").textContent);
  const FORMAT = JSON.parse(document.getElementById("order-format").textContent);
  const P = window.RumboPricing;
  const list = app.querySelector("[data-outbox]");

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values && name in values ? values[name] : ""; });
  }

  function reason(refusal) {
    const body = refusal.body || {};
    if (Array.isArray(body.problems)) return body.problems.map(function (p) { return p.message; }).join(" ");
    if (typeof body.detail === "string") return body.detail;
    return JSON.stringify(body.detail || body);
  }

  function button(text, attrs, onclick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.className = "small-button outline";
    Object.entries(attrs).forEach(function ([k, v]) { b.setAttribute(k, v); });
    b.addEventListener("click", onclick);
    return b;
  }

  function item(entry) {
    const li = document.createElement("li");
    li.className = "outbox-entry " + entry.state;
    li.dataset.entry = entry.key;
    const head = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = entry.account;
    const state = document.createElement("span");
    state.className = "badge " + (entry.state === "refused" ? "bad" : "warn");
    state.textContent = entry.state === "refused" ? T.refused_state : T.waiting;
    head.append(name, " ", state);
    const facts = document.createElement("div");
    facts.className = "muted";
    facts.textContent = [
      say(T.written, { when: new Date(entry.createdAt).toLocaleString() }),
      say(T.lines_count, { n: entry.lines }),
      P.money(P.scaled(entry.total, 2) || 0n, FORMAT),
    ].join(" · ");
    li.append(head, facts);
    if (entry.state === "refused" && entry.refusal) {
      const why = document.createElement("p");
      why.className = "bad";
      why.dataset.reason = "";
      why.textContent = reason(entry.refusal);
      li.append(why);
    }
    const tools = document.createElement("div");
    tools.className = "outbox-tools";
    if (entry.state === "refused") {
      const fix = document.createElement("a");
      fix.href = "/orders/new/?fix=" + encodeURIComponent(entry.key);
      fix.textContent = T.fix;
      fix.setAttribute("role", "button");
      fix.className = "small-button";
      tools.append(fix);
    }
    tools.append(button(T.discard, { "data-discard": entry.key }, async function () {
      if (window.confirm(T.discard_confirm)) { await RumboSync.discard(entry.key); render(); }
    }));
    li.append(tools);
    return li;
  }

  async function render() {
    const entries = await RumboSync.entries();
    list.replaceChildren();
    if (!entries.length) {
      const empty = document.createElement("li");
      empty.className = "muted";
      empty.dataset.empty = "";
      empty.textContent = T.outbox_empty;
      list.append(empty);
    }
    entries.forEach(function (entry) { list.append(item(entry)); });
  }

  if (location.pathname !== app.dataset.page) {  // shown by the worker in place of another page
    const note = app.querySelector("[data-offline-page]");
    note.textContent = T.page_offline;
    note.hidden = false;
  }
  app.querySelector("[data-send-all]").addEventListener("click", function () { RumboSync.sendAll().then(render); });
  document.addEventListener("rumbo:outbox", render);
  RumboSync.claimed.then(render);
})();
