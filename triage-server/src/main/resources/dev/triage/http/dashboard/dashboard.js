// Triage cost dashboard: reads GET /api/report and GET /api/requests and draws them. Plain DOM and SVG, no library.
//
// Every number of the report is kept as the decimal text the API wrote (JSON.parse's source text), never read
// through a binary float: amounts are shown rounded for reading by exact decimal arithmetic on those digits, and
// the exact amount is in each one's tooltip (title) and data-usd.
'use strict';

(() => {
  const KEY_STORE = 'triage.apiKey';
  const DEFAULT_REFRESH_SECONDS = 20;
  const PERIODS = ['month', '7d', '30d'];
  const TOP = 8;
  const PALETTE = ['#4f46e5', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#14b8a6', '#f97316',
    '#64748b', '#ec4899', '#84cc16', '#06b6d4'];
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const state = {
    period: PERIODS.includes(params.get('period')) ? params.get('period') : 'month',
    custom: params.get('from') || params.get('to') ? { from: params.get('from') || '', to: params.get('to') || '' } : null,
    refreshMs: refreshSeconds() * 1000,
    timer: null,
    seq: 0,
    report: null,
    path: '',
    waitingForKey: false,
    // Whose spend: '' for all, 'key:NAME' or 'team:NAME' (the scope filter of GET /api/report).
    scope: params.get('key') ? 'key:' + params.get('key') : params.get('team') ? 'team:' + params.get('team') : '',
    knownScopes: new Set(),
    // The request log: its filters, the page tokens of the pages before this one ([] on the first), and this page's.
    log: { pages: [], page: null, next: null, seq: 0, path: '' },
  };

  function refreshSeconds() {
    const s = Number(params.get('refresh'));
    return Number.isFinite(s) && s >= 1 ? Math.floor(s) : DEFAULT_REFRESH_SECONDS;
  }

  // ---------------------------------------------------------------- numbers as the API wrote them

  function parseReport(text) {
    return JSON.parse(text, function (key, value, context) {
      if (typeof value !== 'number') {
        return value;
      }
      return context && typeof context.source === 'string' ? context.source : plain(value);
    });
  }

  /** For browsers without JSON source text: a number's plain decimal form (no exponent). */
  function plain(v) {
    const s = String(v);
    const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
    if (!m) {
      return s;
    }
    const digits = m[2] + (m[3] || '');
    const exp = Number(m[4]);
    if (exp < 0) {
      return m[1] + '0.' + '0'.repeat(-exp - 1) + digits;
    }
    return m[1] + digits.padEnd(exp + 1, '0');
  }

  /** Thousands separators in the integer part; the digits are the API's. */
  function grouped(raw) {
    const neg = raw.startsWith('-');
    const [int, frac] = (neg ? raw.slice(1) : raw).split('.');
    return (neg ? '-' : '') + int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac === undefined ? '' : '.' + frac);
  }

  // A negative amount (a prompt-cache saving can be one) keeps its sign before the dollar: -$0.0042.
  /** The API's exact amount: its digits, a dollar sign and thousands separators. */
  const exact = (raw) => (raw == null ? '—' : raw.startsWith('-') ? '-$' + grouped(raw.slice(1)) : '$' + grouped(raw));
  /** An amount rounded for reading: cents from a dollar up, three significant digits under it ($0.0000329). */
  const usd = (raw) => (raw == null ? '—' : raw.startsWith('-') ? '-' + usd(raw.slice(1)) : /^0*(\.0*)?$/.test(raw) ? '$0' : '$' + readable(raw));
  /** An amount as an element: rounded, with the exact amount in its tooltip (title) and data-usd. */
  const money = (raw) => (raw == null ? '—' : h('span', { class: 'usd', 'data-usd': raw, title: exact(raw) }, usd(raw)));

  /**
   * A positive plain decimal rounded half-even to 2 places from 1 up, else to 3 significant digits; trailing zeros
   * dropped down to 2 places. Exact integer arithmetic on the digits (BigInt), never a binary float.
   */
  function readable(raw) {
    const [int, frac = ''] = raw.split('.');
    const places = BigInt(int) >= 1n ? 2 : frac.search(/[1-9]/) + 3;
    let digits = BigInt(int + frac);
    let scale = frac.length;
    if (scale > places) {
      const drop = 10n ** BigInt(scale - places);
      let kept = digits / drop;
      const twice = (digits % drop) * 2n;
      if (twice > drop || (twice === drop && kept % 2n === 1n)) {
        kept += 1n;
      }
      digits = kept;
      scale = places;
    }
    const text = digits.toString().padStart(scale + 1, '0');
    const whole = text.slice(0, text.length - scale);
    const part = text.slice(text.length - scale).replace(/0+$/, '').padEnd(2, '0');
    return grouped(whole + '.' + part);
  }
  const pct = (raw) => (raw == null ? '—' : raw + '%');
  const count = (raw) => (raw == null ? '—' : grouped(String(raw)));
  const num = (raw) => (raw == null ? 0 : Number(raw));
  const ms = (raw) => (raw == null ? '—' : grouped(String(raw)) + ' ms');
  const label = (name, none) => (name == null ? none : name);

  // ---------------------------------------------------------------- DOM helpers (text only, never HTML)

  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    apply(el, attrs);
    for (const kid of kids.flat(Infinity)) {
      if (kid != null && kid !== false) {
        el.append(kid.nodeType ? kid : String(kid));
      }
    }
    return el;
  }

  function s(tag, attrs, ...kids) {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    apply(el, attrs);
    for (const kid of kids.flat(Infinity)) {
      if (kid != null && kid !== false) {
        el.append(kid.nodeType ? kid : String(kid));
      }
    }
    return el;
  }

  function apply(el, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) {
        continue;
      }
      if (k === 'class') {
        el.setAttribute('class', v);
      } else if (k === 'style') {
        Object.assign(el.style, v);
      } else if (k.startsWith('on')) {
        el.addEventListener(k.slice(2), v);
      } else {
        el.setAttribute(k, v === true ? '' : v);
      }
    }
  }

  function fill(id, ...kids) {
    $(id).replaceChildren(...kids.flat(Infinity).filter((k) => k != null && k !== false));
  }

  function bar(widthPct, cls, color) {
    const w = Math.max(0, Math.min(100, widthPct));
    return h('div', { class: 'track' }, h('div', { class: 'fill' + (cls ? ' ' + cls : ''), style: { width: w + '%', background: color || '' } }));
  }

  // ---------------------------------------------------------------- periods (UTC days, like the reports)

  function isoDay(d) {
    return d.toISOString().slice(0, 10);
  }

  function range() {
    if (state.custom) {
      return state.custom;
    }
    const now = new Date();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    if (state.period === 'month') {
      return { from: isoDay(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1))), to: isoDay(today) };
    }
    const days = state.period === '7d' ? 7 : 30;
    return { from: isoDay(new Date(today.getTime() - (days - 1) * 86400000)), to: isoDay(today) };
  }

  function dayText(iso) {
    return Number(iso.slice(8, 10)) + ' ' + MONTHS[Number(iso.slice(5, 7)) - 1];
  }

  function periodText(report) {
    const from = report.period.from.slice(0, 10);
    const lastInstant = new Date(Date.parse(report.period.to) - 1);
    const to = isoDay(lastInstant);
    const year = to.slice(0, 4);
    const name = state.custom ? 'Custom period' : { month: 'This month', '7d': 'Last 7 days', '30d': 'Last 30 days' }[state.period];
    return name + ': ' + (from === to ? dayText(from) : dayText(from) + ' – ' + dayText(to)) + ' ' + year + ' (UTC)';
  }

  function markPeriodButtons() {
    for (const b of document.querySelectorAll('.periods button')) {
      b.setAttribute('aria-pressed', String(!state.custom && b.dataset.period === state.period));
    }
  }

  function choosePeriod(period) {
    state.period = period;
    state.custom = null;
    const url = new URL(location.href);
    url.searchParams.delete('from');
    url.searchParams.delete('to');
    url.searchParams.set('period', period);
    history.replaceState(null, '', url);
    markPeriodButtons();
    state.log.pages = [];
    state.log.page = null;
    refresh();
  }

  // ---------------------------------------------------------------- whose spend (virtual key or team)

  function chooseScope(scope) {
    state.scope = scope;
    state.log.pages = [];
    state.log.page = null;
    const url = new URL(location.href);
    url.searchParams.delete('key');
    url.searchParams.delete('team');
    if (scope) {
      const colon = scope.indexOf(':');
      url.searchParams.set(scope.slice(0, colon), scope.slice(colon + 1));
    }
    history.replaceState(null, '', url);
    refresh();
  }

  /** The filter's choices: every key and team any report so far named, and the chosen one. */
  function scopeChoices(r) {
    for (const k of r.by_key) {
      if (k.name != null) {
        state.knownScopes.add('key:' + k.name);
      }
      if (k.team != null) {
        state.knownScopes.add('team:' + k.team);
      }
    }
    for (const b of r.key_budgets) {
      state.knownScopes.add('key:' + b.key);
      if (b.team != null) {
        state.knownScopes.add('team:' + b.team);
      }
    }
    if (state.scope) {
      state.knownScopes.add(state.scope);
    }
    const choices = [...state.knownScopes].sort((a, b) => (a.startsWith('team:') === b.startsWith('team:') ? a.localeCompare(b) : a.startsWith('team:') ? 1 : -1));
    const select = $('scope');
    select.replaceChildren(h('option', { value: '' }, 'all keys'),
      ...choices.map((c) => h('option', { value: c }, c.startsWith('team:') ? 'team ' + c.slice(5) : 'key ' + c.slice(4))));
    select.value = state.scope;
  }

  // ---------------------------------------------------------------- fetching, keys, refresh

  function schedule() {
    clearTimeout(state.timer);
    if (!state.waitingForKey) {
      // A hidden tab skips its turns; it refreshes as soon as it is shown again.
      state.timer = setTimeout(() => (document.hidden ? schedule() : refresh()), state.refreshMs);
    }
  }

  /** GETs an API path with the tab's key, if it has one: the response, its text and the key that was sent. */
  async function apiGet(path) {
    const headers = { Accept: 'application/json' };
    const key = sessionStorage.getItem(KEY_STORE);
    if (key) {
      headers.Authorization = 'Bearer ' + key;
    }
    const response = await fetch(path, { headers, cache: 'no-store' });
    return { response, text: await response.text(), key };
  }

  async function refresh() {
    clearTimeout(state.timer);
    const seq = ++state.seq;
    const r = range();
    let path = '/api/report?from=' + encodeURIComponent(r.from) + '&to=' + encodeURIComponent(r.to);
    if (state.scope) {
      const colon = state.scope.indexOf(':');
      path += '&' + state.scope.slice(0, colon) + '=' + encodeURIComponent(state.scope.slice(colon + 1));
    }
    try {
      const { response, text, key } = await apiGet(path);
      if (seq !== state.seq) {
        return; // a newer request (another period) is under way
      }
      if (response.status === 401) {
        askForKey(key ? 'The gateway refused this key: ' + apiMessage(text) : null);
        return;
      }
      if (!response.ok) {
        problem('The report failed (HTTP ' + response.status + '): ' + apiMessage(text));
        return;
      }
      const report = parseReport(text);
      state.report = report;
      state.path = path;
      render(report, path);
      problem(null);
      updated(report);
      if (state.log.page == null) {
        loadRequests(); // the first page follows the figures; older pages stay where the reader left them
      }
    } catch (e) {
      if (seq === state.seq) {
        problem('The gateway did not answer (' + e.message + '). Trying again in ' + state.refreshMs / 1000 + ' s.');
      }
    } finally {
      if (seq === state.seq) {
        schedule();
      }
    }
  }

  function apiMessage(text) {
    try {
      const e = JSON.parse(text).error;
      return e && e.message ? e.message : text;
    } catch (_) {
      return text.slice(0, 300);
    }
  }

  function askForKey(error) {
    state.waitingForKey = true;
    clearTimeout(state.timer);
    sessionStorage.removeItem(KEY_STORE);
    $('forget-key').hidden = true;
    $('content').hidden = true;
    problem(null);
    const message = $('key-message');
    message.textContent = error
      || 'This gateway has server.api_keys set: its reports need one of those keys.';
    message.className = error ? 'error' : '';
    $('key-panel').hidden = false;
    $('updated').textContent = 'Waiting for a key';
    $('updated').classList.add('stale');
    $('key-input').value = '';
    $('key-input').focus();
  }

  function useKey(event) {
    event.preventDefault();
    const key = $('key-input').value.trim();
    if (!key) {
      return;
    }
    sessionStorage.setItem(KEY_STORE, key);
    state.waitingForKey = false;
    $('key-panel').hidden = true;
    $('forget-key').hidden = false;
    $('updated').textContent = 'Loading…';
    refresh();
  }

  function forgetKey() {
    sessionStorage.removeItem(KEY_STORE);
    state.report = null;
    askForKey(null);
  }

  function problem(message) {
    const banner = $('banner');
    banner.hidden = !message;
    banner.textContent = message || '';
    $('updated').classList.toggle('stale', !!message);
  }

  function updated(report) {
    const now = new Date();
    const time = now.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const el = $('updated');
    el.textContent = 'Updated ' + time + ' · every ' + state.refreshMs / 1000 + ' s';
    el.dataset.updatedAt = now.toISOString();
    el.dataset.generatedAt = report.generated_at;
    $('forget-key').hidden = !sessionStorage.getItem(KEY_STORE);
  }

  // ---------------------------------------------------------------- rendering

  function render(r, path) {
    $('key-panel').hidden = true;
    $('content').hidden = false;
    const period = $('period');
    period.textContent = periodText(r);
    period.dataset.from = r.period.from;
    period.dataset.to = r.period.to;
    period.dataset.path = path;

    const colors = new Map();
    r.by_model.forEach((m, i) => colors.set(m.name, PALETTE[i % PALETTE.length]));
    const colorOf = (model) => {
      if (!colors.has(model)) {
        colors.set(model, PALETTE[colors.size % PALETTE.length]);
      }
      return colors.get(model);
    };

    $('empty').hidden = num(r.requests) > 0 || num(r.attempts) > 0;
    kpis(r);
    models(r, colorOf);
    daily(r, colorOf);
    recommendations(r);
    budgets(r);
    efficiency(r);
    contextExperiment(r);
    promptCache(r);
    responseCache(r);
    latency(r);
    latencyDaily(r);
    quality(r);
    lines('routes', r.by_route, 'route', 'Route', '(none)');
    lines('users', r.by_user, 'user', 'User', '(no user)');
    scopeChoices(r);
    requestFilters(r);
    keyLines(r);
    keyBudgets(r);
    lines('teams', r.by_team, 'team', 'Team', '(no team)');
    fill('source', 'Figures from GET ' + path + ', generated ' + r.generated_at
      + '. Amounts in USD rounded for reading (cents from $1, three significant digits under it); hover one for the API\'s '
      + 'exact amount. Shares of the period\'s total cost.');
  }

  /** A headline figure: text, or an element (an amount); long ones get a smaller font. */
  function figure(id, content, attrs) {
    const el = $(id);
    el.replaceChildren(content);
    el.classList.toggle('long', el.textContent.length > 13);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null) {
        el.removeAttribute('data-' + k);
      } else {
        el.setAttribute('data-' + k, v);
      }
    }
  }

  function kpis(r) {
    figure('kpi-total', money(r.total_cost_usd), { usd: r.total_cost_usd });
    fill('kpi-total-sub', count(r.attempts) + ' upstream attempts · ' + count(r.errors) + ' failed');
    figure('kpi-requests', count(r.requests), { count: r.requests });
    fill('kpi-requests-sub', count(r.answered) + ' answered · ' + count(r.fallbacks) + ' saved by fallback'
      + (r.fallback_rate_pct == null ? '' : ' (' + pct(r.fallback_rate_pct) + ')'));
    figure('kpi-avg', money(r.avg_cost_per_request_usd), { usd: r.avg_cost_per_request_usd });
    fill('kpi-avg-sub', count(r.input_tokens) + ' tokens in · ' + count(r.output_tokens) + ' out');
    const q = r.quality.overall;
    figure('kpi-quality', q.mean == null ? '—' : q.mean, { mean: q.mean, count: q.count });
    fill('kpi-quality-sub', q.mean == null ? 'no feedback yet (POST /v1/feedback)' : 'mean score 0..1 over ' + count(q.count) + ' feedbacks');
    const e = r.routing_efficiency;
    figure('kpi-efficiency', '', { efficiency: e.efficiency, rating: e.rating });
    fill('kpi-efficiency', h('span', { 'data-field': 'value' }, e.efficiency == null ? '—' : e.efficiency),
      e.rating ? ' ' : null, e.rating ? h('span', { class: 'rating ' + e.rating, 'data-field': 'rating' }, e.rating) : null);
    fill('kpi-efficiency-sub', e.efficiency == null
      ? 'no routed requests answered yet'
      : ['cost ' + pct(e.cost_pct_of_strong) + ' of strong-only (', money(e.actual_cost_usd), ' vs ', money(e.strong_only_cost_usd), ')']);
    const c = r.prompt_cache;
    figure('kpi-cache', money(c.saved_usd), { usd: c.saved_usd });
    $('kpi-cache').classList.toggle('negative', c.saved_usd.startsWith('-'));
    fill('kpi-cache-sub', c.hit_rate_pct == null
      ? 'no input tokens yet'
      : 'hit rate ' + pct(c.hit_rate_pct) + ' · ' + count(c.cached_input_tokens) + ' of ' + count(c.input_tokens) + ' input tokens');
  }

  function models(r, colorOf) {
    if (r.by_model.length === 0) {
      fill('models', h('div', { class: 'empty-note' }, 'No model has been called in this period.'));
      return;
    }
    const quality = new Map(r.quality.by_model.map((q) => [q.name, q]));
    fill('models', h('div', { class: 'bars' }, r.by_model.map((m) => {
      const q = quality.get(m.name);
      return h('div', { class: 'bar-row', 'data-model': m.name },
        h('div', { class: 'name', title: m.name }, h('span', { class: 'swatch', style: { background: colorOf(m.name) } }), m.name),
        bar(num(m.share_pct), null, colorOf(m.name)),
        h('div', { class: 'figures' },
          h('span', { class: 'amount', 'data-field': 'cost', 'data-usd': m.cost_usd }, money(m.cost_usd)),
          h('span', { class: 'share', 'data-field': 'share', 'data-pct': m.share_pct }, pct(m.share_pct))),
        h('div', { class: 'row-note' },
          h('span', { 'data-field': 'requests' }, count(m.requests)), ' answers · ', count(m.attempts), ' attempts',
          q ? h('span', { 'data-field': 'quality' }, ' · quality ' + q.mean + ' (n=' + count(q.count) + ')') : null));
    })));
  }

  function daily(r, colorOf) {
    const box = $('daily');
    const days = r.daily;
    const max = Math.max(0, ...days.map((d) => num(d.cost_usd)));
    const modelsSeen = r.by_model.map((m) => m.name).filter((name) => days.some((d) => d.by_model[name] != null));
    fill('daily-legend', modelsSeen.map((m) => h('span', null, h('span', { class: 'swatch', style: { background: colorOf(m) } }), m)));
    box.classList.toggle('empty', days.length === 0 || max <= 0);
    if (days.length === 0 || max <= 0) {
      box.replaceChildren(h('div', { class: 'empty-note' }, 'No spend in this period.'));
      drawDays(box, days, 0, colorOf, modelsSeen); // still carries data-day for every day
      return;
    }
    drawDays(box, days, max, colorOf, modelsSeen);
  }

  function drawDays(box, days, max, colorOf, order) {
    if (max > 0) {
      box.replaceChildren(); // measured empty: the card's height comes from the row, not from the last chart
    }
    const width = Math.max(320, box.clientWidth || 600);
    const height = Math.max(200, Math.min(420, box.clientHeight || 210));
    const m = { left: 58, right: 6, top: 8, bottom: 22 };
    const plotW = width - m.left - m.right;
    const plotH = height - m.top - m.bottom;
    const ticks = niceTicks(max, 4);
    const top = ticks[ticks.length - 1] || 1;
    const y = (v) => m.top + plotH - (v / top) * plotH;
    const band = plotW / Math.max(1, days.length);
    const barW = Math.max(2, Math.min(36, band * 0.72));
    const chart = s('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'Daily spend by model' });
    if (max > 0) {
      const decimals = axisDecimals(ticks);
      for (const t of ticks) {
        chart.append(s('line', { class: 'gridline', x1: m.left, x2: width - m.right, y1: y(t), y2: y(t) }),
          s('text', { x: m.left - 6, y: y(t) + 4, 'text-anchor': 'end' }, t === 0 ? '$0' : '$' + t.toFixed(decimals)));
      }
    }
    const every = Math.max(1, Math.ceil(days.length / Math.max(1, Math.floor(plotW / 46))));
    days.forEach((d, i) => {
      const x = m.left + i * band + (band - barW) / 2;
      const g = s('g', { class: 'day', 'data-day': d.day, 'data-usd': d.cost_usd, 'data-requests': d.requests });
      let acc = 0;
      if (max > 0) {
        for (const model of order) {
          const v = d.by_model[model];
          if (v == null || num(v) <= 0) {
            continue;
          }
          const y0 = y(acc);
          acc += num(v);
          const y1 = y(acc);
          g.append(s('rect', { class: 'seg', x, y: y1, width: barW, height: Math.max(0.5, y0 - y1), fill: colorOf(model), 'data-model': model, 'data-usd': v }));
        }
        g.append(s('rect', { x: m.left + i * band, y: m.top, width: band, height: plotH, fill: 'transparent',
          onmousemove: (ev) => tooltip(ev, d, order, colorOf), onmouseleave: () => { $('tooltip').hidden = true; } }));
      }
      if (i % every === 0 || i === days.length - 1 && days.length <= 8) {
        g.append(s('text', { x: m.left + i * band + band / 2, y: height - 6, 'text-anchor': 'middle' }, dayText(d.day)));
      }
      chart.append(g);
    });
    if (max > 0) {
      box.replaceChildren(chart);
    } else {
      chart.style.display = 'none';
      box.append(chart);
    }
  }

  function axisDecimals(ticks) {
    const step = ticks.length > 1 ? ticks[1] - ticks[0] : ticks[0];
    return step >= 1 ? 0 : Math.min(8, Math.ceil(-Math.log10(step)));
  }

  /** 0 and three to five round steps (1, 2 or 5 times a power of ten) up to at least max. */
  function niceTicks(max, n) {
    if (!(max > 0)) {
      return [0];
    }
    const raw = max / n;
    const pow = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((f) => f * pow).find((st) => st >= raw);
    const ticks = [];
    for (let v = 0; v < max + step * 0.999; v += step) {
      ticks.push(Number(v.toPrecision(12)));
    }
    return ticks;
  }

  function tooltip(ev, d, order, colorOf) {
    const tip = $('tooltip');
    tip.replaceChildren(
      h('div', { class: 't-head' }, d.day + ' · ', money(d.cost_usd), ' · ' + count(d.requests) + ' requests'),
      ...order.filter((model) => d.by_model[model] != null).map((model) =>
        h('div', { class: 't-row' }, h('span', null, h('span', { class: 'swatch', style: { background: colorOf(model) } }), model),
          h('span', null, money(d.by_model[model])))));
    tip.hidden = false;
    const x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    const y = Math.min(ev.clientY + 14, window.innerHeight - tip.offsetHeight - 8);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }

  const KIND = { saving: 'Saving', signal: 'Signal', pitfall: 'Pitfall', insufficient_data: 'Too little data' };

  function recommendations(r) {
    const list = r.recommendations;
    if (list.length === 0) {
      fill('recommendations', h('li', null, h('span', { class: 'kind' }, 'None'), 'Nothing to change in this period.'));
      return;
    }
    fill('recommendations', list.map((rec, i) => h('li', { class: rec.kind, 'data-rec': i, 'data-kind': rec.kind },
      h('span', { class: 'kind' }, KIND[rec.kind] || rec.kind),
      h('span', { 'data-field': 'text' }, rec.text),
      rec.est_monthly_savings_usd == null ? h('span') : h('span', { class: 'savings', 'data-field': 'savings', 'data-usd': rec.est_monthly_savings_usd },
        'save ', money(rec.est_monthly_savings_usd), '/month'),
      Object.keys(rec.evidence).length === 0 ? null : h('details', null, h('summary', null, 'Evidence'),
        h('dl', null, Object.entries(rec.evidence).map(([k, v]) => [h('dt', null, k), h('dd', null, v == null ? '—' : String(v))]))))));
  }

  function budgets(r) {
    if (r.budgets.length === 0) {
      fill('budgets', h('div', { class: 'empty-note' }, 'No tiered route has daily budgets.'));
      return;
    }
    const byRoute = new Map();
    for (const b of r.budgets) {
      if (!byRoute.has(b.route)) {
        byRoute.set(b.route, []);
      }
      byRoute.get(b.route).push(b);
    }
    fill('budgets', [...byRoute.entries()].map(([route, tiers]) => [
      h('div', { class: 'budget-route' }, 'Route ', h('strong', null, route), ' · ', tiers[0].day, ' (', tiers[0].zone, ')'),
      h('div', { class: 'bars' }, tiers.map((b) => {
        const used = num(b.used_pct);
        const cls = b.limit_usd == null ? 'ok' : used >= 90 ? 'over' : used >= 70 ? 'warn' : 'ok';
        return h('div', { class: 'bar-row', 'data-budget': b.route + '/' + b.tier },
          h('div', { class: 'name' }, b.tier),
          b.limit_usd == null ? h('div', { class: 'muted' }, 'no limit') : bar(used, cls),
          h('div', { class: 'figures' },
            h('span', { class: 'amount', 'data-field': 'spent', 'data-usd': b.spent_usd }, money(b.spent_usd)),
            h('span', { class: 'extra' }, 'of ', h('span', { 'data-field': 'limit', 'data-usd': b.limit_usd }, b.limit_usd == null ? '∞' : money(b.limit_usd))),
            h('span', { class: 'share', 'data-field': 'used', 'data-pct': b.used_pct }, pct(b.used_pct))));
      })),
    ]));
  }

  function efficiency(r) {
    const e = r.routing_efficiency;
    const definition = h('details', { class: 'definition' }, h('summary', null, 'How it is computed'), e.definition);
    if (e.efficiency == null) {
      fill('efficiency', h('div', { class: 'empty-note' }, 'No routed requests answered in this period.'), definition);
      return;
    }
    fill('efficiency',
      h('p', { class: 'headline' }, h('span', { class: 'big' }, e.efficiency), e.rating ? ' ' : null, e.rating ? h('span', { class: 'rating ' + e.rating }, e.rating) : null,
        ' paid ', h('strong', null, money(e.actual_cost_usd)), ' where sending every answer to each route\'s strongest model would have cost ',
        h('strong', null, money(e.strong_only_cost_usd)), ' (', pct(e.cost_pct_of_strong), ' of it). Above 1 is better.'),
      h('table', null,
        h('thead', null, h('tr', null, h('th', null, 'Route'), h('th', null, 'Strongest model'), h('th', { class: 'n' }, 'Answered'),
          h('th', { class: 'n' }, 'Paid'), h('th', { class: 'n' }, 'Strong-only'), h('th', { class: 'n' }, 'Quality kept'),
          h('th', { class: 'n' }, 'Efficiency'))),
        h('tbody', null, e.routes.map((l) => h('tr', { 'data-eff-route': l.route },
          h('td', { class: 'name-cell' }, l.route),
          h('td', { class: 'name-cell' }, l.strongest_model),
          h('td', { class: 'n' }, count(l.answered)),
          h('td', { class: 'n', 'data-field': 'paid' }, money(l.actual_cost_usd)),
          h('td', { class: 'n', 'data-field': 'strong' }, money(l.strong_only_cost_usd)),
          h('td', { class: 'n', title: l.quality_adjusted ? 'from feedback' : 'too little feedback: counted as 1' },
            l.quality_retained_pct == null ? '—' : pct(l.quality_retained_pct)),
          h('td', { class: 'n', 'data-field': 'efficiency' }, l.efficiency == null ? '—' : l.efficiency,
            l.rating ? ' ' : null, l.rating ? h('span', { class: 'rating ' + l.rating }, l.rating) : null))))),
      definition);
  }

  /** Shown only while some attempt of the period has a shared-context arm: each arm's price and quality side by side. */
  function contextExperiment(r) {
    const arms = r.context_experiment.arms;
    $('context-card').hidden = arms.length === 0;
    if (arms.length === 0) {
      fill('context-experiment');
      return;
    }
    const most = Math.max(...arms.map((a) => num(a.avg_cost_per_request_usd)));
    fill('context-experiment', h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'Arm'), h('th', { class: 'n' }, 'Requests'), h('th', { class: 'n' }, 'Cost'),
        h('th', null, 'Per request'), h('th', { class: 'n' }, 'Quality'), h('th', { class: 'n' }, 'Feedbacks'))),
      h('tbody', null, arms.map((a) => h('tr', { 'data-context-arm': a.arm },
        h('td', { class: 'name-cell' }, a.arm),
        h('td', { class: 'n', 'data-field': 'requests' }, count(a.requests)),
        h('td', { class: 'n', 'data-field': 'cost', 'data-usd': a.cost_usd }, money(a.cost_usd)),
        h('td', { class: 'arm-cost' }, bar(most > 0 ? num(a.avg_cost_per_request_usd) / most * 100 : 0),
          h('span', { class: 'amount', 'data-field': 'avg', 'data-usd': a.avg_cost_per_request_usd }, money(a.avg_cost_per_request_usd))),
        h('td', { class: 'n', 'data-field': 'quality', 'data-mean': a.quality.mean }, a.quality.mean == null ? '—' : a.quality.mean),
        h('td', { class: 'n', 'data-field': 'count' }, count(a.quality.count)))))),
      h('p', { class: 'muted' }, 'compact: older turns condensed by the route\'s summarizer, whose calls are in its cost; '
        + 'full: the whole history (the control). Quality: mean feedback score 0..1 (POST /v1/feedback).'));
  }

  /**
   * A table of named lines (by model, by route): the name, then one cell per column. Each column is
   * [title, cell(line)]; a column whose cells are numbers gets a right-aligned title.
   */
  function linesTable(list, rowAttribute, heading, columns) {
    const numeric = (title) => title !== 'Hit rate';
    return h('table', null,
      h('thead', null, h('tr', null, h('th', null, heading),
        columns.map(([title]) => h('th', numeric(title) ? { class: 'n' } : null, title)))),
      h('tbody', null, list.map((l) => h('tr', { [rowAttribute]: l.name },
        h('td', { class: 'name-cell', title: l.name }, l.name),
        columns.map(([, cell]) => cell(l))))));
  }

  function numCell(field, text) {
    return h('td', { class: 'n', 'data-field': field }, text);
  }

  function moneyCell(field, raw) {
    return h('td', { class: 'n' + (raw.startsWith('-') ? ' negative' : ''), 'data-field': field, 'data-usd': raw }, money(raw));
  }

  function hitCell(rawPct) {
    return h('td', { class: 'hit-cell' }, bar(num(rawPct), 'ok'), h('span', { class: 'pct', 'data-field': 'hit', 'data-pct': rawPct }, pct(rawPct)));
  }

  function promptCache(r) {
    const c = r.prompt_cache;
    if (c.by_model.length === 0) {
      fill('prompt-cache', h('div', { class: 'empty-note' }, 'No input tokens in this period.'));
      return;
    }
    const table = (list, kind, heading) => linesTable(list, 'data-cache-' + kind, heading, [
      ['Input tokens', (l) => numCell('input', count(l.input_tokens))],
      ['Cached', (l) => numCell('cached', count(l.cached_input_tokens))],
      ['Written', (l) => numCell('written', count(l.cache_write_tokens))],
      ['Hit rate', (l) => hitCell(l.hit_rate_pct)],
      ['Saved', (l) => moneyCell('saved', l.saved_usd)]]);
    const none = num(c.cached_input_tokens) === 0 && num(c.cache_write_tokens) === 0;
    fill('prompt-cache',
      none ? h('p', { class: 'muted' }, 'No input token was read from or written to a provider\'s prompt cache in this period.') : null,
      h('div', { class: 'subhead' }, 'By model'), table(c.by_model, 'model', 'Model'),
      h('div', { class: 'subhead' }, 'By route'), table(c.by_route, 'route', 'Route'),
      h('p', { class: 'muted' }, 'Hit rate: the share of input tokens read from a provider\'s prompt cache. Saved: what the '
        + 'input would have cost at the plain input price, minus what it cost; negative where cache writes cost more than '
        + 'the reads saved.'));
  }

  /** Answers served again from the response cache: hits and misses by route and model, and what the hits saved. */
  function responseCache(r) {
    const c = r.cache;
    if (num(c.hits) + num(c.misses) === 0) {
      fill('response-cache', h('div', { class: 'empty-note' }, 'No request looked the response cache up in this period '
        + '(it is off unless triage.yaml has a cache: section).'));
      return;
    }
    const table = (list, kind, heading) => linesTable(list, 'data-answers-' + kind, heading, [
      ['Hits', (l) => numCell('hits', count(l.hits))],
      ['Misses', (l) => numCell('misses', count(l.misses))],
      ['Hit rate', (l) => hitCell(l.hit_rate_pct)],
      ['Saved', (l) => moneyCell('saved', l.saved_usd)]]);
    fill('response-cache',
      h('p', { id: 'response-cache-summary', 'data-usd': c.saved_usd }, count(c.hits) + ' hits (' + count(c.semantic_hits)
        + ' by meaning) · ' + count(c.misses) + ' misses · hit rate ' + pct(c.hit_rate_pct) + ' · saved ', money(c.saved_usd)),
      h('div', { class: 'subhead' }, 'By route'), table(c.by_route, 'route', 'Route'),
      h('div', { class: 'subhead' }, 'By model'), table(c.by_model, 'model', 'Model'),
      h('p', { class: 'muted' }, 'A hit is answered from the cache at $0 without calling a model; saved: what the cached '
        + 'answer cost when it was first bought, once per hit.'));
  }

  /** Latency percentiles of successful upstream calls and the share of calls that failed, by model and by route. */
  function latency(r) {
    const l = r.latency;
    if (l.by_model.length === 0) {
      fill('latency', h('div', { class: 'empty-note' }, 'No upstream call in this period.'));
      return;
    }
    const table = (list, kind, heading, requests) => h('table', null,
      h('thead', null, h('tr', null, h('th', null, heading), h('th', { class: 'n' }, requests), h('th', { class: 'n' }, 'Attempts'),
        h('th', { class: 'n' }, 'p50'), h('th', { class: 'n' }, 'p95'), h('th', { class: 'n' }, 'TTFT p50'), h('th', { class: 'n' }, 'TTFT p95'),
        h('th', { class: 'n' }, 'Errors'), h('th', null, 'Error rate'))),
      h('tbody', null, list.map((x) => h('tr', { ['data-latency-' + kind]: x.name },
        h('td', { class: 'name-cell', title: x.name }, x.name),
        h('td', { class: 'n', 'data-field': 'requests' }, count(x.requests)),
        h('td', { class: 'n', 'data-field': 'attempts' }, count(x.attempts)),
        h('td', { class: 'n', 'data-field': 'p50', title: count(x.timed) + ' successful calls' }, ms(x.p50_ms)),
        h('td', { class: 'n', 'data-field': 'p95', title: count(x.timed) + ' successful calls' }, ms(x.p95_ms)),
        h('td', { class: 'n', 'data-field': 'ttft50', title: count(x.ttft_timed) + ' streamed calls' }, ms(x.ttft_p50_ms)),
        h('td', { class: 'n', 'data-field': 'ttft95', title: count(x.ttft_timed) + ' streamed calls' }, ms(x.ttft_p95_ms)),
        h('td', { class: 'n', 'data-field': 'errors' }, count(x.errors)),
        h('td', { class: 'err-cell' }, bar(num(x.error_rate_pct), 'over'),
          h('span', { class: 'pct', 'data-field': 'error-rate', 'data-pct': x.error_rate_pct }, pct(x.error_rate_pct)))))));
    fill('latency',
      h('div', { class: 'subhead' }, 'By model'), table(l.by_model, 'model', 'Model', 'Answers'),
      h('div', { class: 'subhead' }, 'By route'), table(l.by_route, 'route', 'Route', 'Requests'),
      h('p', { class: 'muted' }, 'p50, p95: the median and 95th percentile of how long successful upstream calls took, '
        + 'nearest rank in whole milliseconds; TTFT: time to the first token of streamed calls. Errors: failed calls '
        + '(retries, fallbacks and scorer calls included) and their share of all calls.'),
      num(l.sampled_one_in) > 1 ? h('p', { class: 'muted', id: 'latency-sampled' }, 'This period has more than 50,000 successful '
        + 'calls: the percentiles are over one in ' + count(l.sampled_one_in) + ' of them; error rates over every call.') : null);
  }

  /** Per UTC day: p95 (light) behind p50 (dark) columns, and the error rate as a red strip under them. */
  function latencyDaily(r) {
    const box = $('latency-daily');
    const days = r.latency.daily;
    const max = Math.max(0, ...days.map((d) => num(d.p95_ms)));
    const maxErr = Math.max(0, ...days.map((d) => num(d.error_rate_pct)));
    const worst = days.reduce((a, d) => (d.error_rate_pct != null && (a == null || num(d.error_rate_pct) > num(a)) ? d.error_rate_pct : a), null);
    fill('latency-legend', h('span', null, h('span', { class: 'swatch p50' }), 'p50'), h('span', null, h('span', { class: 'swatch p95' }), 'p95'),
      h('span', null, h('span', { class: 'swatch err' }), 'error rate (highest day: ', h('span', { id: 'latency-worst' }, pct(worst)), ')'));
    box.replaceChildren();
    const width = Math.max(320, box.clientWidth || 480);
    const height = 210;
    const m = { left: 58, right: 6, top: 8, bottom: 22 };
    const errH = 26;
    const plotW = width - m.left - m.right;
    const plotH = height - m.top - m.bottom - errH - 6;
    const ticks = niceTicks(max, 4);
    const top = ticks[ticks.length - 1] || 1;
    const y = (v) => m.top + plotH - (v / top) * plotH;
    const band = plotW / Math.max(1, days.length);
    const barW = Math.max(2, Math.min(30, band * 0.7));
    const errBase = height - m.bottom;
    const chart = s('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'Latency and error rate by day' });
    for (const t of ticks) {
      chart.append(s('line', { class: 'gridline', x1: m.left, x2: width - m.right, y1: y(t), y2: y(t) }),
        s('text', { x: m.left - 6, y: y(t) + 4, 'text-anchor': 'end' }, t >= 1000 ? (t / 1000) + ' s' : t + ' ms'));
    }
    chart.append(s('text', { x: m.left - 6, y: errBase - errH / 2 + 4, 'text-anchor': 'end' }, 'errors'));
    const every = Math.max(1, Math.ceil(days.length / Math.max(1, Math.floor(plotW / 46))));
    days.forEach((d, i) => {
      const x = m.left + i * band + (band - barW) / 2;
      const g = s('g', { class: 'lat-day', 'data-latency-day': d.day, 'data-p50': d.p50_ms, 'data-p95': d.p95_ms,
        'data-attempts': d.attempts, 'data-errors': d.errors, 'data-pct': d.error_rate_pct });
      if (d.p95_ms != null) {
        g.append(s('rect', { class: 'p95', x, y: y(num(d.p95_ms)), width: barW, height: Math.max(0.5, y(0) - y(num(d.p95_ms))) }));
        g.append(s('rect', { class: 'p50', x, y: y(num(d.p50_ms)), width: barW, height: Math.max(0.5, y(0) - y(num(d.p50_ms))) }));
      }
      if (num(d.error_rate_pct) > 0) {
        const eh = Math.max(1, num(d.error_rate_pct) / maxErr * errH);
        g.append(s('rect', { class: 'err', x, y: errBase - eh, width: barW, height: eh }));
      }
      g.append(s('rect', { x: m.left + i * band, y: m.top, width: band, height: errBase - m.top, fill: 'transparent',
        onmousemove: (ev) => latencyTooltip(ev, d), onmouseleave: () => { $('tooltip').hidden = true; } }));
      if (i % every === 0 || i === days.length - 1 && days.length <= 8) {
        g.append(s('text', { x: m.left + i * band + band / 2, y: height - 6, 'text-anchor': 'middle' }, dayText(d.day)));
      }
      chart.append(g);
    });
    box.append(chart);
  }

  function latencyTooltip(ev, d) {
    const tip = $('tooltip');
    tip.replaceChildren(h('div', { class: 't-head' }, d.day + ' · ' + count(d.attempts) + ' upstream calls'),
      h('div', { class: 't-row' }, h('span', null, 'p50'), h('span', null, ms(d.p50_ms))),
      h('div', { class: 't-row' }, h('span', null, 'p95'), h('span', null, ms(d.p95_ms))),
      h('div', { class: 't-row' }, h('span', null, 'errors'), h('span', null, count(d.errors) + ' (' + pct(d.error_rate_pct) + ')')));
    tip.hidden = false;
    tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8) + 'px';
    tip.style.top = Math.min(ev.clientY + 14, window.innerHeight - tip.offsetHeight - 8) + 'px';
  }

  function quality(r) {
    const q = r.quality;
    if (num(q.overall.count) === 0) {
      fill('quality', h('div', { class: 'empty-note' }, 'No feedback in this period. Rate answers with POST /v1/feedback {request_id, score 0..1}.'));
      return;
    }
    const rows = (list, kind, none) => h('div', { class: 'bars' }, list.map((l) => h('div', { class: 'bar-row', ['data-quality-' + kind]: label(l.name, none) },
      h('div', { class: 'name' }, label(l.name, none)),
      bar(num(l.mean) * 100, num(l.mean) < 0.7 ? 'warn' : 'ok'),
      h('div', { class: 'figures' }, h('span', { class: 'amount', 'data-field': 'mean' }, l.mean == null ? '—' : l.mean),
        h('span', { class: 'extra' }, 'n=' + count(l.count))))));
    fill('quality',
      h('div', { class: 'subhead' }, 'By task type'), q.by_task.length ? rows(q.by_task, 'task', '(no task type)') : h('div', { class: 'muted' }, '—'),
      h('div', { class: 'subhead' }, 'By route'), q.by_route.length ? rows(q.by_route, 'route', '(none)') : h('div', { class: 'muted' }, '—'));
  }

  function keyLines(r) {
    if (r.by_key.length === 0) {
      fill('keys', h('div', { class: 'empty-note' }, 'No spend in this period.'));
      return;
    }
    fill('keys', h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'Key'), h('th', null, 'Team'), h('th', { class: 'n' }, 'Requests'),
        h('th', { class: 'n' }, 'Tokens'), h('th', { class: 'n' }, 'Cost'), h('th', null, 'Share of spend'))),
      h('tbody', null, r.by_key.map((k) => h('tr', { 'data-key': label(k.name, '(no virtual key)') },
        h('td', { class: 'name-cell', title: label(k.name, '(no virtual key)') }, label(k.name, '(no virtual key)')),
        h('td', { class: 'name-cell' }, label(k.team, '—')),
        h('td', { class: 'n', 'data-field': 'requests' }, count(k.requests)),
        h('td', { class: 'n', 'data-field': 'tokens' }, count(num(k.input_tokens) + num(k.output_tokens))),
        h('td', { class: 'n', 'data-field': 'cost', 'data-usd': k.cost_usd }, money(k.cost_usd)),
        h('td', { class: 'share-cell' }, bar(num(k.share_pct)), h('span', { class: 'pct', 'data-field': 'share', 'data-pct': k.share_pct }, pct(k.share_pct))))))));
  }

  function keyBudgets(r) {
    if (r.key_budgets.length === 0) {
      fill('key-budgets', h('div', { class: 'empty-note' }, 'No active virtual key has a budget (triage keys create --budget-usd).'));
      return;
    }
    fill('key-budgets', h('div', { class: 'bars' }, r.key_budgets.map((b) => {
      const used = num(b.used_pct);
      const cls = b.used_pct == null ? 'warn' : used >= 90 ? 'over' : used >= 70 ? 'warn' : 'ok';
      return h('div', { class: 'bar-row', 'data-key-budget': b.key, title: b.period + ' from ' + b.period_start + (b.team ? ', team ' + b.team : '') },
        h('div', { class: 'name' }, b.key),
        bar(used, cls),
        h('div', { class: 'figures' },
          h('span', { class: 'amount', 'data-field': 'spent', 'data-usd': b.spent_usd }, b.spent_usd == null ? 'unknown' : money(b.spent_usd)),
          h('span', { class: 'extra' }, 'of ', h('span', { 'data-field': 'limit', 'data-usd': b.limit_usd }, money(b.limit_usd)), ' per ', b.period),
          h('span', { class: 'share', 'data-field': 'used', 'data-pct': b.used_pct }, b.used_pct == null ? '—' : pct(b.used_pct))));
    })));
  }

  function lines(id, list, kind, heading, none) {
    if (list.length === 0) {
      fill(id, h('div', { class: 'empty-note' }, 'No spend in this period.'));
      return;
    }
    const shown = list.slice(0, TOP);
    const rest = list.length - shown.length;
    fill(id, h('table', null,
      h('thead', null, h('tr', null, h('th', null, heading), h('th', { class: 'n' }, 'Requests'), h('th', { class: 'n' }, 'Cost'), h('th', null, 'Share of spend'))),
      h('tbody', null, shown.map((l) => h('tr', { ['data-' + kind]: label(l.name, none) },
        h('td', { class: 'name-cell', title: label(l.name, none) }, label(l.name, none)),
        h('td', { class: 'n', 'data-field': 'requests' }, count(l.requests)),
        h('td', { class: 'n', 'data-field': 'cost', 'data-usd': l.cost_usd }, money(l.cost_usd)),
        h('td', { class: 'share-cell' }, bar(num(l.share_pct)), h('span', { class: 'pct', 'data-field': 'share', 'data-pct': l.share_pct }, pct(l.share_pct))))))),
    rest > 0 ? h('div', { class: 'muted', style: { marginTop: '6px' } }, rest + ' more in GET /api/report') : null);
  }

  // ---------------------------------------------------------------- the request log (GET /api/requests)

  const LOG_LIMIT = 25;

  function requestsPath() {
    const r = range();
    const q = new URLSearchParams({ from: r.from, to: r.to, limit: String(LOG_LIMIT) });
    for (const [param, id] of [['model', 'rq-model'], ['route', 'rq-route'], ['key', 'rq-key'], ['status', 'rq-status']]) {
      if ($(id).value) {
        q.set(param, $(id).value);
      }
    }
    if (!$('rq-key').value && state.scope.startsWith('key:')) {
      q.set('key', state.scope.slice(4));
    } else if (!$('rq-key').value && state.scope.startsWith('team:')) {
      q.set('team', state.scope.slice(5));
    }
    if (state.log.page) {
      q.set('page', state.log.page);
    }
    return '/api/requests?' + q.toString();
  }

  async function loadRequests() {
    const seq = ++state.log.seq;
    const path = requestsPath();
    try {
      const { response, text } = await apiGet(path);
      if (seq !== state.log.seq) {
        return;
      }
      if (!response.ok) {
        fill('requests', h('div', { class: 'empty-note' }, 'The request log failed (HTTP ' + response.status + '): ' + apiMessage(text)));
        return;
      }
      const log = parseReport(text);
      state.log.next = log.next_page;
      state.log.path = path;
      drawRequests(log, path);
    } catch (e) {
      if (seq === state.log.seq) {
        fill('requests', h('div', { class: 'empty-note' }, 'The gateway did not answer (' + e.message + ').'));
      }
    }
  }

  /** A select's choices: 'any' and the names, keeping the chosen one even when this period has none of it. */
  function choices(id, names) {
    const select = $(id);
    const chosen = select.value;
    const all = [...new Set(names.filter((n) => n != null))].sort();
    if (chosen && !all.includes(chosen)) {
      all.push(chosen);
    }
    select.replaceChildren(h('option', { value: '' }, 'any'), ...all.map((n) => h('option', { value: n }, n)));
    select.value = chosen;
  }

  function requestFilters(r) {
    choices('rq-model', r.by_model.map((m) => m.name));
    choices('rq-route', r.by_route.map((l) => l.name));
    choices('rq-key', r.by_key.map((k) => k.name));
  }

  function timeText(iso) {
    return iso.slice(0, 10) + ' ' + iso.slice(11, 19);
  }

  function drawRequests(log, path) {
    const box = $('requests');
    box.dataset.path = path;
    $('rq-newer').disabled = state.log.pages.length === 0;
    $('rq-older').disabled = !log.has_more;
    $('rq-page').textContent = 'page ' + (state.log.pages.length + 1);
    if (log.data.length === 0) {
      fill('requests', h('div', { class: 'empty-note' }, 'No request matches in this period.'));
      return;
    }
    const text = log.capture_text === true || log.capture_text === 'true';
    fill('requests', h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'Time (UTC)'), h('th', null, 'Key'), h('th', null, 'Route'), h('th', null, 'Model'),
        h('th', { class: 'n' }, 'Attempts'), h('th', { class: 'n' }, 'Tokens in'), h('th', { class: 'n' }, 'out'), h('th', { class: 'n' }, 'Cost'),
        h('th', { class: 'n' }, 'Latency'), h('th', null, 'Status'), text ? h('th', null, 'Prompt') : null)),
      h('tbody', null, log.data.map((q) => h('tr', { 'data-request': q.request_id, title: q.request_id },
        h('td', { class: 'time-cell', 'data-field': 'time', 'data-time': q.time }, timeText(q.time)),
        h('td', { class: 'name-cell', 'data-field': 'key' }, label(q.key, '—')),
        h('td', { class: 'name-cell', 'data-field': 'route' }, q.route),
        h('td', { class: 'name-cell', 'data-field': 'model', title: q.models.join(' → ') }, q.model),
        h('td', { class: 'n', 'data-field': 'attempts' }, count(q.attempts)),
        h('td', { class: 'n', 'data-field': 'input' }, count(q.input_tokens)),
        h('td', { class: 'n', 'data-field': 'output' }, count(q.output_tokens)),
        h('td', { class: 'n', 'data-field': 'cost', 'data-usd': q.cost_usd }, money(q.cost_usd)),
        h('td', { class: 'n', 'data-field': 'latency' }, ms(q.latency_ms)),
        h('td', { class: 'status-cell', 'data-field': 'status' }, h('span', { class: 'pill ' + q.status }, q.status)),
        text ? h('td', { class: 'prompt-cell', 'data-field': 'prompt', title: q.prompt || '' }, q.prompt == null ? '—' : q.prompt) : null)))));
  }

  function requestPage(direction) {
    if (direction > 0 && state.log.next) {
      state.log.pages.push(state.log.page);
      state.log.page = state.log.next;
    } else if (direction < 0 && state.log.pages.length > 0) {
      state.log.page = state.log.pages.pop();
    }
    loadRequests();
  }

  function restartRequests() {
    state.log.pages = [];
    state.log.page = null;
    loadRequests();
  }

  // ---------------------------------------------------------------- start

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (state.report && !$('content').hidden) {
        render(state.report, state.path);
      }
    }, 150);
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && !state.waitingForKey) {
      refresh();
    }
  });
  for (const b of document.querySelectorAll('.periods button')) {
    b.addEventListener('click', () => choosePeriod(b.dataset.period));
  }
  $('key-form').addEventListener('submit', useKey);
  $('scope').addEventListener('change', (ev) => chooseScope(ev.target.value));
  $('forget-key').addEventListener('click', forgetKey);
  for (const id of ['rq-model', 'rq-route', 'rq-key', 'rq-status']) {
    $(id).addEventListener('change', restartRequests);
  }
  $('rq-newer').addEventListener('click', () => requestPage(-1));
  $('rq-older').addEventListener('click', () => requestPage(1));
  $('request-filters').addEventListener('submit', (ev) => ev.preventDefault());
  markPeriodButtons();
  refresh();
})();
