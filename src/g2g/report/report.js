// grid2gpu report: draws the Sankey diagrams (d3-sankey), the loss waterfalls and the copper
// chart (Chart.js) from the comparison JSON embedded in the page (#g2g-data). Every figure drawn
// here is also in the page's HTML tables. Compiled into the library (embed_assets.cmake).
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var errors = document.getElementById('render-errors');

  function reportError(message) {
    if (errors) errors.textContent += message + '\n';
  }

  function isNum(v) {
    return typeof v === 'number' && isFinite(v);
  }

  // Significant digits without exponent: 4.40, 132.7, 870.
  function sig(v, digits) {
    var a = Math.abs(v);
    if (a === 0) return '0';
    var order = Math.floor(Math.log10(a));
    var decimals = Math.max(0, digits - 1 - order);
    return v.toFixed(decimals);
  }

  function si(v, unit, digits) {
    digits = digits || 3;
    var a = Math.abs(v);
    var prefixes = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (var i = 0; i < prefixes.length; i++) {
      if (a >= prefixes[i][0] * (1 - 0.5 * Math.pow(10, -(digits - 1)))) {
        return sig(v / prefixes[i][0], digits) + ' ' + prefixes[i][1] + unit;
      }
    }
    return sig(v, digits) + ' ' + unit;
  }

  function power(w) {
    return isNum(w) ? si(w, 'W', 3) : '—';
  }

  // "−12.5 kW" for a loss; a zero loss is "0 W", not "−0 W".
  function minus(w) {
    return w > 0 ? '−' + power(w) : power(Math.abs(w));
  }

  // Splits text into lines of at most `chars` characters, at spaces.
  function wrap(text, chars) {
    var lines = [];
    var line = '';
    String(text).split(' ').forEach(function (word) {
      if (line && (line + ' ' + word).length > chars) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + ' ' + word : word;
      }
    });
    if (line) lines.push(line);
    return lines;
  }

  function pct(fraction) {
    return (fraction * 100).toFixed(2) + ' %';
  }

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG_NS, name);
    for (var k in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    }
    if (parent) parent.appendChild(e);
    return e;
  }

  function textEl(parent, x, y, lines, attrs) {
    var t = el('text', attrs || {}, parent);
    t.setAttribute('x', x);
    t.setAttribute('y', y);
    lines.forEach(function (line, i) {
      var span = el('tspan', {x: x, dy: i === 0 ? '0' : '1.2em'}, t);
      if (line.bold) span.setAttribute('font-weight', '600');
      span.textContent = line.text;
    });
    return t;
  }

  function stagesOf(a) {
    return (a.stages || []).filter(function (s) {
      return s && isNum(s.p_in_w);
    });
  }

  function stageOut(s) {
    if (isNum(s.p_out_w)) return s.p_out_w;
    return s.p_in_w - (isNum(s.loss_w) ? s.loss_w : 0);
  }

  function stageLoss(s) {
    if (isNum(s.loss_w)) return s.loss_w;
    return s.p_in_w - stageOut(s);
  }

  function voltageText(v) {
    return isNum(v) ? si(v, 'V', 3).replace('.00 ', ' ').replace('.0 ', ' ') : '';
  }

  // "800 V DC": a stage end's voltage level, with its kind when the comparison gives it.
  function levelText(v, kind) {
    var t = voltageText(v);
    if (t && typeof kind === 'string' && kind) t += ' ' + kind.toUpperCase();
    return t;
  }

  // ---- Sankey -------------------------------------------------------------------------------

  function drawSankey(a, index) {
    var svg = document.getElementById('sankey-' + index);
    if (!svg) return;
    var stages = stagesOf(a);
    if (stages.length === 0) {
      svg.setAttribute('viewBox', '0 0 600 30');
      textEl(svg, 4, 20, [{text: 'No stages in the comparison for this architecture.'}]);
      return;
    }
    var nodes = [];
    var links = [];
    function node(props) {
      props.index = nodes.length;
      nodes.push(props);
      return props.index;
    }
    var first = stages[0];
    var prev = node({kind: 'main', order: 0,
                     title: 'Grid' + (isNum(first.voltage_in_v) ?
                         ' ' + levelText(first.voltage_in_v, first.bus_kind_in) : ''),
                     sub: 'drawn from the utility'});
    stages.forEach(function (s, k) {
      var out = Math.max(0, stageOut(s));
      var loss = Math.max(0, stageLoss(s));
      var last = k === stages.length - 1;
      var next = node({kind: 'main', order: 0,
                       title: last ? 'Delivered' : levelText(s.voltage_out_v, s.bus_kind_out) || s.name,
                       sub: last ? deliveredTo : 'after ' + s.name});
      if (out > 0) links.push({source: prev, target: next, value: out, kind: 'main', stage: s});
      if (loss > 0) {
        var l = node({kind: 'loss', order: 1, title: s.name,
                      share: s.p_in_w > 0 ? loss / s.p_in_w : null});
        links.push({source: prev, target: l, value: loss, kind: 'loss', stage: s});
      }
      if (!last) {
        // Power leaving the chain between two stages (storage charging, other loads).
        var nextIn = stages[k + 1].p_in_w;
        if (out - nextIn > 1e-6 * Math.max(1, out)) {
          var d = node({kind: 'other', order: 2, title: 'Leaves the chain',
                        sub: 'between ' + s.name + ' and ' + stages[k + 1].name});
          links.push({source: next, target: d, value: out - nextIn, kind: 'other'});
        }
      }
      prev = next;
    });

    // Laid out at least 960 wide and scaled to the box, so that labels fit between the columns
    // on a phone (where the box scrolls) and on paper (where it shrinks to the page).
    var width = Math.max(960, svg.parentNode.clientWidth || 1100);
    var height = 420;
    var marginRight = 190;
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);

    var layout = d3.sankey()
        .nodeId(function (n) { return n.index; })
        .nodeAlign(d3.sankeyLeft)
        .nodeWidth(14)
        .nodePadding(26)
        .nodeSort(function (x, y) { return x.order - y.order; })
        .extent([[10, 14], [width - marginRight, height - 56]]);  // room for loss labels
    var graph = layout({nodes: nodes.map(function (n) { return Object.assign({}, n); }),
                        links: links.map(function (l) { return Object.assign({}, l); })});

    var path = d3.sankeyLinkHorizontal();
    var gLinks = el('g', {'class': 'sankey-links', fill: 'none'}, svg);
    graph.links.forEach(function (l) {
      var p = el('path', {d: path(l), 'class': 'sankey-link sankey-link-' + l.kind,
                          'stroke-width': Math.max(1, l.width)}, gLinks);
      var t = el('title', {}, p);
      t.textContent = (l.stage ? l.stage.name + ': ' : '') +
          (l.kind === 'loss' ? 'loss ' : '') + power(l.value);
    });
    var gNodes = el('g', {'class': 'sankey-nodes'}, svg);
    // Labels sit right of their node and wrap to the gap before the next column.
    var columns = [];
    graph.nodes.forEach(function (n) {
      if (columns.indexOf(n.x0) < 0) columns.push(n.x0);
    });
    columns.sort(function (x, y) { return x - y; });
    var gap = columns.length > 1 ? columns[1] - columns[0] : width;
    graph.nodes.forEach(function (n) {
      var lastColumn = n.x0 === columns[columns.length - 1];
      var chars = Math.max(12, Math.floor(((lastColumn ? marginRight : gap) - 24) / 6.3));
      var r = el('rect', {x: n.x0, y: n.y0, width: n.x1 - n.x0,
                          height: Math.max(1, n.y1 - n.y0),
                          'class': 'sankey-node sankey-node-' + n.kind}, gNodes);
      var tip = el('title', {}, r);
      tip.textContent = n.title + (n.sub ? ' (' + n.sub + ')' : '') + ': ' + power(n.value);
      // Bold heads (each wrapped on its own), then the plain rest.
      var heads;
      var rest;
      var outer = n.x0 === columns[0] || lastColumn;
      if (n.kind === 'main') {
        // Between two stages only the level and its power: the stage's name is on its loss.
        heads = [n.title, power(n.value)];
        rest = outer ? n.sub || '' : '';
      } else if (n.kind === 'loss') {
        heads = [minus(n.value) + (n.share !== null ? ' (' + pct(n.share) + ')' : '')];
        rest = 'loss: ' + n.title;
      } else {
        heads = [power(n.value)];
        rest = n.title + ' ' + n.sub;
      }
      var lines = [];
      heads.forEach(function (head) {
        lines = lines.concat(wrap(head, chars).map(function (t) { return {text: t, bold: true}; }));
      });
      if (rest) lines = lines.concat(wrap(rest, chars).map(function (t) { return {text: t}; }));
      var y = n.kind === 'main' ? (n.y0 + n.y1) / 2 - 4 : n.y0 + 9;
      textEl(gNodes, n.x1 + 5, y, lines,
             {'class': 'sankey-label sankey-label-' + n.kind});
    });
    svg.dataset.rendered = '1';
  }

  // ---- Charts (Chart.js) --------------------------------------------------------------------

  function niceFloor(v) {
    if (v <= 0) return 0;
    var step = Math.pow(10, Math.floor(Math.log10(v)) - 1);
    return Math.floor(v / step) * step;
  }

  // Writes each bar's label above it (Chart.js 3 has no data-label plugin of its own).
  var barLabels = {
    id: 'g2gBarLabels',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      chart.data.datasets.forEach(function (ds, di) {
        if (!ds.barLabels) return;
        chart.getDatasetMeta(di).data.forEach(function (bar, i) {
          var text = ds.barLabels[i];
          if (!text) return;
          ctx.save();
          ctx.font = '600 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
          ctx.fillStyle = '#202124';
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          var top = Math.min(bar.y, bar.base);
          ctx.fillText(text, bar.x, top - 3);
          ctx.restore();
        });
      });
    }
  };

  function drawWaterfall(a, index) {
    var canvas = document.getElementById('waterfall-' + index);
    if (!canvas) return;
    var stages = stagesOf(a);
    if (stages.length === 0) {
      canvas.parentNode.replaceChild(document.createTextNode('No stages listed.'), canvas);
      return;
    }
    var input = stages[0].p_in_w;
    var delivered = stageOut(stages[stages.length - 1]);
    var scale = input >= 1e6 ? 1e6 : 1e3;
    var unit = scale === 1e6 ? 'MW' : 'kW';
    var labels = ['Grid input'];
    var bars = [[0, input / scale]];
    var colours = ['#1f4e79'];
    var texts = [power(input)];
    var level = input;
    stages.forEach(function (s, k) {
      var loss = stageLoss(s);
      // Power leaving the chain between stages is shown as its own step.
      if (k > 0) {
        var before = stageOut(stages[k - 1]);
        if (before - s.p_in_w > 1e-6 * Math.max(1, before)) {
          labels.push('Leaves the chain');
          bars.push([s.p_in_w / scale, before / scale]);
          colours.push('#9aa0a6');
          texts.push('−' + power(before - s.p_in_w));
        }
        level = s.p_in_w;
      }
      labels.push(wrap(s.name + (isNum(s.count) && s.count > 1 ? ' (×' + s.count + ')' : ''), 16));
      bars.push([(level - loss) / scale, level / scale]);
      colours.push('#d93025');
      texts.push(minus(loss));
      level -= loss;
    });
    labels.push('Delivered');
    bars.push([0, delivered / scale]);
    colours.push('#2e7d32');
    texts.push(power(delivered));

    // The axis starts below the lowest step by a third of the total loss, so that losses show.
    var lowest = delivered / scale;
    bars.slice(1, -1).forEach(function (b) { lowest = Math.min(lowest, b[0]); });
    var spread = input - delivered;
    var axisMin = niceFloor(Math.max(0, lowest * scale - 0.35 * spread)) / scale;
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: labels,
        datasets: [{data: bars, backgroundColor: colours, borderColor: colours, borderWidth: 1,
                     barLabels: texts, barPercentage: 0.85, categoryPercentage: 0.9}]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        layout: {padding: {top: 22}},
        plugins: {
          legend: {display: false},
          tooltip: {
            callbacks: {
              label: function (item) {
                var v = item.raw;
                return texts[item.dataIndex] + ' (from ' + sig(v[1], 4) + ' to ' + sig(v[0], 4) +
                    ' ' + unit + ')';
              }
            }
          }
        },
        scales: {
          y: {
            min: axisMin,
            title: {display: true, text: 'power (' + unit + '), axis starts at ' +
                                         sig(axisMin, 3) + ' ' + unit},
            grid: {color: '#e8eaed'}
          },
          // Labels turn when the stages crowd the axis (a phone, the printed page).
          x: {grid: {display: false}, ticks: {autoSkip: false, maxRotation: 60, minRotation: 0}}
        }
      },
      plugins: [barLabels]
    });
    canvas.dataset.rendered = '1';
  }

  var deliveredTo = 'to the loads';  // set from the comparison's assumptions below

  var palette = ['#b3541e', '#1f4e79', '#7b1fa2', '#00838f', '#e8a33d', '#2e7d32', '#c5221f',
                 '#5f6368', '#6d9eeb', '#8e6c8a'];

  function drawCopper(archs) {
    var canvas = document.getElementById('copper-chart');
    if (!canvas) return;
    var names = archs.map(function (a) { return a.name || a.id; });
    var levelNames = [];
    archs.forEach(function (a) {
      (a.conductor_levels || []).forEach(function (l) {
        if (l && isNum(l.copper_kg) && levelNames.indexOf(l.name) < 0) levelNames.push(l.name);
      });
    });
    var datasets = levelNames.map(function (name, i) {
      return {
        label: name,
        data: archs.map(function (a) {
          var sum = 0;
          (a.conductor_levels || []).forEach(function (l) {
            if (l && l.name === name && isNum(l.copper_kg)) sum += l.copper_kg;
          });
          return sum;
        }),
        backgroundColor: palette[i % palette.length],
        stack: 'copper'
      };
    });
    if (datasets.length === 0) {
      datasets.push({label: 'copper', stack: 'copper', backgroundColor: palette[0],
                     data: archs.map(function (a) { return isNum(a.copper_kg) ? a.copper_kg : 0; })});
    }
    var totals = archs.map(function (a) { return isNum(a.copper_kg) ? a.copper_kg : null; });
    if (archs.some(function (a) { return isNum(a.aluminium_kg) && a.aluminium_kg > 0; })) {
      datasets.push({label: 'aluminium (all levels)', stack: 'aluminium',
                     backgroundColor: '#9aa0a6',
                     data: archs.map(function (a) { return isNum(a.aluminium_kg) ? a.aluminium_kg : 0; })});
    }
    // Total copper above each architecture's copper stack.
    datasets[datasets.length - 1 - (datasets[datasets.length - 1].stack === 'aluminium' ? 1 : 0)]
        .barLabels = totals.map(function (t) {
          return t === null ? '' : Math.round(t).toLocaleString('en-US') + ' kg Cu';
        });
    new Chart(canvas, {
      type: 'bar',
      data: {labels: names, datasets: datasets},
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: 'x',
        layout: {padding: {top: 22}},
        plugins: {legend: {position: 'right'}},
        scales: {
          x: {stacked: true, grid: {display: false}},
          y: {stacked: true, beginAtZero: true, title: {display: true, text: 'mass (kg)'},
              grid: {color: '#e8eaed'}}
        }
      },
      plugins: [barLabels]
    });
    canvas.dataset.rendered = '1';
  }

  // Expected unserved energy per architecture (docs/reliability.md); an architecture without
  // data for every element type gets no bar and a 'no data' label.
  function drawAvailability(archs) {
    var canvas = document.getElementById('availability-chart');
    if (!canvas) return;
    var names = archs.map(function (a) { return a.name || a.id; });
    var values = archs.map(function (a) {
      var av = a.availability;
      return av && isNum(av.unserved_mwh_per_year) ? av.unserved_mwh_per_year : null;
    });
    if (values.every(function (v) { return v === null; })) return;
    var ds = {label: 'unserved energy (MWh a year)', backgroundColor: palette[1], data: values};
    ds.barLabels = archs.map(function (a, i) {
      var av = a.availability;
      if (values[i] === null) return 'no data';
      return values[i].toPrecision(3) + ' MWh, A = ' +
             (100 * av.path_availability).toFixed(4) + ' %';
    });
    new Chart(canvas, {
      type: 'bar',
      data: {labels: names, datasets: [ds]},
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        layout: {padding: {top: 22}},
        plugins: {legend: {display: false}},
        scales: {
          x: {grid: {display: false}},
          y: {beginAtZero: true, title: {display: true, text: 'MWh a year'},
              grid: {color: '#e8eaed'}}
        }
      },
      plugins: [barLabels]
    });
    canvas.dataset.rendered = '1';
  }

  try {
    var data = JSON.parse(document.getElementById('g2g-data').textContent);
    var archs = data.architectures || [];
    // Where end to end stops (docs/compare.md): the comparison states its boundary.
    var assumed = data.assumptions || {};
    if (typeof assumed.boundary === 'string' && assumed.boundary) {
      deliveredTo = 'at the boundary: ' + assumed.boundary;
    } else if (assumed.include_point_of_load === false) {
      deliveredTo = 'to the GPU regulators (VRM input)';
    }
    if (typeof d3 === 'undefined' || typeof d3.sankey !== 'function') {
      throw new Error('d3-sankey is not loaded');
    }
    if (typeof Chart === 'undefined') throw new Error('Chart.js is not loaded');
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    Chart.defaults.color = '#3c4043';
    // Twice the screen's pixels at least, so that the charts stay sharp when printed.
    Chart.defaults.devicePixelRatio = Math.max(2, window.devicePixelRatio || 1);
    var failures = 0;
    function guarded(what, f) {
      try {
        f();
      } catch (e) {
        failures++;
        reportError(what + ': ' + (e && e.stack ? e.stack : e));
      }
    }
    archs.forEach(function (a, i) {
      guarded('Sankey diagram of ' + (a.name || a.id), function () { drawSankey(a, i); });
      guarded('loss waterfall of ' + (a.name || a.id), function () { drawWaterfall(a, i); });
    });
    guarded('copper chart', function () { drawCopper(archs); });
    guarded('availability chart', function () { drawAvailability(archs); });
    if (failures === 0) document.body.dataset.renderOk = '1';
  } catch (e) {
    reportError('The charts could not be drawn: ' + (e && e.stack ? e.stack : e));
  }
})();
