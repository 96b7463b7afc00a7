// Builds the apps' bundles (apps/<app>/dist/main.js), which is what `npm start`, the tests and
// the images run; see bundle-apps.ts for why.
//
//   node tools/bundle/main.ts [--if-stale] [app ...]     (no app: every app)
import { parseArgs } from 'node:util';
import { APP_NAMES, ensureBundles } from './bundle-apps.ts';

const { values, positionals } = parseArgs({ options: { 'if-stale': { type: 'boolean', default: false } }, allowPositionals: true });
const unknown = positionals.filter((app) => !APP_NAMES.includes(app));
if (unknown.length > 0) {
  process.stderr.write(`bundle: no app named ${unknown.join(', ')} (apps: ${APP_NAMES.join(', ')})\n`);
  process.exit(2);
}
const started = performance.now();
const built = await ensureBundles(positionals.length > 0 ? positionals : APP_NAMES, { force: !values['if-stale'] });
if (built.length > 0) process.stderr.write(`bundle: built ${built.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
