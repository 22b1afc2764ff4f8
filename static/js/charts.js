// Draws every [data-chart] element from the page's #chart-data; clicking a slice or bar opens the list behind it.
(function () {
  var dataEl = document.getElementById("chart-data");
  if (!dataEl || !window.echarts) return;
  var data = JSON.parse(dataEl.textContent);
  var palette = ["#b3121f", "#e3663c", "#f2c14e", "#3d7dca", "#56a36c", "#8c6bb1", "#7a8794", "#c2185b", "#00897b"];
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var series = data[el.dataset.series] || [];
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var option;
    var dark = el.dataset.theme === "dark";
    var text = dark ? "#e8edf5" : "#333";
    if (el.dataset.chart === "line") {
      // Monthly trend lines: {months: [...], series: [{name, values}]}.
      var line = data[el.dataset.series] || { months: [], series: [] };
      option = {
        color: palette,
        textStyle: { color: text },
        tooltip: { trigger: "axis" },
        legend: { bottom: 0, textStyle: { color: text } },
        grid: { left: 56, right: 16, top: 24, bottom: 48 },
        xAxis: { type: "category", data: line.months, axisLabel: { color: text } },
        yAxis: { type: "value", minInterval: 1, axisLabel: { color: text } },
        series: line.series.map(function (s) { return { name: s.name, type: "line", smooth: true, data: s.values, connectNulls: true }; })
      };
      series = [];
    } else if (el.dataset.chart === "treemap") {
      // Tiles sized by count, coloured by a rate (0–100): parks by units and coverage.
      var tiles = data[el.dataset.series] || [];
      option = {
        tooltip: { formatter: function (p) { return p.name + "<br>单位 " + p.value[0] + "，组织覆盖率 " + p.value[1] + "%"; } },
        series: [{ type: "treemap", roam: false, nodeClick: false, breadcrumb: { show: false },
          label: { formatter: function (p) { return p.name + "\n" + p.value[0] + "家 · " + p.value[1] + "%"; } },
          data: tiles.map(function (t) {
            var color = t.rate >= 80 ? "#b3121f" : t.rate >= 50 ? "#e3663c" : t.rate >= 20 ? "#f2a14e" : "#f2c14e";
            return { name: t.name, value: [t.value, t.rate], url: t.url, itemStyle: { color: color } };
          }) }]
      };
      series = tiles;
    } else if (el.dataset.chart === "bars") {
      // Several series over the same categories (e.g. coverage rates per park type), in percent.
      var spec = data[el.dataset.series] || { categories: [], series: [], urls: [] };
      option = {
        color: palette,
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
        legend: { bottom: 0 },
        grid: { left: 48, right: 16, top: 24, bottom: 72 },
        xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 5 ? 30 : 0 } },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: spec.series.map(function (s) {
          return { name: s.name, type: "bar", barMaxWidth: 32, data: s.values, label: { show: spec.categories.length <= 8, position: "top", formatter: "{c}%" } };
        })
      };
      series = spec.categories.map(function (name, i) { return { name: name, url: spec.urls[i] }; });
    } else if (el.dataset.chart === "pie") {
      option = {
        color: palette,
        tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"], data: series, label: { formatter: "{b}\n{c}" } }]
      };
    } else {
      option = {
        color: palette,
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 16, top: 16, bottom: 48 },
        xAxis: { type: "category", data: series.map(function (s) { return s.name; }), axisLabel: { interval: 0, rotate: series.length > 6 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: series.map(function (s) { return { value: s.value, url: s.url }; }), barMaxWidth: 42, label: { show: true, position: "top" } }]
      };
    }
    if (dark) {
      // Light text on the big screen's dark background.
      option.textStyle = { color: text };
      if (option.legend) option.legend.textStyle = { color: text };
      [option.xAxis, option.yAxis].forEach(function (axis) { if (axis) axis.axisLabel = Object.assign({}, axis.axisLabel, { color: text }); });
      (option.series || []).forEach(function (s) { if (s.label) s.label.color = text; });
    }
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = (params.data && params.data.url) || (series[params.dataIndex] && series[params.dataIndex].url);
      if (url) window.location.href = url;
    });
    el.dataset.ready = "1";
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
