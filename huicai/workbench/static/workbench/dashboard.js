/* Draw the managers' dashboard (W17) with Apache ECharts (vendored, see vendor/README.md).
 *
 * The figures come from the JSON endpoint named in #charts[data-source], scoped on the server to the
 * manager's jurisdiction. Every bar or point carries the link to the list behind it: clicking it opens
 * that list. The same figures are in the table under each chart, for keyboard and screen-reader users.
 */
(function () {
  "use strict";

  var FONT = '"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif';
  // Blue for the main series, red for the warning one (overdue), so the colour carries the meaning.
  var COLOURS = ["#0969da", "#cf222e", "#1a7f37", "#9a6700", "#8250df"];

  function option(chart) {
    var horizontal = chart.kind === "bar" && chart.categories.length > 6;
    var categoryAxis = {
      type: "category",
      data: chart.categories,
      axisLabel: { interval: 0, fontFamily: FONT, width: 110, overflow: "truncate", rotate: horizontal ? 0 : 30 }
    };
    var valueAxis = { type: "value", axisLabel: { fontFamily: FONT, formatter: chart.unit === "%" ? "{value}%" : "{value}" } };
    if (chart.unit === "%") { valueAxis.max = 100; }
    return {
      color: COLOURS,
      aria: { enabled: true },
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, textStyle: { fontFamily: FONT } },
      grid: { left: horizontal ? 120 : 40, right: 28, top: 44, bottom: horizontal ? 24 : 64, containLabel: !horizontal },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? Object.assign({}, categoryAxis, { inverse: true, axisLabel: { fontFamily: FONT, width: 110, overflow: "truncate" } }) : valueAxis,
      series: chart.series.map(function (s) {
        return {
          name: s.name,
          type: chart.kind === "line" ? "line" : "bar",
          data: s.data,
          cursor: "pointer",
          barMaxWidth: 48,
          label: { show: chart.categories.length <= 12, position: horizontal ? "right" : "top", fontFamily: FONT },
          emphasis: { focus: "series" }
        };
      })
    };
  }

  function draw(container, chart) {
    var box = document.getElementById("chart-" + chart.key);
    if (!box) { return; }
    if (!chart.categories.length) {
      box.textContent = "暂无数据。";
      box.classList.add("empty");
      return;
    }
    var instance = window.echarts.init(box, null, { renderer: "canvas" });
    instance.setOption(option(chart));
    instance.on("click", function (params) {
      var series = chart.series[params.seriesIndex];
      var link = series && series.links ? series.links[params.dataIndex] : null;
      if (link) { window.location.assign(link); }
    });
    box.dataset.drawn = "true";
    window.addEventListener("resize", function () { instance.resize(); });
  }

  function init() {
    var container = document.getElementById("charts");
    var status = document.getElementById("chart-status");
    if (!container || !window.echarts) { return; }
    fetch(container.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        data.charts.forEach(function (chart) { draw(container, chart); });
        container.dataset.ready = "true";
      })
      .catch(function () {
        status.textContent = "图表数据加载失败，请刷新页面；下方数据表仍可查看。";
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
