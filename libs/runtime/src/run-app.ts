// The whole of an app's main(): start, then drain and exit 0 on SIGTERM/SIGINT; on a start
// failure print one clear line and exit 1.
import closeWithGrace from 'close-with-grace';
import type { RoleName } from '@homeserver/config';
import type { RoleModule } from '@homeserver/services';
import { pino } from 'pino';
import { startProcess } from './start-process.ts';

export async function runApp(app: RoleName, modules: readonly RoleModule[], options: { validatedConfigDigest?: string | undefined } = {}): Promise<void> {
  const logger = pino({ base: { worker_app: app } });
  let running: Awaited<ReturnType<typeof startProcess>>;
  try {
    running = await startProcess(app, { argv: process.argv.slice(2), modules, ...(options.validatedConfigDigest === undefined ? {} : { validatedConfigDigest: options.validatedConfigDigest }) });
  } catch (error) {
    logger.fatal({ err: error }, `cannot start: ${(error as Error).message}`);
    logger.flush();
    process.exitCode = 1;
    return;
  }
  closeWithGrace({ delay: 20_000 }, async ({ signal, err }) => {
    if (err) running.context.logger.error({ err }, 'shutting down after an error');
    running.context.logger.info({ signal }, 'draining');
    await running.stop();
    running.context.logger.info('stopped');
  });
}
