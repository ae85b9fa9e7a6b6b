import { badge, h } from '../dom';
import { formatSeconds, formatTime } from '../format';
import { Job } from '../types';

/** A job's request as the API shows it (the API never returns secrets: no passwords, keys or webhook credentials). */
export function requestSection(job: Job): HTMLElement {
  const lines = job.command ?? job.config ?? [];
  return h('section', { 'aria-labelledby': 'req-title' },
    h('h2', { id: 'req-title' }, 'Request'),
    dl([
      ['Host', job.host],
      ['Device type', job.device_type ?? null],
      ['Driver', job.driver ?? null],
      ['Queue', job.queue],
      ['Node', job.node],
      ['Worker', job.worker],
      ['Webhook', job.webhook ? `${job.webhook.method} ${job.webhook.url}` : null],
      ['Parsing', job.parsing ? JSON.stringify(job.parsing) : null],
      ['Rendering', job.rendering ? JSON.stringify(job.rendering) : null],
      ['Batch', job.batch_id],
      ['Schedule', job.schedule],
      ['Priority', String(job.priority)],
      ['Retry', job.retry ? `${job.retry.attempts} attempts, ${job.retry.backoff} from ${job.retry.delay} s; ${job.attempts} run so far` : null],
      ['Credential set', job.credential],
    ]),
    h('h3', null, job.config ? 'Config lines' : 'Commands'),
    h('pre', { class: 'output short' }, lines.join('\n') || '–'),
  );
}

export function timingSection(job: Job): HTMLElement {
  return h('section', { 'aria-labelledby': 'time-title' },
    h('h2', { id: 'time-title' }, 'Timings'),
    dl([
      ['Created', formatTime(job.created_at)],
      ['Runs at', job.run_at ? formatTime(job.run_at) : null],
      ['Enqueued', formatTime(job.enqueued_at)],
      ['Started', formatTime(job.started_at)],
      ['Ended', formatTime(job.ended_at)],
      ['Waited in queue', formatSeconds(job.queue_time)],
      ['Ran for', formatSeconds(job.duration)],
    ]),
  );
}

/** The result: its type, the error, the output (records as a table when parsed) and the raw text beside records. */
export function resultSection(job: Job): HTMLElement {
  const section = h('section', { 'aria-labelledby': 'result-title', class: 'result' }, h('h2', { id: 'result-title' }, 'Result'));
  const r = job.result;
  if (!r) {
    section.append(h('p', { class: 'muted' }, job.status === 'cancelled' ? 'Cancelled before it started: no result.' : 'No result yet.'));
    return section;
  }
  section.append(h('p', null, 'Type ', badge(r.type)));
  if (r.error) section.append(h('p', { class: 'job-error' }, h('strong', null, r.error.type), ': ', r.error.message));
  section.append(...outputs(r.retval));
  if (r.raw !== undefined && r.raw !== null) {
    section.append(h('details', null, h('summary', null, 'Raw output (before parsing)'), ...outputs(r.raw)));
  }
  return section;
}

/** Output of one command (text or records) or of several (an object keyed by command). */
export function outputs(value: unknown): HTMLElement[] {
  if (value === null || value === undefined) return [h('p', { class: 'muted' }, 'No output.')];
  if (typeof value === 'string') return [h('pre', { class: 'output' }, value)];
  if (Array.isArray(value)) return [recordsTable(value)];
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([command, v]) =>
      h('div', { class: 'command-output' }, h('h3', { class: 'mono' }, command), ...outputs(v)));
  }
  return [h('pre', { class: 'output' }, String(value))];
}

/** Parsed records (TextFSM): one row per record, one column per value; list values joined. */
function recordsTable(records: unknown[]): HTMLElement {
  const objects = records.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r));
  if (objects.length !== records.length) return h('pre', { class: 'output' }, JSON.stringify(records, null, 2));
  if (objects.length === 0) return h('p', { class: 'muted' }, 'No records parsed.');
  const columns = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  const cell = (v: unknown) => (Array.isArray(v) ? v.join(', ') : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'records' },
      h('caption', null, `${objects.length} parsed record${objects.length === 1 ? '' : 's'}`),
      h('thead', null, h('tr', null, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, ...objects.map((o) => h('tr', null, ...columns.map((c) => h('td', null, cell(o[c])))))),
    ),
  );
}

export function dl(rows: [string, string | null | undefined][]): HTMLElement {
  return h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v === null || v === undefined || v === '' ? '–' : v)]));
}
