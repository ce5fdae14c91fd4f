/* Charts of the performance pages (Apache ECharts). The data comes from the page
   (<script id="chart-data" type="application/json">); every chart replaces a table that
   stays one click away, and the page reads the same without JavaScript. */
(function () {
  "use strict";
  var GREEN = "#0b6e4f", GREY = "#9aa9a4", AMBER = "#b45309", RED = "#b91c1c";
  var lang = document.documentElement.lang || "es";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  var percent = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  function trend(data) {
    var names = Object.keys(data.series);
    var styles = [
      { type: "bar", itemStyle: { color: GREEN } },
      { type: "line", itemStyle: { color: GREY }, lineStyle: { type: "dashed" } },
      { type: "line", itemStyle: { color: AMBER }, step: "middle" }
    ];
    return {
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", axisLabel: { formatter: short } },
      series: names.map(function (name, i) {
        return Object.assign({ name: name, data: data.series[name], connectNulls: false }, styles[i]);
      })
    };
  }

  function attainment(data) {
    return {
      tooltip: { trigger: "axis", valueFormatter: pct },
      grid: { left: 8, right: 24, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: "{value} %" } },
      yAxis: { type: "category", data: data.labels, inverse: true },
      series: [{
        name: data.name, type: "bar", data: data.values.map(function (v) {
          return { value: v, itemStyle: { color: v !== null && v < data.threshold ? RED : GREEN } };
        }),
        markLine: { symbol: "none", data: [{ xAxis: data.threshold }], lineStyle: { color: AMBER } }
      }]
    };
  }

  function heatmap(data) {
    return {
      tooltip: { position: "top", valueFormatter: pct },
      grid: { left: 8, right: 8, bottom: 64, top: 8, containLabel: true },
      xAxis: { type: "category", data: data.months, splitArea: { show: true } },
      yAxis: { type: "category", data: data.rows, inverse: true, splitArea: { show: true } },
      visualMap: { min: 60, max: 120, calculable: true, orient: "horizontal", left: "center",
                   bottom: 0, inRange: { color: [RED, "#fef3c7", GREEN] } },
      series: [{ name: data.name, type: "heatmap", data: data.values,
                 label: { show: data.rows.length * data.months.length <= 180, formatter: function (p) {
                   return percent.format(p.value[2]); } } }]
    };
  }

  function bridge(data) {
    // A waterfall: invisible bars lift each part to where the previous one ended.
    var base = [], up = [], down = [], level = 0;
    data.values.forEach(function (v, i) {
      if (data.totals[i]) { base.push(0); up.push(v); down.push("-"); level = v; return; }
      var next = level + v;
      base.push(Math.min(level, next));
      up.push(v >= 0 ? v : "-");
      down.push(v < 0 ? -v : "-");
      level = next;
    });
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (items) {
        var i = items[0].dataIndex; return data.labels[i] + ": " + fmt(data.values[i]); } },
      grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, width: 90, overflow: "break" } },
      yAxis: { type: "value", axisLabel: { formatter: short } },
      series: [
        { type: "bar", stack: "w", data: base, itemStyle: { color: "transparent" }, silent: true },
        { type: "bar", stack: "w", data: up, itemStyle: { color: GREEN } },
        { type: "bar", stack: "w", data: down, itemStyle: { color: RED } }
      ]
    };
  }

  function fmt(v) { return v === null || v === undefined ? "—" : number.format(v); }
  function pct(v) { return v === null || v === undefined ? "—" : percent.format(v) + " %"; }
  function short(v) {
    var a = Math.abs(v);
    if (a >= 1e6) return percent.format(v / 1e6) + " M";
    if (a >= 1e3) return percent.format(v / 1e3) + " k";
    return number.format(v);
  }

  var builders = { trend: trend, attainment: attainment, heatmap: heatmap, bridge: bridge };

  function setUp(box, data) {
    var canvas = box.querySelector("[data-chart-canvas]");
    var table = box.querySelector("[data-chart-table]");
    var toggle = box.querySelector("[data-chart-toggle]");
    var build = builders[box.dataset.chart];
    if (!canvas || !build || !data) return;
    canvas.hidden = false;
    if (box.dataset.chart === "attainment" || box.dataset.chart === "heatmap") {
      var rows = (data.labels || data.rows || []).length;
      canvas.style.height = Math.max(220, 48 + rows * 26) + "px";
    }
    var chart = echarts.init(canvas, null, { renderer: "svg" });
    chart.setOption(build(data));
    table.hidden = true;
    toggle.hidden = false;
    box.dataset.state = "ready";
    toggle.addEventListener("click", function () {
      var showing = !table.hidden;
      table.hidden = showing;
      canvas.hidden = !showing;
      toggle.textContent = showing ? toggle.dataset.showTable : toggle.dataset.showChart;
      if (showing) chart.resize();
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var source = document.getElementById("chart-data");
    if (!source || typeof echarts === "undefined") return;
    var all = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      setUp(box, all[box.dataset.chart]);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
