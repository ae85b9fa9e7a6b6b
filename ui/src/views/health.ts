import { ApiError } from '../api';
import { lineChart } from '../chart';
import { Ctx, View, errorBox, every, refreshBar } from '../context';
import { Keyed, badge, fill, h, reconcile, setText, updateBadge } from '../dom';
import { formatBytes, formatNumber } from '../format';
import { MetricsHistory, jobFigures, parsePrometheus, seriesOf } from '../metrics';
import { dl } from './job-output';

const REFRESH_MS = 5000;
/** Samples outlive the page: leaving Health and coming back keeps the charts' past (with a gap). */
const history = new MetricsHistory();

interface Report {
  status: string;
  checks: {
    api?: { status: string; uptime_s?: number; requests_total?: number; requests_in_window?: number; window_s?: number; error_rate?: number; p50_ms?: number | null; p99_ms?: number | null };
    redis?: { status: string; latency_ms?: number; connection?: string; used_memory?: number; maxmemory?: number; maxmemory_policy?: string; eviction_risk?: boolean; error?: string };
    workers?: { status: string; total?: number; by_status?: Record<string, number>; oldest_heartbeat_age_s?: number | null; dead?: string[]; error?: string };
    queues?: { status: string; counts?: Record<string, { queued: number; started: number; failed: number }>; error?: string };
  };
}

/** GET /health (the operator's report) and the queues, refreshed; throughput and wait charts sampled from /metrics. */
export function healthView(ctx: Ctx): View {
  const error = errorBox();
  const overall = badge('loading', 'loading');
  const cards = h('div', { class: 'cards' });
  const queues = queueTable();
  const charts = h('div', { class: 'charts' });
  const metricsNote = h('p', { class: 'muted', hidden: true });

  const loop = every(REFRESH_MS, async () => {
    const [report, metrics] = await Promise.allSettled([
      ctx.api.call<Report>('GET', 'health', {}, { accept: [503] }),
      ctx.api.text('metrics'),
    ]);
    if (report.status === 'fulfilled') {
      error.clear();
      renderReport(report.value.data);
    } else if (!(report.reason instanceof ApiError && report.reason.status === 401)) {
      error.show(report.reason);
    }
    if (metrics.status === 'fulfilled') {
      metricsNote.hidden = true;
      history.add(jobFigures(parsePrometheus(metrics.value), Date.now()));
    } else {
      metricsNote.hidden = false;
      metricsNote.textContent = `The charts need GET /metrics: ${(metrics.reason as Error).message}`;
    }
    renderCharts();
    bar.stamp();
  });
  const bar = refreshBar((on) => loop.setEnabled(on), () => void loop.now());

  const renderReport = (r: Report) => {
    updateBadge(overall, r.status);
    const { api, redis, workers } = r.checks;
    fill(cards,
      card('API', api?.status, api && dl([
        ['Uptime', api.uptime_s === undefined ? null : `${formatNumber(api.uptime_s / 3600, 1)} h`],
        ['Requests', formatNumber(api.requests_total)],
        [`Last ${api.window_s ?? 60} s`, `${formatNumber(api.requests_in_window)} requests, ${formatNumber((api.error_rate ?? 0) * 100, 1)} % errors`],
        ['Response p50 / p99', `${formatNumber(api.p50_ms, 1)} / ${formatNumber(api.p99_ms, 1)} ms`],
      ])),
      card('Redis', redis?.status, redis && (redis.error ? h('p', null, redis.error) : dl([
        ['Round trip', `${formatNumber(redis.latency_ms, 2)} ms`],
        ['Connection', redis.connection],
        ['Memory', `${formatBytes(redis.used_memory)}${redis.maxmemory ? ` of ${formatBytes(redis.maxmemory)}` : ' (no maxmemory)'}`],
        ['Eviction policy', `${redis.maxmemory_policy ?? '–'}${redis.eviction_risk ? ' — can drop queued jobs' : ''}`],
      ]))),
      card('Workers', workers?.status, workers && (workers.error ? h('p', null, workers.error) : dl([
        ['Total', formatNumber(workers.total)],
        ...Object.entries(workers.by_status ?? {}).map(([st, n]) => [st, formatNumber(n)] as [string, string]),
        ['Oldest heartbeat', workers.oldest_heartbeat_age_s === null || workers.oldest_heartbeat_age_s === undefined ? null : `${formatNumber(workers.oldest_heartbeat_age_s, 1)} s`],
        ['Dead', workers.dead && workers.dead.length ? workers.dead.join(', ') : 'none'],
      ]))),
    );
    queues.update(r.checks.queues);
  };

  const renderCharts = () => {
    const series = seriesOf(history.samples);
    fill(charts,
      lineChart('Throughput (jobs ended per minute)', series.throughput, (v) => formatNumber(v, v < 10 ? 1 : 0)),
      lineChart('Mean queue wait (s)', series.wait, (v) => `${formatNumber(v, v < 10 ? 2 : 1)} s`),
      lineChart('Jobs queued (all queues)', series.queued, (v) => formatNumber(v)),
    );
  };

  const el = h('section', { class: 'page', 'aria-labelledby': 'health-title' },
    h('div', { class: 'page-head' }, h('h1', { id: 'health-title', tabindex: -1 }, 'Health ', overall), bar.el),
    error.el,
    cards,
    h('h2', null, 'Queues'),
    queues.el,
    h('h2', null, 'Jobs over time'),
    h('p', { class: 'muted' }, 'Sampled from GET /metrics by this page every 5 s while it is open (cluster-wide counters).'),
    metricsNote,
    charts,
  );
  return { el, dispose: () => loop.stop() };
}

function card(title: string, status: string | undefined, body: Node | undefined | null): HTMLElement {
  return h('section', { class: 'card', 'aria-label': title },
    h('h2', null, title, ' ', badge(status ?? 'unknown', status ?? 'unknown')),
    body ?? h('p', { class: 'muted' }, 'Not reported (Redis is down).'));
}

type QueueCounts = { queued: number; started: number; failed: number };

/** The queues' table, its rows kept per queue so a focused link survives the refresh. */
function queueTable(): { el: HTMLElement; update(q: Report['checks']['queues']): void } {
  const note = h('p', { class: 'muted' });
  const tbody = h('tbody');
  const rows = new Map<string, Keyed<[string, QueueCounts]>>();
  const table = h('div', { class: 'table-wrap' },
    h('table', { class: 'queues' },
      h('thead', null, h('tr', null, ...['Queue', 'Queued', 'Started', 'Failed'].map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
      tbody));
  const row = ([name]: [string, QueueCounts]): Keyed<[string, QueueCounts]> => {
    const cells = [h('td', { class: 'num' }), h('td', { class: 'num' }), h('td', { class: 'num' })];
    return {
      el: h('tr', null, h('th', { scope: 'row' }, h('a', { href: `#/jobs?queue=${encodeURIComponent(name)}`, class: 'mono' }, name)), ...cells),
      update: ([, c]) => [c.queued, c.started, c.failed].forEach((n, i) => setText(cells[i], formatNumber(n))),
    };
  };
  return {
    el: h('div', null, note, table),
    update(q) {
      const entries = Object.entries(q?.counts ?? {}).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
      note.textContent = !q ? 'Not reported.' : q.error ? q.error : entries.length === 0 ? 'No queue has held a job yet.' : '';
      note.hidden = note.textContent === '';
      table.hidden = entries.length === 0;
      reconcile(tbody, entries, ([name]) => name, rows, row);
    },
  };
}
