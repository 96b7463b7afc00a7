// Preloaded into an app process (`node --import <this file>`) by loaded-packages.ts: writes the
// URL of every module the process loads, ESM or CommonJS, one a line, to LOADED_MODULES_FILE.
// The file is emptied first, so when an app replaces itself (execve, same environment and
// flags) it lists what the replacement, the process that serves, loaded.
import { appendFileSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.LOADED_MODULES_FILE;
if (file !== undefined) {
  writeFileSync(file, '');
  registerHooks({
    load(url, context, nextLoad) {
      appendFileSync(file, `${url}\n`);
      return nextLoad(url, context);
    },
  });
}
