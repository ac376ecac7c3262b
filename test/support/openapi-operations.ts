import type { Schema } from './schema-samples.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
export const BODYLESS = new Set(['GET', 'HEAD', 'TRACE']);

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}
export interface Operation {
  method: string;
  path: string;
  label: string;
  params: Param[];
  bodySchema: Schema | null;
  secured: boolean;
  /** the signed merchant API: requests are signed with an app secret instead of carrying a token */
  signed: boolean;
}

/** The operations of an OpenAPI document (the app's own `GET /openapi.json`): the route table tests walk. */
export const operationsOf = (openapi: any): Operation[] =>
  Object.entries(openapi?.paths ?? {}).flatMap(([path, item]: [string, any]) =>
    METHODS.filter((m) => item[m]).map((m) => {
      const op = item[m];
      const params: Param[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: any) => ({
        name: p.name,
        in: p.in,
        required: !!p.required,
        schema: p.schema ?? {},
      }));
      const bodySchema = op.requestBody?.content?.['application/json']?.schema ?? null;
      const security: Record<string, unknown>[] = op.security ?? openapi.security ?? [];
      const secured = security.length > 0;
      const signed = security.some((s) => 'signed' in s);
      return {
        method: m.toUpperCase(),
        path,
        label: `${m.toUpperCase()} ${path}`,
        params,
        bodySchema,
        secured,
        signed,
      };
    }),
  );

export const paramsIn = (op: Operation, where: Param['in']) => op.params.filter((p) => p.in === where);
export const objectSchema = (params: Param[]): Schema => ({
  type: 'object',
  properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
  required: params.filter((p) => p.required).map((p) => p.name),
});
