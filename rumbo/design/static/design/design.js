/* Territory design map: accounts coloured by their territory in the scenario, district
 * polygons coloured by territory or as a heat map (potential, sales, workload), and picking
 * accounts (click, whole district, lasso) to move them to another territory or lock them.
 * Offline: the base layer is Peru's departamentos from our own static files.
 * State for tests: #design-map[data-state] is "ready" once drawn, [data-picked] counts picks.
 */
(function () {
  "use strict";

  var PERU = [[-18.4, -81.4], [-0.03, -68.65]];
  var CLUSTER_OVER = 4000;
  var HEAT = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
  var MEASURE = { workload: 6, sales: 7, potential: 8 };
  // Account rows: [id, lat, lon, territory index, locked, ubigeo, workload, sales, potential, name]
  var ID = 0, LAT = 1, LON = 2, T = 3, LOCKED = 4, UBIGEO = 5, NAME = 9;

  var el = document.getElementById("design-map");
  if (!el || !window.L) return;
  var d = el.dataset;
  var status = document.querySelector("[data-status-line]");
  var toolbar = document.querySelector("[data-design-toolbar]");
  var state = { data: null, markers: {}, picked: new Set(), mode: "select", layer: "territory", districts: null };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(url + " answered " + r.status); return r.json(); });
  }

  function say(text, bad) {
    if (!status) return;
    status.textContent = text || "";
    status.classList.toggle("message", Boolean(bad));
    status.classList.toggle("error", Boolean(bad));
  }

  var map = L.map(el, { zoomSnap: 0.5, minZoom: 4, maxZoom: 18, boxZoom: false, preferCanvas: true,
    maxBounds: L.latLngBounds(PERU).pad(0.8) });
  map.createPane("land").style.zIndex = "200";
  map.fitBounds(PERU);
  L.control.scale({ imperial: false }).addTo(map);
  if (d.attribution) map.attributionControl.addAttribution(d.attribution);
  if (d.tileUrl) L.tileLayer(d.tileUrl, { maxZoom: 19 }).addTo(map);
  var renderer = L.canvas({ padding: 0.3 });
  el._rumboDesign = { map: map, state: state };

  function colourOf(row) { return state.data.territories[row[T]] ? state.data.territories[row[T]].colour : "#777"; }

  function styleOf(row) {
    var picked = state.picked.has(row[ID]);
    return {
      radius: picked ? 7 : 5, weight: picked ? 3 : row[LOCKED] ? 2 : 1,
      color: picked ? "#111" : row[LOCKED] ? "#000" : "#fff",
      fillColor: colourOf(row), fillOpacity: 0.95, renderer: renderer,
    };
  }

  function popupOf(row) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = row[NAME];
    box.appendChild(name);
    var where = document.createElement("div");
    var t = state.data.territories[row[T]];
    where.textContent = (t ? t.name + (t.rep ? " · " + t.rep : "") : "—") + (row[LOCKED] ? " · 🔒 " + d.labelLocked : "");
    box.appendChild(where);
    return box;
  }

  function drawAccounts() {
    var rows = state.data.accounts;
    var layers = rows.map(function (row) {
      var m = L.circleMarker([row[LAT], row[LON]], styleOf(row));
      m.bindTooltip(function () { return popupOf(row); });
      m.on("click", function () {
        if (state.mode === "select") toggle([row[ID]]);
        else if (state.mode === "district") toggle(inDistrict(row[UBIGEO]));
      });
      state.markers[row[ID]] = { marker: m, row: row };
      return m;
    });
    var group;
    if (rows.length > CLUSTER_OVER && L.markerClusterGroup) {
      group = L.markerClusterGroup({ chunkedLoading: true, disableClusteringAtZoom: 13, showCoverageOnHover: false,
        iconCreateFunction: clusterIcon });
      group.addLayers(layers);
    } else {
      group = L.featureGroup(layers);
    }
    group.addTo(map);
    if (rows.length) map.fitBounds(L.latLngBounds(rows.map(function (r) { return [r[LAT], r[LON]]; })).pad(0.05));
  }

  // A cluster shows its size in the colour of its most common territory.
  function clusterIcon(cluster) {
    var counts = {};
    cluster.getAllChildMarkers().forEach(function (m) { var c = m.options.fillColor; counts[c] = (counts[c] || 0) + 1; });
    var top = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; })[0];
    var n = cluster.getChildCount();
    var html = '<div style="background:' + top + '"><span>' + n + "</span></div>";
    return L.divIcon({ html: html, className: "marker-cluster", iconSize: L.point(40, 40) });
  }

  // Per district: accounts by territory and the sum of each measure.
  function districtFigures() {
    var out = {};
    state.data.accounts.forEach(function (row) {
      var f = out[row[UBIGEO]] || (out[row[UBIGEO]] = { byTerritory: {}, workload: 0, sales: 0, potential: 0, n: 0 });
      f.byTerritory[row[T]] = (f.byTerritory[row[T]] || 0) + 1;
      f.workload += row[MEASURE.workload]; f.sales += row[MEASURE.sales]; f.potential += row[MEASURE.potential]; f.n += 1;
    });
    return out;
  }

  function styleDistricts() {
    if (!state.districts) return;
    var figures = districtFigures();
    var values = Object.keys(figures).map(function (u) { return figures[u][state.layer] || 0; }).sort(function (a, b) { return a - b; });
    var cuts = [0.2, 0.4, 0.6, 0.8].map(function (q) { return values[Math.floor(q * (values.length - 1))] || 0; });
    state.districts.setStyle(function (feature) {
      var f = figures[feature.id] || null;
      if (state.layer === "territory") {
        var top = -1, most = 0;
        if (f) Object.keys(f.byTerritory).forEach(function (t) { if (f.byTerritory[t] > most) { most = f.byTerritory[t]; top = t; } });
        var t = state.data.territories[top];
        return { color: "#55615d", weight: 1, fillColor: t ? t.colour : "#ffffff", fillOpacity: t ? 0.18 : 0.05 };
      }
      var v = f ? f[state.layer] : 0;
      var cls = cuts.filter(function (c) { return v > c; }).length;
      return { color: "#55615d", weight: 1, fillColor: HEAT[cls], fillOpacity: f ? 0.75 : 0.1 };
    });
    legend(cuts);
  }

  function legend(cuts) {
    var box = document.querySelector("[data-legend]");
    if (!box) return;
    box.textContent = "";
    if (state.layer === "territory") {
      state.data.territories.forEach(function (t) {
        var item = document.createElement("span");
        var sw = document.createElement("span");
        sw.className = "swatch"; sw.style.background = t.colour;
        item.appendChild(sw);
        item.appendChild(document.createTextNode(" " + t.name + (t.locked ? " 🔒" : "")));
        box.appendChild(item);
      });
      return;
    }
    var ramp = document.createElement("span");
    ramp.className = "heat-ramp";
    ramp.appendChild(document.createTextNode(d.labelLow));
    HEAT.forEach(function (c) { var i = document.createElement("i"); i.style.background = c; ramp.appendChild(i); });
    ramp.appendChild(document.createTextNode(d.labelHigh));
    box.appendChild(ramp);
  }

  function drawDistricts(collection) {
    // Districts share the accounts' canvas (one canvas decides which shape a click is on),
    // drawn beneath them.
    state.districts = L.geoJSON(collection, {
      renderer: renderer,
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.name + " · " + feature.properties.provincia, { sticky: true });
        layer.on("click", function () {
          if (state.mode !== "district") return;
          toggle(inDistrict(feature.id));
        });
      },
    }).addTo(map);
    state.districts.bringToBack();
    styleDistricts();
  }

  function inDistrict(ubigeo) {
    return state.data.accounts.filter(function (r) { return r[UBIGEO] === ubigeo; }).map(function (r) { return r[ID]; });
  }

  // --- Picking ----------------------------------------------------------------------------

  function toggle(ids) {
    var allPicked = ids.every(function (id) { return state.picked.has(id); });
    ids.forEach(function (id) { if (allPicked) state.picked.delete(id); else state.picked.add(id); });
    restyle(ids);
    showPicked();
  }

  function restyle(ids) {
    ids.forEach(function (id) { var m = state.markers[id]; if (m) m.marker.setStyle(styleOf(m.row)); });
  }

  function showPicked() {
    var n = state.picked.size;
    el.dataset.picked = String(n);
    var label = toolbar && toolbar.querySelector("[data-selection]");
    if (label) label.textContent = n ? n + " " + d.labelPicked : d.labelNone;
  }

  function inside(lat, lon, ring) {
    var hit = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a.lat > lat) !== (b.lat > lat) && lon < (b.lng - a.lng) * (lat - a.lat) / (b.lat - a.lat) + a.lng) hit = !hit;
    }
    return hit;
  }

  // Lasso: press, draw round the accounts, release. Works with a mouse, a pen or a finger.
  var lasso = null;
  el.addEventListener("pointerdown", function (e) {
    if (state.mode !== "lasso") return;
    e.preventDefault();
    lasso = L.polyline([map.mouseEventToLatLng(e)], { color: "#111", weight: 2, dashArray: "4 4" }).addTo(map);
    el.setPointerCapture(e.pointerId);
  });
  el.addEventListener("pointermove", function (e) { if (lasso) lasso.addLatLng(map.mouseEventToLatLng(e)); });
  el.addEventListener("pointerup", function () {
    if (!lasso) return;
    var ring = lasso.getLatLngs();
    map.removeLayer(lasso);
    lasso = null;
    if (ring.length < 3) return;
    var ids = state.data.accounts.filter(function (r) { return inside(r[LAT], r[LON], ring); }).map(function (r) { return r[ID]; });
    ids.forEach(function (id) { state.picked.add(id); });
    restyle(ids);
    showPicked();
  });

  function setMode(mode) {
    state.mode = mode;
    toolbar.querySelectorAll("[data-mode]").forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.mode === mode)); });
    el.classList.toggle("lasso-on", mode === "lasso");
    if (mode === "lasso") map.dragging.disable(); else map.dragging.enable();
  }

  // --- Changing the scenario --------------------------------------------------------------

  function csrf() {
    var input = document.querySelector("[data-csrf] input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(action) {
    var ids = Array.from(state.picked);
    if (!ids.length) { say(d.labelNone, true); return; }
    var body = new FormData();
    body.append("action", action);
    body.append("accounts", ids.join(","));
    var target = toolbar.querySelector("[data-target]");
    if (action === "move") body.append("territory", target.value);
    body.append("csrfmiddlewaretoken", csrf());
    el.dataset.state = "saving";
    fetch(d.editUrl, { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (answer) { return { ok: r.ok, answer: answer }; }); })
      .then(function (res) {
        if (!res.ok) { say(res.answer.error, true); el.dataset.state = "ready"; return; }
        say(res.answer.message, false);
        applyLocally(action, ids, target ? Number(target.value) : null);
        return refreshFigures();
      })
      .catch(function () { say(d.labelNone, true); el.dataset.state = "ready"; });
  }

  function applyLocally(action, ids, territoryId) {
    var index = state.data.territories.findIndex(function (t) { return t.id === territoryId; });
    ids.forEach(function (id) {
      var m = state.markers[id];
      if (!m) return;
      if (action === "move") { m.row[T] = index; m.row[LOCKED] = 1; }
      if (action === "lock") m.row[LOCKED] = 1;
      if (action === "unlock") m.row[LOCKED] = 0;
    });
    state.picked.clear();
    restyle(ids);
    showPicked();
    styleDistricts();
  }

  // The figures above the map are re-read from the page itself, so they stay the server's.
  function refreshFigures() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("design-figures");
        var old = document.getElementById("design-figures");
        if (fresh && old) old.replaceWith(fresh);
        el.dataset.state = "ready";
      });
  }

  if (toolbar) {
    toolbar.addEventListener("click", function (e) {
      var button = e.target.closest("button");
      if (!button) return;
      if (button.dataset.mode) setMode(button.dataset.mode);
      if (button.dataset.do === "clear") { var ids = Array.from(state.picked); state.picked.clear(); restyle(ids); showPicked(); }
      else if (button.dataset.do) send(button.dataset.do);
    });
    var layerSelect = toolbar.querySelector("[data-layer]");
    if (layerSelect) layerSelect.addEventListener("change", function () { state.layer = layerSelect.value; styleDistricts(); });
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
  });

  el.dataset.state = "loading";
  getJSON(d.baseUrl).then(function (land) {
    L.geoJSON(land, { pane: "land", interactive: false,
      style: { color: "#8c9a95", weight: 1, fillColor: "#f8f6f0", fillOpacity: d.tileUrl ? 0 : 1 } }).addTo(map);
  }).catch(function () {});
  getJSON(d.mapUrl)
    .then(function (data) {
      state.data = data;
      drawAccounts();
      showPicked();
      return getJSON(d.districtsUrl).then(drawDistricts).catch(function () { legend([]); });
    })
    .then(function () { el.dataset.state = "ready"; })
    .catch(function (error) { el.dataset.state = "error"; if (window.console) console.error("Rumbo design map:", error); });
})();
