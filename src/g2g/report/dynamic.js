// grid2gpu simulation page: one Chart.js chart per signal group, each signal's min/max envelope
// drawn as a filled band against time, from the envelopes embedded in the page
// (#g2g-simulation-data, report/html_dynamic.cpp). Pan and zoom (chartjs-plugin-zoom, hammerjs for
// drag) switch each signal to the finest envelope level that still has at most about two buckets
// per pixel of the visible span. Compiled into the library (embed_assets.cmake).
(function () {
  'use strict';

  var errors = document.getElementById('render-errors');
  var palette = ['#1a73e8', '#e8710a', '#188038', '#a142f4', '#d93025', '#12b5cb', '#f9ab00'];

  function reportError(message) {
    if (errors) errors.textContent += message + '\n';
  }

  function colour(i, alpha) {
    var hex = palette[i % palette.length];
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

  // The finest level with at most two buckets per pixel over `span` seconds (the coarsest when
  // none has so few).
  function levelFor(signal, span, pixels) {
    var chosen = 0;
    for (var k = 0; k < signal.levels.length; k++) {
      if (span / signal.levels[k].bucket_s <= 2 * Math.max(pixels, 1)) chosen = k;
    }
    return chosen;
  }

  // The points of one side ('min' or 'max') of a level within [from, to], with one more on either
  // side so that the band reaches the chart's edges.
  function points(level, side, from, to) {
    var t = level.t_s;
    var values = level[side];
    var out = [];
    for (var i = 0; i < t.length; i++) {
      if (t[i] < from && i + 1 < t.length && t[i + 1] < from) continue;
      out.push({x: t[i], y: values[i]});
      if (t[i] > to) break;
    }
    return out;
  }

  // Each signal's two datasets show the level that fits the visible span: set before every
  // update (the zoom plugin's wheel, pinch, drag and pan, its API, a reset), from the x range the
  // update is about to draw. The canvas's data-levels attribute says which level each signal shows
  // (coarsest 0).
  function selectLevels(chart, data) {
    var options = chart.options.scales.x;
    var from = typeof options.min === 'number' ? options.min : data.t_begin_s;
    var to = typeof options.max === 'number' ? options.max : data.t_end_s;
    var pixels = chart.scales.x ? chart.scales.x.width : chart.width;
    var shown = [];
    chart.data.datasets.forEach(function (d) {
      var k = levelFor(d.g2gSignal, to - from, pixels);
      d.data = points(d.g2gSignal.levels[k], d.g2gSide, from, to);
      if (d.g2gSide === 'max') shown.push(k);
    });
    chart.canvas.dataset.levels = shown.join(',');
  }

  function drawGroup(data, group, index) {
    var canvas = document.getElementById('sim-chart-' + index);
    if (!canvas) return;
    var datasets = [];
    var finest = Infinity;
    group.signals.forEach(function (s, k) {
      var signal = data.signals[s];
      var last = signal.levels[signal.levels.length - 1];
      if (last) finest = Math.min(finest, last.bucket_s);
      var label = signal.unit ? signal.name + ' (' + signal.unit + ')' : signal.name;
      // The max line fills down to the min line (the next dataset): the band.
      datasets.push({label: label, g2gSignal: signal, g2gSide: 'max', data: [],
                     borderColor: colour(k, 1), backgroundColor: colour(k, 0.25),
                     borderWidth: 1, pointRadius: 0, fill: '+1'});
      datasets.push({label: label + ' min', g2gSignal: signal, g2gSide: 'min', data: [],
                     borderColor: colour(k, 1), backgroundColor: colour(k, 0.25),
                     borderWidth: 1, pointRadius: 0, fill: false});
    });
    var first = data.signals[group.signals[0]];
    var chart = new Chart(canvas, {
      type: 'line',
      data: {datasets: datasets},
      plugins: [{id: 'g2gEnvelopeLevels', beforeUpdate: function (c) { selectLevels(c, data); }}],
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: {mode: 'nearest', axis: 'x', intersect: false},
        plugins: {
          legend: {
            position: 'right',
            labels: {filter: function (item, chartData) {
              return chartData.datasets[item.datasetIndex].g2gSide === 'max';
            }}
          },
          zoom: {
            limits: {x: {min: data.t_begin_s, max: data.t_end_s,
                         minRange: isFinite(finest) ? 4 * finest : undefined}},
            pan: {enabled: true, mode: 'x'},
            zoom: {wheel: {enabled: true}, pinch: {enabled: true},
                   drag: {enabled: true, modifierKey: 'shift'}, mode: 'x'}
          }
        },
        scales: {
          x: {type: 'linear', min: data.t_begin_s, max: data.t_end_s,
              title: {display: true, text: 'time (s)'}, grid: {color: '#e8eaed'}},
          y: {title: {display: true, text: group.name + (first.unit ? ' (' + first.unit + ')' : '')},
              ticks: {callback: siTicks(first.unit)}, grid: {color: '#e8eaed'}}
        }
      }
    });
    if (typeof chart.resetZoom !== 'function') throw new Error('chartjs-plugin-zoom did not load');
    canvas.addEventListener('dblclick', function () { chart.resetZoom('none'); });
    chart.update('none');  // the first layout knows the chart's width: pick the levels again
    canvas.dataset.rendered = '1';
  }

  try {
    var element = document.getElementById('g2g-simulation-data');
    if (!element) return;
    var data = JSON.parse(element.textContent);
    if (typeof Chart === 'undefined') throw new Error('Chart.js did not load');
    var failures = 0;
    data.groups.forEach(function (group, index) {
      try {
        drawGroup(data, group, index);
      } catch (e) {
        failures++;
        reportError('Chart "' + group.name + '": ' + e.message);
      }
    });
    if (failures === 0) document.body.dataset.renderOk = '1';
  } catch (e) {
    reportError('Simulation charts: ' + e.message);
  }
})();
