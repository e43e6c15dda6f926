// CausalStream dashboard: reads the live feed (/events, Server-Sent Events, one JSON object per event with a
// "type") and draws the causal graph, edge strength over time, effect estimates, stream health and the
// stimulation log. Plain JavaScript and SVG; drawing is coalesced to one pass per animation frame.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
  const TOKEN_KEY = 'causalstream.dashboard.token';
  const MAX_POINTS = 240;
  const SPAN_SECONDS = 60;
  const AUTO_EDGES = 3;
  const OUTCOMES = ['fired', 'dry_run', 'randomized_out', 'suppressed'];
  const OUTCOME_TEXT = { fired: 'fired', dry_run: 'dry run', randomized_out: 'randomised out', suppressed: 'suppressed' };

  const $ = (id) => document.getElementById(id);
  const el = (name, attrs, parent) => {
    const node = document.createElementNS(SVG, name);
    if (attrs) for (const k in attrs) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  };
  const html = (name, cls, text, parent) => {
    const node = document.createElement(name);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  };
  const fmt = (v, digits) => (v === null || v === undefined || !isFinite(v) ? '–' : Number(v).toFixed(digits));
  const ms = (seconds) => (seconds === null || seconds === undefined || !isFinite(seconds) ? '–' : (seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1));
  const count = (n) => (n >= 1e6 ? (n / 1e6).toFixed(1) + 'M' : n >= 1e4 ? (n / 1e3).toFixed(0) + 'k' : String(n));

  // ---------------------------------------------------------------- state
  const state = {
    stream: null,             // stream shown
    streams: new Set(),
    graphs: new Map(),        // stream -> latest graph
    series: new Map(),        // stream -> Map(key "s>t" -> [{t, w, sig}])
    selected: [],             // edge keys charted, in order
    colors: new Map(),        // edge key -> color
    auto: true,               // pick the strongest edges until the user chooses
    effects: new Map(),       // "treatment>outcome|estimator" -> [{t, y, lo, hi}]
    status: null,
    previous: null,           // the status before, for per-interval rates
    rates: new Map(),         // stream -> [{t, y}] samples per second over the last interval
    queues: new Map(),        // stage -> [{t, y}] queue depth
    decisions: [],
    outcomeCounts: { fired: 0, dry_run: 0, randomized_out: 0, suppressed: 0 },
    control: { controlsEnabled: false, controllerAttached: false, armed: null, rules: [] },
    dirty: new Set(),
  };

  let frameRequested = false;
  function invalidate(part) {
    state.dirty.add(part);
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(render);
    }
  }

  function render() {
    frameRequested = false;
    const dirty = state.dirty;
    state.dirty = new Set();
    if (dirty.has('graph')) renderGraph();
    if (dirty.has('graph') || dirty.has('strength')) renderStrength();
    if (dirty.has('effects')) renderEffects();
    if (dirty.has('health')) renderHealth();
    if (dirty.has('stim')) renderStimulation();
    if (dirty.has('control')) renderControl();
  }

  // ---------------------------------------------------------------- feed
  function connect() {
    const source = new EventSource('events');
    source.onopen = () => setConnection(true);
    source.onerror = () => setConnection(false);
    source.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      handle(message);
    };
  }

  function setConnection(ok) {
    $('conn-dot').className = 'dot ' + (ok ? 'ok' : 'bad');
    $('conn-text').textContent = ok ? 'live' : 'reconnecting…';
  }

  function handle(m) {
    switch (m.type) {
      case 'graph': onGraph(m); break;
      case 'history': onHistory(m); break;
      case 'status': onStatus(m); break;
      case 'decision': onDecision(m); break;
      case 'control': onControl(m); break;
      case 'effect': onEffect(m); break;
      default: break;
    }
  }

  function seriesOf(stream) {
    let s = state.series.get(stream);
    if (!s) { s = new Map(); state.series.set(stream, s); }
    return s;
  }

  function push(list, point, max) {
    list.push(point);
    if (list.length > max) list.splice(0, list.length - max);
  }

  function noteStream(stream) {
    if (!state.streams.has(stream)) {
      state.streams.add(stream);
      const select = $('stream-select');
      const option = html('option', null, stream, select);
      option.value = stream;
      select.hidden = state.streams.size < 2;
    }
    if (state.stream === null) state.stream = stream;
  }

  function onHistory(m) {
    noteStream(m.stream);
    const series = seriesOf(m.stream);
    const c = m.channels.length;
    for (const p of m.points) {
      const sig = new Set(p.significant);
      for (let i = 0; i < p.weights.length; i++) {
        const w = p.weights[i];
        if (w === null) continue;
        const key = Math.floor(i / c) + '>' + (i % c);
        let list = series.get(key);
        if (!list) { list = []; series.set(key, list); }
        const last = list[list.length - 1];
        if (last && last.seq >= p.sequence) continue;
        push(list, { t: p.windowEnd, w: w, sig: sig.has(i), seq: p.sequence }, MAX_POINTS);
      }
    }
    invalidate('strength');
  }

  function onGraph(g) {
    noteStream(g.stream);
    state.graphs.set(g.stream, g);
    const series = seriesOf(g.stream);
    for (const e of g.edges) {
      const key = e.sourceIndex + '>' + e.targetIndex;
      let list = series.get(key);
      if (!list) { list = []; series.set(key, list); }
      const last = list[list.length - 1];
      if (last && last.seq >= g.sequence) continue;
      push(list, { t: g.windowEnd, w: e.weight, sig: e.significant, seq: g.sequence }, MAX_POINTS);
    }
    if (g.stream === state.stream) {
      if (state.auto) autoSelect(g);
      invalidate('graph');
    }
  }

  function seriesFor(map, key) {
    let list = map.get(key);
    if (!list) { list = []; map.set(key, list); }
    return list;
  }

  function onStatus(s) {
    const before = state.status;
    state.status = s;
    if (before && s.elapsedSeconds > before.elapsedSeconds) {
      const dt = s.elapsedSeconds - before.elapsedSeconds;
      for (const st of s.streams) {
        const old = before.streams.find((x) => x.stream === st.stream);
        if (old && st.nominalRate > 0) push(seriesFor(state.rates, st.stream), { t: s.elapsedSeconds, y: (st.samples - old.samples) / dt }, MAX_POINTS);
      }
    }
    for (const stage of s.stages) push(seriesFor(state.queues, stage.stage), { t: s.elapsedSeconds, y: stage.queueDepth }, MAX_POINTS);
    invalidate('health');
  }

  function onDecision(d) {
    push(state.decisions, d, 400);
    if (d.outcome in state.outcomeCounts) state.outcomeCounts[d.outcome]++;
    if (d.outcome === 'fired' || d.outcome === 'dry_run') flashNode(d.channel);
    invalidate('stim');
  }

  function onControl(c) {
    state.control = { ...c, rules: state.control.rules };
    invalidate('control');
  }

  // An effect estimate: {type:"effect", treatment, outcome, estimator, time, estimate, ciLow, ciHigh}.
  function onEffect(e) {
    const key = e.treatment + ' → ' + e.outcome + (e.estimator ? ' (' + e.estimator + ')' : '');
    let list = state.effects.get(key);
    if (!list) { list = []; state.effects.set(key, list); }
    push(list, { t: e.time, y: e.estimate, lo: e.ciLow, hi: e.ciHigh }, MAX_POINTS);
    // The simulator's known true effect, when the estimate carries it, as one more (flat) series.
    const truth = e.diagnostics ? e.diagnostics.true_effect : null;
    if (typeof truth === 'number' && typeof e.time === 'number') {
      const tkey = e.treatment + ' → ' + e.outcome + ' (truth)';
      let tl = state.effects.get(tkey);
      if (!tl) { tl = []; state.effects.set(tkey, tl); }
      if (tl.length === 0 || tl[tl.length - 1].t < e.time) push(tl, { t: e.time, y: truth }, MAX_POINTS);
    }
    invalidate('effects');
  }

  // ---------------------------------------------------------------- graph
  const graphView = { channels: null, nodes: [], edges: new Map(), maxWeight: 0 };
  const CX = 250, CY = 250, RING = 195, NODE_R = 19;

  function layout(channels) {
    const nodesGroup = $('nodes');
    nodesGroup.replaceChildren();
    $('edges-sig').replaceChildren();
    $('edges-faint').replaceChildren();
    $('edge-labels').replaceChildren();
    graphView.edges.clear();
    graphView.channels = channels.slice();
    graphView.nodes = channels.map((name, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / channels.length;
      const x = CX + RING * Math.cos(angle), y = CY + RING * Math.sin(angle);
      const g = el('g', { class: 'node', 'data-channel': i }, nodesGroup);
      el('circle', { cx: x, cy: y, r: NODE_R }, g);
      const label = el('text', { x: x, y: y }, g);
      label.textContent = name;
      el('title', null, g).textContent = name;
      return { x, y, g };
    });
  }

  function geometry(s, t) {
    const a = graphView.nodes[s], b = graphView.nodes[t];
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    const nx = -dy / len, ny = dx / len, bend = len * 0.13;
    const cx = (a.x + b.x) / 2 + nx * bend, cy = (a.y + b.y) / 2 + ny * bend;
    const trim = (px, py, r) => {
      const vx = cx - px, vy = cy - py, d = Math.hypot(vx, vy) || 1;
      return [px + (vx / d) * r, py + (vy / d) * r];
    };
    const [x1, y1] = trim(a.x, a.y, NODE_R + 1);
    const [x2, y2] = trim(b.x, b.y, NODE_R + 3);
    return {
      d: 'M' + x1.toFixed(1) + ',' + y1.toFixed(1) + ' Q' + cx.toFixed(1) + ',' + cy.toFixed(1) + ' ' + x2.toFixed(1) + ',' + y2.toFixed(1),
      mx: 0.25 * x1 + 0.5 * cx + 0.25 * x2,
      my: 0.25 * y1 + 0.5 * cy + 0.25 * y2,
    };
  }

  function edgeView(e, key) {
    let v = graphView.edges.get(key);
    if (v) return v;
    const geo = geometry(e.sourceIndex, e.targetIndex);
    const hit = el('path', { class: 'edge-hit', d: geo.d, 'data-key': key });
    const path = el('path', { class: 'edge', d: geo.d, 'data-key': key });
    const title = el('title', null, hit);
    hit.addEventListener('click', () => toggleEdge(key));
    const label = el('g', { class: 'lag-tag' }, $('edge-labels'));
    el('circle', { class: 'lag-bg', cx: geo.mx, cy: geo.my, r: 7 }, label);
    const text = el('text', { class: 'lag-label', x: geo.mx, y: geo.my }, label);
    v = { hit, path, title, label, text, sig: null };
    graphView.edges.set(key, v);
    return v;
  }

  // The edge's own lag when the method reports one (lag-specific links), else the lag with the largest |t|.
  function peakLag(e) {
    if (typeof e.lag === 'number' && e.lag > 0) return e.lag;
    let best = 0, bestAbs = -1;
    const t = e.lagT || [];
    for (let i = 0; i < t.length; i++) {
      const a = Math.abs(t[i] ?? 0);
      if (a > bestAbs) { bestAbs = a; best = i + 1; }
    }
    return best;
  }

  function renderGraph() {
    const g = state.graphs.get(state.stream);
    if (!g) return;
    if (!graphView.channels || graphView.channels.join('\u0000') !== g.channels.join('\u0000')) layout(g.channels);
    const svg = $('graph');
    svg.setAttribute('data-sequence', g.sequence);

    let max = 0;
    for (const e of g.edges) if (e.significant && e.weight > max) max = e.weight;
    if (max === 0) for (const e of g.edges) if (e.weight > max) max = e.weight;
    // A slowly decaying reference keeps widths comparable from one window to the next.
    graphView.maxWeight = Math.max(max, graphView.maxWeight * 0.97);
    const ref = graphView.maxWeight || 1;

    const sigGroup = $('edges-sig'), faintGroup = $('edges-faint');
    let significant = 0;
    for (const e of g.edges) {
      const key = e.sourceIndex + '>' + e.targetIndex;
      const v = edgeView(e, key);
      const sel = state.colors.get(key);
      const strength = Math.max(0, e.weight ?? 0) / ref;
      if (v.sig !== e.significant) {
        const group = e.significant ? sigGroup : faintGroup;
        group.appendChild(v.hit);
        group.appendChild(v.path);
        v.sig = e.significant;
      }
      if (e.significant) significant++;
      const width = e.significant ? 1.5 + 7.5 * Math.sqrt(Math.min(1, strength)) : 0.8 + 1.5 * Math.min(1, strength);
      v.path.setAttribute('class', 'edge ' + (e.significant ? 'sig' : 'faint') + (sel ? ' sel' : ''));
      v.path.setAttribute('stroke-width', width.toFixed(2));
      if (sel) v.path.style.stroke = sel; else v.path.style.removeProperty('stroke');
      v.path.setAttribute('marker-end', 'url(#arrow-' + (sel ? 'sel' : e.significant ? 'sig' : 'faint') + ')');
      const lag = peakLag(e);
      v.text.textContent = lag > 0 ? String(lag) : '';
      v.label.style.display = e.significant && lag > 0 ? '' : 'none';
      v.title.textContent = g.channels[e.sourceIndex] + ' → ' + g.channels[e.targetIndex] +
        '\nstrength ' + fmt(e.weight, 4) + (e.significant ? ' (significant)' : '') +
        '\nF ' + fmt(e.f, 2) + ', p ' + (e.p ?? NaN).toExponential(2) + ', q ' + (e.q ?? NaN).toExponential(2) +
        '\npeak lag ' + lag + '\nclick to ' + (sel ? 'remove from' : 'add to') + ' the chart';
    }
    svg.setAttribute('data-significant', significant);

    $('run-stream').textContent = g.stream + ' · ' + g.method + ' VAR(' + g.maxLag + ')';
    $('run-window').textContent = 'window ' + fmt(g.windowStart, 2) + '–' + fmt(g.windowEnd, 2) + ' s · #' + g.sequence +
      ' · ' + significant + '/' + g.edges.length + ' significant (' + g.correction + ', α ' + g.alpha + ')';
    const flags = $('run-flags');
    flags.replaceChildren();
    if (g.regularized) html('span', 'badge warn', 'regularised', flags);
    if (g.rowsSkipped > 0) html('span', 'badge warn', g.rowsSkipped + ' rows skipped', flags);
  }

  function flashNode(channel) {
    const n = graphView.nodes[channel];
    if (!n) return;
    n.g.classList.remove('stim');
    void n.g.getBBox();
    n.g.classList.add('stim');
  }

  // ---------------------------------------------------------------- edge selection
  function colorFor(key) {
    const used = new Set(state.colors.values());
    for (const c of PALETTE) if (!used.has(c)) { state.colors.set(key, c); return; }
    state.colors.set(key, PALETTE[state.colors.size % PALETTE.length]);
  }

  function setSelection(keys) {
    const keep = new Map();
    for (const k of keys) if (state.colors.has(k)) keep.set(k, state.colors.get(k));
    state.colors = keep;
    state.selected = keys.slice();
    for (const k of state.selected) if (!state.colors.has(k)) colorFor(k);
  }

  function autoSelect(g) {
    const ranked = g.edges.filter((e) => e.weight !== null).sort((a, b) => (b.significant - a.significant) || (b.weight - a.weight));
    const keys = ranked.slice(0, AUTO_EDGES).map((e) => e.sourceIndex + '>' + e.targetIndex);
    // Keep the current picks while they are still among the strongest, so colours stay put.
    const strongest = new Set(ranked.slice(0, AUTO_EDGES + 2).map((e) => e.sourceIndex + '>' + e.targetIndex));
    if (state.selected.length === AUTO_EDGES && state.selected.every((k) => strongest.has(k))) return;
    setSelection(keys);
  }

  function toggleEdge(key) {
    state.auto = false;
    const keys = state.selected.slice();
    const i = keys.indexOf(key);
    if (i >= 0) keys.splice(i, 1); else keys.push(key);
    if (keys.length > PALETTE.length) keys.shift();
    setSelection(keys);
    invalidate('graph');
  }

  $('strength-auto').addEventListener('click', () => {
    state.auto = true;
    const g = state.graphs.get(state.stream);
    state.selected = [];
    if (g) autoSelect(g);
    invalidate('graph');
  });

  // ---------------------------------------------------------------- charts
  function niceTicks(lo, hi, n) {
    const span = hi - lo || 1;
    const step0 = span / n, mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= n) || mag * 10;
    const ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) ticks.push(+v.toFixed(10));
    return ticks;
  }

  // Draws lines (and optional interval bands) on an SVG of the given viewBox size; series: [{color, points:[{t,y,lo?,hi?,dot?}]}].
  function lineChart(svg, series, opts) {
    const vb = svg.viewBox.baseVal, W = vb.width, H = vb.height;
    const L = 46, R = 10, T = 8, B = 20;
    svg.replaceChildren();
    let t0 = Infinity, t1 = -Infinity, y0 = opts.zero ? 0 : Infinity, y1 = -Infinity;
    for (const s of series) for (const p of s.points) {
      if (p.t < t0) t0 = p.t; if (p.t > t1) t1 = p.t;
    }
    if (!isFinite(t0)) return false;
    if (opts.span && t1 - t0 > opts.span) t0 = t1 - opts.span;
    for (const s of series) for (const p of s.points) {
      if (p.t < t0 || p.y === null) continue;
      const lo = p.lo ?? p.y, hi = p.hi ?? p.y;
      if (lo < y0) y0 = lo; if (hi > y1) y1 = hi;
    }
    for (const g of opts.guides || []) { if (g > y1) y1 = g; if (g < y0) y0 = g; }
    if (!isFinite(y1)) return false;
    if (opts.zero && y0 > 0) y0 = 0;
    if (y1 === y0) { y1 += 1; }
    const pad = (y1 - y0) * 0.08;
    y1 += pad;
    if (!opts.zero) y0 -= pad;
    if (t1 === t0) t1 = t0 + 1;
    const X = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
    const Y = (y) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);

    const grid = el('g', { class: 'grid' }, svg), axis = el('g', { class: 'axis' }, svg);
    for (const v of niceTicks(y0, y1, opts.yTicks || 4)) {
      el('line', { x1: L, x2: W - R, y1: Y(v), y2: Y(v) }, grid);
      const label = el('text', { x: L - 5, y: Y(v) + 3, 'text-anchor': 'end' }, axis);
      label.textContent = opts.yFormat ? opts.yFormat(v) : String(v);
    }
    for (const v of niceTicks(t0, t1, 6)) {
      const label = el('text', { x: X(v), y: H - 5, 'text-anchor': 'middle' }, axis);
      label.textContent = v + (opts.xUnit || '');
    }
    el('line', { x1: L, x2: W - R, y1: H - B, y2: H - B }, axis);
    if (opts.zeroLine && y0 < 0 && y1 > 0) el('line', { class: 'zero', x1: L, x2: W - R, y1: Y(0), y2: Y(0) }, svg);
    for (const g of opts.guides || []) if (g >= y0 && g <= y1) el('line', { class: 'nominal', x1: L, x2: W - R, y1: Y(g), y2: Y(g) }, svg);

    for (const s of series) {
      const pts = s.points.filter((p) => p.t >= t0 && p.y !== null);
      if (pts.length === 0) continue;
      if (pts[0].lo !== undefined) {
        const upper = pts.map((p) => X(p.t).toFixed(1) + ',' + Y(p.hi ?? p.y).toFixed(1));
        const lower = pts.slice().reverse().map((p) => X(p.t).toFixed(1) + ',' + Y(p.lo ?? p.y).toFixed(1));
        el('polygon', { class: 'band', points: upper.concat(lower).join(' '), fill: s.color }, svg);
      }
      el('polyline', { class: 'series', points: pts.map((p) => X(p.t).toFixed(1) + ',' + Y(p.y).toFixed(1)).join(' '), stroke: s.color }, svg);
      for (const p of pts) if (p.dot) el('circle', { cx: X(p.t), cy: Y(p.y), r: 2.2, fill: s.color }, svg);
    }
    return true;
  }

  function renderStrength() {
    const series = state.series.get(state.stream);
    const g = state.graphs.get(state.stream);
    const names = g ? g.channels : [];
    const out = [];
    const legend = $('strength-legend');
    legend.replaceChildren();
    for (const key of state.selected) {
      const list = series ? series.get(key) : null;
      const color = state.colors.get(key);
      const [s, t] = key.split('>').map(Number);
      const chip = html('span', 'chip', null, legend);
      const swatch = html('i', null, null, chip);
      swatch.style.background = color;
      const last = list && list.length ? list[list.length - 1] : null;
      html('span', null, (names[s] ?? s) + ' → ' + (names[t] ?? t) + (last ? '  ' + fmt(last.w, 3) : ''), chip);
      const remove = html('button', null, '×', chip);
      remove.title = 'remove';
      remove.addEventListener('click', () => toggleEdge(key));
      if (list) out.push({ color, points: list.map((p) => ({ t: p.t, y: p.w, dot: p.sig })) });
    }
    const drawn = lineChart($('strength'), out, { span: SPAN_SECONDS, xUnit: ' s', yTicks: 5, yFormat: (v) => v.toFixed(2) });
    if (!drawn) {
      const t = el('text', { x: 320, y: 125, 'text-anchor': 'middle', class: 'ghost' }, $('strength'));
      t.textContent = 'waiting for graphs…';
    }
  }

  function renderEffects() {
    const keys = Array.from(state.effects.keys());
    if (keys.length === 0) {
      const svg = $('effects');
      svg.replaceChildren();
      const W = svg.viewBox.baseVal.width, H = svg.viewBox.baseVal.height;
      el('line', { class: 'zero', x1: 46, x2: W - 10, y1: H / 2, y2: H / 2 }, svg);
      el('rect', { x: 46, y: 8, width: W - 56, height: H - 28, fill: 'none', stroke: '#e2e8f0' }, svg);
      const lines = ['No effect estimates yet.', 'Each estimate appears here with its confidence interval over time once an effect stage runs.'];
      lines.forEach((text, i) => { el('text', { class: 'ghost', x: W / 2, y: H / 2 - 22 + i * 16, 'text-anchor': 'middle' }, svg).textContent = text; });
      $('effects-legend').replaceChildren();
      return;
    }
    const legend = $('effects-legend');
    legend.replaceChildren();
    const series = keys.map((key, i) => {
      const list = state.effects.get(key);
      const color = PALETTE[i % PALETTE.length];
      const chip = html('span', 'chip', null, legend);
      html('i', null, null, chip).style.background = color;
      const last = list[list.length - 1];
      html('span', null, key + ': ' + fmt(last.y, 3) + ' [' + fmt(last.lo, 3) + ', ' + fmt(last.hi, 3) + ']', chip);
      return { color, points: list };
    });
    lineChart($('effects'), series, { zeroLine: true, span: SPAN_SECONDS, xUnit: ' s', yFormat: (v) => v.toFixed(2) });
  }

  // ---------------------------------------------------------------- health
  function renderHealth() {
    const s = state.status;
    if (!s) return;
    $('health-elapsed').textContent = fmt(s.elapsedSeconds, 1) + ' s' + (s.final ? ' (ended)' : '');
    const tiles = $('health-streams');
    tiles.replaceChildren();
    let first = true;
    for (const st of s.streams) {
      const tile = html('div', 'tile', null, tiles);
      html('div', 'name', st.stream, tile);
      const rate = html('div', 'rate', null, tile);
      if (st.nominalRate > 0) {
        if (first) { rate.id = 'health-rate'; first = false; }
        rate.textContent = fmt(st.measuredRate, 1);
        html('small', null, ' / ' + fmt(st.nominalRate, 0) + ' Hz', rate);
        const meter = html('div', 'meter', null, tile);
        const fill = html('div', null, null, meter);
        const ratio = Math.min(1, st.measuredRate / st.nominalRate);
        fill.style.width = (ratio * 100).toFixed(1) + '%';
        if (ratio < 0.95) fill.className = 'low';
      } else {
        rate.textContent = count(st.markers);
        html('small', null, ' markers (irregular stream)', rate);
      }
      const counts = html('div', 'counts', null, tile);
      const items = st.nominalRate > 0
        ? [['samples', st.samples, false], ['dropped', st.dropped, true], ['rejected', st.rejectedChunks, true],
          ['non-finite', st.nonFiniteValues, true], ['gaps', st.gaps, true], ['backwards', st.backwardsTimestamps, true],
          ['source errors', st.sourceErrors, true]]
        : [['dropped', st.dropped, true], ['rejected', st.rejectedChunks, true], ['source errors', st.sourceErrors, true]];
      for (const [label, n, bad] of items) html('span', 'count' + (bad && n > 0 ? ' bad' : ''), label + ' ' + count(n), counts);
    }

    const body = $('stages').tBodies[0];
    body.replaceChildren();
    for (const st of s.stages) {
      const row = html('tr', null, null, body);
      html('td', null, st.stage, row);
      html('td', null, count(st.processed), row);
      html('td', st.dropped > 0 ? 'bad' : null, count(st.dropped), row);
      html('td', null, String(st.queueDepth), row);
      html('td', null, ms(st.latencyP50), row);
      html('td', null, ms(st.latencyP99), row);
      html('td', null, ms(st.latencyMax), row);
      row.title = st.stage + ': p50 ' + ms(st.latencyP50) + ' ms, p99 ' + ms(st.latencyP99) + ' ms, p99.9 ' + ms(st.latencyP999) + ' ms, max ' + ms(st.latencyMax) + ' ms over ' + st.latencyCount + ' results';
      latencyBar(html('td', 'bar', null, row), st);
    }

    const nominal = s.streams.filter((x) => x.nominalRate > 0).map((x) => x.nominalRate);
    smallChart('rates', 'rate-legend', state.rates, nominal, nominal.length ? 1.5 * Math.max(...nominal) : undefined);
    smallChart('queues', 'queue-legend', state.queues, []);
  }

  // A small multi-line chart of recent values; values above cap (catch-up bursts after a stall) are drawn at the cap.
  function smallChart(svgId, legendId, map, guides, cap) {
    const legend = $(legendId);
    legend.replaceChildren();
    const series = [];
    let i = 0;
    for (const [name, list] of map) {
      if (list.length === 0) continue;
      const color = PALETTE[i++ % PALETTE.length];
      if (map.size > 1) {
        const chip = html('span', 'chip', null, legend);
        html('i', null, null, chip).style.background = color;
        html('span', null, name, chip);
      }
      series.push({ color, points: cap === undefined ? list : list.map((p) => ({ t: p.t, y: Math.min(p.y, cap) })) });
    }
    const svg = $(svgId);
    lineChart(svg, series, { zero: true, span: 120, xUnit: ' s', yFormat: (v) => String(Math.round(v)), guides });
  }

  // p50, p99 and max of one stage as marks on a log axis from 10 µs to 1 s.
  function latencyBar(cell, st) {
    const svg = el('svg', { viewBox: '0 0 200 14', preserveAspectRatio: 'none', class: 'lat-bar' }, cell);
    const X = (seconds) => {
      const v = Math.log10(Math.max(1e-5, Math.min(1, seconds || 1e-5)));
      return ((v + 5) / 5) * 196 + 2;
    };
    el('line', { class: 'axis-line', x1: 2, x2: 198, y1: 7, y2: 7 }, svg);
    if (!(st.latencyCount > 0)) return;
    el('rect', { class: 'range', x: X(st.latencyP50), y: 3, width: Math.max(1, X(st.latencyMax) - X(st.latencyP50)), height: 8 }, svg);
    el('rect', { class: 'max', x: X(st.latencyMax) - 1, y: 1, width: 2, height: 12 }, svg);
    el('rect', { class: 'p999', x: X(st.latencyP999) - 1, y: 2, width: 2, height: 10 }, svg);
    el('rect', { class: 'p99', x: X(st.latencyP99) - 1.5, y: 1, width: 3, height: 12 }, svg);
    el('rect', { class: 'p50', x: X(st.latencyP50) - 1.5, y: 1, width: 3, height: 12 }, svg);
  }

  async function pollState() {
    try {
      const response = await fetch('api/state', { cache: 'no-store' });
      if (!response.ok) return;
      const s = await response.json();
      state.control = { controlsEnabled: s.controlsEnabled, controllerAttached: s.controllerAttached, armed: s.armed, rules: s.rules || [] };
      invalidate('control');
      let queued = 0;
      for (const c of s.clients) queued += c.queued;
      $('feed-stats').textContent = 'dashboard: ' + s.clients.length + ' browser' + (s.clients.length === 1 ? '' : 's') +
        ', ' + count(s.published) + ' events published, ' + queued + ' queued, ' + count(s.droppedTotal) + ' dropped for slow browsers';
    } catch { /* the feed's status shows the outage */ }
  }

  // ---------------------------------------------------------------- stimulation
  function renderStimulation() {
    const counts = $('stim-counts');
    counts.replaceChildren();
    for (const o of OUTCOMES) {
      const chip = html('span', 'chip ' + o, null, counts);
      html('i', null, null, chip);
      html('span', null, OUTCOME_TEXT[o] + ' ' + state.outcomeCounts[o], chip);
    }

    const list = state.decisions;
    $('stim-empty').hidden = list.length > 0;
    const body = $('stim-log').tBodies[0];
    body.replaceChildren();
    for (let i = list.length - 1; i >= 0 && i >= list.length - 60; i--) {
      const d = list[i];
      const row = html('tr', null, null, body);
      html('td', null, fmt(d.sourceTime, 3), row);
      const cell = html('td', null, null, row);
      html('span', 'out ' + d.outcome, OUTCOME_TEXT[d.outcome] || d.outcome, cell);
      if (d.interlock) html('span', 'muted', ' ' + d.interlock.replace(/_/g, ' '), cell);
      const rule = html('td', null, d.rule, row);
      rule.title = d.inputs || '';
      html('td', null, String(d.channel), row);
      html('td', null, fmt(d.amplitude, 2), row);
      html('td', null, ms(d.latencySeconds) + ' ms', row);
    }

    const svg = $('stim-timeline');
    svg.replaceChildren();
    if (list.length === 0) return;
    const W = svg.viewBox.baseVal.width, H = svg.viewBox.baseVal.height;
    const t1 = list[list.length - 1].sourceTime;
    let t0 = t1 - SPAN_SECONDS;
    let earliest = t1;
    for (const d of list) if (d.sourceTime !== null && d.sourceTime < earliest) earliest = d.sourceTime;
    t0 = Math.max(t0, Math.min(earliest, t1 - 10));
    const X = (t) => 8 + ((t - t0) / (t1 - t0 || 1)) * (W - 16);
    const rows = { fired: 0, dry_run: 0, randomized_out: 1, suppressed: 2 };
    el('rect', { x: 0, y: 0, width: W, height: H - 12, fill: '#f8fafc' }, svg);
    for (const d of list) {
      if (d.sourceTime === null || d.sourceTime < t0) continue;
      const row = rows[d.outcome] ?? 2;
      const x = X(d.sourceTime);
      el('line', { class: 'tick ' + d.outcome, x1: x, x2: x, y1: 3 + row * 11, y2: 12 + row * 11 }, svg);
    }
    const axis = el('g', { class: 'axis' }, svg);
    for (const v of niceTicks(t0, t1, 6)) {
      const label = el('text', { x: X(v), y: H - 1, 'text-anchor': 'middle' }, axis);
      label.textContent = v + ' s';
    }
  }

  // ---------------------------------------------------------------- controls
  const tokenInput = $('token');
  tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || '';
  tokenInput.addEventListener('change', () => {
    if (tokenInput.value) sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
    else sessionStorage.removeItem(TOKEN_KEY);
  });

  function renderControl() {
    const c = state.control;
    const badge = $('armed-badge');
    if (!c.controllerAttached || c.armed === null) { badge.className = 'badge neutral'; badge.textContent = 'no controller'; }
    else if (c.armed) { badge.className = 'badge armed'; badge.textContent = 'ARMED'; }
    else { badge.className = 'badge disarmed'; badge.textContent = 'disarmed'; }
    const usable = c.controlsEnabled && c.controllerAttached;
    const why = !c.controlsEnabled ? 'controls are disabled: no token is configured on the server' : !c.controllerAttached ? 'this pipeline has no stimulation controller' : '';
    for (const id of ['arm', 'disarm', 'token']) {
      $(id).disabled = !usable;
      $(id).title = why;
    }
    if (usable) {
      $('arm').disabled = c.armed === true;
      $('disarm').disabled = c.armed === false;
    }

    // Threshold control: one entry per fast-path rule; the field shows the threshold in force unless being edited.
    const select = $('rule-select'), field = $('rule-threshold');
    const names = c.rules.map((r) => r.rule);
    if (select.options.length !== names.length || names.some((n, i) => select.options[i].value !== n)) {
      select.replaceChildren();
      for (const r of c.rules) {
        const option = html('option', null, r.rule + ' (' + r.feature + ', ch ' + r.channel + ')', select);
        option.value = r.rule;
      }
    }
    const current = c.rules.find((r) => r.rule === select.value);
    if (current && document.activeElement !== field && field.dataset.rule !== select.value + ':' + current.threshold) {
      field.value = current.threshold;
      field.dataset.rule = select.value + ':' + current.threshold;
    }
    const thresholdsUsable = c.controlsEnabled && c.rules.length > 0;
    for (const id of ['rule-select', 'rule-threshold', 'set-threshold']) {
      $(id).hidden = c.rules.length === 0;
      $(id).disabled = !thresholdsUsable;
      $(id).title = !c.controlsEnabled ? 'controls are disabled: no token is configured on the server' : '';
    }
  }

  async function setThreshold() {
    const token = tokenInput.value.trim();
    const message = $('control-msg');
    const rule = $('rule-select').value;
    const threshold = Number($('rule-threshold').value);
    if (!token) { message.textContent = 'paste the token first'; return; }
    if (!rule || !Number.isFinite(threshold)) { message.textContent = 'choose a rule and a number'; return; }
    sessionStorage.setItem(TOKEN_KEY, token);
    message.textContent = '…';
    try {
      const response = await fetch('api/stimulation/threshold', {
        method: 'POST', cache: 'no-store',
        headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ rule, threshold }),
      });
      if (response.ok) {
        message.textContent = rule + ' threshold ' + threshold;
      } else {
        let text = response.status + '';
        try { text = (await response.json()).error || text; } catch { /* keep the status */ }
        message.textContent = text;
        if (response.status === 401) sessionStorage.removeItem(TOKEN_KEY);
      }
    } catch {
      message.textContent = 'no connection';
    }
    $('rule-threshold').dataset.rule = '';
    pollState();
  }

  async function control(action) {
    const token = tokenInput.value.trim();
    const message = $('control-msg');
    if (!token) { message.textContent = 'paste the token first'; return; }
    sessionStorage.setItem(TOKEN_KEY, token);
    message.textContent = '…';
    try {
      const response = await fetch('api/stimulation/' + action, { method: 'POST', headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
      if (response.ok) {
        message.textContent = action === 'arm' ? 'armed' : 'disarmed';
        setTimeout(() => { if (message.textContent === (action === 'arm' ? 'armed' : 'disarmed')) message.textContent = ''; }, 4000);
      } else {
        let text = response.status + '';
        try { text = (await response.json()).error || text; } catch { /* keep the status */ }
        message.textContent = text;
        if (response.status === 401) sessionStorage.removeItem(TOKEN_KEY);
      }
    } catch {
      message.textContent = 'no connection';
    }
    pollState();
  }

  $('arm').addEventListener('click', () => control('arm'));
  $('disarm').addEventListener('click', () => control('disarm'));
  $('set-threshold').addEventListener('click', setThreshold);
  $('rule-select').addEventListener('change', () => { $('rule-threshold').dataset.rule = ''; invalidate('control'); });
  $('show-faint').addEventListener('change', (e) => $('graph').classList.toggle('hide-faint', !e.target.checked));
  $('stream-select').addEventListener('change', (e) => {
    state.stream = e.target.value;
    state.selected = [];
    state.auto = true;
    const g = state.graphs.get(state.stream);
    if (g) autoSelect(g);
    invalidate('graph');
  });

  renderControl();
  renderEffects();
  connect();
  pollState();
  setInterval(pollState, 2000);
})();
