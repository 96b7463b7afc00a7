// Fastify's schema compilers, loaded by the first route that has a schema, and each route's
// validator and serialiser built by that route's first request. Fastify otherwise requires Ajv
// and fast-json-stringify (~300 modules, ~1 MiB of source kept resident) when the server is
// built, also in a process whose listeners only serve /health and /metrics (a pusher, an event
// persister), and compiles the schemas of every route at start, generated code kept for good
// even for the many routes a server never sees called. The builders are Fastify's own
// defaults, taken from Fastify's own dependencies, called with the same arguments: validation
// and serialisation are unchanged.
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type Builder = (externalSchemas: unknown, options: unknown) => (route: unknown) => CompiledSchemaFunction;
/** What Ajv and fast-json-stringify give: a function, with `errors` (and `schemaEnv`) for validators. */
type CompiledSchemaFunction = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };

const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

/** A route's validator or serialiser, compiled by its first call. */
function compiledOnFirstCall(compile: () => CompiledSchemaFunction): CompiledSchemaFunction {
  let compiled: CompiledSchemaFunction | undefined;
  const lazy: CompiledSchemaFunction = (data, context) => {
    compiled ??= compile();
    // Ajv mutates a root value (defaults) only when told its parent: Fastify passes the context
    // to a validator with `schemaEnv`, which `lazy` claims to have until it knows.
    const result = compiled.schemaEnv !== undefined && context !== undefined ? compiled(data, context) : compiled(data);
    lazy.errors = compiled.errors;
    return result;
  };
  lazy.schemaEnv = true;
  return lazy;
}

/**
 * Fastify's default builder from `module`, compiling each route's schema lazily. Fastify calls
 * the builder as the first route with a schema is registered; the module is required, and the
 * builder called with what Fastify gave (a copy of the shared schemas), only when a route's
 * first request compiles: Ajv and its formats (~0.7 MB of source, and the meta-schema Ajv
 * compiles when made) are then never loaded in a process no validated request reached.
 */
function lazyBuilder(module: string): Builder {
  let builder: Builder | undefined;
  return (externalSchemas, options) => {
    let compileRoute: ((route: unknown) => CompiledSchemaFunction) | undefined;
    return (route) =>
      compiledOnFirstCall(() => {
        builder ??= (fromFastify(module) as () => Builder)();
        compileRoute ??= builder(externalSchemas, options);
        return compileRoute(route);
      });
  };
}

/** The `schemaController.compilersFactory` option: Fastify's default compilers, loaded on first use. */
export function lazySchemaCompilers(): CompilersFactory {
  return { buildValidator: lazyBuilder('@fastify/ajv-compiler'), buildSerializer: lazyBuilder('@fastify/fast-json-stringify-compiler') } as CompilersFactory;
}
