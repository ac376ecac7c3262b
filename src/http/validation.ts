import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Bodies are JSON and must match their schema exactly: no type coercion ("5" is not a quantity) and no silent
 * dropping of unknown fields. Query strings and path parameters are text by nature, so those are coerced.
 */
export function installValidators(app: FastifyInstance): void {
  const strict = new Ajv.default({
    coerceTypes: false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  const lenient = new Ajv.default({
    coerceTypes: 'array',
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  addFormats.default(strict);
  addFormats.default(lenient);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : lenient).compile(schema));

  // A request that carries no body at all is read as `{}`: routes whose fields are all optional accept it
  // (`POST /v1/orders/:no/cancel`), the others answer with the field that is missing. A body that says `null`
  // is a body, and fails validation like any other non-object.
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.schema?.body && request.body == null && !carriesBody(request.headers)) request.body = {};
  });
}

function carriesBody(headers: Record<string, string | string[] | undefined>): boolean {
  return (
    headers['transfer-encoding'] !== undefined ||
    (headers['content-length'] !== undefined && headers['content-length'] !== '0')
  );
}
