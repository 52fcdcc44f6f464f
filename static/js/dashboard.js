/* The manager dashboard's charts: each <canvas data-chart="ID"> is drawn from the JSON in the
   <script id="ID" type="application/json"> that the server wrote with json_script. The numbers are
   also in the table next to each chart (its text alternative), so nothing depends on this file. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var language = document.documentElement.lang || "de";
  var percentFormat = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });

  function options(spec) {
    var scale = { beginAtZero: true, ticks: { precision: 0 } };
    var result = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: language,
      plugins: { legend: { position: "bottom" } },
      scales: { x: {}, y: {} }
    };
    if (spec.horizontal) {
      result.indexAxis = "y";
    }
    var valueAxis = spec.horizontal ? "x" : "y";
    result.scales[valueAxis] = scale;
    if (spec.stacked) {
      result.scales.x.stacked = true;
      result.scales.y.stacked = true;
    }
    if (spec.type === "line") {
      // Weeks without a decided target have no value: join the neighbours, show every point.
      result.spanGaps = true;
      result.elements = { point: { radius: 4, hoverRadius: 6 } };
    }
    if (spec.percent) {
      result.scales.y = {
        min: 0,
        max: 100,
        ticks: { callback: function (value) { return percentFormat.format(value) + " %"; } }
      };
      result.plugins.tooltip = {
        callbacks: {
          label: function (item) { return item.dataset.label + ": " + percentFormat.format(item.parsed.y) + " %"; }
        }
      };
    }
    return result;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: options(spec)
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
