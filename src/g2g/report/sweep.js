// grid2gpu sweep page: draws each output against each swept parameter, the Monte Carlo
// histograms and ECDFs, and the claim shares (Chart.js) from the sweep summary embedded in the
// page (#g2g-sweep-data, study::sweep_summary_json). The page's tables hold the same numbers.
// Compiled into the library (embed_assets.cmake).
(function () {
  'use strict';

  var errors = document.getElementById('render-errors');
  var palette = ['#1a73e8', '#e8710a', '#188038', '#a142f4', '#d93025', '#12b5cb', '#f9ab00'];

  function reportError(message) {
    if (errors) errors.textContent += message + '\n';
  }

  function isEfficiency(output) {
    return !output.unit && output.name.indexOf('efficiency') >= 0;
  }

  // The axis title of an output or a parameter: its name and unit.
  function axisTitle(item, fraction) {
    if (fraction) return item.name + ' (%)';
    return item.unit ? item.name + ' (' + item.unit + ')' : item.name;
  }

  // Efficiencies are plotted in percent; everything else in SI as in results.csv.
  function scaleOf(output) {
    return isEfficiency(output) ? 100 : 1;
  }

  function colour(i, alpha) {
    var hex = palette[i % palette.length];
    if (alpha === undefined) return hex;
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }

  // Tick labels with an SI prefix ("500 k", "1.5 M") for quantities with a unit.
  function siTicks(unit) {
    return function (value) {
      var a = Math.abs(value);
      if (!unit || a < 1e3) return Number(value.toPrecision(6)).toLocaleString('en-US');
      var prefixes = [[1e9, ' G'], [1e6, ' M'], [1e3, ' k']];
      for (var i = 0; i < prefixes.length; i++) {
        if (a >= prefixes[i][0]) return Number((value / prefixes[i][0]).toPrecision(4)) + prefixes[i][1];
      }
      return String(value);
    };
  }

  function baseOptions(xTitle, yTitle) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {legend: {position: 'right'}},
      scales: {
        x: {type: 'linear', title: {display: true, text: xTitle}, grid: {color: '#e8eaed'}},
        y: {title: {display: true, text: yTitle}, grid: {color: '#e8eaed'}}
      }
    };
  }

  function drawDependence(data, d, index) {
    var canvas = document.getElementById('sweep-dependence-' + index);
    if (!canvas) return;
    var output = data.outputs[d.output];
    var parameter = data.parameters[d.parameter];
    var k = scaleOf(output);
    var datasets = [];
    d.series.forEach(function (s) {
      var name = data.architectures[s.architecture];
      var c = s.architecture;
      if (d.sampled) {
        datasets.push({label: name, type: 'scatter', backgroundColor: colour(c, 0.5),
                       pointRadius: 2,
                       data: s.scatter.map(function (p) { return {x: p[0], y: p[1] * k}; })});
        return;
      }
      var varies = s.points.some(function (p) { return p[1] !== p[3]; });
      if (varies) {
        // The band from the minimum up to the maximum, under the mean's line.
        datasets.push({label: name + ' min', data: s.points.map(function (p) {
          return {x: p[0], y: p[1] * k}; }), borderWidth: 0, pointRadius: 0,
          backgroundColor: colour(c, 0.15), fill: false});
        datasets.push({label: name + ' max', data: s.points.map(function (p) {
          return {x: p[0], y: p[3] * k}; }), borderWidth: 0, pointRadius: 0,
          backgroundColor: colour(c, 0.15), fill: '-1'});
      }
      datasets.push({label: name, data: s.points.map(function (p) {
        return {x: p[0], y: p[2] * k}; }), borderColor: colour(c), backgroundColor: colour(c),
        pointRadius: 3, fill: false});
    });
    var options = baseOptions(axisTitle(parameter, false), axisTitle(output, k !== 1));
    options.scales.x.ticks = {callback: siTicks(parameter.unit)};
    options.scales.y.ticks = {callback: siTicks(k === 1 ? output.unit : '')};
    // The min/max band's own datasets stay out of the legend.
    options.plugins.legend.labels = {filter: function (item) {
      return !/ (min|max)$/.test(item.text);
    }};
    new Chart(canvas, {type: d.sampled ? 'scatter' : 'line', data: {datasets: datasets},
                       options: options});
    canvas.dataset.rendered = '1';
  }

  function drawHistogram(data, output, dists) {
    var canvas = document.getElementById('sweep-histogram-' + output);
    if (!canvas) return;
    var k = scaleOf(data.outputs[output]);
    var datasets = dists.map(function (d) {
      return {label: data.architectures[d.architecture], backgroundColor: colour(d.architecture, 0.55),
              borderColor: colour(d.architecture), borderWidth: 1, barPercentage: 1,
              categoryPercentage: 1,
              data: d.bins.map(function (count, i) {
                return {x: (d.bin_low + (i + 0.5) * d.bin_width) * k, y: count};
              })};
    });
    var options = baseOptions(axisTitle(data.outputs[output], k !== 1), 'scenarios');
    new Chart(canvas, {type: 'bar', data: {datasets: datasets}, options: options});
    canvas.dataset.rendered = '1';
  }

  function drawEcdf(data, output, dists) {
    var canvas = document.getElementById('sweep-ecdf-' + output);
    if (!canvas) return;
    var k = scaleOf(data.outputs[output]);
    var datasets = dists.map(function (d) {
      return {label: data.architectures[d.architecture], borderColor: colour(d.architecture),
              backgroundColor: colour(d.architecture), pointRadius: 0, stepped: true,
              data: d.ecdf.map(function (p) { return {x: p[0] * k, y: p[1] * 100}; })};
    });
    var options = baseOptions(axisTitle(data.outputs[output], k !== 1),
                              'scenarios at or below (%)');
    options.scales.y.min = 0;
    options.scales.y.max = 100;
    new Chart(canvas, {type: 'line', data: {datasets: datasets}, options: options});
    canvas.dataset.rendered = '1';
  }

  function drawClaims(data) {
    var canvas = document.getElementById('sweep-claims-chart');
    if (!canvas || !data.claims.length) return;
    var claimOutputs = [];
    data.claims.forEach(function (c) {
      if (claimOutputs.indexOf(c.output) < 0) claimOutputs.push(c.output);
    });
    var archs = [];
    data.claims.forEach(function (c) {
      if (archs.indexOf(c.architecture) < 0) archs.push(c.architecture);
    });
    var datasets = archs.map(function (a) {
      return {label: data.architectures[a], backgroundColor: colour(a),
              data: claimOutputs.map(function (o) {
                var c = data.claims.filter(function (x) {
                  return x.output === o && x.architecture === a;
                })[0];
                return c ? 100 * c.holds / c.applicable : null;
              })};
    });
    new Chart(canvas, {
      type: 'bar',
      data: {labels: claimOutputs.map(function (o) { return data.outputs[o].name; }),
             datasets: datasets},
      options: {animation: false, responsive: true, maintainAspectRatio: false, indexAxis: 'y',
                plugins: {legend: {position: 'right'}},
                scales: {x: {min: 0, max: 100, title: {display: true,
                             text: 'scenarios in which the claim holds (%)'}}}}
    });
    canvas.dataset.rendered = '1';
  }

  try {
    var data = JSON.parse(document.getElementById('g2g-sweep-data').textContent);
    if (typeof Chart === 'undefined') throw new Error('Chart.js is not loaded');
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    Chart.defaults.color = '#3c4043';
    Chart.defaults.devicePixelRatio = Math.max(2, window.devicePixelRatio || 1);
    var failures = 0;
    var guarded = function (what, f) {
      try {
        f();
      } catch (e) {
        failures++;
        reportError(what + ': ' + (e && e.stack ? e.stack : e));
      }
    };
    data.dependences.forEach(function (d, i) {
      guarded('chart ' + i, function () { drawDependence(data, d, i); });
    });
    var byOutput = {};
    data.distributions.forEach(function (d) {
      (byOutput[d.output] = byOutput[d.output] || []).push(d);
    });
    Object.keys(byOutput).forEach(function (o) {
      guarded('histogram', function () { drawHistogram(data, Number(o), byOutput[o]); });
      guarded('ECDF', function () { drawEcdf(data, Number(o), byOutput[o]); });
    });
    guarded('claims chart', function () { drawClaims(data); });
    if (failures === 0) document.body.dataset.renderOk = '1';
  } catch (e) {
    reportError('The charts could not be drawn: ' + (e && e.stack ? e.stack : e));
  }
})();
