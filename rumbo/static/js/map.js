/* Rumbo's offline map. Peru's departamento outlines are the base layer (no tile server unless
 * the deployment sets one); provincias appear when zoomed in; district polygons and account
 * pins come from Rumbo's own, scoped endpoints. Every element with [data-rumbo-map] becomes a
 * map; its data attributes say what to draw (see rumbo/customers/templates/customers/_map.html).
 */
(function () {
  "use strict";

  var PERU = [[-18.4, -81.4], [-0.03, -68.65]];
  var PROVINCIAS_FROM_ZOOM = 7;
  var STYLE = {
    land: { color: "#8c9a95", weight: 1, fillColor: "#f8f6f0", fillOpacity: 1 },
    landOverTiles: { color: "#5b6b66", weight: 1.2, fill: false },
    provincia: { color: "#a9b6b1", weight: 0.7, dashArray: "3 4", fill: false },
    distrito: { color: "#0b6e4f", weight: 1.5, fillColor: "#0b6e4f", fillOpacity: 0.1 },
  };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(url + " answered " + response.status);
        return response.json();
      });
  }

  function readPoints(el) {
    var d = el.dataset;
    if (d.pointsId) {
      var script = document.getElementById(d.pointsId);
      return Promise.resolve(script ? JSON.parse(script.textContent).points : []);
    }
    if (d.pointsUrl) return getJSON(d.pointsUrl).then(function (data) { return data.points; });
    return Promise.resolve([]);
  }

  // Translated words come from the page: data-label-open, data-label-approx, data-label-<status>.
  function labels(el) {
    var d = el.dataset;
    return {
      open: d.labelOpen,
      approx: d.labelApprox,
      status: { active: d.labelActive, prospect: d.labelProspect, inactive: d.labelInactive },
    };
  }

  function popup(point, el, text) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = point.name;
    box.appendChild(name);
    var status = document.createElement("div");
    status.className = "muted";
    status.textContent = (text.status || {})[point.status] || point.status;
    box.appendChild(status);
    if (point.approx && text.approx) {
      var approx = document.createElement("div");
      approx.className = "muted";
      approx.textContent = text.approx;
      box.appendChild(approx);
    }
    if (el.dataset.accountUrl) {
      var link = document.createElement("a");
      link.href = el.dataset.accountUrl.replace("/0/", "/" + point.id + "/");
      link.textContent = text.open || "→";
      box.appendChild(link);
    }
    return box;
  }

  function pin(point, el, text) {
    var classes = "rumbo-pin rumbo-pin--" + point.status + (point.approx ? " rumbo-pin--approx" : "");
    var marker = L.marker([point.lat, point.lon], {
      icon: L.divIcon({ className: classes, iconSize: [16, 16] }),
      title: point.name,
      alt: point.name,
      keyboard: true,
    });
    return marker.bindPopup(function () { return popup(point, el, text); });
  }

  // A cluster's circle grows with the number of digits it has to show.
  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = n < 100 ? 36 : n < 1000 ? 44 : 52;
    var kind = n < 10 ? "small" : n < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + n + "</span></div>",
      className: "marker-cluster marker-cluster-" + kind,
      iconSize: L.point(size, size),
    });
  }

  function addPoints(map, el, points) {
    var text = labels(el);
    var markers = points.map(function (p) { return pin(p, el, text); });
    var threshold = parseInt(el.dataset.clusterOver || "50", 10);
    if (markers.length > threshold && L.markerClusterGroup) {
      var clusters = L.markerClusterGroup({
        showCoverageOnHover: false, maxClusterRadius: 50, chunkedLoading: true, iconCreateFunction: clusterIcon,
      });
      clusters.addLayers(markers);
      clusters.addTo(map);
    } else {
      L.featureGroup(markers).addTo(map);
    }
    el.dataset.points = String(markers.length);
    return markers.length ? L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; })) : null;
  }

  function districtTooltip(feature) {
    var p = feature.properties || {};
    return p.name + (p.provincia ? " · " + p.provincia : "");
  }

  function addDistricts(map, el) {
    if (!el.dataset.districtsUrl) return Promise.resolve(null);
    return getJSON(el.dataset.districtsUrl).then(function (collection) {
      var layer = L.geoJSON(collection, {
        pane: "districts",
        style: STYLE.distrito,
        onEachFeature: function (feature, l) { l.bindTooltip(districtTooltip(feature), { sticky: true }); },
      }).addTo(map);
      el.dataset.districts = String(collection.features.length);
      return collection.features.length ? layer.getBounds() : null;
    });
  }

  function addBase(map, el, overTiles) {
    var style = overTiles ? STYLE.landOverTiles : STYLE.land;
    return getJSON(el.dataset.baseUrl).then(function (collection) {
      L.geoJSON(collection, { pane: "land", style: style, interactive: false }).addTo(map);
    });
  }

  function watchProvincias(map, el) {
    if (!el.dataset.detailUrl) return;
    var layer = null;
    var loading = false;
    function update() {
      var wanted = map.getZoom() >= PROVINCIAS_FROM_ZOOM;
      if (wanted && !layer && !loading) {
        loading = true;
        getJSON(el.dataset.detailUrl).then(function (collection) {
          layer = L.geoJSON(collection, { pane: "provincias", style: STYLE.provincia, interactive: false });
          if (map.getZoom() >= PROVINCIAS_FROM_ZOOM) layer.addTo(map);
        }).catch(function () { loading = false; });
      } else if (layer) {
        if (wanted && !map.hasLayer(layer)) layer.addTo(map);
        if (!wanted && map.hasLayer(layer)) map.removeLayer(layer);
      }
    }
    map.on("zoomend", update);
    update();
  }

  function makePanes(map) {
    [["land", 200], ["provincias", 250], ["districts", 350]].forEach(function (pane) {
      map.createPane(pane[0]).style.zIndex = String(pane[1]);
    });
  }

  function fit(map, pointBounds, districtBounds, single) {
    if (single && pointBounds) {
      var around = districtBounds ? districtBounds.extend(pointBounds) : pointBounds.pad(0.01);
      map.fitBounds(around, { maxZoom: 15, padding: [12, 12] });
    } else if (pointBounds) {
      map.fitBounds(pointBounds.pad(0.05), { maxZoom: 15, padding: [12, 12] });
    } else if (districtBounds) {
      map.fitBounds(districtBounds, { padding: [12, 12] });
    }
  }

  function init(el) {
    if (el._rumboMap) return el._rumboMap;
    var d = el.dataset;
    var map = L.map(el, { zoomSnap: 0.5, minZoom: 4, maxZoom: 18, maxBounds: L.latLngBounds(PERU).pad(0.8), scrollWheelZoom: false });
    el._rumboMap = map;
    makePanes(map);
    map.fitBounds(PERU);
    L.control.scale({ imperial: false }).addTo(map);
    // Scroll-zoom only once the map has focus, so that scrolling the page does not zoom it.
    map.on("focus click", function () { map.scrollWheelZoom.enable(); });
    map.on("blur", function () { map.scrollWheelZoom.disable(); });
    if (d.tileUrl) {
      L.tileLayer(d.tileUrl, { attribution: d.tileAttribution || "", maxZoom: 19 }).addTo(map);
      el.classList.add("rumbo-map--tiles");
    }
    if (d.attribution) map.attributionControl.addAttribution(d.attribution);
    el.dataset.state = "loading";
    var base = addBase(map, el, Boolean(d.tileUrl));
    watchProvincias(map, el);
    Promise.all([readPoints(el), addDistricts(map, el).catch(function () { return null; }), base])
      .then(function (loaded) {
        var points = loaded[0] || [];
        fit(map, addPoints(map, el, points), loaded[1], points.length === 1);
        el.dataset.state = "ready";
      })
      .catch(function (error) {
        el.dataset.state = "error";
        if (window.console) console.error("Rumbo map:", error);
      });
    return map;
  }

  function initWhenShown(el) {
    var closed = el.closest("details:not([open])");
    if (!closed) { init(el); return; }
    closed.addEventListener("toggle", function () {
      if (!closed.open) return;
      if (el._rumboMap) el._rumboMap.invalidateSize();
      else init(el);
    });
  }

  function start() {
    if (!window.L) return;
    document.querySelectorAll("[data-rumbo-map]").forEach(initWhenShown);
  }

  window.RumboMap = { init: init };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
