// outbound_federation_restricted_to at the actor level: a process outside the list sends through
// the `federation-outbound` actor of an instance in it (two actor systems over one in-process
// hub), which signs and sends with its own client to an HTTPS stand-in of another server.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActorSystem, RendezvousPlacement } from '@homeserver/actors';
import { parseXMatrixAuthorization, SigningKey } from '@homeserver/matrix';
import { createTestCertificate, startFederationStandIn, type FederationStandIn } from '@homeserver/testing';
import { InProcessHub, InProcessTransport } from '@homeserver/transport';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFederationClient } from './federation-client.ts';
import { FederationRequestError } from './federation.ts';
import { IpPolicy } from './ip-policy.ts';
import { FEDERATION_OUTBOUND_KIND, federationOutboundActor, ProxiedFederationClient } from './outbound-proxy.ts';

describe('outbound federation through the restricted instances', () => {
  let standIn: FederationStandIn;
  let client: HttpFederationClient;
  let proxied: ProxiedFederationClient;
  const stops: Array<() => Promise<void>> = [];
  let sender: ActorSystem;

  beforeAll(async () => {
    const certificate = await createTestCertificate(await mkdtemp(join(tmpdir(), 'outbound-proxy-')));
    standIn = await startFederationStandIn(certificate);
    client = new HttpFederationClient({
      serverName: 'ours.test',
      signingKey: SigningKey.fromSeed(new Uint8Array(32).fill(5), 'k'),
      logger: pino({ level: 'silent' }),
      ipPolicy: new IpPolicy({ blacklist: [], whitelist: [] }),
      allows: () => true,
      ca: [await readFile(certificate.certificatePath, 'utf8')],
    });
    const hub = new InProcessHub();
    const placement = new RendezvousPlacement({ instances: { [FEDERATION_OUTBOUND_KIND]: ['sender1'] } });
    const definition = federationOutboundActor(client);
    const start = async (instance: string, host: boolean) => {
      const transport = new InProcessTransport({ hub });
      const system = new ActorSystem({ instance, placement, transport, unreachableAfterMs: 500 });
      if (host) system.host(definition);
      await system.start();
      stops.push(async () => {
        await system.stop();
        await transport.close();
      });
      return system;
    };
    sender = await start('sender1', true);
    proxied = new ProxiedFederationClient(await start('main', false), definition);
  });

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    client.close();
    await standIn.close();
  });

  it('sends a signed request from the restricted instance and answers with its body', async () => {
    const answer = await proxied.request<{ pdus: Record<string, unknown> }>({ destination: standIn.serverName, method: 'PUT', path: '/_matrix/federation/v1/send/t1', body: { origin: 'ours.test', pdus: [], edus: [] } });
    expect(answer).toEqual({ pdus: {} });
    expect(standIn.transactions.map((t) => t.txnId)).toEqual(['t1']);
    expect(parseXMatrixAuthorization(standIn.transactions[0]!.authorization ?? '')).toMatchObject({ origin: 'ours.test', destination: standIn.serverName });
    expect(sender.metrics().find((k) => k.kind === FEDERATION_OUTBOUND_KIND)?.actors).toBe(1);
  });

  it('passes the remote error on with its status and errcode', async () => {
    const error = await proxied.request({ destination: standIn.serverName, method: 'GET', path: '/_matrix/federation/v1/query/profile?user_id=%40a%3Ax' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FederationRequestError);
    expect(error).toMatchObject({ destination: standIn.serverName, status: 404, errcode: 'M_UNRECOGNIZED' });
    expect(standIn.requests).toContain('GET /_matrix/federation/v1/query/profile?user_id=%40a%3Ax');
  });

  it('makes the key API\'s unsigned GETs through the proxy too', async () => {
    await expect(proxied.getUnsigned(standIn.serverName, '/_matrix/key/v2/server')).rejects.toMatchObject({ status: 404 });
    expect(standIn.requests).toContain('GET /_matrix/key/v2/server');
  });

  it('reports an unreachable proxy as a request that was not sent (status 0)', async () => {
    await stops.shift()!();
    const error = await proxied.request({ destination: standIn.serverName, method: 'GET', path: '/_matrix/federation/v1/version', timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FederationRequestError);
    expect(error).toMatchObject({ status: 0 });
    expect((error as Error).message).toContain('outbound federation instances did not answer');
  });
});
