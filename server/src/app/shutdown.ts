import type { Logger } from './logger.js';

const GRACE_MS = 9000;

/** On SIGTERM/SIGINT: run `stop` once, exit 0 when it finishes, exit 1 if it takes longer than the grace period. */
export function onShutdown(stop: () => Promise<void>, logger: Logger): void {
  let called = false;
  const handler = (signal: NodeJS.Signals) => {
    if (called) return;
    called = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, GRACE_MS);
    timer.unref();
    stop().then(
      () => {
        logger.info('stopped');
        logger.flush(() => process.exit(0));
      },
      (err) => {
        logger.error({ err }, 'shutdown failed');
        logger.flush(() => process.exit(1));
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
