// Starts the monolith in this process (the same role modules as apps/main) on a free port with
// open registration and raised rate limits, and records every route the listener registers, so
// a test can walk the server's real route table instead of a hand-kept list.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventPersisterRole } from '@homeserver/role-event-persister';
import { mainRole } from '@homeserver/role-main';
import { createEphemeralRole, createSyncRole } from '@homeserver/role-sync';
import { startProcess } from '@homeserver/runtime';
import type { RoleModule, RunningRole } from '@homeserver/services';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { writeTestHomeserverConfig } from '@homeserver/testing';

/** One method on one route URL as Fastify knows it (`/_matrix/client/v3/rooms/:roomId/join`). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

export interface TestMonolith {
  readonly baseUrl: string;
  /** Every method + URL registered on the client listener, in registration order, deduplicated. */
  readonly routes: readonly RegisteredRoute[];
  stop(): Promise<void>;
}

export interface StartTestMonolithOptions {
  /** Extra YAML appended to the config. Default: none. */
  readonly extraConfig?: Record<string, unknown>;
  /** pino level of the server's logs. Default: `error` (5xx are logged there). */
  readonly logLevel?: string;
}


function recordingRoutes(modules: readonly RoleModule[], seen: Map<string, RegisteredRoute>): RoleModule[] {
  const hooked = new WeakSet<FastifyInstance>();
  return modules.map((module) => ({
    role: module.role,
    async start(context) {
      const running = await module.start(context);
      const wrapped: RunningRole = {
        stop: () => running.stop(),
        isReady: running.isReady ? () => running.isReady?.() ?? true : undefined,
        async registerRoutes(app, resources) {
          if (!hooked.has(app)) {
            hooked.add(app);
            app.addHook('onRoute', (route) => {
              for (const method of [route.method].flat()) seen.set(`${method} ${route.url}`, { method, url: route.url });
            });
          }
          await running.registerRoutes?.(app, resources);
        },
      };
      return wrapped;
    },
  }));
}

export async function startTestMonolith(options: StartTestMonolithOptions = {}): Promise<TestMonolith> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-bad-input-'));
  const file = await writeTestHomeserverConfig(dir, { extra: options.extraConfig });
  const seen = new Map<string, RegisteredRoute>();
  const modules = recordingRoutes([eventPersisterRole, createSyncRole(), createEphemeralRole(), mainRole], seen);
  const running = await startProcess('main', { argv: ['-c', file], modules, logger: pino({ level: options.logLevel ?? 'error' }) });
  const address = running.addresses[0];
  if (address === undefined) throw new Error('the test monolith started without a listener');
  return {
    baseUrl: `http://${address.host}:${address.port}`,
    routes: [...seen.values()],
    async stop() {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
