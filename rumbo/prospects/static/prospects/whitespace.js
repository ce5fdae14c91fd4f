/* The white-space heat layer: districts shaded by their open potential, on Rumbo's offline
 * map (js/map.js). The element says where the districts come from (data-heat-url); the legend's
 * words come from the page. */
(function () {
  "use strict";

  var COLOURS = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#e6550d", "#a63603"];

  function breaks(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    return [0.2, 0.4, 0.6, 0.8].map(function (q) { return sorted[Math.floor(q * (sorted.length - 1))] || 0; });
  }

  function colour(value, cuts) {
    var i = 0;
    while (i < cuts.length && value > cuts[i]) i += 1;
    return COLOURS[i];
  }

  function tooltip(p, el) {
    var d = el.dataset;
    return "#" + p.rank + " " + p.name + " · " + d.labelOpen + ": " + p.open.toLocaleString() +
      " · " + d.labelCustomers + ": " + p.customers;
  }

  function draw(el) {
    var map = window.RumboMap.init(el);
    fetch(el.dataset.heatUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (collection) {
        var values = collection.features.map(function (f) { return f.properties.value; });
        var cuts = breaks(values);
        var layer = L.geoJSON(collection, {
          pane: "districts",
          style: function (f) {
            return { color: "#7c2d12", weight: 0.8, fillColor: colour(f.properties.value, cuts), fillOpacity: 0.75 };
          },
          onEachFeature: function (f, l) {
            l.bindTooltip(tooltip(f.properties, el), { sticky: true });
            l.on("click", function () { window.location.href = el.dataset.prospectsUrl + "?ubigeo=" + f.properties.ubigeo; });
          },
        }).addTo(map);
        el.dataset.heat = String(collection.features.length);
        if (collection.features.length) map.fitBounds(layer.getBounds(), { padding: [12, 12] });
      })
      .catch(function (error) { el.dataset.heat = "error"; if (window.console) console.error("Heat layer:", error); });
  }

  function start() {
    if (!window.L || !window.RumboMap) return;
    document.querySelectorAll("[data-heat-url]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
