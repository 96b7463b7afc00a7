import { describe, expect, it } from 'vitest';
import { renderHaproxy } from './render-haproxy.ts';
import { renderNginx } from './render-nginx.ts';
import { buildRoutingPlan } from './routing-plan.ts';
import { workerDeployment } from './testing/deployments.ts';

const plan = buildRoutingPlan(workerDeployment());

function block(text: string, opening: string): string {
  const start = text.indexOf(opening);
  expect(start, `missing ${opening}`).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('}', start) + 1);
}

describe('renderNginx', () => {
  const conf = renderNginx(plan, { listen: '127.0.0.1:8080' });

  it('has one upstream block per upstream with its servers, hashed where the family asks', () => {
    expect(block(conf, 'upstream main {')).toContain('server 127.0.0.1:8008;');
    const sync = block(conf, 'upstream sync_by_access_token {');
    expect(sync).toContain('hash $hs_access_token_key consistent;');
    expect(sync).toContain('server 127.0.0.1:8083;');
    expect(sync).toContain('server 127.0.0.1:8084;');
    expect(block(conf, 'upstream sync {')).not.toContain('hash ');
    expect(block(conf, 'upstream federation_reader_by_origin {')).toContain('hash $hs_origin_key consistent;');
    expect(block(conf, 'upstream media {')).toContain('server 127.0.0.1:8087;');
  });

  it('has a location per routed family, in table order, and main as the fallback', () => {
    const locations = [...conf.matchAll(/location ~ '([^']+)' \{[^\n]*\n\s+proxy_pass http:\/\/(\w+);/g)].map((m) => [m[1], m[2]]);
    expect(locations).toEqual(plan.rules.map((r) => [r.pattern, r.upstream]));
    expect(locations).toContainEqual(['^/_matrix/client/(r0|v3)/sync$', 'sync_by_access_token']);
    expect(locations).toContainEqual(['^/_matrix/federation/v1/send/', 'federation_reader_by_origin']);
    expect(block(conf, 'location / {')).toContain('proxy_pass http://main;');
    expect(conf).toContain('listen 127.0.0.1:8080;');
    expect(conf).toContain('server_name example.org;');
  });

  it('maps tokens and origins to hash keys', () => {
    expect(block(conf, 'map $http_authorization $hs_access_token_key {')).toContain("'~^(?i:bearer) +syt_([^_]+)_' $1;");
    expect(block(conf, 'map $http_authorization $hs_origin_key {')).toContain('default $remote_addr;');
  });
});

describe('renderHaproxy', () => {
  const cfg = renderHaproxy(plan, { listen: '8080' });

  it('has an acl and use_backend per routed family, in table order, and main as default_backend', () => {
    const rules = [...cfg.matchAll(/acl (route_\d+) path_reg '([^']+)'\n\s+use_backend (\w+) if \1/g)].map((m) => [m[2], m[3]]);
    expect(rules).toEqual(plan.rules.map((r) => [r.pattern, r.upstream]));
    expect(cfg).toContain('default_backend main');
    expect(cfg).toContain('bind :8080');
  });

  it('has a backend per upstream, hashed on the token or origin variable where asked', () => {
    expect(cfg).toMatch(/backend sync_by_access_token\n\s+balance hash var\(txn\.hs_access_token_key\)\n\s+hash-type consistent\n\s+server sync1 127\.0\.0\.1:8083\n\s+server sync2 127\.0\.0\.1:8084/);
    expect(cfg).toMatch(/backend federation_reader_by_origin\n\s+balance hash var\(txn\.hs_origin_key\)/);
    expect(cfg).toMatch(/backend main\n\s+server main 127\.0\.0\.1:8008/);
    expect(cfg).toMatch(/backend sync\n\s+server sync1/);
  });

  it('reads whole Authorization headers (X-Matrix has commas) for the hash keys', () => {
    expect(cfg).toContain(`http-request set-var(txn.hs_origin_key) req.fhdr(authorization),'regsub("^(?i:x-matrix) +(?:.*,)?origin=\\"?([^\\",]+).*$","\\1")'`);
  });
});
