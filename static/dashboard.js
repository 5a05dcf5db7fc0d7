/* Dashboard charts (vendored Chart.js, loaded before this module, sets globalThis.Chart; no network): data comes from
   the page's JSON block. */
const { Chart } = globalThis;
(function () {
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var charts = data.charts;
  var palette = ["#0b6e4f", "#1976d2", "#ef6c00", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#558b2f",
    "#ad1457", "#283593"];
  var money = new Intl.NumberFormat("vi-VN", { style: "currency", currency: "VND", maximumFractionDigits: 0 });
  var axis = { ticks: { callback: function (value) { return money.format(value); } } };
  var tooltip = { callbacks: { label: function (ctx) {
    var value = ctx.parsed.y !== undefined && ctx.chart.config.options.indexAxis !== "y" ? ctx.parsed.y : ctx.parsed.x;
    return (ctx.dataset.label ? ctx.dataset.label + ": " : "") + money.format(value);
  } } };
  var common = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { tooltip: tooltip } };
  function merge(extra) { return Object.assign({}, common, extra); }

  var revenue = document.getElementById("chart-revenue");
  if (revenue) {
    new Chart(revenue, { type: "line", data: {
      labels: charts.revenue_by_day.labels.map(function (day) { return day.split("-").reverse().slice(0, 2).join("/"); }),
      datasets: charts.revenue_by_day.series.map(function (series, index) {
        var color = palette[index % palette.length];
        return { label: series.code, data: series.values, borderColor: color, backgroundColor: color, tension: 0 };
      }) }, options: merge({ scales: { y: axis } }) });
  }
  var products = document.getElementById("chart-products");
  if (products) {
    new Chart(products, { type: "bar", data: {
      labels: charts.top_products.map(function (p) { return p.name; }),
      datasets: [{ label: data.labels.revenue, data: charts.top_products.map(function (p) { return p.revenue; }),
        backgroundColor: palette[0] }] }, options: merge({ indexAxis: "y", scales: { x: axis } }) });
  }
  var expiry = document.getElementById("chart-expiry");
  if (expiry) {
    var parts = [["expired", "#c62828"], ["within_30", "#ef6c00"], ["within_60", "#f9a825"], ["within_90", "#9e9d24"]];
    new Chart(expiry, { type: "bar", data: {
      labels: charts.expiry.map(function (s) { return s.code; }),
      datasets: parts.map(function (part) {
        return { label: data.labels[part[0]], data: charts.expiry.map(function (s) { return s[part[0]]; }),
          backgroundColor: part[1] };
      }) }, options: merge({ scales: { x: { stacked: true }, y: Object.assign({ stacked: true }, axis) } }) });
  }
})();
