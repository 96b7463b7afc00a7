// This server's admin API answers compared field by field with Synapse's: the same scripted
// session (libs/testing admin-scenario.ts) ran against Synapse (from PyPI) and was recorded by
// tools/synapse-compare/record.ts into testing/synapse-admin-answers.json (status and the type of
// every field, recursively). Here it runs against the monolith and each answer must have the
// same status and shape, but for the deviations listed below with their reasons.
import { readFile } from 'node:fs/promises';
import { runAdminScenario, shapeDifferences, shapeOf, type Shape } from '@homeserver/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHomeserver, type TestHomeserver } from './testing/test-homeserver.ts';

interface Recording {
  readonly synapse_version: string;
  readonly server_name: string;
  readonly answers: Record<string, { status: number; shape: Shape }>;
}

const SECRET = 'synapse-compare-secret';

/** Fields that legitimately differ from the recording: answer name, path prefix, reason. */
const DEVIATIONS: ReadonlyArray<{ answer: RegExp; path: RegExp; reason: string }> = [
  { answer: /^deactivated user details$/, path: /^\$\.last_seen_ts$/, reason: 'last seen is read from devices here and a deactivated user has none left (Synapse also keeps a user_ips history)' },
  { answer: /^devices$/, path: /\.last_seen_user_agent$/, reason: 'user agents are not recorded here' },
];

describe(`admin API answers versus Synapse's recorded answers`, () => {
  let server: TestHomeserver;
  let recording: Recording;

  beforeAll(async () => {
    recording = JSON.parse(await readFile(new URL('./testing/synapse-admin-answers.json', import.meta.url), 'utf8')) as Recording;
    server = await startTestHomeserver('pglite', { serverName: recording.server_name, extra: { registration_shared_secret: SECRET } });
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('answers every call of the session with Synapse 1.163\'s status and fields', async () => {
    const answers = await runAdminScenario(server.baseUrl, SECRET);
    expect(Object.keys(answers).sort()).toEqual(Object.keys(recording.answers).sort());
    const problems: string[] = [];
    const tolerated: string[] = [];
    for (const [name, synapse] of Object.entries(recording.answers)) {
      const ours = answers[name]!;
      if (ours.status !== synapse.status) problems.push(`${name}: status ${ours.status}, Synapse ${synapse.status}`);
      for (const difference of shapeDifferences(synapse.shape, shapeOf(ours.body))) {
        const path = difference.split(':')[0]!;
        if (!DEVIATIONS.some((d) => d.answer.test(name) && d.path.test(path))) problems.push(`${name}: ${difference}`);
        else tolerated.push(`${name}: ${difference}`);
      }
    }
    process.stdout.write(`compared ${Object.keys(recording.answers).length} answers with Synapse ${recording.synapse_version}; tolerated:\n${tolerated.join('\n')}\n`);
    expect(problems).toEqual([]);
  });
});
