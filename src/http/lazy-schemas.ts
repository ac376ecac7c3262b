import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/**
 * Route schemas compiled on first use instead of all at start. Fastify compiles every route's validators (Ajv) and
 * response serializers (fast-json-stringify) while it boots — HEAD twins of GET routes included — which was over
 * half of ordo's start; most routes of a running process see only a few of their schemas ever used. A schema is
 * compiled the first time a request needs it, with the same compiler and result as before.
 */

type SerializerRoute = { schema: unknown; method: string; url: string; httpStatus: string; contentType?: string };
type SerializerCompiler = (route: SerializerRoute) => (data: unknown) => string;
type SerializerFactory = (externalSchemas: unknown, options: unknown) => SerializerCompiler;
type Validate = ((data: unknown, dataContext?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type ValidatorCompiler = (route: { schema: unknown; method: string; url: string; httpPart?: string }) => Validate;

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

// Fastify's own default serializer compiler, resolved from fastify itself (the one it would use without this file)
const defaultSerializerFactory = (): SerializerFactory => {
  const selector = createRequire(import.meta.resolve('fastify'))(
    '@fastify/fast-json-stringify-compiler',
  ) as () => SerializerFactory;
  return selector();
};

/** The `schemaController` server option: Fastify's serializer compiler, deferred to each schema's first response. */
export function lazySerializerOption(): NonNullable<FastifyServerOptions['schemaController']> {
  const factory = defaultSerializerFactory();
  const buildSerializer: SerializerFactory = (externalSchemas, options) => {
    const compile = once(() => factory(externalSchemas, options));
    return (route) => {
      const serialize = once(() => compile()(route));
      return (data) => serialize()(data);
    };
  };
  return { compilersFactory: { buildSerializer: buildSerializer as never } };
}

/**
 * Wraps the app's validator compiler (installed by installValidators) so each schema compiles on its first request.
 * Fastify reads `schemaEnv` (to let Ajv coerce or default a whole request part) and `errors` from the function it
 * was given: both come from the compiled validator.
 */
export function deferValidatorCompilation(app: FastifyInstance): void {
  const compileNow = app.validatorCompiler as unknown as ValidatorCompiler;
  const lazyCompiler: ValidatorCompiler = (route) => {
    const compiled = once(() => compileNow(route));
    const validate = ((data: unknown, dataContext?: unknown) => compiled()(data, dataContext)) as Validate;
    Object.defineProperties(validate, {
      errors: { get: () => compiled().errors },
      schemaEnv: { get: () => compiled().schemaEnv },
    });
    return validate;
  };
  app.setValidatorCompiler(lazyCompiler as never);
}
