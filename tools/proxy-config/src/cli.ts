// The proxy-config command: `--format nginx|haproxy -c homeserver.yaml [-c worker.yaml ...]`
// [--listen PORT|ADDR:PORT] prints the proxy config routing each route table family to the
// workers serving its role, falling back to main.
import { parseArgs } from 'node:util';
import { loadDeployment } from './deployment.ts';
import { renderHaproxy } from './render-haproxy.ts';
import { renderNginx } from './render-nginx.ts';
import { buildRoutingPlan } from './routing-plan.ts';

export const USAGE = 'usage: proxy-config --format nginx|haproxy -c homeserver.yaml [-c worker.yaml ...] [--listen PORT|ADDR:PORT]';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs the command; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        format: { type: 'string', short: 'f' },
        'config-path': { type: 'string', short: 'c', multiple: true },
        listen: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const [shared, ...workers] = values['config-path'] ?? [];
  if (values.format !== 'nginx' && values.format !== 'haproxy') {
    io.stderr(`--format must be nginx or haproxy, not ${JSON.stringify(values.format ?? '')}\n${USAGE}\n`);
    return 2;
  }
  if (shared === undefined) {
    io.stderr(`no config given: pass -c homeserver.yaml (then -c per worker file)\n${USAGE}\n`);
    return 2;
  }
  try {
    const plan = buildRoutingPlan(await loadDeployment(shared, workers));
    const render = values.format === 'nginx' ? renderNginx : renderHaproxy;
    io.stdout(render(plan, { listen: values.listen }));
    return 0;
  } catch (error) {
    io.stderr(`proxy-config: ${(error as Error).message}\n`);
    return 1;
  }
}
