// Command-line parsing shared by every app: Synapse's -c/--config-path, repeatable.

export interface CommandLine {
  readonly configPaths: readonly string[];
  readonly help: boolean;
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  const configPaths: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-c' || arg === '--config-path') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) throw new Error(`${arg} needs a file path after it`);
      configPaths.push(value);
    } else if (arg.startsWith('--config-path=')) {
      configPaths.push(arg.slice('--config-path='.length));
    } else if (arg === '-h' || arg === '--help') {
      help = true;
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}; usage: [-c|--config-path FILE]...`);
    }
  }
  return { configPaths, help };
}
