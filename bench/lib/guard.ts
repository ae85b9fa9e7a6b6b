import { runWithCleanup } from './redis-keys';

/**
 * runWithCleanup (normal end, error, Ctrl-C, SIGTERM) plus what it does not cover: an exception thrown outside
 * main's promise chain (a client library's event handler) and a run that overstays its time budget. Either way
 * the cleanup runs (children stopped by pid, the run's keys removed) and the process exits with 1.
 */
export function guard(main: () => Promise<void>, cleanup: () => Promise<void>, budgetSec = Number(process.env.BENCH_BUDGET_SEC ?? 300)): void {
  let cleaning: Promise<void> | null = null;
  const once = () => (cleaning ??= cleanup());
  const abort = (why: string) => {
    console.error(why);
    const hard = setTimeout(() => process.exit(1), 30_000);
    hard.unref();
    void once().catch((err: Error) => console.error(`cleanup failed: ${err.message}`)).finally(() => process.exit(1));
  };
  process.on('uncaughtException', (err) => abort(`uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => abort(`unhandled rejection: ${(err as Error)?.stack ?? String(err)}`));
  const timer = setTimeout(() => abort(`time budget of ${budgetSec} s exceeded: stopping (BENCH_BUDGET_SEC raises it)`), budgetSec * 1000);
  timer.unref();
  runWithCleanup(main, async () => {
    clearTimeout(timer);
    await once();
  });
}
