// Fetching a URL for a preview without letting users aim the server at internal addresses:
// the host is resolved here, every address checked against url_preview_ip_range_blacklist
// (unless url_preview_ip_range_whitelist allows it), and the connection pinned to the checked
// address so a second DNS answer cannot swap it (DNS rebinding). Redirects are followed a few
// times, each hop checked again; bodies are read up to max_spider_size, with a time limit.
import { lookup } from 'node:dns/promises';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { MatrixError } from '@homeserver/http';

// Not an ES import: that reads all of node:http's exports, whose lazy WebSocket getters load
// Node's bundled undici (~13 MiB RSS) in the media worker, which never uses it.
const http = process.getBuiltinModule('node:http');

export interface FetchedBody {
  readonly url: URL;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface GuardedFetchOptions {
  readonly blacklist: readonly string[];
  readonly whitelist: readonly string[];
  readonly maxBytes: number;
  /** Default: 10 s. */
  readonly timeoutMs?: number;
}

const MAX_REDIRECTS = 5;

function blockListOf(ranges: readonly string[], key: string): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [address, prefix] = range.split('/');
    const family = isIP(address ?? '');
    if (family === 0) throw new Error(`${key} entry ${JSON.stringify(range)} is not an IP address or CIDR range`);
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
    list.addSubnet(address!, bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

export class GuardedFetcher {
  readonly #blacklist: BlockList;
  readonly #whitelist: BlockList;
  readonly #maxBytes: number;
  readonly #timeoutMs: number;

  constructor(options: GuardedFetchOptions) {
    this.#blacklist = blockListOf(options.blacklist, 'url_preview_ip_range_blacklist');
    this.#whitelist = blockListOf(options.whitelist, 'url_preview_ip_range_whitelist');
    this.#maxBytes = options.maxBytes;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  #allowed(address: string): boolean {
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    return !this.#blacklist.check(address, type) || this.#whitelist.check(address, type);
  }

  /** The address to connect to for `host`, or a 403 when every address is refused. */
  async #vet(host: string): Promise<{ address: string; family: number }> {
    const bare = host.replace(/^\[|\]$/g, '');
    const addresses = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await lookup(bare, { all: true }).catch(() => []);
    if (addresses.length === 0) throw new MatrixError(502, 'M_UNKNOWN', `cannot resolve ${host}`);
    // Every address must pass: a name with one internal answer is refused as a whole.
    const refused = addresses.find((a) => !this.#allowed(a.address));
    if (refused !== undefined) throw new MatrixError(403, 'M_UNKNOWN', `IP address ${refused.address} of ${host} is blocked by url_preview_ip_range_blacklist`);
    return addresses[0]!;
  }

  async fetch(target: URL): Promise<FetchedBody> {
    let url = target;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MatrixError(400, 'M_INVALID_PARAM', `only http and https URLs are previewed, not ${url.protocol}`);
      const pinned = await this.#vet(url.hostname);
      const response = await this.#request(url, pinned);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        url = new URL(response.headers.location, url);
        continue;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        throw new MatrixError(502, 'M_UNKNOWN', `${url.origin} answered ${status}`);
      }
      const body = await this.#read(response);
      return { url, contentType: String(response.headers['content-type'] ?? 'application/octet-stream'), body };
    }
    throw new MatrixError(502, 'M_UNKNOWN', `more than ${MAX_REDIRECTS} redirects`);
  }

  #request(url: URL, pinned: { address: string; family: number }): Promise<IncomingMessage> {
    const pin: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.get(url, { lookup: pin, timeout: this.#timeoutMs, headers: { 'user-agent': 'homeserver URL preview', accept: 'text/html,image/*;q=0.9,*/*;q=0.5' } }, resolve);
      request.on('timeout', () => request.destroy(new MatrixError(504, 'M_UNKNOWN', `${url.origin} did not answer within ${this.#timeoutMs} ms`)));
      request.on('error', (error) => reject(error instanceof MatrixError ? error : new MatrixError(502, 'M_UNKNOWN', `cannot fetch ${url.origin}: ${error.message}`)));
    });
  }

  #read(response: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const timer = setTimeout(() => response.destroy(new MatrixError(504, 'M_UNKNOWN', 'the page took too long to arrive')), this.#timeoutMs);
      response.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > this.#maxBytes) {
          response.destroy(new MatrixError(502, 'M_TOO_LARGE', `the content is larger than max_spider_size (${this.#maxBytes} bytes)`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks));
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error instanceof MatrixError ? error : new MatrixError(502, 'M_UNKNOWN', `reading the page failed: ${error.message}`));
      });
      response.on('close', () => {
        clearTimeout(timer);
        if (!response.complete) reject(response.errored instanceof MatrixError ? response.errored : new MatrixError(502, 'M_UNKNOWN', 'the page ended early'));
      });
    });
  }
}
