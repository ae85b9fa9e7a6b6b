/// <reference lib="dom" /> // page.evaluate callbacks run in the browser
import type { Page } from 'puppeteer-core';
import { TestApi, startApi } from './support/api-app';
import { PrefixProxy, TestBrowser, assertFreshDashboard, chromiumRequirement, launchBrowser, screenshot, startPrefixProxy } from './support/browser';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { SseEvent, openSse } from './support/sse-client';
import { describeRequiring } from './support/requirements';
import { TEST_API_KEY, removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; node: string | null; worker: string | null; result: { type: string } | null };
type Worker = { name: string; status: string; node: string; host: string | null };

const SHOW_VERSION_TEMPLATE = ['Value VERSION (\\S+)', 'Value HOSTNAME (\\S+)', 'Value UPTIME (.+)', '', 'Start',
  '  ^.*Software.*Version ${VERSION},', '  ^${HOSTNAME} uptime is ${UPTIME} -> Record', ''].join('\n');
const outputOf = (events: SseEvent[]) => events.filter((e) => e.event === 'output').map((e) => (JSON.parse(e.data) as { data: string }).data).join('');

function nthIndexOf(text: string, part: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf(part, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

/** Generous: a loaded 2-core machine; every wait is on a condition, never a fixed sleep. */
const UI_WAIT = { timeout: 30000 };

/**
 * The dashboard in Debian's chromium, end to end: the API in this process listening on a port, behind a proxy that
 * mounts it under /netpulse/ (the page must find the API relative to itself), two real worker node processes, a
 * fake SSH device. Screenshots of each page go to test-output/screenshots/.
 */
describeRequiring(chromiumRequirement, 'dashboard in a real browser', () => {
  const prefix = uniquePrefix('ui');
  const env = testEnv(prefix, { FIFO_CONCURRENCY: '1', SHUTDOWN_GRACE: '2' });
  const nodes: WorkerProcess[] = [];
  let api: TestApi;
  let device: FakeDevice;
  let proxy: PrefixProxy;
  let b: TestBrowser;
  let page: Page;

  const submit = async (extra: Record<string, unknown>): Promise<Job> => (await api.http.post('/device/execute', executeBody(device, extra)).expect(201)).body.data as Job;
  const job = async (id: string): Promise<Job> => (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job;
  const workers = async (query = ''): Promise<Worker[]> => (await api.http.get(`/worker${query}`).expect(200)).body.data as Worker[];
  const text = (selector: string) => page.$eval(selector, (el) => el.textContent ?? '');
  const waitText = (selector: string, pattern: RegExp) =>
    page.waitForFunction((sel: string, source: string) => new RegExp(source).test(document.querySelector(sel)?.textContent ?? ''), UI_WAIT, selector, pattern.source);
  const go = async (hash: string, ready: string) => {
    await page.evaluate((h: string) => (location.hash = h), hash);
    await page.waitForSelector(ready, UI_WAIT);
  };

  beforeAll(async () => {
    assertFreshDashboard();
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.9', slowCommandMs: 6000 });
    nodes.push(...(await Promise.all(['ui-a', 'ui-b'].map((n) => startWorkerNode(n, env)))));
    api = await startApi(env);
    await api.app.listen(0, '127.0.0.1');
    proxy = await startPrefixProxy('/netpulse', Number(new URL(await api.app.getUrl()).port));
    b = await launchBrowser();
    page = b.page;
  }, 90000);

  afterAll(async () => {
    await b?.close();
    await proxy?.close();
    await api?.close();
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await device?.stop();
    await removeKeys(prefix);
  });

  it('opens under the proxy prefix with its own CSP, and nothing works without a key', async () => {
    const res = await page.goto(`${proxy.base}/ui`); // no slash: the relative redirect keeps the prefix
    expect(page.url()).toBe(`${proxy.base}/ui/`);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.waitForSelector('#api-key', UI_WAIT);
    expect(await page.$eval('#nav', (el) => (el as HTMLElement).hidden)).toBe(true);
    await page.type('#api-key', 'not-the-key');
    await page.keyboard.press('Enter');
    await waitText('.signin .error', /refused/);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await screenshot(page, '1-sign-in');
  }, 60000);

  it('signs in (keyboard only), and a job submitted through the API appears, runs and finishes', async () => {
    await page.$eval('#api-key', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#api-key', TEST_API_KEY);
    await page.keyboard.press('Enter');
    await page.waitForSelector('table.jobs', UI_WAIT);
    expect(await page.evaluate(() => sessionStorage.getItem('netpulse.apiKey'))).toBe(TEST_API_KEY);
    const slow = await submit({ command: 'show slow' });
    const row = `tr[data-job="${slow.id}"]`;
    await page.waitForSelector(row, UI_WAIT);
    // seen by the page's own refresh while it still runs, then ended
    expect(await text(`${row} .badge`)).toMatch(/queued|started/);
    await waitText(`${row} .badge`, /finished/);
    expect((await job(slow.id)).status).toBe('finished');
    await screenshot(page, '2-jobs');
  }, 60000);

  it('filters the list and opens a job: request, timings, parsed records beside the raw output', async () => {
    const parsed = await submit({ parsing: { name: 'textfsm', template: SHOW_VERSION_TEMPLATE } });
    await waitFor(async () => (await job(parsed.id)).status === 'finished', 20000);
    await page.select('select[name="status"]', 'finished');
    await page.type('input[name="host"]', device.host);
    await page.click('.filters button[type="submit"]');
    await page.waitForFunction(() => location.hash.includes('status=finished') && location.hash.includes('host='), UI_WAIT);
    const link = `tr[data-job="${parsed.id}"] a`;
    await page.waitForSelector(link, UI_WAIT);
    expect(await page.$$eval('table.jobs tbody .badge', (els) => els.map((e) => e.textContent))).not.toContain('started');
    await page.focus(link);
    await page.keyboard.press('Enter');
    await page.waitForSelector('table.records', UI_WAIT);
    expect(await page.$$eval('table.records th', (els) => els.map((e) => e.textContent))).toEqual(['VERSION', 'HOSTNAME', 'UPTIME']);
    expect(await text('.job-details')).toContain('show version');
    expect(await text('.job-details')).toContain('Waited in queue');
    expect(await page.$eval('.result details pre', (el) => el.textContent)).toMatch(/Cisco IOS Software/);
    expect(await text('.job-details')).not.toContain(String(device.options.password));
    await screenshot(page, '3-job');

    // a bulk's batch filters the list to its jobs alone, and a job of it shows its batch
    const bulk = (await api.http.post('/device/bulk', { ...executeBody(device, { command: 'show clock' }), devices: [{}, {}] }).expect(201)).body.data as { batch_id: string; succeeded: Job[] };
    await go(`#/jobs?batch=${bulk.batch_id}`, `tr[data-job="${bulk.succeeded[1].id}"]`);
    expect(await page.$eval('input[name="batch"]', (el) => (el as HTMLInputElement).value)).toBe(bulk.batch_id);
    expect((await page.$$eval('table.jobs tbody tr', (rows) => rows.map((r) => r.getAttribute('data-job')))).sort()).toEqual(bulk.succeeded.map((j) => j.id).sort());
    await go(`#/job/${bulk.succeeded[0].id}`, '.job-details');
    await waitText('.job-details', new RegExp(bulk.batch_id));
  }, 60000);

  it('cancels a queued job and force-stops a running one, each after a confirmation (keyboard)', async () => {
    const hang = await submit({ command: 'show hang' });
    await waitFor(async () => (await job(hang.id)).status === 'started', 20000);
    const queued = await submit({ command: 'show clock' });
    expect((await job(queued.id)).status).toBe('queued');

    await go(`#/job/${queued.id}`, 'h1');
    await waitText('#job-title .badge', /queued/);
    const cancel = 'button.danger:not([hidden])';
    await page.waitForSelector(cancel, UI_WAIT);
    // Escape keeps the job
    await page.focus(cancel);
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog[open]', UI_WAIT);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog'), UI_WAIT);
    expect((await job(queued.id)).status).toBe('queued');
    // confirmed, it is cancelled
    await page.focus(cancel);
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog[open]', UI_WAIT);
    await screenshot(page, '4-confirm-cancel');
    await page.keyboard.press('Tab'); // from "Keep it" to "Cancel job"
    await page.keyboard.press('Enter');
    await waitText('#job-title .badge', /cancelled/);
    expect((await job(queued.id)).status).toBe('cancelled');

    // An API without the events stream (older than the page): the page says so and follows the job by GET /job?id=&wait=
    const waits: string[] = [];
    proxy.refuse = (path) => path === `/job/${hang.id}/events`;
    proxy.tap = (path) => {
      if (path.startsWith(`/job?id=${hang.id}&wait=`)) waits.push(path);
      return null;
    };
    await go(`#/job/${hang.id}`, 'h1');
    await waitText('#job-title .badge', /started/);
    await waitText('.follow', /Live output needs the events stream/);
    await page.waitForSelector(cancel, UI_WAIT);
    await page.click(cancel);
    await page.waitForSelector('dialog[open] button.danger', UI_WAIT);
    await page.click('dialog[open] button.danger');
    await waitText('#job-title .badge', /failed/);
    await waitText('.result', /stopped/);
    expect(await job(hang.id)).toMatchObject({ status: 'failed', result: { type: 'stopped' } });
    // the long poll the page left waiting on the started job answers once it has ended
    await waitFor(async () => waits.length > 0, 30_000);
    proxy.refuse = proxy.tap = null;
    await screenshot(page, '5-job-stopped');
  }, 90000);

  it('follows live output through the real GET /job/{id}/events, resuming with Last-Event-ID after the network drops mid-event', async () => {
    // The proxy passes the API's real stream through, but cuts the page's first connection in the middle of the
    // second output event: the page must reconnect with the last id it completed and lose and repeat nothing, which a
    // direct, uncut follower of the same job shows.
    const slow = await submit({ command: 'show slow' });
    const direct = await openSse(await api.app.getUrl(), `/job/${slow.id}/events`);
    const eventsPath = `/job/${slow.id}/events`;
    const calls: (string | undefined)[] = [];
    let firstStream = '';
    proxy.tap = (path, req, chunk) => {
      if (path !== eventsPath) return null;
      const lastEventId = req.headers['last-event-id'] as string | undefined;
      if (!calls.includes(lastEventId ?? 'none')) calls.push(lastEventId ?? 'none');
      if (lastEventId !== undefined) return null;
      const before = firstStream.length;
      firstStream += chunk.toString('latin1');
      const second = nthIndexOf(firstStream, 'event: output', 2);
      return second < 0 ? null : Math.max(0, second - before) + 'event: output'.length + 3;
    };
    try {
      await go(`#/job/${slow.id}`, 'h1');
      await waitText('#job-title .badge', /finished/);
      await direct.ended;
      const expected = outputOf(direct.events);
      expect(expected).toContain('slow command complete');
      await waitText('.live pre', /slow command complete/);
      expect(await text('.live pre')).toBe(expected);
      // one cut connection, then one resumed after the first output event's id
      const firstOutputId = /id: (\S+)\nevent: output/.exec(firstStream)?.[1];
      expect(firstOutputId).toBeDefined();
      expect(calls).toEqual(['none', firstOutputId]);
      await screenshot(page, '5b-job-live-output');
    } finally {
      proxy.tap = null;
      direct.close();
    }
  }, 60000);

  it('suspends and resumes a worker; the refresh leaves the focus where it was', async () => {
    const [pinned] = await workers(`?host=${device.host}`);
    await go('#/workers', `tr[data-worker="${pinned.name}"]`);
    const toggle = `tr[data-worker="${pinned.name}"] td.actions button:not(.danger)`;
    expect(await text(toggle)).toBe('Suspend');
    await page.focus(toggle);
    await page.keyboard.press('Enter');
    await waitText(`tr[data-worker="${pinned.name}"] .badge`, /suspended/);
    expect((await workers(`?host=${device.host}`))[0].status).toBe('suspended');
    // two auto-refreshes later the focus is still on this worker's button, now "Resume"
    for (let i = 0; i < 2; i++) {
      const stamp = await text('.refresh span');
      await page.waitForFunction((s: string) => document.querySelector('.refresh span')?.textContent !== s, UI_WAIT, stamp);
    }
    expect(await page.evaluate(() => [document.activeElement?.closest('tr')?.dataset.worker, document.activeElement?.textContent])).toEqual([pinned.name, 'Resume']);
    await screenshot(page, '6-workers-suspended');
    await page.keyboard.press('Enter');
    await waitText(`tr[data-worker="${pinned.name}"] .badge`, /idle|busy/);
    expect(['idle', 'busy']).toContain((await workers(`?host=${device.host}`))[0].status);
  }, 60000);

  it('shows the health report, the queues and charts sampled from /metrics, moving with the jobs', async () => {
    await go('#/health', '.cards .card');
    await waitText('#health-title .badge', /ok|degraded/);
    await waitText('table.queues', new RegExp(`pinned_${device.host.replace(/\./g, '\\.')}`));
    expect(await page.$$eval('.cards .card h2', (els) => els.map((e) => e.firstChild?.textContent))).toEqual(['API', 'Redis', 'Workers']);
    // jobs that run while the page samples /metrics show in the throughput chart (counters lag a second)
    await page.waitForSelector('svg.chart[aria-label*="latest"]', UI_WAIT);
    const ran = await Promise.all(Array.from({ length: 4 }, () => submit({ command: 'show clock', options: { queue_strategy: 'fifo' } })));
    await waitFor(async () => (await Promise.all(ran.map((j) => job(j.id)))).every((j) => j.status === 'finished'), 30000);
    await page.waitForFunction(() => {
      const throughput = document.querySelector('svg.chart');
      return /highest [1-9]/.test(throughput?.getAttribute('aria-label') ?? '') && throughput?.querySelector('path.line') !== null;
    }, { timeout: 45000 });
    await screenshot(page, '7-health');
  }, 90000);

  it("shows a killed node's workers turning dead", async () => {
    const victim = nodes.find((n) => n.name === 'ui-b')!;
    await go('#/workers', 'section[data-node="ui-b"]');
    await victim.stop('SIGKILL');
    const section = 'section[data-node="ui-b"]';
    await waitText(`${section} .node-head .badge`, /dead node/);
    const statuses = await page.$$eval(`${section} tbody .badge`, (els) => els.map((e) => e.textContent));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['dead']));
    expect((await workers('?node=ui-b')).every((w) => w.status === 'dead')).toBe(true);
    // the dead node's actions are gone; the live node is listed first
    expect(await page.$eval(`${section} .node-head .actions`, (el) => (el as HTMLElement).hidden)).toBe(true);
    expect(await page.$$eval('section.node', (els) => els.map((e) => (e as HTMLElement).dataset.node))).toEqual(['ui-a', 'ui-b']);
    await page.evaluate(() => document.querySelector('section[data-node="ui-b"]')?.scrollIntoView());
    await screenshot(page, '8-workers-dead-node');
  }, 60000);

  it('lists jobs of every state; stops a worker after a confirmation; signs out', async () => {
    const running = await submit({ command: 'show hang' }); // runs until stopped: the page cannot miss it started
    await go('#/jobs', `tr[data-job="${running.id}"]`);
    await waitText(`tr[data-job="${running.id}"] .badge`, /started/);
    const states = await page.$$eval('table.jobs tbody .badge', (els) => els.map((e) => e.textContent));
    expect(new Set(states)).toEqual(new Set(['started', 'finished', 'failed', 'cancelled']));
    await screenshot(page, '9-jobs-every-state');
    await api.http.delete(`/job?id=${running.id}&force=true`).expect(200);

    const row = 'tr[data-worker="fifo-1@ui-a"]';
    await go('#/workers', row);
    await page.waitForSelector(`${row} button.danger:not([hidden])`, UI_WAIT);
    await page.click(`${row} button.danger`);
    await page.waitForSelector('dialog[open] button.danger', UI_WAIT);
    expect(await text('dialog[open]')).toContain('worker fifo-1@ui-a');
    await page.click('dialog[open] button.danger');
    await waitText(`${row} .badge`, /dead/);
    expect((await workers('?node=ui-a')).find((w) => w.name === 'fifo-1@ui-a')?.status).toBe('dead');
    await page.click('#signout');
    await page.waitForSelector('#api-key', UI_WAIT);
    expect(await page.evaluate(() => sessionStorage.getItem('netpulse.apiKey'))).toBeNull();
  }, 60000);

  it('ran without a Content-Security-Policy violation or a script error', async () => {
    expect(b.problems).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).toEqual([]);
  });
});
