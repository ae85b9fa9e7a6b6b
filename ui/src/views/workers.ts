import { ApiError, Query } from '../api';
import { Ctx, View, errorBox, every, refreshBar } from '../context';
import { Keyed, badge, h, reconcile, setText, updateBadge } from '../dom';
import { formatAge, formatTime } from '../format';
import { Worker } from '../types';

const REFRESH_MS = 3000;
const STATUSES = ['busy', 'idle', 'suspended', 'dead'];

interface NodeGroup {
  node: string;
  workers: Worker[];
  dead: boolean;
}

/** GET /worker grouped by node: status, current job, counts, heartbeat age; suspend, resume, stop. */
export function workersView(ctx: Ctx): View {
  const error = errorBox();
  const summary = h('p', { class: 'summary' });
  const filter = h('input', { type: 'search', placeholder: 'node, worker or host', autocomplete: 'off', spellcheck: 'false' });
  const nodes = h('div', { class: 'nodes' });
  const sections = new Map<string, Keyed<NodeGroup>>();
  let latest: Worker[] = [];

  const act = async (verb: 'suspend' | 'resume' | 'stop', target: Query, what: string) => {
    if (verb === 'stop') {
      const ok = await ctx.confirm({
        title: `Stop ${what}?`, confirm: 'Stop',
        message: `${what} stops at once, wherever it runs; a job it is running is interrupted and ends failed, result type "stopped". A pinned host gets a new worker with its next job.`,
      });
      if (!ok) return;
    }
    try {
      error.clear();
      const res = verb === 'stop'
        ? await ctx.api.call<{ worker: string; interrupted_jobs: number }[]>('DELETE', 'worker', target)
        : await ctx.api.call<{ worker: string; status: string }[]>('POST', `worker/${verb}`, target);
      const n = res.data.length;
      ctx.announce(n === 0 ? `No worker matched ${what}` : `${verb === 'stop' ? 'Stopped' : verb === 'suspend' ? 'Suspended' : 'Resumed'} ${n} worker${n === 1 ? '' : 's'}`);
    } catch (err) {
      error.show(err);
    }
    await loop.now();
  };

  const render = () => {
    const q = filter.value.trim().toLowerCase();
    const shown = q ? latest.filter((w) => [w.node, w.name, w.host ?? ''].some((x) => x.toLowerCase().includes(q))) : latest;
    const counts = STATUSES.map((st) => `${shown.filter((w) => w.status === st).length} ${st}`).join(', ');
    const groups = groupByNode(shown);
    setText(summary, `${shown.length} worker${shown.length === 1 ? '' : 's'} on ${groups.length} node${groups.length === 1 ? '' : 's'}: ${counts}`);
    reconcile(nodes, groups, (g) => g.node, sections, (g) => nodeSection(g, ctx, act));
  };
  const loop = every(REFRESH_MS, async () => {
    try {
      latest = (await ctx.api.get<Worker[]>('worker')).data;
      error.clear();
      render();
      bar.stamp();
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) error.show(err);
    }
  });
  const bar = refreshBar((on) => loop.setEnabled(on), () => void loop.now());
  filter.addEventListener('input', render);

  const el = h('section', { class: 'page', 'aria-labelledby': 'workers-title' },
    h('div', { class: 'page-head' }, h('h1', { id: 'workers-title', tabindex: -1 }, 'Workers and nodes'), bar.el),
    h('div', { class: 'toolbar' }, summary, h('label', null, 'Filter ', filter)),
    error.el,
    nodes,
  );
  return { el, dispose: () => loop.stop() };
}

function groupByNode(workers: Worker[]): NodeGroup[] {
  const byNode = new Map<string, Worker[]>();
  for (const w of workers) byNode.set(w.node, [...(byNode.get(w.node) ?? []), w]);
  const groups = [...byNode].map(([node, list]) => ({
    node,
    workers: list.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })),
    dead: list.every((w) => w.status === 'dead'),
  }));
  // live nodes first, then the dead ones, by name
  return groups.sort((a, b) => Number(a.dead) - Number(b.dead) || a.node.localeCompare(b.node, 'en', { numeric: true }));
}

type Act = (verb: 'suspend' | 'resume' | 'stop', target: Query, what: string) => Promise<void>;

