// Fastify's schema compilers, loaded by the first route that has a schema. Fastify otherwise
// requires Ajv and fast-json-stringify (~300 modules, ~1 MiB of source kept resident) when the
// server is built, also in a process whose listeners only serve /health and /metrics (a pusher,
// an event persister). The builders are Fastify's own defaults, taken from Fastify's own
// dependencies, called with the same arguments: validation and serialisation are unchanged.
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type Builder = (externalSchemas: unknown, options: unknown) => unknown;

const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

/** Fastify's default builder from `module`, required by its first call. */
function lazyBuilder(module: string): Builder {
  let builder: Builder | undefined;
  return (externalSchemas, options) => {
    builder ??= (fromFastify(module) as () => Builder)();
    return builder(externalSchemas, options);
  };
}

/** The `schemaController.compilersFactory` option: Fastify's default compilers, loaded on first use. */
export function lazySchemaCompilers(): CompilersFactory {
  return { buildValidator: lazyBuilder('@fastify/ajv-compiler'), buildSerializer: lazyBuilder('@fastify/fast-json-stringify-compiler') } as CompilersFactory;
}
