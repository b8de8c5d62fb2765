/* Bar charts of window grading (scores per window, per indicator, per year) with the vendored Apache
 * ECharts. The figures come from a json_script block next to each chart; the same figures are in the table
 * on the page for keyboard and screen-reader users. A bar with a link opens it. */
(function () {
  "use strict";
  var FONT = '"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif';
  function draw(node) {
    var source = document.getElementById(node.getAttribute("data-chart"));
    if (!source || !window.echarts) { return; }
    var chart = JSON.parse(source.textContent);
    if (!chart.values.length) { node.style.display = "none"; return; }
    var instance = window.echarts.init(node);
    instance.setOption({
      aria: { enabled: true },
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 40, right: 16, top: 16, bottom: 80, containLabel: true },
      xAxis: { type: "category", data: chart.categories, axisLabel: { interval: 0, rotate: 30, fontFamily: FONT } },
      yAxis: { type: "value", max: 100 },
      series: [{ type: "bar", data: chart.values, barMaxWidth: 40, itemStyle: { color: "#0969da" },
                 label: { show: chart.values.length <= 20, position: "top" } }]
    });
    instance.on("click", function (params) {
      var link = (chart.links || [])[params.dataIndex];
      if (link) { window.location.href = link; }
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".grading-chart").forEach(draw);
  });
})();
