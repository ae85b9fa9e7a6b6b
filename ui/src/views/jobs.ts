import { ApiError } from '../api';
import { Ctx, View, errorBox, every, refreshBar } from '../context';
import { Keyed, badge, h, reconcile, setText, updateBadge } from '../dom';
import { formatClock, formatCommands, formatSeconds, formatTime } from '../format';
import { JOB_STATUSES, Job } from '../types';

const FILTERS = ['id', 'status', 'queue', 'host', 'node', 'batch', 'schedule'] as const;
const LIMITS = ['25', '50', '100', '200'];
const REFRESH_MS = 3000;

/** Cursors of the pages before this one, per filter set: cursor pages go forward only, so "Previous" needs them. */
const previousCursors = new Map<string, string[]>();

export function jobsHash(params: URLSearchParams): string {
  const q = params.toString();
  return `#/jobs${q ? `?${q}` : ''}`;
}

/** GET /job with every filter, cursor paging, refreshed; rows kept per job id so focus stays put. */
export function jobsView(ctx: Ctx, params: URLSearchParams): View {
  const filterKey = FILTERS.map((f) => `${f}=${params.get(f) ?? ''}`).join('&') + `&limit=${params.get('limit') ?? ''}`;
  const cursor = params.get('cursor');
  const stack = previousCursors.get(filterKey) ?? [];
  if (!cursor) stack.length = 0;
  previousCursors.set(filterKey, stack);

  const error = errorBox();
  const form = filterForm(params);
  const tbody = h('tbody');
  const rows = new Map<string, Keyed<Job>>();
  const empty = h('p', { class: 'muted', hidden: true }, 'No jobs match these filters.');
  const count = h('span', { class: 'muted' });
  const next = h('a', { class: 'button', hidden: true }, 'Next page →');
  const prev = h('a', { class: 'button', hidden: true }, '← Previous page');
  const first = h('a', { class: 'button', hidden: !cursor, href: pageHash(params, null) }, 'Newest');
  const loop = every(REFRESH_MS, async () => {
    try {
      const res = await ctx.api.get<Job[]>('job', { ...Object.fromEntries(FILTERS.map((f) => [f, params.get(f)])), limit: params.get('limit') ?? 50, cursor });
      error.clear();
      reconcile(tbody, res.data, (j) => j.id, rows, jobRow);
      empty.hidden = res.data.length > 0;
      setText(count, `${res.data.length} job${res.data.length === 1 ? '' : 's'} on this page`);
      const nextCursor = res.page?.next_cursor ?? null;
      next.hidden = nextCursor === null;
      if (nextCursor) next.setAttribute('href', pageHash(params, nextCursor));
      bar.stamp();
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) error.show(err);
    }
  });
  const bar = refreshBar((on) => loop.setEnabled(on), () => void loop.now());
  next.addEventListener('click', () => stack.push(cursor ?? ''));
  if (stack.length > 0) {
    prev.hidden = false;
    prev.setAttribute('href', pageHash(params, stack[stack.length - 1] || null));
    prev.addEventListener('click', () => stack.pop());
  }
  const el = h('section', { class: 'page', 'aria-labelledby': 'jobs-title' },
    h('div', { class: 'page-head' }, h('h1', { id: 'jobs-title', tabindex: -1 }, 'Jobs'), bar.el),
    form,
    error.el,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'jobs' },
        h('caption', { class: 'visually-hidden' }, 'Jobs, newest first'),
        h('thead', null, h('tr', null, ...['Job', 'Status', 'Host', 'Queue', 'Command', 'Worker', 'Created', 'Waited', 'Ran', 'Result'].map((c) => h('th', { scope: 'col' }, c)))),
        tbody,
      ),
    ),
    empty,
    h('nav', { class: 'pager', 'aria-label': 'Pages' }, first, prev, next, count),
  );
  return { el, dispose: () => loop.stop() };
}

function pageHash(params: URLSearchParams, cursor: string | null): string {
  const p = new URLSearchParams(params);
  if (cursor) p.set('cursor', cursor);
  else p.delete('cursor');
  return jobsHash(p);
}

function filterForm(params: URLSearchParams): HTMLFormElement {
  const field = (name: string, label: string, attrs: Record<string, string> = {}) =>
    h('label', null, label, h('input', { name, value: params.get(name) ?? '', autocomplete: 'off', spellcheck: 'false', ...attrs }));
  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'any'),
    ...JOB_STATUSES.map((st) => h('option', { value: st, selected: params.get('status') === st }, st)));
  const limit = h('select', { name: 'limit' }, ...LIMITS.map((n) => h('option', { value: n, selected: (params.get('limit') ?? '50') === n }, n)));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter jobs' },
    field('id', 'Job id', { size: '22', placeholder: 'wins over the others' }),
    h('label', null, 'Status', status),
    field('host', 'Host', { placeholder: '192.168.1.1' }),
    field('queue', 'Queue', { placeholder: 'FifoQ or pinned_…' }),
    field('node', 'Node'),
    field('batch', 'Batch', { size: '22', placeholder: 'a bulk\'s batch_id' }),
    field('schedule', 'Schedule'),
    h('label', null, 'Per page', limit),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      h('a', { class: 'button', href: '#/jobs' }, 'Clear'),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v.trim() !== '' && !(k === 'limit' && v === '50')) p.set(k, v.trim());
    location.hash = jobsHash(p);
  });
  return form;
}

function jobRow(job: Job): Keyed<Job> {
  const link = h('a', { href: `#/job/${encodeURIComponent(job.id)}`, class: 'mono' }, job.id);
  const status = badge(job.status);
  const cells = Array.from({ length: 7 }, () => h('td'));
  const created = h('td', { class: 'nowrap' });
  const el = h('tr', { 'data-job': job.id }, h('th', { scope: 'row' }, link), h('td', null, status), ...cells.slice(0, 4), created, ...cells.slice(4, 7));
  return {
    el,
    update(j: Job) {
      updateBadge(status, j.status);
      setText(cells[0], j.host ?? '–');
      setText(cells[1], j.queue);
      setText(cells[2], formatCommands(j.command ?? j.config ?? null));
      cells[2].title = (j.command ?? j.config ?? []).join('\n');
      setText(cells[3], j.worker ?? '–');
      setText(created, formatClock(j.created_at));
      created.title = formatTime(j.created_at);
      setText(cells[4], formatSeconds(j.queue_time));
      setText(cells[5], formatSeconds(j.duration));
      setText(cells[6], resultText(j));
    },
  };
}

function resultText(j: Job): string {
  if (!j.result) return j.status === 'cancelled' ? 'cancelled' : '–';
  return j.result.error ? `${j.result.type}: ${j.result.error.type}` : j.result.type;
}
