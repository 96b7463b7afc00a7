// The main app as a real process on the embedded default (PGlite, in-process transport).
import { access, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appserviceRegistrationYaml, itRejectsBadConfig, itServesHealthAndDrains, runAppToExit, startAppProcess, writeConfigFiles } from '@homeserver/testing';

const listener = 'listeners: [{port: 0, type: http, resources: [{names: [client, federation, health, metrics]}]}]';

describe('main app process', () => {
  itServesHealthAndDrains('main', async () => {
    const paths = await writeConfigFiles({ 'homeserver.yaml': `server_name: test.local\n${listener}\n` });
    return [paths['homeserver.yaml']!];
  }, 'main');

  itRejectsBadConfig('main', { 'homeserver.yaml': 'server_name: x.org\nlisteners: [{port: 70000, type: http}]\n' }, /key "listeners\[0\]\.port" has value 70000/);

  it('main: exits non-zero on a registration file with a bad regex or a reused as_token, naming the file and key', async () => {
    const registration = (id: string, asToken: string, users: string) => appserviceRegistrationYaml({ id, url: null, asToken, hsToken: `hs-${id}`, senderLocalpart: `${id}bot`, users });
    for (const [files, expected] of [
      [{ 'a.yaml': registration('a', 'token-a', '@a_(.*') }, /a\.yaml: key "namespaces\.users\[0\]\.regex" has value "@a_\(\.\*": not a valid regular expression/],
      [{ 'a.yaml': registration('a', 'shared', '@a_.*'), 'b.yaml': registration('b', 'shared', '@b_.*') }, /b\.yaml: key "as_token" is the same as in .*a\.yaml/],
    ] as const) {
      const list = Object.keys(files).map((name) => JSON.stringify(name)).join(', ');
      const paths = await writeConfigFiles({ 'homeserver.yaml': `server_name: x.org\n${listener}\napp_service_config_files: [${list}]\n`, ...files });
      const exit = await runAppToExit('main', { configFiles: [paths['homeserver.yaml']!] });
      expect(exit.code).not.toBe(0);
      expect(exit.messages).toMatch(expected);
    }
  }, 180_000);

  it('main: with no config writes ./data/homeserver.yaml and serves /health on 8008', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'hs-main-'));
    const running = await startAppProcess('main', { configFiles: [], cwd });
    try {
      expect(running.addresses).toEqual([{ host: '127.0.0.1', port: 8008 }]);
      expect((await fetch('http://127.0.0.1:8008/health')).status).toBe(200);
      const config = await readFile(join(cwd, 'data', 'homeserver.yaml'), 'utf8');
      expect(config).toContain('server_name: "localhost"');
      await access(join(cwd, 'data', 'homeserver.db'));
      await access(join(cwd, 'data', 'localhost.signing.key'));
    } finally {
      expect(await running.stop()).toBe(0);
    }
  }, 180_000);
});
