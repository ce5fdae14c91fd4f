/* The value × effort chart of the coverage page (Apache ECharts): one point per account, the
   organisation's median lines, a colour per quadrant. The lists of the best and the costly
   accounts stay below it, and the page reads the same without JavaScript. */
(function () {
  "use strict";
  var COLOURS = { best: "#0b6e4f", demanding: "#2563eb", light: "#9aa9a4", costly: "#b91c1c" };
  var box = document.querySelector('[data-chart="matrix"]');
  var source = document.getElementById("matrix-data");
  if (!box || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var canvas = box.querySelector("[data-chart-canvas]");
  var lang = document.documentElement.lang || "es";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });

  var series = Object.keys(data.quadrants).map(function (key) {
    return {
      name: data.quadrants[key], type: "scatter", symbolSize: 7,
      itemStyle: { color: COLOURS[key], opacity: 0.75 },
      data: data.points.filter(function (p) { return p[3] === key && p[0] > 0; }).map(function (p) {
        return { value: [p[0], p[1]], name: p[2], id: p[4] };
      })
    };
  });
  series[0].markLine = {
    symbol: "none", silent: true, lineStyle: { color: "#b45309", type: "dashed" }, label: { show: false },
    data: [{ xAxis: data.value_cut }, { yAxis: data.effort_cut }]
  };

  canvas.hidden = false;
    var chart = echarts.init(canvas, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    legend: { top: 0, type: "scroll" },
    grid: { left: 16, right: 32, bottom: 32, top: 56, containLabel: true },
    tooltip: {
      trigger: "item",
      formatter: function (p) { return echarts.format.encodeHTML(p.name) + "<br>" + number.format(p.value[0]) + " · " + number.format(p.value[1]); }
    },
    xAxis: { type: "log", name: canvas.dataset.x, nameLocation: "middle", nameGap: 28, axisLabel: { formatter: function (v) { return number.format(v); } } },
    yAxis: { type: "value", name: canvas.dataset.y, nameTextStyle: { align: "left" }, axisLabel: { formatter: function (v) { return number.format(v); } } },
    series: series
  });
  chart.on("click", function (p) { if (p.data && p.data.id) window.location = "/accounts/" + p.data.id + "/"; });
  window.addEventListener("resize", function () { chart.resize(); });
})();
