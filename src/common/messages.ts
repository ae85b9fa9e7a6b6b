/** Human messages of the API, in one place so wording stays consistent. */
export const Messages = {
  success: 'success',
  unauthorized: 'Missing or invalid API key: send it in the X-API-KEY header',
  validation: 'Invalid request: see data for the fields at fault',
  bodyTooLarge: (limit: number) => `Request body is larger than the limit of ${limit} bytes`,
  malformedJson: 'Request body is not valid JSON',
  unsupportedMediaType: 'Request body must be JSON (Content-Type: application/json)',
  internal: (requestId: string) => `Internal error; quote request id ${requestId} when reporting it`,
  jobNotFound: (id: string) => `Job ${id} not found`,
  jobNotCancellable: (id: string, status: string) => `Job ${id} is ${status}: only queued jobs can be cancelled`,
  cancelNeedsFilter: 'Give at least one of id, batch, queue or host: cancelling every job is not allowed',
  batchNotFound: (id: string) => `Batch ${id} not found (unknown, or all its jobs have expired)`,
  batchWithQueue: 'batch and queue cannot be combined: a batch spans queues (combine batch with host to narrow it)',
  hostNotAllowed: (host: string) => `Host ${host} is outside the allowed hosts (ALLOWED_HOSTS)`,
  noFifoWorker: 'No live FIFO worker: start a worker node (npm run worker) or use queue_strategy "pinned"',
  noCapacity: 'No worker node has free capacity for a new pinned worker: add a node or raise NODE_CAPACITY',
  redisUnavailable: 'Redis is unavailable; try again shortly',
  jobNotStoppable: (id: string, status: string) => `Job ${id} is ${status}: only a started job can be stopped`,
  workerNeedsFilter: 'Give at least one of name, queue, node or host: acting on every worker is not allowed',
  commandOrConfig: 'Give exactly one of command or config',
  parsingNeedsCommand: 'parsing applies to command jobs: give command, not config',
  configOptionOnCommand: (name: string) => `options.${name} applies to config jobs: give config, not command`,
  driverArgOnConfig: (name: string) => `driver_args.${name} applies to command jobs: config lines are read up to the config prompt`,
  dryRunUnsupported: (type: string, supported: readonly string[]) =>
    `options.dry_run needs a candidate configuration, which ${type} does not have: it is supported on ${supported.join(', ')}`,
  dryRunWithSave: 'options.save and options.dry_run exclude each other: a dry run changes nothing to save',
  renderingNeedsConfig: 'rendering needs config: an object of the template\'s variables',
  hostLocked: (host: string, failures: number, until: string) =>
    `Host ${host} is locked until ${until}: its last ${failures} jobs failed to authenticate (AUTH_FAILURE_LIMIT), and more `
    + `attempts could lock the account on the device or its TACACS/RADIUS server. Fix the credentials, then clear it with `
    + `DELETE /device/lockout?host=${host}, or wait until then`,
  placementRaced: (host: string) => `The pinned worker of ${host} was released again and again while this job was being submitted; retry`,
  nodeNameHeld: (name: string, holder: { hostname: string; pid: number; life: string }, ageSec: number, ttlSec: number) =>
    `node name ${name} is held by a live process: ${holder.hostname} pid ${holder.pid} (life ${holder.life || 'unknown'}), `
    + `last heartbeat ${ageSec.toFixed(1)} s ago. Give this node another NETPULSE_NODE_NAME, or stop that process `
    + `(a holder silent for WORKER_TTL, ${ttlSec} s, is taken over)`,
  // issue 17: time and credentials
  runAtOrDelay: 'Give at most one of options.run_at and options.delay',
  runAtRange: 'options.run_at must be a valid time at most 30 days ahead',
  unknownCredential: (name: string) => `No credential set named ${name} in CREDENTIALS_FILE`,
  noCredentialsFile: 'connection_args.credential needs CREDENTIALS_FILE, which is not configured',
  scheduleNotFound: (name: string) => `Schedule ${name} not found`,
  scheduleInlineSecret: (field: string) => `A schedule stores its job: ${field} may not be given inline; name a credential set (connection_args.credential)`,
  scheduleNeedsCredential: 'A schedule\'s job must name a credential set (connection_args.credential): schedules store no passwords',
  scheduleNoRunAt: 'A schedule says when its jobs run: options.run_at and options.delay are not allowed in its job',
  cronOrEvery: 'Give exactly one of cron and every',
  badCron: (why: string) => `cron is not a valid cron expression: ${why}`,
  badTimeZone: (tz: string) => `timezone ${tz} is not a known IANA time zone`,
} as const;
