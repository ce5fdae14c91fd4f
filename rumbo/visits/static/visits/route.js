/* The day's route on the offline map: the base, the visits numbered in order with their
 * arrival time, and the line between them. "Optimise my day" sends the phone's position. */
(function () {
  "use strict";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(url + " answered " + r.status); return r.json(); });
  }

  function draw(el) {
    var d = el.dataset;
    var map = L.map(el, { zoomSnap: 0.5, minZoom: 4, maxZoom: 18 });
    map.fitBounds([[-18.4, -81.4], [-0.03, -68.65]]);
    if (d.attribution) map.attributionControl.addAttribution(d.attribution);
    if (d.tileUrl) L.tileLayer(d.tileUrl, { maxZoom: 19 }).addTo(map);
    el.dataset.state = "loading";
    getJSON(d.baseUrl).then(function (land) {
      L.geoJSON(land, { interactive: false,
        style: { color: "#8c9a95", weight: 1, fillColor: "#f8f6f0", fillOpacity: d.tileUrl ? 0 : 1 } }).addTo(map);
    }).catch(function () {});
    getJSON(d.routeUrl).then(function (route) {
      var base = [route.base.lat, route.base.lon];
      var line = [base];
      L.marker(base, { icon: L.divIcon({ className: "route-base", iconSize: [14, 14] }), title: d.labelBase }).addTo(map);
      route.stops.forEach(function (stop, i) {
        var at = [stop.lat, stop.lon];
        line.push(at);
        var icon = L.divIcon({ className: "route-stop route-stop--" + stop.status, html: String(i + 1), iconSize: [22, 22] });
        L.marker(at, { icon: icon, title: stop.name }).bindTooltip((stop.time ? stop.time + " · " : "") + stop.name).addTo(map);
      });
      line.push(base);
      var path = L.polyline(line, { color: "#0b6e4f", weight: 3, opacity: 0.8 }).addTo(map);
      map.fitBounds(path.getBounds().pad(0.1), { maxZoom: 15 });
      el.dataset.stops = String(route.stops.length);
      el.dataset.state = "ready";
    }).catch(function () { el.dataset.state = "error"; });
  }

  function fromHere(form) {
    form.addEventListener("submit", function (e) {
      if (form.elements.lat.value) return;
      e.preventDefault();
      var button = form.querySelector("button");
      if (!navigator.geolocation) { button.textContent = button.dataset.labelFail; return; }
      button.textContent = button.dataset.labelWait;
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.lat.value = pos.coords.latitude;
        form.elements.lon.value = pos.coords.longitude;
        var now = new Date();
        form.elements.now.value = String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
        form.submit();
      }, function () { button.textContent = button.dataset.labelFail; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  function start() {
    var el = document.getElementById("route-map");
    if (el && window.L) draw(el);
    var form = document.querySelector("[data-from-here]");
    if (form) fromHere(form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
