// Media repository benchmark of the monolith (apps/main as a child process, PGlite): upload and
// download throughput of a 10 MB file, thumbnail generation of a 4000×3000 JPEG (the upload with
// its five default sizes, and one size made on demand), and the server's peak RSS while ten
// 20 MB uploads run at once.
//
//   npx node tools/bench/src/media-bench.ts [--runs=5]
//   npx node tools/bench/src/media-bench.ts --base-url=http://127.0.0.1:8008 --token=<access token> --pid=<server pid>
//     runs the same measurements against another server already running (e.g. Synapse, with
//     dynamic_thumbnails on), reading its RSS from /proc/<pid>.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { readFile } from 'node:fs/promises';
import { startChildServer } from './client-api/child-server.ts';

/** What the measurements need of a server. */
interface Target {
  readonly baseUrl: string;
  rssMiB(): Promise<number>;
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'base-url': { type: 'string' }, token: { type: 'string' }, pid: { type: 'string' } } });
const RUNS = Number(values.runs);
const MB = 1024 * 1024;
const out = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function register(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/_matrix/client/v3/register`, {
    method: 'POST',
    body: JSON.stringify({ username: `bench${Date.now()}`, password: 'bench password 1', auth: { type: 'm.login.dummy' } }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function upload(server: Target, token: string, body: Buffer, type: string): Promise<string> {
  const response = await fetch(`${server.baseUrl}/_matrix/media/v3/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
  if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { content_uri: string }).content_uri.slice('mxc://'.length);
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

async function peakRss<T>(server: Target, work: () => Promise<T>): Promise<{ result: T; peakMiB: number; beforeMiB: number }> {
  const beforeMiB = await server.rssMiB();
  let peak = beforeMiB;
  const timer = setInterval(() => void server.rssMiB().then((rss) => (peak = Math.max(peak, rss)), () => {}), 100);
  try {
    const result = await work();
    return { result, peakMiB: Math.max(peak, await server.rssMiB()), beforeMiB };
  } finally {
    clearInterval(timer);
  }
}

const external = values['base-url'];
const child = external === undefined ? await startChildServer('pglite', { extra: { dynamic_thumbnails: true } }) : undefined;
const server: Target = child ?? {
  baseUrl: external!,
  async rssMiB() {
    const status = await readFile(`/proc/${values.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  },
};
try {
  const token = values.token ?? (await register(server.baseUrl));
  const auth = { authorization: `Bearer ${token}` };
  const file = randomBytes(10 * MB);

  const up: number[] = [];
  const down: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const { result: id, ms } = await timed(() => upload(server, token, file, 'application/octet-stream'));
    up.push(10 / (ms / 1000));
    const fetched = await timed(async () => Buffer.from(await (await fetch(`${server.baseUrl}/_matrix/client/v1/media/download/${id}`, { headers: auth })).arrayBuffer()));
    if (!fetched.result.equals(file)) throw new Error('download returned other bytes');
    down.push(10 / (fetched.ms / 1000));
  }
  out(`10 MB upload: ${median(up).toFixed(0)} MB/s, download: ${median(down).toFixed(0)} MB/s (median of ${RUNS})`);

  const raw = Buffer.alloc(4000 * 3000 * 3);
  for (let i = 0; i < raw.length; i += 1) raw[i] = (i * 2654435761) >>> 24;
  const jpeg = await sharp(raw, { raw: { width: 4000, height: 3000, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
  const withThumbs: number[] = [];
  const onDemand: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const { result: id, ms } = await timed(() => upload(server, token, jpeg, 'image/jpeg'));
    withThumbs.push(ms);
    const thumb = await timed(async () => (await fetch(`${server.baseUrl}/_matrix/client/v1/media/thumbnail/${id}?width=500&height=375&method=scale`, { headers: auth })).arrayBuffer());
    onDemand.push(thumb.ms);
  }
  out(`4000x3000 JPEG (${(jpeg.length / MB).toFixed(1)} MB): upload + 5 default thumbnails ${median(withThumbs).toFixed(0)} ms, one on-demand 500x375 thumbnail ${median(onDemand).toFixed(0)} ms (median of ${RUNS})`);

  const big = randomBytes(20 * MB);
  const { peakMiB, beforeMiB, result: ms } = await peakRss(server, async () => (await timed(() => Promise.all(Array.from({ length: 10 }, () => upload(server, token, big, 'application/octet-stream'))))).ms);
  out(`10 concurrent 20 MB uploads: ${((200 / ms) * 1000).toFixed(0)} MB/s total, server RSS ${beforeMiB.toFixed(0)} MiB before, peak ${peakMiB.toFixed(0)} MiB`);
} finally {
  await child?.stop();
}
