// One of our processes and one Synapse federating on loopback over TLS, each trusting the
// other's self-signed certificate: what both Synapse interop test files start.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificate, startFederationCluster, startSynapse, type FederationCluster, type FederationMember, type SynapseServer } from '@homeserver/testing';

export interface InteropPair {
  readonly ours: FederationMember;
  readonly synapse: SynapseServer;
  /** Both certificates (PEM text), for clients calling a federation listener. */
  readonly ca: string[];
  stop(): Promise<void>;
}

/** Starts both servers; the first run also creates Synapse's venv (minutes). */
export async function startInteropPair(): Promise<InteropPair> {
  const dir = await mkdtemp(join(tmpdir(), 'hs-interop-'));
  const synapseCertificate = await createTestCertificate(dir, { name: 'synapse' });
  let cluster: FederationCluster | undefined;
  let synapse: SynapseServer | undefined;
  const stop = async () => {
    await synapse?.stop();
    await cluster?.close();
  };
  try {
    cluster = await startFederationCluster({ count: 1, extraCaPaths: [synapseCertificate.certificatePath] });
    synapse = await startSynapse({ caPaths: cluster.caPaths, certificate: synapseCertificate });
    const ca = await Promise.all(cluster.caPaths.map((p) => readFile(p, 'utf8')));
    return { ours: cluster.members[0]!, synapse, ca, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
