// The push rules API addresses everything by path (`/pushrules/`, `/pushrules/global/`,
// `/pushrules/global/{kind}/`, `.../{kind}/{ruleId}`, `.../{ruleId}/{attr}`), and its trailing
// slashes carry meaning: `/pushrules/global/room/` lists a kind, `/pushrules/global/room` is
// malformed. Fastify folds trailing slashes, so the raw path is parsed here, with Synapse's
// answers: a path that stops short or names an unknown part is 400 M_UNRECOGNIZED.
import { unrecognized } from '@homeserver/http';

/** The part of the request path after `/pushrules`, split on `/` and percent-decoded; undefined when nothing follows (`/pushrules`). */
export function pushRulesPathParts(url: string): string[] | undefined {
  const path = url.split('?')[0] ?? url;
  const at = path.indexOf('/pushrules');
  const rest = path.slice(at + '/pushrules'.length);
  if (!rest.startsWith('/')) return undefined;
  return rest
    .slice(1)
    .split('/')
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        throw unrecognized(`push rules path part ${JSON.stringify(part)} is not valid percent-encoding`, 400);
      }
    });
}

export interface RuleSpec {
  readonly scope: string;
  readonly kind: string;
  readonly ruleId: string;
  /** `enabled` or `actions` when addressed; undefined for the rule itself. */
  readonly attr: string | undefined;
}

/** The rule a PUT or DELETE addresses: scope, kind and a non-empty rule ID are required. */
export function ruleSpecOf(parts: readonly string[]): RuleSpec {
  const [scope, kind, ruleId, attr] = parts;
  if (scope === undefined || scope === '') throw unrecognized('push rules path names no scope: expected /pushrules/global/{kind}/{ruleId}', 400);
  if (scope !== 'global') throw unrecognized(`push rule scope ${JSON.stringify(scope)} is unknown: only "global" exists`, 400);
  if (kind === undefined || kind === '') throw unrecognized('push rules path names no kind: expected /pushrules/global/{kind}/{ruleId}', 400);
  if (ruleId === undefined || ruleId === '') throw unrecognized('push rules path names no rule ID: expected /pushrules/global/{kind}/{ruleId}', 400);
  if (parts.length > 4) throw unrecognized(`push rules path has ${parts.length - 4} part(s) too many after the rule ID`, 400);
  return { scope, kind, ruleId, attr: attr === '' ? undefined : attr };
}

/** What a GET path asks for, as Synapse reads it (a missing trailing slash is an error). */
export type RulesQuery =
  | { readonly what: 'all' }
  | { readonly what: 'scope' }
  | { readonly what: 'kind'; readonly kind: string }
  | { readonly what: 'rule'; readonly kind: string; readonly ruleId: string; readonly attr: string | undefined };

export function rulesQueryOf(parts: readonly string[]): RulesQuery {
  const trailing = 'push rules paths end with "/" where they stop short of a rule';
  const [scope, kind, ruleId, attr] = parts;
  if (scope === '' && parts.length === 1) return { what: 'all' };
  if (scope !== 'global') throw unrecognized(`push rule scope ${JSON.stringify(scope)} is unknown: only "global" exists`, 400);
  if (kind === undefined) throw unrecognized(trailing, 400);
  if (kind === '' && parts.length === 2) return { what: 'scope' };
  if (ruleId === undefined) throw unrecognized(trailing, 400);
  if (ruleId === '' && parts.length === 3) return { what: 'kind', kind };
  if (ruleId === '' || parts.length > 4) throw unrecognized('push rules path is malformed: expected /pushrules/global/{kind}/{ruleId}[/{attr}]', 400);
  return { what: 'rule', kind, ruleId, attr: attr === undefined || attr === '' ? undefined : attr };
}