function nodeSection(first: NodeGroup, ctx: Ctx, act: Act): Keyed<NodeGroup> {
  const id = `node-${first.node.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const state = badge('idle');
  const counts = h('span', { class: 'muted' });
  const target = { node: first.node };
  const nodeActions = h('div', { class: 'actions' },
    h('button', { type: 'button', onclick: () => void act('suspend', target, `every worker of node ${first.node}`) }, 'Suspend all'),
    h('button', { type: 'button', onclick: () => void act('resume', target, `every worker of node ${first.node}`) }, 'Resume all'),
    h('button', { type: 'button', class: 'danger', onclick: () => void act('stop', target, `every worker of node ${first.node}`) }, 'Stop all'),
  );
  const tbody = h('tbody');
  const rows = new Map<string, Keyed<Worker>>();
  const el = h('section', { class: 'node', 'aria-labelledby': id, 'data-node': first.node },
    h('div', { class: 'node-head' }, h('h2', { id }, 'Node ', h('span', { class: 'mono' }, first.node)), state, counts, nodeActions),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'workers' },
        h('thead', null, h('tr', null, ...['Worker', 'Status', 'Serves', 'Current job', 'Succeeded', 'Failed', 'Heartbeat', 'Actions']
          .map((c) => h('th', { scope: 'col', class: c === 'Succeeded' || c === 'Failed' ? 'num' : null }, c)))),
        tbody,
      ),
    ),
  );
  return {
    el,
    update(g: NodeGroup) {
      updateBadge(state, g.dead ? 'dead' : 'live', g.dead ? 'dead node' : 'live');
      setText(counts, STATUSES.map((st) => [st, g.workers.filter((w) => w.status === st).length] as const).filter(([, n]) => n > 0).map(([st, n]) => `${n} ${st}`).join(' · '));
      nodeActions.hidden = g.dead;
      reconcile(tbody, g.workers, (w) => w.name, rows, (w) => workerRow(w, ctx, act));
    },
  };
}

function workerRow(first: Worker, ctx: Ctx, act: Act): Keyed<Worker> {
  const status = badge(first.status);
  const serves = h('td');
  const job = h('td');
  const ok = h('td', { class: 'num' });
  const failed = h('td', { class: 'num' });
  const beat = h('td', { class: 'nowrap' });
  const target = { name: first.name };
  const toggle = h('button', { type: 'button' });
  const stop = h('button', { type: 'button', class: 'danger', 'aria-label': `Stop ${first.name}` }, 'Stop');
  const actions = h('td', { class: 'actions' }, toggle, stop);
  let current = first;
  toggle.addEventListener('click', () => void act(current.status === 'suspended' ? 'resume' : 'suspend', target, `worker ${first.name}`));
  stop.addEventListener('click', () => void act('stop', target, `worker ${first.name}`));
  const el = h('tr', { 'data-worker': first.name }, h('th', { scope: 'row', class: 'mono' }, first.name), h('td', null, status), serves, job, ok, failed, beat, actions);
  return {
    el,
    update(w: Worker) {
      current = w;
      updateBadge(status, w.status);
      setText(serves, w.host ? `${w.host} (pinned)` : w.queues.join(', '));
      const jobId = w.current_job;
      if (job.dataset.job !== (jobId ?? '')) {
        job.dataset.job = jobId ?? '';
        job.replaceChildren(jobId ? h('a', { href: `#/job/${encodeURIComponent(jobId)}`, class: 'mono' }, jobId) : '–');
      }
      setText(ok, String(w.successful_job_count));
      setText(failed, String(w.failed_job_count));
      setText(beat, formatAge(Date.now() + ctx.api.clockOffsetMs - Date.parse(w.last_heartbeat)));
      beat.title = formatTime(w.last_heartbeat);
      const dead = w.status === 'dead';
      toggle.hidden = dead;
      stop.hidden = dead;
      const label = w.status === 'suspended' ? 'Resume' : 'Suspend';
      setText(toggle, label);
      toggle.setAttribute('aria-label', `${label} ${w.name}`);
      if (dead && !actions.querySelector('.muted')) actions.append(h('span', { class: 'muted' }, '–'));
    },
  };
}
