// Entry of the register command (npm run register -- ...; Synapse's register_new_matrix_user).
// Exits 0 on success, 1 on a failed registration, 2 on bad usage.
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { ConfigError } from '@homeserver/config';
import { RegistrationError } from './register-client.ts';
import { USAGE, UsageError, parseRegisterArgs } from './register-args.ts';
import { runRegister, type Terminal } from './register-command.ts';

function terminal(): Terminal {
  let muted = false;
  // Echo is suppressed while a hidden answer is typed (the prompt itself is still written).
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  return {
    interactive: process.stdin.isTTY === true,
    async ask(question, options = {}) {
      process.stdout.write(question);
      muted = options.hidden === true;
      try {
        return await rl.question('');
      } finally {
        if (muted) process.stdout.write('\n');
        muted = false;
      }
    },
    print: (line) => process.stdout.write(`${line}\n`),
    close: () => rl.close(),
  } as Terminal & { close(): void };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseRegisterArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const term = terminal() as Terminal & { close(): void };
  try {
    await runRegister(args, term);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof RegistrationError) {
      process.stderr.write(`ERROR! ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    term.close();
  }
}

process.exitCode = await main();
