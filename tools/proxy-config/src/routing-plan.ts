// What the proxy does, independent of nginx or haproxy syntax: the upstreams (a role's
// instances on one listener resource, hashed by the entry's affinity) and, in route table
// order, which path patterns go to which upstream; everything else goes to main. Both renderers
// print this plan, and routeRequest() answers, from the same plan, where a request goes.
import { ROUTE_TABLE, type RouteAffinity, type RouteEntry, type RouteResource } from '@homeserver/http';
import type { Deployment, Instance, ListenerAddress } from './deployment.ts';
import { hashKeyOf, type ProxiedRequest } from './hash-keys.ts';

export interface UpstreamServer {
  readonly instance: string;
  readonly host: string;
  readonly port: number;
}

export interface Upstream {
  /** A config identifier: `sync_client_by_access_token`, `main_client`. */
  readonly name: string;
  readonly servers: readonly UpstreamServer[];
  /** Default: round robin. */
  readonly affinity?: RouteAffinity;
}

export interface PlanRule {
  /** The route table entries sharing this pattern (a family split by method). */
  readonly entryIds: readonly string[];
  readonly pattern: string;
  readonly upstream: string;
}

export interface RoutingPlan {
  readonly serverName: string;
  readonly upstreams: readonly Upstream[];
  /** In route table order; at most one matches a path. */
  readonly rules: readonly PlanRule[];
  /** Where every path no rule names goes: main's client listener. */
  readonly fallback: string;
}

export interface PlanOptions {
  /** Default: ROUTE_TABLE. */
  readonly table?: readonly RouteEntry[];
}

// The `federation` resource serves the key API too, as in Synapse.
function serves(listener: ListenerAddress, resource: RouteResource): boolean {
  return listener.resources.has(resource) || (resource === 'keys' && listener.resources.has('federation'));
}

function serversOf(instances: readonly Instance[], resource: RouteResource): UpstreamServer[] {
  return instances.flatMap((instance) => {
    const listener = instance.listeners.find((l) => serves(l, resource));
    return listener === undefined ? [] : [{ instance: instance.name, host: listener.host, port: listener.port }];
  });
}

function identifier(...parts: string[]): string {
  return parts.join('_').replace(/-/g, '_');
}

// Upstreams by name; one per role, servers and affinity (`sync_by_access_token`), with the
// resource in the name only when a role's instances serve two resources on different listeners.
class Upstreams {
  readonly #all: Array<Upstream & { readonly role: string }> = [];

  add(role: string, resource: RouteResource, servers: UpstreamServer[], affinity?: RouteAffinity): string {
    const same = this.#all.find((u) => u.role === role && u.affinity === affinity && JSON.stringify(u.servers) === JSON.stringify(servers));
    if (same !== undefined) return same.name;
    const hashing = affinity ? ['by', affinity] : [];
    const name = [identifier(role, ...hashing), identifier(role, resource, ...hashing)].find((n) => !this.#all.some((u) => u.name === n));
    if (name === undefined) throw new Error(`two upstreams of role ${role} for resource ${resource} would share a name`);
    this.#all.push({ role, name, servers, ...(affinity ? { affinity } : {}) });
    return name;
  }

  list(used: ReadonlySet<string>): Upstream[] {
    return this.#all.filter((u) => used.has(u.name)).map(({ role: _role, ...upstream }) => upstream);
  }
}

export function buildRoutingPlan(deployment: Deployment, options: PlanOptions = {}): RoutingPlan {
  const upstreams = new Upstreams();
  const mainClient = serversOf([deployment.main], 'client');
  if (mainClient.length === 0) throw new Error(`${deployment.main.source}: the main process has no http listener with the client resource to fall back to`);
  const fallback = upstreams.add('main', 'client', mainClient);

  const rules: PlanRule[] = [];
  for (const entry of options.table ?? ROUTE_TABLE) {
    let name: string;
    const workers = serversOf(deployment.workers.filter((w) => w.role === entry.role), entry.resource);
    if (entry.role !== 'main' && workers.length > 0) {
      name = upstreams.add(entry.role, entry.resource, workers, entry.affinity);
    } else {
      // Main hosts every role no worker serves (hostedRoles); a single server needs no hashing.
      const own = serversOf([deployment.main], entry.resource);
      name = own.length === 0 ? fallback : upstreams.add('main', entry.resource, own);
    }
    const same = rules.find((r) => r.pattern === entry.pattern);
    if (same === undefined) rules.push({ entryIds: [entry.id], pattern: entry.pattern, upstream: name });
    else if (same.upstream === name) (same.entryIds as string[]).push(entry.id);
    else throw new Error(`route table entries ${same.entryIds.join(', ')} and ${entry.id} share the pattern ${entry.pattern} but go to different upstreams`);
  }
  // Families that go where unlisted paths go need no rule (entries never overlap).
  const routed = rules.filter((r) => r.upstream !== fallback);
  const used = new Set([fallback, ...routed.map((r) => r.upstream)]);
  return { serverName: deployment.serverName, upstreams: upstreams.list(used), rules: routed, fallback };
}

export interface RoutingDecision {
  readonly upstream: string;
  /** What the upstream hashes on, when it hashes. */
  readonly hashKey?: string;
}

const compiled = new Map<string, RegExp>();

/** Where the rendered config sends a request (the path as the proxy sees it, without the query). */
export function routeRequest(plan: RoutingPlan, request: ProxiedRequest): RoutingDecision {
  const rule = plan.rules.find((r) => {
    let regex = compiled.get(r.pattern);
    if (regex === undefined) compiled.set(r.pattern, (regex = new RegExp(r.pattern)));
    return regex.test(request.path);
  });
  const upstream = plan.upstreams.find((u) => u.name === (rule?.upstream ?? plan.fallback))!;
  return upstream.affinity ? { upstream: upstream.name, hashKey: hashKeyOf(upstream.affinity, request) } : { upstream: upstream.name };
}
