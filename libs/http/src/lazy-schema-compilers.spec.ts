// Fastify with the lazy compilers: no Ajv is made and no route's schema is compiled when the
// server is built, a route's validator is compiled by its first request and reused, bad input
// is still refused with Ajv's errors, and response schemas still shape replies.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from './lazy-schema-compilers.ts';

/** A server with two validated routes, counting the Ajv instances made and the schemas they compile. */
async function server() {
  const compiled: unknown[] = [];
  const ajvs: unknown[] = [];
  // An Ajv plugin: Fastify gives it each Ajv instance it makes.
  const countCompiles = <A extends { compile: (schema: never) => unknown }>(ajv: A): A => {
    ajvs.push(ajv);
    const compile = ajv.compile.bind(ajv);
    ajv.compile = ((schema: never) => {
      compiled.push(schema);
      return compile(schema);
    }) as A['compile'];
    return ajv;
  };
  const app = Fastify({ ajv: { plugins: [countCompiles] }, schemaController: { compilersFactory: lazySchemaCompilers() } });
  const body = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
  const reply = { 200: { type: 'object', properties: { name: { type: 'string' } } } };
  app.post('/a', { schema: { body, response: reply } }, async (request) => ({ ...(request.body as object), secret: 'not in the schema' }));
  app.post('/b', { schema: { body } }, async () => ({}));
  await app.ready();
  return { app, compiled, ajvs };
}

describe('lazy schema compilers', () => {
  it('compiles a route\'s validator on its first request only, never for a route not called', async () => {
    const { app, compiled, ajvs } = await server();
    expect(ajvs).toHaveLength(0);
    expect(compiled).toHaveLength(0);
    expect((await app.inject({ method: 'POST', url: '/a', payload: { name: 'x' } })).statusCode).toBe(200);
    expect(compiled).toHaveLength(1);
    expect(ajvs).toHaveLength(1);
    await app.inject({ method: 'POST', url: '/a', payload: { name: 'y' } });
    await app.inject({ method: 'POST', url: '/b', payload: { name: 'z' } });
    expect(compiled).toHaveLength(2);
    expect(ajvs).toHaveLength(1);
    await app.close();
  });

  it('refuses bad input with Ajv\'s errors and shapes replies by the response schema', async () => {
    const { app } = await server();
    const bad = await app.inject({ method: 'POST', url: '/a', payload: { name: { not: 'a string' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: 'body/name must be string' });
    const missing = await app.inject({ method: 'POST', url: '/b', payload: {} });
    expect(missing.json()).toMatchObject({ message: "body must have required property 'name'" });
    const good = await app.inject({ method: 'POST', url: '/a', payload: { name: 'x' } });
    expect(good.json()).toEqual({ name: 'x' });
    await app.close();
  });
});
