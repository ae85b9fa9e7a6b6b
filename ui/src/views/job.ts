import { Api, ApiError, Envelope } from '../api';
import { Ctx, View, errorBox } from '../context';
import { badge, fill, h, setText, updateBadge } from '../dom';
import { SseEvent, UnauthorizedError, followEvents } from '../sse';
import { ENDED, Job } from '../types';
import { requestSection, resultSection, timingSection } from './job-output';

const POLL_MS = 1500;
/** GET /job?id=X&wait=N answers when the job ends (newer servers); null until tried, false when refused (400). */
let waitSupported: boolean | null = null;

/** One job: request, timings, result; followed live (events stream, else polling) until it ends; cancel and stop. */
export function jobView(ctx: Ctx, id: string): View {
  const stop = new AbortController();
  const error = errorBox();
  const status = badge('loading', 'loading');
  const follow = h('p', { class: 'muted follow', 'aria-live': 'off' });
  const cancelBtn = h('button', { type: 'button', class: 'danger', hidden: true }, 'Cancel job');
  const stopBtn = h('button', { type: 'button', class: 'danger', hidden: true }, 'Force stop');
  const details = h('div', { class: 'job-details' });
  const live = h('section', { 'aria-labelledby': 'live-title', class: 'live', hidden: true },
    h('h2', { id: 'live-title' }, 'Live output'));
  const liveOut = new Map<string, HTMLPreElement>();
  let shown = '';
  let job: Job | null = null;

  const render = (j: Job) => {
    job = j;
    updateBadge(status, j.status);
    cancelBtn.hidden = j.status !== 'queued' && j.status !== 'scheduled';
    stopBtn.hidden = j.status !== 'started';
    const text = JSON.stringify(j);
    if (text === shown) return; // re-rendering an unchanged job would close an open <details>
    shown = text;
    fill(details, h('div', { class: 'columns' }, requestSection(j), timingSection(j)), resultSection(j));
    if (ENDED.has(j.status)) setText(follow, '');
  };
  const appendOutput = (command: string, data: string) => {
    live.hidden = false;
    let pre = liveOut.get(command);
    if (!pre) {
      pre = h('pre', { class: 'output' });
      liveOut.set(command, pre);
      live.append(h('h3', { class: 'mono' }, command), pre);
    }
    pre.append(data);
  };
  const load = async (): Promise<Job | null> => {
    const res = await ctx.api.get<Job[]>('job', { id });
    const j = res.data[0] ?? null;
    if (j) render(j);
    else {
      updateBadge(status, 'unknown', 'not found');
      fill(details, h('p', null, 'No job with this id: it may never have existed, or it ended more than JOB_RESULT_TTL ago and was removed.'));
    }
    return j;
  };

  const act = async (force: boolean) => {
    const target = job;
    if (!target) return;
    const ok = await ctx.confirm(force
      ? { title: 'Force-stop this job?', confirm: 'Force stop', message: `Job ${target.id} is running on ${target.host}. Its command is interrupted (Ctrl-C; a config session is left with "end"); the job ends failed, result type "stopped", with the output received so far. The worker stays up.` }
      : { title: 'Cancel this job?', confirm: 'Cancel job', message: `Job ${target.id} for ${target.host} has not started. Cancelled, it never runs.` });
    if (!ok) return;
    try {
      error.clear();
      await ctx.api.call('DELETE', 'job', force ? { id: target.id, force: 'true' } : { id: target.id });
      ctx.announce(force ? `Job ${target.id} stopped` : `Job ${target.id} cancelled`);
    } catch (err) {
      error.show(err);
    }
    await load().catch((err: unknown) => error.show(err));
  };
  cancelBtn.addEventListener('click', () => void act(false));
  stopBtn.addEventListener('click', () => void act(true));

  void (async () => {
    try {
      const first = await load();
      if (!first || ENDED.has(first.status)) return;
      const outcome = await followStream(ctx.api, id, stop.signal, { render, appendOutput, state: (t) => setText(follow, t) });
      if (outcome === 'unsupported') {
        live.hidden = true;
        await poll(ctx.api, id, stop.signal, render, (t) => setText(follow, t));
      }
    } catch (err) {
      if (!stop.signal.aborted && !(err instanceof ApiError && err.status === 401)) error.show(err);
    }
  })();

  const el = h('section', { class: 'page', 'aria-labelledby': 'job-title' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/jobs' }, '← Jobs')),
    h('div', { class: 'page-head' },
      h('h1', { id: 'job-title', tabindex: -1 }, 'Job ', h('span', { class: 'mono' }, id), ' ', status),
      h('div', { class: 'actions' }, cancelBtn, stopBtn),
    ),
    follow,
    error.el,
    live,
    details,
  );
  return { el, dispose: () => stop.abort() };
}

interface Sink {
  render(job: Job): void;
  appendOutput(command: string, data: string): void;
  state(text: string): void;
}

/** GET /job/{id}/events: `status` and `end` carry the job, `output` {command, data}. */
async function followStream(api: Api, id: string, signal: AbortSignal, sink: Sink): Promise<'ended' | 'unsupported' | 'aborted'> {
  try {
    return await followEvents({
      url: api.url(`job/${encodeURIComponent(id)}/events`).toString(),
      headers: api.headers,
      signal,
      onState: (s) => sink.state(s === 'open' ? 'Following the job’s events stream.' : 'Events stream lost: reconnecting…'),
      onEvent: (e: SseEvent) => {
        const data = parse(e.data);
        if (e.event === 'output' && data && typeof data === 'object') {
          const o = data as { command?: unknown; data?: unknown };
          sink.appendOutput(String(o.command ?? ''), String(o.data ?? ''));
        } else if ((e.event === 'status' || e.event === 'end') && isJob(data)) {
          sink.render(data);
        }
        return e.event === 'end';
      },
    });
  } catch (err) {
    if (err instanceof UnauthorizedError) throw new ApiError(401, err.message);
    throw err;
  }
}

/** Without the events stream: GET /job?id= again until the job ends (with `wait` where the server has it). */
async function poll(api: Api, id: string, signal: AbortSignal, render: (j: Job) => void, state: (t: string) => void): Promise<void> {
  state('Live output needs the events stream, which this server does not have: the job is re-read every few seconds.');
  let current: Job | null = null;
  while (!signal.aborted) {
    // A started job's only change left is its end: the long poll returns just then. A queued one may start: poll.
    const longPoll: boolean = current?.status === 'started' && waitSupported !== false;
    let answered = false;
    try {
      const res: Envelope<Job[]> = await api.get<Job[]>('job', longPoll ? { id, wait: 25 } : { id }, signal);
      if (longPoll) waitSupported = true;
      answered = true;
      current = res.data[0] ?? null;
      if (!current) return;
      render(current);
      if (ENDED.has(current.status)) return;
    } catch (err) {
      if (longPoll && err instanceof ApiError && err.refusedField('wait')) {
        waitSupported = false;
        continue;
      }
      if (signal.aborted || (err instanceof ApiError && err.status === 401)) return;
    }
    if (!longPoll || !answered) await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isJob(x: unknown): x is Job {
  return typeof x === 'object' && x !== null && typeof (x as Job).id === 'string' && typeof (x as Job).status === 'string';
}
