// The whole of an app's main(): start, then drain and exit 0 on SIGTERM/SIGINT; on a start
// failure print one clear line and exit 1.
import closeWithGrace from 'close-with-grace';
import type { RoleName } from '@homeserver/config';
import type { RoleModule } from '@homeserver/services';
import { pino } from 'pino';
import { releaseHeapWhenIdle } from './idle-heap-release.ts';
import { startProcess } from './start-process.ts';

export interface RunAppOptions {
  /** StartProcessOptions.validatedConfigDigest. Default: validate. */
  readonly validatedConfigDigest?: string | undefined;
  /** StartProcessOptions.validatedConfigContents. Default: read the files. */
  readonly validatedConfigContents?: Record<string, unknown> | undefined;
}

export async function runApp(app: RoleName, modules: readonly RoleModule[], options: RunAppOptions = {}): Promise<void> {
  const logger = pino({ base: { worker_app: app } });
  let running: Awaited<ReturnType<typeof startProcess>>;
  try {
    running = await startProcess(app, {
      argv: process.argv.slice(2),
      modules,
      ...(options.validatedConfigDigest === undefined ? {} : { validatedConfigDigest: options.validatedConfigDigest }),
      ...(options.validatedConfigContents === undefined ? {} : { validatedConfigContents: options.validatedConfigContents }),
    });
  } catch (error) {
    logger.fatal({ err: error }, `cannot start: ${(error as Error).message}`);
    logger.flush();
    process.exitCode = 1;
    return;
  }
  const MiB = (bytes: number) => Math.round(bytes / 1048576);
  const stopRelease = releaseHeapWhenIdle({
    afterMs: running.config.nodeHeap.releaseWhenIdleAfterMs,
    onRelease: (before, after) => running.context.logger.debug({ heapCommittedMiB: { before: MiB(before), after: MiB(after) } }, 'quiet: heap collected and given back'),
  });
  closeWithGrace({ delay: 20_000 }, async ({ signal, err }) => {
    stopRelease();
    if (err) running.context.logger.error({ err }, 'shutting down after an error');
    running.context.logger.info({ signal }, 'draining');
    await running.stop();
    running.context.logger.info('stopped');
  });
  // Only now: a SIGTERM sent on seeing this line meets the drain above. Before closeWithGrace
  // listens, Node's own handler ends the process by the signal (exit status SIGTERM, no drain).
  running.context.logger.info({ roles: running.roles, addresses: running.addresses }, 'started');
}
