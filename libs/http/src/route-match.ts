// Looking requests and registered routes up in the route table: which entry a (method, path)
// belongs to, and what is wrong with a set of registered routes (unlisted, listed twice, or
// registered by a role the table does not name).
import { ROUTE_TABLE, type RouteEntry } from './route-table.ts';

export interface RouteLookupOptions {
  /** Default: ROUTE_TABLE. */
  readonly table?: readonly RouteEntry[];
}

/** One method on one Fastify route URL (`/_matrix/client/v3/rooms/:roomId/join`) and the role that registered it. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly role: string;
}

const compiled = new WeakMap<RouteEntry, RegExp>();

function regexOf(entry: RouteEntry): RegExp {
  let regex = compiled.get(entry);
  if (regex === undefined) {
    regex = new RegExp(entry.pattern);
    compiled.set(entry, regex);
  }
  return regex;
}

function coversMethod(entry: RouteEntry, method: string): boolean {
  if (entry.methods === undefined) return true;
  // Fastify answers HEAD with the GET handler, and so does every entry.
  return entry.methods.includes(method === 'HEAD' ? 'GET' : method);
}

/** Every entry matching a request path (query string excluded); exactly one for a listed route. */
export function routeEntriesFor(method: string, path: string, options: RouteLookupOptions = {}): RouteEntry[] {
  const table = options.table ?? ROUTE_TABLE;
  return table.filter((entry) => coversMethod(entry, method) && regexOf(entry).test(path));
}

/** The entry a request belongs to (the first match, as a proxy picks), or undefined: served by main. */
export function routeEntryFor(method: string, path: string, options: RouteLookupOptions = {}): RouteEntry | undefined {
  const table = options.table ?? ROUTE_TABLE;
  return table.find((entry) => coversMethod(entry, method) && regexOf(entry).test(path));
}

/**
 * A Fastify route URL as a concrete path: each `:param` becomes `{param}` (never equal to a
 * literal path segment, so only patterns that accept any value there match) and `*` becomes `{*}`.
 */
export function samplePath(url: string): string {
  return url
    .split('/')
    .map((part) => (part.startsWith(':') ? `{${part.slice(1)}}` : part === '*' ? '{*}' : part))
    .join('/');
}

/** The entry of a registered route when exactly one matches it, else undefined. */
export function routeEntryOfRoute(method: string, url: string, options: RouteLookupOptions = {}): RouteEntry | undefined {
  const entries = routeEntriesFor(method, samplePath(url), options);
  return entries.length === 1 ? entries[0] : undefined;
}

/** What is wrong with the registered routes, one line each; empty when every route is listed once under its role. */
export function routeTableProblems(routes: readonly RegisteredRoute[], options: RouteLookupOptions = {}): string[] {
  const problems: string[] = [];
  for (const route of routes) {
    const entries = routeEntriesFor(route.method, samplePath(route.url), options);
    const name = `${route.method} ${route.url} (registered by ${route.role})`;
    if (entries.length === 0) {
      problems.push(`${name} is not in the route table (libs/http/src/route-table.ts)`);
    } else if (entries.length > 1) {
      problems.push(`${name} matches ${entries.length} route table entries: ${entries.map((e) => e.id).join(', ')}`);
    } else if (entries[0]!.role !== route.role) {
      problems.push(`${name} belongs to role ${entries[0]!.role} in the route table (entry ${entries[0]!.id})`);
    }
  }
  return problems;
}
