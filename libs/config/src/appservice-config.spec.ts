// Registration files of app_service_config_files: Synapse's format is read, and a bad file stops
// the start with the file and the key named.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.ts';

const BRIDGE = `id: irc
url: http://127.0.0.1:9000/
as_token: as-secret
hs_token: hs-secret
sender_localpart: ircbot
rate_limited: false
protocols: [irc]
de.sorunome.msc2409.push_ephemeral: true
namespaces:
  users:
    - exclusive: true
      regex: "@irc_.*:x\\\\.org"
  aliases:
    - exclusive: false
      regex: "#irc_.*"
  rooms: []
`;

async function start(registrations: Record<string, string>, extra = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-as-config-'));
  for (const [name, text] of Object.entries(registrations)) await writeFile(join(dir, name), text);
  const list = Object.keys(registrations).map((name) => JSON.stringify(name)).join(', ');
  await writeFile(join(dir, 'homeserver.yaml'), `server_name: x.org\napp_service_config_files: [${list}]\n${extra}`);
  return join(dir, 'homeserver.yaml');
}

const failure = (path: string) => loadConfig([path]).then(() => '(started)', (error: unknown) => (error as Error).message);

describe('app_service_config_files', () => {
  it("reads Synapse's registration format, relative to the config folder", async () => {
    const config = await loadConfig([await start({ 'irc.yaml': BRIDGE, 'hooks.yaml': BRIDGE.replace('id: irc', 'id: hooks').replace('as-secret', 'other').replace('url: http://127.0.0.1:9000/', 'url: null') })]);
    expect(config.notifyAppservicesFrom).toEqual(['main']);
    const [irc, hooks] = config.appservices;
    expect(irc).toMatchObject({ id: 'irc', url: 'http://127.0.0.1:9000', asToken: 'as-secret', hsToken: 'hs-secret', sender: '@ircbot:x.org', rateLimited: false, protocols: ['irc'], receiveEphemeral: true });
    expect(irc!.namespaces.users[0]).toMatchObject({ exclusive: true, regex: '@irc_.*:x\\.org' });
    // Anchored at the start, as Synapse matches.
    expect(irc!.namespaces.users[0]!.pattern.test('@irc_bob:x.org')).toBe(true);
    expect(irc!.namespaces.users[0]!.pattern.test('@bob:x.org @irc_bob:x.org')).toBe(false);
    expect(irc!.namespaces.aliases[0]!.exclusive).toBe(false);
    expect(hooks!.url).toBeUndefined();
  });

  it('takes notify_appservices_from_worker as one name or a list', async () => {
    expect((await loadConfig([await start({}, 'notify_appservices_from_worker: worker1\n')])).notifyAppservicesFrom).toEqual(['worker1']);
    expect((await loadConfig([await start({}, 'notify_appservices_from_worker: [w1, w2]\n')])).notifyAppservicesFrom).toEqual(['w1', 'w2']);
  });

  it('stops the start on a bad regex, naming the file and the key', async () => {
    const path = await start({ 'bad.yaml': BRIDGE.replace('"#irc_.*"', '"#irc_(.*"') });
    expect(await failure(path)).toMatch(/bad\.yaml: key "namespaces\.aliases\[0\]\.regex" has value "#irc_\(\.\*": not a valid regular expression/);
  });

  it('stops the start on a duplicate as_token or id, naming both files', async () => {
    const twin = BRIDGE.replace('id: irc', 'id: twin');
    expect(await failure(await start({ 'a.yaml': BRIDGE, 'b.yaml': twin }))).toMatch(/b\.yaml: key "as_token" is the same as in .*a\.yaml/);
    const sameId = BRIDGE.replace('as-secret', 'other');
    expect(await failure(await start({ 'a.yaml': BRIDGE, 'b.yaml': sameId }))).toMatch(/b\.yaml: key "id" has value "irc", already used by .*a\.yaml/);
  });

  it('stops the start on missing or mistyped keys', async () => {
    expect(await failure(await start({ 'a.yaml': BRIDGE.replace('hs_token: hs-secret\n', '') }))).toMatch(/a\.yaml: key "hs_token" is missing/);
    expect(await failure(await start({ 'a.yaml': BRIDGE.replace('url: http://127.0.0.1:9000/\n', '') }))).toMatch(/a\.yaml: key "url" is missing/);
    expect(await failure(await start({ 'a.yaml': BRIDGE.replace('exclusive: true', 'exclusive: yes please') }))).toMatch(/key "namespaces\.users\[0\]\.exclusive"/);
    expect(await failure(await start({ 'a.yaml': BRIDGE.replace('rate_limited: false', 'rate_limited: 3') }))).toMatch(/key "rate_limited" has value 3/);
    expect(await failure(await start({ 'a.yaml': 'just text' }))).toMatch(/a\.yaml must hold a mapping/);
    expect(await failure(await start({}, '').then(async (p) => { await writeFile(p, 'server_name: x.org\napp_service_config_files: [missing.yaml]\n'); return p; }))).toMatch(/key "app_service_config_files" lists .*missing\.yaml, which cannot be read/);
  });
});
