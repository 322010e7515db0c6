/* VoidRail dashboard: polls snapshot.json (relative, so it works under any context path) and updates the page in
   place: rows are kept by key and only changed text is written, so nothing jumps and focus stays where it was. */
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var refreshMs = 2000;
  var lastOkAt = 0;
  var charts = { rate: null, latency: null };
  var chartKeys = { rate: '', latency: '' };
  var latest = null;
  // Okabe-Ito colours (distinguishable with colour-blindness) plus dashes, so lines differ without colour too
  var COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8c6d1f', '#7f7f7f'];
  var DASHES = [[], [6, 3], [2, 3], [10, 3, 2, 3]];

  // ------------------------------------------------------------------ formatting

  function int(n) { return Math.round(n).toLocaleString('en-US'); }

  function duration(ms) {
    if (ms < 1000) { return (ms / 1000).toFixed(1) + ' s'; }
    var s = Math.floor(ms / 1000);
    if (s < 60) { return s + ' s'; }
    var m = Math.floor(s / 60);
    if (m < 60) { return m + ' min ' + (s % 60) + ' s'; }
    var h = Math.floor(m / 60);
    if (h < 48) { return h + ' h ' + (m % 60) + ' min'; }
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }

  function latency(ms) {
    if (!ms) { return '\u2014'; }
    if (ms < 1) { return ms.toFixed(2) + ' ms'; }
    if (ms < 10) { return ms.toFixed(1) + ' ms'; }
    if (ms < 1000) { return Math.round(ms) + ' ms'; }
    return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  }

  function rate(perSecond) {
    if (perSecond === null || perSecond === undefined) { return '\u2014'; }
    return perSecond < 10 ? perSecond.toFixed(1) : int(perSecond);
  }

  function clock(epochMs) {
    var d = new Date(epochMs);
    return d.toLocaleTimeString('en-GB', { hour12: false });
  }

  // ------------------------------------------------------------------ DOM helpers

  function setText(el, text) {
    if (el.textContent !== text) { el.textContent = text; }
  }

  function setAttr(el, name, value) {
    if (value === null || value === undefined || value === '') {
      if (el.hasAttribute(name)) { el.removeAttribute(name); }
    } else if (el.getAttribute(name) !== value) {
      el.setAttribute(name, value);
    }
  }

  /** A badge: an icon (hidden from screen readers) and a word, coloured by kind. */
  function badge(kind, icon, word, title) {
    return { badge: kind, icon: icon, text: word, title: title };
  }

  function fillCell(cell, spec) {
    var s = (spec !== null && typeof spec === 'object') ? spec : { text: String(spec) };
    setAttr(cell, 'class', s.cls || null);
    setAttr(cell, 'title', s.title || null);
    if (s.badge) {
      var span = cell.firstElementChild;
      if (!span || !span.classList.contains('badge')) {
        cell.textContent = '';
        span = document.createElement('span');
        var icon = document.createElement('span');
        icon.setAttribute('aria-hidden', 'true');
        span.appendChild(icon);
        span.appendChild(document.createElement('span'));
        cell.appendChild(span);
      }
      setAttr(span, 'class', 'badge badge-' + s.badge);
      setText(span.firstChild, s.icon);
      setText(span.lastChild, s.text);
    } else {
      setText(cell, s.text === undefined ? '' : String(s.text));
    }
  }

  /**
   * Keeps a table body in step with a list: one row per key, created once, reordered and removed as needed;
   * the first cell is the row header.
   */
  function syncRows(tbody, items, keyOf, cellsOf, rowClass) {
    var existing = {};
    Array.prototype.forEach.call(tbody.rows, function (row) { existing[row.dataset.key] = row; });
    items.forEach(function (item, index) {
      var key = keyOf(item);
      var row = existing[key];
      var cells = cellsOf(item);
      if (!row) {
        row = document.createElement('tr');
        row.dataset.key = key;
        cells.forEach(function (_, i) {
          var cell = document.createElement(i === 0 ? 'th' : 'td');
          if (i === 0) { cell.scope = 'row'; }
          row.appendChild(cell);
        });
      }
      delete existing[key];
      cells.forEach(function (spec, i) { fillCell(row.cells[i], spec); });
      setAttr(row, 'class', rowClass ? rowClass(item) : null);
      if (tbody.rows[index] !== row) { tbody.insertBefore(row, tbody.rows[index] || null); }
    });
    Object.keys(existing).forEach(function (key) { existing[key].remove(); });
  }

  // ------------------------------------------------------------------ status

  function status(state, text) {
    var el = $('status');
    if (el.dataset.state !== state) { el.dataset.state = state; }
    setText($('status-icon'), state === 'live' ? '\u25CF' : state === 'connecting' ? '\u25CB' : '\u26A0');
    setText($('status-text'), text);
  }

  function banner(text) {
    var el = $('banner');
    el.hidden = !text;
    setText(el, text || '');
  }

  // ------------------------------------------------------------------ rendering

  function dealerState(d) {
    switch (d.state) {
      case 'active':
        return d.inFlight >= d.slots
          ? badge('busy', '\u25D0', 'Busy', 'Active; every slot is running a call')
          : badge('ok', '\u25CF', 'Active', 'Active: takes calls');
      case 'overload':
        return badge('warn', '\u25B2', 'Overloaded', 'Said overload: not given calls until it resumes');
      case 'inactive':
        return badge('bad', '\u2716', 'Lost', 'Inactive: no heartbeat within the router\'s timeout; not given calls');
      case 'shutdown':
        return badge('off', '\u25A0', 'Leaving', 'Said shutdown: finishing its calls, then gone');
      default:
        return badge('off', '?', d.state, '');
    }
  }

  function renderRouter(bus, doc) {
    var r = bus.router;
    var active = bus.dealers.filter(function (d) { return d.state === 'active'; }).length;
    var series = doc.history.total;
    var current = series.length ? series[series.length - 1] : null;
    setText($('t-mode'), r.mode === 'load_balance' ? 'Load balance' : r.mode === 'fifo' ? 'FIFO' : r.mode);
    setText($('t-uptime'), bus.reachable ? duration(r.uptimeSeconds * 1000) : '\u2014');
    setText($('t-auth'), r.authRequired ? '\uD83D\uDD12 Required' : '\u25CB Off');
    setText($('t-encryption'), r.encrypted ? '\uD83D\uDD12 CURVE' : '\u25CB Off');
    var version = /^voidrail-java\/(.+)$/.exec(r.implementation || '');
    setText($('t-version'), version ? 'Java ' + version[1] : r.implementation || 'Python (V1)');
    setAttr($('t-version'), 'title', r.implementation || 'The router does not announce an implementation');
    setText($('t-dealers'), active + ' / ' + bus.dealers.length);
    setText($('t-queued'), int(r.requestsInQueue));
    setText($('t-running'), int(r.requestsInProcess));
    setText($('t-rate'), rate(current));
    setText($('t-answered'), int(r.totalResponses));
  }

  function renderDealers(bus) {
    setText($('dealers-count'), bus.dealers.length ? '(' + bus.dealers.length + ')' : '');
    var empty = bus.reachable && bus.dealers.length === 0;
    $('empty').hidden = !empty;
    $('dealers').parentNode.hidden = bus.dealers.length === 0;
    if (empty) { renderHints(bus.address); }
    syncRows($('dealers').tBodies[0], bus.dealers, function (d) { return d.id; }, function (d) {
      var host = d.host ? d.host + (d.pid !== null ? ' \u00B7 pid ' + d.pid : '') : '\u2014';
      return [
        { text: d.id, cls: 'mono' },
        dealerState(d),
        d.group,
        host,
        { text: d.runtime || '\u2014', title: d.implementation || '' },
        { text: d.inFlight + ' / ' + d.slots, cls: 'num', title: 'Calls running / slots (FIFO); '
            + d.maxConcurrent + ' at most in load-balance mode' },
        { text: int(d.replies), cls: 'num', title: int(d.requests) + ' dispatched' },
        { text: duration(d.heartbeatAgeMs) + ' ago', cls: 'num' },
        { text: d.methods.map(function (m) { return m.substring(m.indexOf('.') + 1); }).join(', '),
          cls: 'methods-list', title: d.methods.join(', ') }
      ];
    }, function (d) { return d.state === 'inactive' || d.state === 'shutdown' ? 'gone' : null; });
  }

  /** The commands to start a dealer, for this router (a wildcard bind address becomes this page's host). */
  function renderHints(address) {
    var match = /^tcp:\/\/(.*):(\d+)$/.exec(address || '');
    if (!match) { return; }
    var host = match[1].replace(/^\[|\]$/g, '');
    if (host === '*' || host === '0.0.0.0' || host === '::') { host = window.location.hostname || '127.0.0.1'; }
    setText($('cmd-cli'), 'voidrail dealer --host ' + host + ' --port ' + match[2]
      + ' --class io.voidrail.cli.example.EchoService');
    setText($('cmd-spring'), 'voidrail.router-address=tcp://' + (host.indexOf(':') >= 0 ? '[' + host + ']' : host)
      + ':' + match[2]);
  }

  function renderMethods(bus) {
    $('no-methods').hidden = bus.methods.length > 0;
    $('methods').parentNode.hidden = bus.methods.length === 0;
    syncRows($('methods').tBodies[0], bus.methods, function (m) { return m.name; }, function (m) {
      return [
        { text: m.name, cls: 'mono', title: 'Offered by ' + m.offeredBy + ' dealer(s)' },
        { text: int(m.queueLength), cls: 'num' },
        { text: m.queueLength ? duration(m.oldestWaitMs) : '\u2014', cls: 'num' },
        { text: m.availableDealers + ' / ' + m.busyDealers, cls: 'num' },
        { text: m.calls ? rate(m.callsPerSecond) : '\u2014', cls: 'num' },
        { text: latency(m.p50Ms), cls: 'num' },
        { text: latency(m.p99Ms), cls: 'num' },
        { text: int(m.calls), cls: 'num' },
        { text: int(m.failed), cls: 'num' }
      ];
    });
  }

  function renderErrors(bus) {
    var codes = Object.keys(bus.errorCounts).sort();
    var list = $('error-codes');
    var wanted = codes.map(function (c) { return c + ' \u00D7 ' + int(bus.errorCounts[c]); });
    var have = Array.prototype.map.call(list.children, function (li) { return li.textContent; });
    if (wanted.join('|') !== have.join('|')) {
      list.textContent = '';
      wanted.forEach(function (text) {
        var li = document.createElement('li');
        li.textContent = text;
        list.appendChild(li);
      });
    }
    $('no-errors').hidden = codes.length > 0;
    $('errors').parentNode.hidden = bus.recentErrors.length === 0;
    syncRows($('errors').tBodies[0], bus.recentErrors, function (e) {
      return e.atEpochMs + '|' + e.method + '|' + e.code + '|' + e.message;
    }, function (e) {
      return [
        { text: clock(e.atEpochMs), cls: 'num' },
        badge('bad', '\u2716', e.code, ''),
        { text: e.method, cls: 'mono' },
        { text: e.message, cls: 'msg' }
      ];
    });
  }

  // ------------------------------------------------------------------ charts

  function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

  function chartOptions(el, series, yLabel) {
    var axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--line'), width: 1 }, ticks: { stroke: cssVar('--line') } };
    return {
      width: Math.max(200, el.clientWidth),
      height: 200,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(1, (max || 0) * 1.15)]; } } },
      axes: [axis, Object.assign({ label: yLabel, size: 56 }, axis)],
      series: [{}].concat(series)
    };
  }

  function line(label, index, width) {
    return {
      label: label, stroke: COLOURS[index % COLOURS.length], width: width || 1.5,
      dash: DASHES[Math.floor(index / COLOURS.length) % DASHES.length], spanGaps: false, points: { show: false }
    };
  }

  /** Creates the chart when its series change, else only replaces the data (no flicker, no jump). */
  function drawChart(name, el, key, makeSeries, data, yLabel) {
    if (typeof window.uPlot !== 'function') {
      setText(el, 'Charts unavailable: uPlot did not load.');
      return;
    }
    if (!charts[name] || chartKeys[name] !== key) {
      if (charts[name]) { charts[name].destroy(); }
      el.textContent = '';
      charts[name] = new window.uPlot(chartOptions(el, makeSeries(), yLabel), data, el);
      chartKeys[name] = key;
    } else {
      charts[name].setData(data);
    }
  }

  /** The method with the most calls in the history: the first one worth a look. */
  function busiest(h) {
    var best = '';
    var most = -1;
    Object.keys(h.methods).forEach(function (m) {
      var sum = h.methods[m].rate.reduce(function (a, v) { return a + (v || 0); }, 0);
      if (sum > most) { most = sum; best = m; }
    });
    return best;
  }

  function renderCharts(doc) {
    var h = doc.history;
    var methods = Object.keys(h.methods);
    var t = h.t;
    setText($('rate-hint'), 'last ' + Math.round(doc.historySeconds / 60) + ' min');

    var rateData = [t, h.total].concat(methods.map(function (m) { return h.methods[m].rate; }));
    drawChart('rate', $('chart-rate'), methods.join('|'), function () {
      return [Object.assign(line('All methods', 0, 2.5), { stroke: cssVar('--text') })]
        .concat(methods.map(function (m, i) { return line(m, i); }));
    }, rateData, 'calls/s');
    var now = h.total.length ? h.total[h.total.length - 1] : null;
    setAttr($('chart-rate'), 'aria-label', 'Calls per second over the last ' + Math.round(doc.historySeconds / 60)
      + ' minutes' + (now === null ? '' : '; now ' + rate(now) + ' in total'));

    var select = $('latency-method');
    var options = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (options.join('|') !== methods.join('|')) {
      var chosen = select.value;
      select.textContent = '';
      methods.forEach(function (m) {
        var option = document.createElement('option');
        option.value = m;
        option.textContent = m;
        select.appendChild(option);
      });
      select.value = methods.indexOf(chosen) >= 0 ? chosen : busiest(h);
    }
    var method = select.value;
    var el = $('chart-latency');
    if (!method) {
      if (charts.latency) { charts.latency.destroy(); charts.latency = null; chartKeys.latency = ''; }
      setText(el, 'No call answered yet.');
      setAttr(el, 'class', 'chart nodata');
      return;
    }
    setAttr(el, 'class', 'chart');
    var s = h.methods[method];
    drawChart('latency', el, method, function () {
      return [line('p99', 1, 2), Object.assign(line('p50', 0, 2), { dash: [6, 3] })];
    }, [t, s.p99, s.p50], 'ms');
    setAttr(el, 'aria-label', 'Latency of ' + method + ' over the last minutes, p50 dashed and p99 solid');
  }

  function resizeCharts() {
    [['rate', 'chart-rate'], ['latency', 'chart-latency']].forEach(function (pair) {
      var chart = charts[pair[0]];
      if (chart) { chart.setSize({ width: Math.max(200, $(pair[1]).clientWidth), height: 200 }); }
    });
  }

  // ------------------------------------------------------------------ polling

  function render(doc) {
    latest = doc;
    var bus = doc.bus;
    refreshMs = doc.refreshMs || refreshMs;
    setText($('refresh'), String(refreshMs / 1000));
    setText($('address'), bus.address);
    setText($('source'), bus.local ? 'in-process router' : 'remote router, read-only');
    if (bus.reachable) {
      lastOkAt = doc.generatedAt;
      status('live', 'Live');
      banner(null);
    } else {
      status('stale', 'Router not answering');
      banner('The router does not answer (' + (bus.problem || 'no reason given') + '). '
        + (lastOkAt ? 'Showing what it said at ' + clock(lastOkAt) + '.' : 'Nothing read yet.'));
    }
    setText($('updated'), 'at ' + clock(doc.generatedAt));
    renderRouter(bus, doc);
    renderDealers(bus);
    renderMethods(bus);
    renderErrors(bus);
    renderCharts(doc);
    document.body.dataset.updated = String(doc.generatedAt); // lets tests wait for a fresh render
  }

  function poll() {
    fetch('snapshot.json', { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        var type = response.headers.get('Content-Type') || '';
        if (response.status === 401 || response.status === 403 || (response.ok && type.indexOf('json') < 0)) {
          throw new Error('Signed out: reload the page to sign in again');
        }
        if (!response.ok) { throw new Error('The dashboard answered HTTP ' + response.status); }
        return response.json();
      })
      .then(render, function (error) {
        status('error', 'Dashboard unreachable');
        banner(error.message + (lastOkAt ? ' (last update at ' + clock(lastOkAt) + ')' : ''));
      })
      .then(function () { window.setTimeout(poll, refreshMs); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('latency-method').addEventListener('change', function () { if (latest) { renderCharts(latest); } });
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(resizeCharts).observe(document.querySelector('.charts'));
    }
    poll();
  });
}());
