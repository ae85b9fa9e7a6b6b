import { INestApplicationContext, Logger } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: close the app (Nest runs every shutdown hook: stop taking work, drain, close Redis and
 * SSH), then exit 0, so an orchestrator sees a clean stop. A second signal exits at once; so does a shutdown
 * that outlives boundMs.
 */
export function exitGracefully(app: INestApplicationContext, boundMs: number, beforeClose: () => void = () => undefined): void {
  const logger = new Logger('Shutdown');
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    logger.log(`${signal}: shutting down`);
    beforeClose();
    // A safety net: whatever hangs, the process is gone after the bound.
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${boundMs} ms; exiting`);
      process.exit(1);
    }, boundMs).unref();
    app.close().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error(`shutdown failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
