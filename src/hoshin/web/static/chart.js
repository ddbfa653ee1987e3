// Metric charts. Each <figure class="metric-chart"> carries its chart as JSON in a
// <script type="application/json"> (data, never code: the Content-Security-Policy runs no
// inline script), computed by the server (hoshin.web.chart); this draws it with Apache
// ECharts (vendor/echarts.min.js) in SVG, which stays sharp when printed. The figure's
// caption and the bowling table below it say the same in text. A figure that htmx brings
// into the page (a metric added in place) is drawn as it arrives (htmx:load).
(function () {
  "use strict";
  var INK = "#1d2433";
  var MUTED = "#5b6475";
  var LINE = "#d5dae3";
  var PLAN = "#1f5fbf";
  var TARGET = "#6a1b9a";
  // The bowling chart's colours and symbols (● on plan, ▲ within tolerance, ■ behind):
  // colour is never the only signal.
  var STATUS = { green: "#1a7f37", amber: "#9a6700", red: "#c62828" };
  var SHAPE = { green: "circle", amber: "triangle", red: "rect" };
  var WORD = { green: "on plan", amber: "within tolerance", red: "behind plan" };

  function format(value, places, least) {
    if (value === null || value === undefined) { return ""; }
    return Number(value).toLocaleString("en", {
      minimumFractionDigits: least === undefined ? places : least, maximumFractionDigits: places
    });
  }

  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  function widths(data) {
    return data.high.map(function (high, k) {
      var low = data.low[k];
      return high === null || low === null ? null : high - low;
    });
  }

  function tooltip(data) {
    return function (params) {
      var k = params[0].dataIndex;
      var lines = ["<strong>" + escape(data.months[k]) + "</strong>"];
      if (data.planned[k] !== null) { lines.push("plan " + format(data.planned[k], data.places)); }
      if (data.low[k] !== null) {
        lines.push(escape(data.band) + " " + format(data.low[k], data.places) + " to " +
                   format(data.high[k], data.places));
      }
      if (data.actuals[k] !== null) {
        var status = data.statuses[k] ? WORD[data.statuses[k]] : "before the plan";
        lines.push("actual " + format(data.actuals[k], data.places) + " (" + status + ")");
      }
      return lines.join("<br>");
    };
  }

  function rises(data) {
    var first = data.planned.filter(function (v) { return v !== null; })[0];
    return first !== undefined && data.target.value >= first;
  }

  function marks(data) {
    var lines = [];
    var points = [];
    if (data.today) {
      lines.push({
        xAxis: data.today.month,
        lineStyle: { color: INK, type: "solid", width: 1.5 },
        label: { formatter: data.today.label, position: "end", color: INK, fontWeight: 600,
                 // near the right edge the label ends at the line, so that it is not cut
                 align: data.months.indexOf(data.today.month) > 0.8 * data.months.length ? "right" : "center" }
      });
    }
    if (data.target) {
      lines.push({
        yAxis: data.target.value,
        lineStyle: { color: TARGET, type: "dotted", width: 1.5 },
        label: { show: false }
      });
      points.push({
        coord: [data.target.month, data.target.value],
        symbol: "diamond", symbolSize: 14, itemStyle: { color: TARGET },
        label: {
          // beside the diamond, on the side away from the plan (which comes from below a
          // rising target, from above a falling one), ending at it so that it is not cut
          show: true, formatter: data.target.label, position: rises(data) ? "bottom" : "top",
          align: "right", distance: 8,
          color: TARGET, fontWeight: 700, backgroundColor: "rgba(255,255,255,0.85)", padding: 2
        }
      });
    }
    return {
      markLine: { symbol: "none", silent: true, data: lines },
      markPoint: { silent: true, data: points }
    };
  }

  function series(data) {
    var all = [];
    if (data.low.some(function (v) { return v !== null; })) {
      all.push({ name: "base", type: "line", data: data.low, stack: "band", symbol: "none",
                 lineStyle: { opacity: 0 }, silent: true });
      var fill = data.target ? "#f3d98b" : "#bfe3c8";  // a plan's amber tolerance, a band's green
      all.push({ name: data.band, type: "line", data: widths(data), stack: "band", symbol: "none",
                 lineStyle: { opacity: 0 }, areaStyle: { color: fill, opacity: 0.55 },
                 itemStyle: { color: fill }, silent: true });
    }
    if (data.planned.some(function (v) { return v !== null; })) {
      all.push({ name: "plan", type: "line", data: data.planned, symbol: "none",
                 itemStyle: { color: PLAN }, lineStyle: { color: PLAN, width: 2, type: "dashed" } });
    }
    var actuals = data.actuals.map(function (value, k) {
      var status = data.statuses[k];
      if (value === null || !status) { return value; }  // before the plan: no status
      return { value: value, symbol: SHAPE[status], itemStyle: { color: STATUS[status] } };
    });
    var actual = { name: "actual", type: "line", data: actuals, connectNulls: true,
                   symbolSize: 7, itemStyle: { color: INK }, lineStyle: { color: INK, width: 1.5 } };
    var marked = marks(data);
    actual.markLine = marked.markLine;
    actual.markPoint = marked.markPoint;
    all.push(actual);
    return all;
  }

  function option(data) {
    var names = series(data).map(function (s) { return s.name; }).filter(function (name) {
      return name !== "base";
    });
    var axisText = { color: INK, fontSize: 12 };
    return {
      animation: false,
      textStyle: { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" },
      grid: { left: 16, right: 24, top: 44, bottom: 64, containLabel: true },
      legend: { data: names, bottom: 0, textStyle: axisText },
      tooltip: { trigger: "axis", confine: true, formatter: tooltip(data) },
      xAxis: {
        type: "category", data: data.months, boundaryGap: false, name: "month",
        nameLocation: "middle", nameGap: 28, nameTextStyle: axisText,
        // at the bottom of the chart, not at 0 where a band below 0 would put it
        axisLabel: axisText, axisLine: { onZero: false, lineStyle: { color: MUTED } }
      },
      yAxis: {
        // the unit starts at the axis and runs right: centred on it, a long one was cut
        type: "value", scale: true, name: data.unit || "value",
        // room beyond a maintain band, which the actuals otherwise fill edge to edge
        boundaryGap: data.target ? [0, 0] : ["8%", "8%"],
        nameTextStyle: { color: INK, fontSize: 12, align: "left" },
        minInterval: Math.pow(10, -data.places),
        axisLabel: { color: INK, formatter: function (v) { return format(v, data.places, 0); } },
        splitLine: { lineStyle: { color: LINE } }
      },
      series: series(data)
    };
  }

  function draw(figure) {
    var source = figure.querySelector("script.chart-data");
    var box = figure.querySelector(".chart-box");
    if (!source || !box || !window.echarts || figure.classList.contains("drawn")) { return null; }
    figure.classList.add("drawn");  // the box takes its height only when there is a chart
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption(option(JSON.parse(source.textContent)));
    return chart;
  }

  var charts = [];
  var observer = window.ResizeObserver ? new ResizeObserver(resize) : null;
  function resize() { charts.forEach(function (chart) { chart.resize(); }); }

  // Draws the figures in root (root itself included) not drawn yet; the charts of figures
  // that htmx took out of the page are let go.
  function start(root) {
    charts = charts.filter(function (chart) {
      if (document.body.contains(chart.getDom())) { return true; }
      if (observer) { observer.unobserve(chart.getDom()); }
      chart.dispose();
      return false;
    });
    var figures = Array.prototype.slice.call(root.querySelectorAll("figure.metric-chart"));
    if (root.matches && root.matches("figure.metric-chart")) { figures.push(root); }
    figures.map(draw).forEach(function (chart) {
      if (chart === null) { return; }
      charts.push(chart);
      if (observer) { observer.observe(chart.getDom()); }
    });
  }

  // Printing lays the page out at the paper's width: redraw before and after.
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(document.body); });
  } else {
    start(document.body);
  }
  document.addEventListener("htmx:load", function (event) { start(event.target); });
})();
