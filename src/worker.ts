import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exitGracefully } from './common/graceful-exit';
import { AppConfig } from './config/app-config';
import { Logger as PinoLogger } from 'nestjs-pino';
import { NodeProbes } from './node/node-probes';
import { WorkerModule } from './worker.module';

/** A worker node: job consumers and a tiny HTTP listener for /health/live and /health/ready, no API routes. */
async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  const config = app.get(AppConfig);
  const probes = app.get(NodeProbes);
  const server: Server = createServer((req, res) => void probes.handle(req, res));
  await new Promise<void>((resolve) => server.listen(config.workerProbePort, '0.0.0.0', resolve));
  const port = (server.address() as AddressInfo).port;
  new Logger('Worker').log(`worker node ${config.nodeName} ready; probes on :${port}/health/live and /health/ready`);
  exitGracefully(app, (config.shutdownGraceSec + 20) * 1000, () => server.close());
}

bootstrap().catch((err: Error) => {
  // A start refused in a bootstrap hook (the node name held by a live process) fails before the app's logger takes
  // over: print what was buffered, then the reason.
  Logger.flush();
  new Logger('Worker').error(err.message);
  process.exit(1);
});
