import { describe, expect, it } from 'vitest';
import { lazyRoleModule, type RoleModule, type RunningRole } from './role-module.ts';
import type { ServerContext } from './server-context.ts';

const running: RunningRole = { stop: async () => {} };
const context = {} as ServerContext;

describe('lazyRoleModule', () => {
  it('loads the module only when started, then starts it', async () => {
    let loads = 0;
    const module = lazyRoleModule('pusher', async () => {
      loads += 1;
      return { role: 'pusher', start: async () => running } satisfies RoleModule;
    });
    expect(module.role).toBe('pusher');
    expect(loads).toBe(0);
    expect(await module.start(context)).toBe(running);
    expect(loads).toBe(1);
  });

  it('refuses a loaded module of another role than declared', async () => {
    const module = lazyRoleModule('pusher', async () => ({ role: 'media', start: async () => running }));
    await expect(module.start(context)).rejects.toThrow(/declared as pusher but the loaded module is media/);
  });
});
