/* Seasons charts (Apache ECharts): the month × category heat map of seasonal indices and a
   forecast with its 80 % band. Data comes from <script type="application/json"> in the page;
   every chart has its table on the same page. */
(function () {
  "use strict";
  if (!window.echarts) return;
  var lang = document.documentElement.lang || "es";
  var fmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });

  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function heat(el, data) {
    var cells = [];
    data.values.forEach(function (row, r) {
      row.forEach(function (v, m) { cells.push([m, r, v === null ? "-" : v]); });
    });
    el.style.height = Math.max(12, 2 + data.rows.length * 1.6) + "rem";
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { formatter: function (p) { return data.rows[p.value[1]] + " · " + data.months[p.value[0]] + ": " + fmt.format(p.value[2]); } },
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: data.months, splitArea: { show: true } },
      yAxis: { type: "category", data: data.rows, inverse: true },
      visualMap: { min: 0.6, max: 1.4, calculable: true, orient: "horizontal", left: "center", bottom: 0,
        inRange: { color: ["#2563eb", "#f8fafc", "#d94801"] } },
      series: [{ type: "heatmap", data: cells, label: { show: data.rows.length <= 25, formatter: function (p) { return fmt.format(p.value[2]); }, fontSize: 10 } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.state = "ready";
  }

  function band(el, data) {
    var chart = echarts.init(el);
    var low = data.lower.map(function (v) { return v; });
    var width = data.upper.map(function (v, i) { return v === null || low[i] === null ? null : v - low[i]; });
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : fmt.format(v); } },
      legend: { top: 0, data: [el.dataset.labelHistory, el.dataset.labelForecast, el.dataset.labelBand] },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value" },
      series: [
        { name: "low", type: "line", data: low, stack: "band", lineStyle: { opacity: 0 }, symbol: "none", tooltip: { show: false } },
        { name: el.dataset.labelBand, type: "line", data: width, stack: "band", lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { color: "#0b6e4f33" } },
        { name: el.dataset.labelHistory, type: "line", data: data.history, itemStyle: { color: "#1b3a31" } },
        { name: el.dataset.labelForecast, type: "line", data: data.mean, itemStyle: { color: "#0b6e4f" }, lineStyle: { type: "dashed" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.state = "ready";
  }

  var h = document.querySelector("[data-heat]");
  if (h) heat(h, read("heat-data"));
  var b = document.querySelector("[data-band]");
  if (b) band(b, read("band-data"));
})();
