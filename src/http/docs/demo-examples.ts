import { DEMO } from '../../demo/seed-demo.ts';

/**
 * Examples in the API document come from the demo shop (`npm start` seeds it), so a request tried from /docs works
 * against a fresh ordo as shown: the Xiaomi 14 is product 10001, WELCOME10 is a coupon, `demo` / `demo123` sign in.
 * A field gets the example of its name when it has none of its own and the example fits its type.
 */
const EXAMPLES: Record<string, unknown> = {
  merchantId: DEMO.merchantId,
  storeId: DEMO.storeId,
  productId: 10001,
  categoryId: 100012,
  memberId: 10001,
  quantity: 1,
  couponCode: 'WELCOME10',
  orderNo: '2026120400000001',
  refundNo: 'R2026120400000001001',
  username: DEMO.member.username,
  password: DEMO.member.password,
  mobile: DEMO.member.mobile,
  client: 'H5',
  method: 'balance',
  carrier: '顺丰速运',
  trackingNumbers: ['SF1234567890'],
  reason: '不想要了',
  buyerRemark: '请尽快发货',
  remark: '已电话确认',
  receiverName: '张三',
  province: '广东省',
  city: '深圳市',
  district: '龙岗区',
  address: '深圳北站站前广场 1 号',
  title: 'Xiaomi 14 12GB+256GB 黑色',
  price: 399900,
  listPrice: 429900,
  payableAmount: 399900,
  goodsAmount: 399900,
  amount: 399900,
  stock: 200,
  nickname: '演示用户',
  limit: 20,
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fits(schema: Json, example: unknown): boolean {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const wanted = Array.isArray(example)
    ? 'array'
    : typeof example === 'number'
      ? Number.isInteger(example)
        ? ['integer', 'number']
        : ['number']
      : typeof example;
  if (!([] as string[]).concat(wanted).some((type) => types.includes(type))) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(example)) return false;
  return typeof example !== 'string' || typeof schema.pattern !== 'string' || new RegExp(schema.pattern).test(example);
}

/** Adds demo examples to the properties of a schema and of every schema inside it. */
function exampleSchema(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(exampleSchema);
  if (!isObject(schema)) return;
  if (isObject(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      if (
        isObject(property) &&
        Object.hasOwn(EXAMPLES, name) &&
        property.examples === undefined &&
        property.example === undefined &&
        fits(property, EXAMPLES[name])
      ) {
        property.examples = [EXAMPLES[name]];
      }
    }
  }
  for (const [key, value] of Object.entries(schema))
    if (key !== 'examples' && key !== 'enum' && key !== 'default') exampleSchema(value);
}

/** The OpenAPI document with demo examples on parameters, bodies and answers (it is changed in place). */
export function withDemoExamples<T extends { paths?: Record<string, unknown> }>(document: T): T {
  for (const methods of Object.values(document.paths ?? {})) {
    if (!isObject(methods)) continue;
    for (const operation of Object.values(methods)) {
      if (!isObject(operation)) continue;
      for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
        if (
          isObject(parameter) &&
          isObject(parameter.schema) &&
          Object.hasOwn(EXAMPLES, String(parameter.name)) &&
          parameter.example === undefined &&
          fits(parameter.schema, EXAMPLES[String(parameter.name)])
        ) {
          parameter.example = EXAMPLES[String(parameter.name)];
        }
      }
      exampleSchema(operation.requestBody);
      exampleSchema(operation.responses);
    }
  }
  return document;
}
