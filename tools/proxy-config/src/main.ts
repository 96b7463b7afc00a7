// Entry point: `npx node tools/proxy-config/src/main.ts --format nginx -c homeserver.yaml -c sync1.yaml`.
import { runCli } from './cli.ts';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
