// The order form: pick one of your accounts, add products (suggestions or catalogue), set
// quantities, see net, IGV and total as you type, send. It reads everything from the device
// (IndexedDB, kept fresh by sync.js), so it works the same without a connection; an order
// written offline waits in the outbox with its own Idempotency-Key and goes out when the
// connection returns. The server prices the order again and has the last word.
(function () {
  "use strict";
  const app = document.querySelector("[data-order-app]");
  if (!app || !window.RumboSync || !window.RumboPricing) return;
  const P = window.RumboPricing;
  const T = JSON.parse(document.getElementById("order-strings").textContent);
  const FORMAT = JSON.parse(document.getElementById("order-format").textContent);
  const COPIED = JSON.parse(document.getElementById("order-copy").textContent);
  const MAX_RESULTS = 30;
  const MAX_PRODUCTS = 12;  // a phone's screen or two: the rep narrows the search instead
  const $ = function (selector, root) { return (root || app).querySelector(selector); };
  const data = { accounts: null, catalogue: null, priceLists: null, rules: null, suggestions: null };
  const state = { account: null, lines: [], notes: "", key: newKey(), fixing: null, near: null };
  let fetchedAt = null;
  let products = new Map();
  let onlineSuggestions = {};

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values && name in values ? values[name] : ""; });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function matches(words, fields) {
    const haystack = fold(fields.join(" "));
    return words.every(function (w) { return haystack.indexOf(w) !== -1; });
  }

  function today() {
    const d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([k, v]) {
      if (v == null || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) { if (c != null) node.append(c); });
    return node;
  }

  function money(cents) { return P.money(cents, FORMAT); }
  function unitPrice(tenThousandths) {  // S/ 1,80 or, with more decimals, S/ 1,8125
    if (tenThousandths % 100n === 0n) return money(tenThousandths / 100n);
    return FORMAT.currency + " " + P.number(tenThousandths, 4, FORMAT);
  }
  function amount(text) { return money(P.scaled(text, 2) || 0n); }

  // ----- data and draft ----------------------------------------------------------------

  async function loadData() {
    for (const name of Object.keys(data)) {
      const record = await RumboSync.cached(name);
      data[name] = record ? record.data : null;
      if (name === "accounts" && record) fetchedAt = record.fetchedAt;
    }
    products = new Map((data.catalogue ? data.catalogue.products : []).map(function (p) { return [p.id, p]; }));
    if (state.account && data.accounts) {
      const fresh = data.accounts.items.find(function (a) { return a.id === state.account.id; });
      if (fresh) state.account = fresh;
    }
  }

  function saveDraft() {
    const draft = {
      name: "draft", user: RumboSync.user, account: state.account ? state.account.id : null,
      lines: state.lines, notes: state.notes, key: state.key, fixing: state.fixing,
    };
    return window.RumboStore.put("meta", draft);
  }

  function findAccount(id) {
    return data.accounts ? data.accounts.items.find(function (a) { return a.id === id; }) || null : null;
  }

  async function restore() {
    const params = new URLSearchParams(location.search);
    const fix = params.get("fix");
    if (fix) {
      const entry = await window.RumboStore.get("outbox", fix);
      if (entry && entry.user === RumboSync.user) return loadEntry(entry);
    }
    if (COPIED) {
      state.account = findAccount(COPIED.account);
      state.lines = COPIED.lines.map(function (l) { return { product: l.product, quantity: l.quantity, discount_pct: l.discount_pct }; });
      notice(say(T.copied_from, { number: COPIED.number }));
      return;
    }
    const draft = await window.RumboStore.get("meta", "draft");
    if (draft && draft.user === RumboSync.user) {
      state.account = draft.account ? findAccount(draft.account) : null;
      state.lines = draft.lines || [];
      state.notes = draft.notes || "";
      state.key = draft.key || state.key;
      state.fixing = draft.fixing || null;
    }
    const wanted = Number(params.get("account"));
    if (wanted) { state.account = findAccount(wanted) || state.account; }
  }

  function loadEntry(entry) {
    const body = JSON.parse(entry.body);
    state.account = findAccount(body.account);
    state.lines = body.lines.map(function (l) { return { product: l.product, quantity: String(l.quantity), discount_pct: String(l.discount_pct || "0") }; });
    state.notes = body.notes || "";
    state.fixing = entry.key;
    // A refused order stored nothing on the server, so its key stays; a 409 needs a new one.
    state.key = entry.refusal && entry.refusal.status === 409 ? newKey() : entry.key;
    notice(T.fixing + (entry.refusal ? " " + reason(entry.refusal) : ""));
    RumboSync.refresh(true);  // what refused it (a price, a product) is likely news to the device
  }

  function reason(refusal) {
    const body = refusal.body || {};
    if (Array.isArray(body.problems)) return body.problems.map(function (p) { return p.message; }).join(" ");
    if (typeof body.detail === "string") return body.detail;
    return JSON.stringify(body.detail || body);
  }

  // ----- notices -------------------------------------------------------------------------

  function notice(text, kind) {
    const box = $("[data-notice]");
    box.textContent = text || "";
    box.hidden = !text;
    box.className = "note" + (kind ? " " + kind : "");
  }

  function showConnection() {
    const badge = $("[data-net-state]");
    badge.textContent = navigator.onLine ? T.online : T.offline;
    badge.className = "badge " + (navigator.onLine ? "good" : "warn");
    const when = fetchedAt ? new Date(fetchedAt).toLocaleString() : "";
    $("[data-data-state]").textContent = data.accounts ? say(T.data_from, { when: when }) : T.no_data;
  }

  // ----- accounts ----------------------------------------------------------------------

  function accountRow(a) {
    const facts = [a.code, a.tax_id, a.distrito].filter(Boolean).join(" · ");
    const distance = a.distance_km != null ? say(T.km, { km: P.number(P.scaled(a.distance_km.toFixed(1), 1), 1, FORMAT) }) : "";
    return el("li", {}, [el("button", { type: "button", class: "pick", "data-account": a.id, onclick: function () { pickAccount(a); } }, [
      el("strong", { text: a.name }), el("span", { class: "muted", text: " " + facts }),
      distance ? el("span", { class: "badge", text: distance }) : null,
    ])]);
  }

  function renderAccountResults(rows) {
    const list = $("[data-account-results]");
    list.replaceChildren();
    if (!rows.length) { list.append(el("li", { class: "muted", text: T.no_accounts })); return; }
    rows.slice(0, MAX_RESULTS).forEach(function (a) { list.append(accountRow(a)); });
  }

  let searching = null;

  // More accounts than the device keeps (an administrator of a big company): ask the server.
  function searchOnline(text) {
    clearTimeout(searching);
    searching = setTimeout(async function () {
      try {
        const response = await fetch("/api/orders/accounts?limit=" + MAX_RESULTS + "&q=" + encodeURIComponent(text), { credentials: "same-origin" });
        if (response.ok && $("[data-account-q]").value === text) renderAccountResults((await response.json()).items);
      } catch (error) { /* offline: the kept accounts are all there is */ }
    }, 250);
  }

  function searchAccounts() {
    const text = $("[data-account-q]").value;
    const words = fold(text).split(/\s+/).filter(Boolean);
    let rows = data.accounts ? data.accounts.items : [];
    const partial = data.accounts && data.accounts.count > rows.length;
    if (partial && navigator.onLine && words.length) { searchOnline(text); return; }
    if (words.length) rows = rows.filter(function (a) { return matches(words, [a.name, a.legal_name, a.tax_id, a.code]); });
    if (state.near && !words.length) rows = state.near;
    if (partial && !words.length && !state.near) {
      $("[data-account-results]").replaceChildren(el("li", { class: "muted", text: T.too_many_accounts }));
      return;
    }
    renderAccountResults(rows);
  }

  function haversineKm(lat1, lon1, lat2, lon2) {  // offline fallback only
    const r = Math.PI / 180;
    const a = Math.sin((lat2 - lat1) * r / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin((lon2 - lon1) * r / 2) ** 2;
    return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
  }

  function nearest() {
    if (!navigator.geolocation) { notice(T.no_location, "warning"); return; }
    notice(T.locating);
    navigator.geolocation.getCurrentPosition(async function (position) {
      const lat = position.coords.latitude, lon = position.coords.longitude;
      notice("");
      $("[data-account-q]").value = "";
      try {
        if (!navigator.onLine) throw new Error("offline");
        const response = await fetch("/api/orders/accounts?limit=" + MAX_RESULTS + "&lat=" + lat + "&lon=" + lon, { credentials: "same-origin" });
        if (!response.ok) throw new Error(String(response.status));
        state.near = (await response.json()).items;  // distances computed by the server
      } catch (error) {
        state.near = (data.accounts ? data.accounts.items : []).filter(function (a) { return a.lat != null; })
          .map(function (a) { return Object.assign({}, a, { distance_km: haversineKm(lat, lon, a.lat, a.lon) }); })
          .sort(function (a, b) { return a.distance_km - b.distance_km; });
      }
      searchAccounts();
    }, function () { notice(T.no_location, "warning"); }, { timeout: 10000, maximumAge: 60000 });
  }

  function pickAccount(account) {
    state.account = account;
    saveDraft();
    render();
    $("[data-product-q]").focus({ preventScroll: true });
  }

  function renderAccount() {
    const picked = $("[data-account-picked]");
    const search = $("[data-account-search]");
    picked.hidden = !state.account;
    search.hidden = !!state.account;
    if (!state.account) { searchAccounts(); return; }
    const a = state.account;
    const lines = [el("strong", { text: a.name }), el("div", { class: "muted", text: [a.code, a.tax_id, a.channel, a.address].filter(Boolean).join(" · ") })];
    const limit = P.scaled(a.credit_limit, 2);
    if (limit > 0n) lines.push(el("div", { class: "muted", text: say(T.credit, { amount: money(limit - (P.scaled(a.open_amount, 2) || 0n)) }) }));
    if ((P.scaled(a.min_order_amount, 2) || 0n) > 0n) lines.push(el("div", { class: "muted", text: say(T.min_order, { amount: amount(a.min_order_amount) }) }));
    picked.replaceChildren(el("div", { class: "picked-account", "data-picked": a.id }, [
      el("div", {}, lines),
      el("button", { type: "button", class: "outline small-button", text: T.change, onclick: function () { state.account = null; saveDraft(); render(); } }),
    ]));
  }

  // ----- products ----------------------------------------------------------------------

  function inOrder(productId) { return state.lines.some(function (l) { return l.product === productId; }); }

  function addLine(productId, quantity) {
    const product = products.get(productId);
    if (!product || product.discontinued) return;
    const existing = state.lines.find(function (l) { return l.product === productId; });
    if (existing) existing.quantity = String(quantity || existing.quantity);
    else state.lines.push({ product: productId, quantity: String(quantity || "1"), discount_pct: "0" });
    saveDraft();
    render();
  }

  function productButton(product, quantity, hint) {
    const taken = inOrder(product.id);
    return el("li", {}, [el("button", {
      type: "button", class: "pick", "data-product": product.id, disabled: product.discontinued || taken,
      onclick: function () { addLine(product.id, quantity); },
    }, [
      el("strong", { text: product.name }), el("span", { class: "muted", text: " " + product.sku }),
      hint ? el("div", { class: "muted", text: hint }) : null,
      el("span", { class: "badge" + (product.discontinued ? " bad" : taken ? " good" : ""),
        text: product.discontinued ? T.discontinued : taken ? T.in_order : "+ " + (quantity ? P.number(P.scaled(String(quantity), 3), 3, FORMAT) + " " + product.unit : T.add) }),
    ])]);
  }

  async function suggestionsFor(accountId) {
    if (data.suggestions) return data.suggestions.accounts[accountId] || null;
    if (onlineSuggestions[accountId] || !navigator.onLine) return onlineSuggestions[accountId] || null;
    try {
      const response = await fetch("/api/orders/suggestions?account=" + accountId, { credentials: "same-origin" });
      if (response.ok) onlineSuggestions[accountId] = (await response.json()).accounts[accountId] || null;
    } catch (error) { /* offline: no suggestions */ }
    return onlineSuggestions[accountId] || null;
  }

  function suggestionGroup(title, items, hint, testid) {
    const usable = items.filter(function (s) { return products.has(s.product); });
    if (!usable.length) return null;
    const addAll = el("button", { type: "button", class: "outline small-button", "data-add-all": testid, text: T.add_all, onclick: function () {
      usable.forEach(function (s) { if (!inOrder(s.product)) state.lines.push({ product: s.product, quantity: String(s.quantity), discount_pct: "0" }); });
      saveDraft(); render();
    } });
    return el("div", { class: "suggestion-group", "data-suggestions-group": testid }, [
      el("div", { class: "group-head" }, [el("h3", { text: title }), addAll]),
      el("ul", { class: "pick-list" }, usable.map(function (s) { return productButton(products.get(s.product), s.quantity, hint(s)); })),
    ]);
  }

  async function renderSuggestions() {
    const box = $("[data-suggestions]");
    const accountId = state.account.id;
    const found = await suggestionsFor(accountId);
    if (!state.account || state.account.id !== accountId) return;
    box.replaceChildren();
    if (!found || (!found.usual.length && !found.last_year.length)) { box.append(el("p", { class: "muted", text: T.no_suggestions })); return; }
    const [year, month] = found.last_year_month.split("-").map(Number);
    const monthName = new Date(year, month - 1, 1).toLocaleDateString(document.documentElement.lang, { month: "long", year: "numeric" });
    box.append(
      suggestionGroup(T.usual, found.usual, function (s) { return say(T.usual_hint, { times: s.times, of: s.of }); }, "usual") || "",
      suggestionGroup(say(T.last_year, { month: monthName }), found.last_year, function (s) { return say(T.last_year_hint, { bought: P.number(P.scaled(s.bought, 3), 3, FORMAT), orders: s.orders }); }, "last_year") || "",
    );
  }

  function categoryTree() {
    const parents = new Map((data.catalogue ? data.catalogue.categories : []).map(function (c) { return [c.id, c.parent_id]; }));
    return function (categoryId, wanted) {
      let current = categoryId;
      const seen = new Set();
      while (current != null && !seen.has(current)) {
        if (current === wanted) return true;
        seen.add(current);
        current = parents.get(current);
      }
      return false;
    };
  }

  function renderCategories() {
    const select = $("[data-category]");
    if (select.options.length > 1 || !data.catalogue) return;
    data.catalogue.categories.forEach(function (c) {
      select.append(el("option", { value: c.id, text: (c.parent_id ? "· " : "") + c.name }));
    });
  }

  function searchProducts() {
    const list = $("[data-product-results]");
    list.replaceChildren();
    const words = fold($("[data-product-q]").value).split(/\s+/).filter(Boolean);
    const category = Number($("[data-category]").value);
    if (!words.length && !category) return;
    const within = categoryTree();
    const rows = Array.from(products.values()).filter(function (p) {
      return (!category || within(p.category_id, category)) && matches(words, [p.name, p.sku, p.brand, p.barcode]);
    });
    if (!rows.length) { list.append(el("li", { class: "muted", text: T.no_products })); return; }
    rows.slice(0, MAX_PRODUCTS).forEach(function (p) { list.append(productButton(p, null, p.brand)); });
  }

  // ----- the order's lines and totals ----------------------------------------------------

  function limitsOf(productId) {
    return data.rules ? data.rules.limits.find(function (l) { return l.product === productId; }) : null;
  }

  function policy() {
    const policies = data.rules ? data.rules.policies : [];
    const own = policies.find(function (p) { return p.channel === state.account.channel_id; });
    return own || policies.find(function (p) { return p.channel == null; }) || null;
  }

  function lineError(line, product) {
    if (!product) return T.no_products;
    if (product.discontinued) return T.discontinued;
    const q = P.scaled(line.quantity, 3);
    const rule = policy();
    let max = P.scaled(rule ? rule.max_line_quantity : (data.rules ? data.rules.max_quantity : "100000"), 3);
    const limit = limitsOf(product.id);
    if (limit && limit.max_quantity != null) max = P.scaled(limit.max_quantity, 3) < max ? P.scaled(limit.max_quantity, 3) : max;
    if (q == null || q <= 0n || q > max) return say(T.bad_quantity, { max: P.number(max, 3, FORMAT) });
    if (limit && limit.min_quantity != null && q < P.scaled(limit.min_quantity, 3)) return say(T.min_quantity, { min: P.number(P.scaled(limit.min_quantity, 3), 3, FORMAT) });
    if (limit && limit.multiple_of != null && q % P.scaled(limit.multiple_of, 3) !== 0n) return say(T.multiple_of, { step: P.number(P.scaled(limit.multiple_of, 3), 3, FORMAT) });
    const d = P.scaled(line.discount_pct || "0", 2);
    if (d == null || d > 9999n) return T.bad_discount;
    return "";
  }

  function lineItem(line) {
    const product = products.get(line.product);
    const name = product ? product.name : "#" + line.product;
    const qty = el("input", { type: "text", inputmode: "decimal", value: line.quantity, "data-qty": line.product, "aria-label": T.quantity + " " + name, autocomplete: "off" });
    const discount = el("input", { type: "text", inputmode: "decimal", value: line.discount_pct === "0" ? "" : line.discount_pct, placeholder: "0", "data-discount": line.product, "aria-label": T.discount + " " + name, autocomplete: "off" });
    qty.addEventListener("input", function () { line.quantity = qty.value; changed(); });
    discount.addEventListener("input", function () { line.discount_pct = discount.value || "0"; changed(); });
    const step = function (delta) {
      const current = P.scaled(line.quantity, 3);
      const next = (current == null ? 0n : current) + BigInt(delta) * 1000n;
      line.quantity = P.text(next > 0n ? next : 1000n, 3);
      qty.value = line.quantity;
      changed();
    };
    return el("li", { class: "cart-line", "data-line": line.product }, [
      el("div", { class: "cart-name" }, [el("strong", { text: name }), el("span", { class: "muted", text: " " + (product ? product.sku : "") })]),
      el("div", { class: "muted small", "data-line-price": "" }),
      el("div", { class: "cart-controls" }, [
        el("button", { type: "button", class: "qty-step outline", "aria-label": "−1", text: "−", onclick: function () { step(-1); } }),
        qty, el("span", { class: "unit", text: product ? product.unit : "" }),
        el("button", { type: "button", class: "qty-step outline", "aria-label": "+1", text: "+", onclick: function () { step(1); } }),
        el("label", { class: "discount-field" }, [el("span", { text: "%" }), discount]),
        el("span", { class: "cart-net num", "data-line-net": "" }),
        el("button", { type: "button", class: "remove outline", "aria-label": T.remove + " " + name, text: "×", onclick: function () {
          state.lines = state.lines.filter(function (l) { return l !== line; }); saveDraft(); render();
        } }),
      ]),
      el("div", { class: "muted small", "data-line-promo": "" }),
      el("div", { class: "cart-error", "data-line-error": "" }),
    ]);
  }

  function priced() {
    const valid = state.lines.filter(function (l) { return products.has(l.product) && !lineError(l, products.get(l.product)); });
    if (!state.account || !data.catalogue || !data.priceLists) return null;
    return P.priceOrder({
      account: state.account, priceLists: data.priceLists, catalogue: data.catalogue, day: today(),
      lines: valid.map(function (l) { return { product: products.get(l.product), quantity: l.quantity, discount_pct: l.discount_pct }; }),
    });
  }

  function changed() {
    saveDraft();
    updateFigures();
  }

  function updateFigures() {
    const result = priced();
    const byProduct = new Map(result ? result.lines.map(function (l) { return [l.product.id, l]; }) : []);
    const errors = [];
    state.lines.forEach(function (line) {
      const item = app.querySelector('[data-line="' + line.product + '"]');
      if (!item) return;
      const product = products.get(line.product);
      const error = lineError(line, product);
      if (error) errors.push(error);
      item.querySelector("[data-line-error]").textContent = error;
      item.classList.toggle("has-error", !!error);
      const p = byProduct.get(line.product);
      item.querySelector("[data-line-net]").textContent = p ? money(p.net) : "—";
      item.querySelector("[data-line-price]").textContent = p ? say(T.unit_price, { price: unitPrice(p.unit), unit: product.unit }) : "";
      const promo = [];
      if (p && p.promotion) promo.push(say(T.promo_discount, { pct: P.number(p.promoPct, 2, FORMAT), promo: p.promotion.name }));
      if (p && p.free) promo.push(say(T.free_units, { qty: P.number(p.free.quantity, 3, FORMAT) + " " + product.unit, promo: p.free.promotion.name }));
      item.querySelector("[data-line-promo]").textContent = promo.join(" · ");
    });
    renderTotals(result, errors);
  }

  function warnings(result) {
    const found = [];
    const rule = policy();
    if (rule && result && result.net < P.scaled(rule.min_order_amount, 2)) found.push({ text: say(T.below_minimum, { min: amount(rule.min_order_amount) }), blocking: true });
    const ceiling = data.rules && data.rules.max_discount_pct != null ? P.scaled(data.rules.max_discount_pct, 2) : null;
    if (ceiling != null && state.lines.some(function (l) { return (P.scaled(l.discount_pct || "0", 2) || 0n) > ceiling; })) {
      found.push({ text: say(T.needs_approval_discount, { max: P.number(ceiling, 2, FORMAT) }) });
    }
    const limit = P.scaled(state.account.credit_limit, 2);
    const open = P.scaled(state.account.open_amount, 2) || 0n;
    if (result && limit > 0n && open + result.total > limit) found.push({ text: say(T.needs_approval_credit, { limit: money(limit), open: money(open) }) });
    return found;
  }

  function renderTotals(result, errors) {
    $("[data-net]").textContent = result ? money(result.net) : "—";
    $("[data-tax]").textContent = result ? money(result.tax) : "—";
    $("[data-total]").textContent = result ? money(result.total) : "—";
    const list = $("[data-warnings]");
    list.replaceChildren();
    const found = state.account ? warnings(result) : [];
    found.forEach(function (w) { list.append(el("li", { class: w.blocking ? "bad" : "warn", text: w.text })); });
    const broken = !state.account || !state.lines.length || errors.length > 0 || !result;
    $("[data-send]").disabled = broken || found.some(function (w) { return w.blocking; });
    $("[data-draft]").disabled = broken;  // a draft may be under the minimum
  }

  function renderLines() {
    const list = $("[data-lines]");
    list.replaceChildren();
    if (!state.lines.length) list.append(el("li", { class: "muted", text: T.empty_order }));
    state.lines.forEach(function (line) { list.append(lineItem(line)); });
    $("[data-notes]").value = state.notes;
  }

  function render() {
    showConnection();
    renderAccount();
    const ready = !!state.account;
    $("[data-products]").hidden = !ready;
    $("[data-cart]").hidden = !ready;
    $("[data-totals-bar]").hidden = !ready;
    if (!ready) return;
    renderCategories();
    renderSuggestions();
    searchProducts();
    renderLines();
    updateFigures();
  }

  // ----- sending ---------------------------------------------------------------------

  function payload(result, draft) {
    return {
      account: state.account.id,
      submit: !draft,
      lines: state.lines.map(function (l) {
        return { product: l.product, quantity: P.text(P.scaled(l.quantity, 3), 3), discount_pct: P.text(P.scaled(l.discount_pct || "0", 2), 2) };
      }),
      notes: state.notes,
      expected_total: P.text(result.total, 2),
      source: navigator.onLine ? "web" : "offline",
      written_at: new Date().toISOString(),
    };
  }

  function showResult(outcome) {
    const box = $("[data-result]");
    const parts = [];
    if (outcome.outcome === "sent" && outcome.order) {
      const waiting = outcome.order.status === "approval";
      parts.push(el("p", { "data-outcome": "sent", text: waiting ? say(T.sent_waiting, { number: outcome.order.number, reasons: outcome.order.approval_reasons.join(" ") }) : say(T.sent, { number: outcome.order.number }) }));
      parts.push(el("a", { href: "/orders/" + outcome.order.id + "/", text: T.see_order }));
    } else if (outcome.outcome === "sent") {
      parts.push(el("p", { "data-outcome": "sent", text: say(T.sent, { number: "" }) }));
    } else if (outcome.outcome === "refused") {
      parts.push(el("p", { "data-outcome": "refused", class: "bad", text: say(T.refused, { reason: reason(outcome.entry.refusal) }) }));
    } else {
      parts.push(el("p", { "data-outcome": "offline", text: outcome.outcome === "signin" ? T.sign_in_again : T.saved_offline }));
    }
    box.replaceChildren.apply(box, parts);
    box.hidden = false;
    box.className = "result " + outcome.outcome;
    box.scrollIntoView({ block: "nearest" });
  }

  async function send(event) {
    event.preventDefault();
    const draft = !!(event.submitter && event.submitter.hasAttribute("data-draft"));
    const button = draft ? $("[data-draft]") : $("[data-send]");
    const result = priced();
    if (!result || button.disabled) return;
    $("[data-send]").disabled = $("[data-draft]").disabled = true;
    const body = JSON.stringify(payload(result, draft));
    const entry = {
      key: state.key, body: body, createdAt: Date.now(), account: state.account.name,
      total: P.text(result.total, 2), lines: state.lines.length,
    };
    if (state.fixing && state.fixing !== state.key) await RumboSync.discard(state.fixing);
    const outcome = await RumboSync.submit(entry);
    showResult(outcome);
    if (outcome.outcome === "refused") {
      state.fixing = state.key;
      saveDraft();
      updateFigures();
      return;
    }
    // Sent, or kept on the device: the next order starts empty, with a new key.
    Object.assign(state, { account: null, lines: [], notes: "", key: newKey(), fixing: null, near: null });
    notice("");
    $("[data-account-q]").value = "";
    await saveDraft();
    render();
  }

  // ----- start -------------------------------------------------------------------------

  $("[data-account-q]").addEventListener("input", function () { state.near = null; searchAccounts(); });
  $("[data-near]").addEventListener("click", nearest);
  $("[data-product-q]").addEventListener("input", searchProducts);
  $("[data-category]").addEventListener("change", searchProducts);
  $("[data-notes]").addEventListener("input", function (e) { state.notes = e.target.value; saveDraft(); });
  app.addEventListener("submit", send);
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  document.addEventListener("rumbo:data", async function (event) {
    if (!event.detail || !event.detail.changed) { showConnection(); return; }
    await loadData();
    render();
  });

  RumboSync.claimed.then(async function () {
    await loadData();
    if (!data.accounts && navigator.onLine) await RumboSync.refresh(true).then(loadData);
    await restore();
    render();
    app.dataset.ready = "1";
  });
})();
