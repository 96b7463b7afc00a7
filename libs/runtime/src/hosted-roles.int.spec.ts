// enable_media_repo, on real processes: main on PostgreSQL serves the media endpoints by
// default, and with `enable_media_repo: false` hosts no media role (its start says which roles
// it runs) and answers a media path as any unknown one, while the rest of the API is served.
import { startAppProcess, useWorkerServices, writeConfigFiles } from '@homeserver/testing';
import { describe, expect, it } from 'vitest';

const services = useWorkerServices();

/** Starts main with `extra` keys, asks it for the media config without a token, and stops it. */
async function mainAnswers(extra: string): Promise<{ roles: unknown; media: { status: number; errcode: unknown }; versions: number }> {
  const paths = await writeConfigFiles({
    'homeserver.yaml': `server_name: test.local\n${services.databaseYaml()}listeners: [{port: 0, bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client, media, health]}]}]\n${extra}`,
  });
  const main = await startAppProcess('main', { configFiles: Object.values(paths) });
  try {
    const base = `http://127.0.0.1:${main.addresses[0]!.port}`;
    const media = await fetch(`${base}/_matrix/client/v1/media/config`);
    const versions = await fetch(`${base}/_matrix/client/versions`);
    return {
      roles: main.logs.find((line) => line['msg'] === 'started')?.['roles'],
      media: { status: media.status, errcode: ((await media.json()) as { errcode?: unknown }).errcode },
      versions: versions.status,
    };
  } finally {
    expect(await main.stop()).toBe(0);
  }
}

describe('enable_media_repo', () => {
  it('main hosts the media role by default', async () => {
    const answers = await mainAnswers('');
    expect(answers.roles).toContain('media');
    // The route exists: it asks for a token.
    expect(answers.media).toEqual({ status: 401, errcode: 'M_MISSING_TOKEN' });
  });

  it('main leaves it to media workers with enable_media_repo: false', async () => {
    const answers = await mainAnswers('enable_media_repo: false\n');
    expect(answers.roles).not.toContain('media');
    expect(answers.roles).toContain('main');
    expect(answers.media).toEqual({ status: 404, errcode: 'M_UNRECOGNIZED' });
    expect(answers.versions).toBe(200);
  });
});
