import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_NAMES, BUILT_IN_PACKAGE, bundleApp, isBundleFresh, WORKSPACE_ROOT } from './bundle-apps.ts';

// Built away from apps/<app>/dist, which the int tests of other projects run meanwhile.
const outDir = join(mkdtempSync(join(tmpdir(), 'hs-bundle-')), 'dist');
afterAll(() => rmSync(join(outDir, '..'), { recursive: true, force: true }));

const importsOf = (code: string) => [...code.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"|\bimport\("([^"]+)"\)/gm)].map((m) => m[1] ?? m[2]!);

describe('the apps bundle', () => {
  it('bundles every app there is: each worker_app has its entry, and no app folder is left out', () => {
    expect(APP_NAMES.filter((app) => !existsSync(join(WORKSPACE_ROOT, 'apps', app, 'src', 'main.ts')))).toEqual([]);
    const folders = readdirSync(join(WORKSPACE_ROOT, 'apps')).filter((name) => existsSync(join(WORKSPACE_ROOT, 'apps', name, 'src', 'main.ts')));
    expect(folders.sort()).toEqual([...APP_NAMES].sort());
  });

  it('bundles the workspace modules and imports each package from the copy its importer resolves to', async () => {
    await bundleApp('event-persister', outDir);
    const chunks = readdirSync(outDir).filter((f) => f.endsWith('.js'));
    expect(chunks).toContain('main.js');
    const code = chunks.map((f) => readFileSync(join(outDir, f), 'utf8')).join('\n');
    const imports = [...new Set(chunks.flatMap((f) => importsOf(readFileSync(join(outDir, f), 'utf8'))))];
    // Nothing left to resolve by package name at run time: builtins, chunks, or files of node_modules;
    // but the optional package the built-in Redis client imports for a feature not used here.
    expect(imports.filter((i) => !i.startsWith('node:') && !i.startsWith('./') && !i.includes('/node_modules/'))).toEqual(['@node-rs/xxhash']);
    // The Redis client is built in, as one chunk of its own, which only the Redis adapter imports.
    expect(imports.some((i) => i.includes('/node_modules/@redis/'))).toBe(false);
    const redisChunk = chunks.filter((f) => f.startsWith(`${BUILT_IN_PACKAGE.chunk}-`));
    expect(redisChunk).toHaveLength(1);
    // Its importers: the Redis adapter, or rolldown's wrapper of the package's CommonJS entry (`dist`), which the adapter imports.
    const importersOfRedis = chunks.filter((f) => f !== redisChunk[0] && readFileSync(join(outDir, f), 'utf8').includes(redisChunk[0]!));
    expect(importersOfRedis.length).toBeGreaterThan(0);
    expect(importersOfRedis.filter((f) => !/^(redis-transport|dist)-/.test(f))).toEqual([]);
    expect(imports.some((i) => i.includes('/node_modules/@homeserver/'))).toBe(false);
    // libs/config has yaml 2 of its own while the root holds yaml 1 (another package's).
    expect(code).toContain('libs/config/node_modules/yaml/');
    // A module locates what sits beside its source (the migrations) as when the sources run.
    expect(code).toMatch(/new URL\("\.\.\/migrations\/", new URL\("[^"]*\/libs\/storage\/src\/migrations\.ts", import\.meta\.url\)\.href\)/);
    // V8 holds each chunk's text one byte a character only while all of it is Latin-1: the
    // sources' non-ASCII characters (in doc comments and messages) are not carried over as such.
    expect([...code].filter((c) => c.charCodeAt(0) > 0x7f)).toEqual([]);
    // (A line that opens a doc comment: the built-in Redis client's package.json holds '**/' globs in strings.)
    expect(code).not.toMatch(/^\s*\/\*\*/m);
  });

  it('runs: a bundled app refuses a bad config with its usual message', () => {
    const config = join(outDir, '..', 'bad.yaml');
    writeFileSync(config, 'server_name: [not, a, name]\n');
    const run = spawnSync(process.execPath, [join(outDir, 'main.js'), '-c', config], { encoding: 'utf8', cwd: WORKSPACE_ROOT, timeout: 60_000 });
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('server_name');
  });

  it('is fresh until an input changes', () => {
    expect(isBundleFresh(outDir)).toBe(true);
    const file = join(outDir, 'bundle-inputs.json');
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as { inputs: Record<string, number> };
    expect(Object.keys(recorded.inputs)).toEqual(expect.arrayContaining(['apps/event-persister/src/main.ts', 'libs/storage/src/migrations.ts', 'package-lock.json']));
    recorded.inputs['libs/storage/src/migrations.ts'] = 1;
    writeFileSync(file, JSON.stringify(recorded));
    expect(isBundleFresh(outDir)).toBe(false);
    recorded.inputs['libs/storage/src/not-there.ts'] = 1;
    writeFileSync(file, JSON.stringify(recorded));
    expect(isBundleFresh(outDir)).toBe(false);
  });
});
