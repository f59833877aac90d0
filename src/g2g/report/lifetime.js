// grid2gpu lifetime page: draws, from the study result embedded in the page (#g2g-lifetime-data,
// lifetime::result_json), each switch position's damage against the training period per heatsink
// set with and without the floor, the energy the floor burns against the period, and per case
// the ΔT_j cycle histogram with each bin's share of the damage (Chart.js). The page's tables hold
// the same numbers. Compiled into the library (embed_assets.cmake).
(function () {
  'use strict';

  var errors = document.getElementById('render-errors');
  var palette = ['#1a73e8', '#e8710a', '#188038', '#a142f4', '#d93025', '#12b5cb', '#f9ab00'];
  var secondsPerYear = 365.25 * 24 * 3600;

  function reportError(message) {
    if (errors) errors.textContent += message + '\n';
  }

  function colour(i, alpha) {
    var hex = palette[i % palette.length];
    if (alpha === undefined) return hex;
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }

  function baseOptions(xTitle, yTitle) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {legend: {position: 'right'}},
      scales: {
        x: {type: 'logarithmic', title: {display: true, text: xTitle}, grid: {color: '#e8eaed'},
            ticks: {callback: logTicks}},
        y: {type: 'logarithmic', title: {display: true, text: yTitle}, grid: {color: '#e8eaed'},
            ticks: {callback: logTicks}}
      }
    };
  }

  // Decades only, as plain numbers ("0.001", "1e-7").
  function logTicks(value) {
    var l = Math.log10(value);
    return Math.abs(l - Math.round(l)) < 1e-9 ? String(Number(value.toPrecision(1))) : '';
  }

  // A position's figure: years for an absolute law, else the damage relative to the reference.
  function figureOf(p) {
    return p.absolute ? p.lifetime_years : p.relative_damage;
  }

  // The training-period cases (profiles have no period), per heatsink set and floor.
  function periodSeries(data, position, floor) {
    return data.heatsinks.map(function (h) {
      return data.cases.filter(function (c) {
        return c.heatsink === h.name && c.floor === floor && c.period_s !== undefined;
      }).map(function (c) {
        var v = figureOf(c.positions[position]);
        // A log axis has no 0: a swing the floor removed entirely is left out of the line.
        return {x: c.period_s, y: v > 0 ? v : null};
      });
    });
  }

  function drawSummary(data, canvas) {
    var position = Number(canvas.dataset.position);
    var first = data.cases[0].positions[position];
    var datasets = [];
    [false, true].forEach(function (floor) {
      var series = periodSeries(data, position, floor);
      series.forEach(function (points, i) {
        if (floor && !data.cases.some(function (c) { return c.floor; })) return;
        datasets.push({label: data.heatsinks[i].name + (floor ? ' + floor' : ''),
                       data: points, borderColor: colour(i), backgroundColor: colour(i),
                       borderDash: floor ? [6, 4] : [], pointRadius: 3, spanGaps: false,
                       fill: false});
      });
    });
    var options = baseOptions('training period (s)',
                              first.absolute ? 'lifetime (years)' : 'relative damage per year');
    new Chart(canvas, {type: 'line', data: {datasets: datasets}, options: options});
    canvas.dataset.rendered = '1';
  }

  function drawEnergy(data, canvas) {
    var h = data.heatsinks[0].name;
    var cases = data.cases.filter(function (c) {
      return c.heatsink === h && c.floor && c.period_s !== undefined;
    });
    var datasets = [
      {label: 'burnt by the floor', borderColor: colour(4), backgroundColor: colour(4),
       data: cases.map(function (c) { return {x: c.period_s, y: c.floor_burn_mwh_per_year_per_rack}; })},
      {label: 'deferred by the ramp-up limit', borderColor: colour(1), backgroundColor: colour(1),
       borderDash: [6, 4],
       data: cases.map(function (c) {
         var v = c.deferred_mwh_per_year_per_rack;
         return {x: c.period_s, y: v > 0 ? v : null};
       })}
    ];
    var options = baseOptions('training period (s)', 'MWh per year per rack');
    options.scales.y = {type: 'linear', min: 0, grid: {color: '#e8eaed'},
                        title: {display: true, text: 'MWh per year per rack'}};
    new Chart(canvas, {type: 'line', data: {datasets: datasets}, options: options});
    canvas.dataset.rendered = '1';
  }

  function drawCase(data, canvas) {
    var c = data.cases[Number(canvas.dataset.case)];
    var p = c.positions[Number(canvas.dataset.position)];
    var perYear = secondsPerYear / data.duration_s;
    var labels = p.histogram.map(function (b) { return b.from_k + '–' + b.to_k + ' K'; });
    var datasets = [
      {type: 'bar', label: 'cycles per year', yAxisID: 'y', backgroundColor: colour(0, 0.55),
       borderColor: colour(0), borderWidth: 1,
       data: p.histogram.map(function (b) { return b.cycles > 0 ? b.cycles * perYear : null; })},
      {type: 'line', label: 'share of the damage (%)', yAxisID: 'share', borderColor: colour(4),
       backgroundColor: colour(4), pointRadius: 3,
       data: p.histogram.map(function (b) { return 100 * b.damage_share; })}
    ];
    new Chart(canvas, {
      data: {labels: labels, datasets: datasets},
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: {legend: {position: 'right'}},
        scales: {
          x: {title: {display: true, text: 'ΔT_j bin (rainflow range)'}},
          y: {type: 'logarithmic', position: 'left', ticks: {callback: logTicks},
              title: {display: true, text: 'cycles per year'}},
          share: {type: 'linear', position: 'right', min: 0, max: 100,
                  title: {display: true, text: 'share of the damage (%)'},
                  grid: {drawOnChartArea: false}}
        }
      }
    });
    canvas.dataset.rendered = '1';
  }

  try {
    var data = JSON.parse(document.getElementById('g2g-lifetime-data').textContent);
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
    if (data.cases.length) {
      document.querySelectorAll('canvas.lifetime-summary').forEach(function (canvas) {
        guarded('damage chart', function () { drawSummary(data, canvas); });
      });
      var energy = document.getElementById('lifetime-energy');
      if (energy) guarded('energy chart', function () { drawEnergy(data, energy); });
      document.querySelectorAll('canvas.lifetime-case').forEach(function (canvas) {
        guarded('histogram ' + canvas.id, function () { drawCase(data, canvas); });
      });
    }
    if (failures === 0) document.body.dataset.renderOk = '1';
  } catch (e) {
    reportError('The charts could not be drawn: ' + (e && e.stack ? e.stack : e));
  }
})();
