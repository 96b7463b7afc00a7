// A configuration problem: names the file, the key, the value and what was expected.

export class ConfigError extends Error {
  override name = 'ConfigError';
}
