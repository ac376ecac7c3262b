import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';

export interface SpecValue {
  id: number;
  title: string;
  /** the add-on a SKU made of this value is priced with when none is given, and what add-on clients show */
  price: number;
}

export interface SpecGroup {
  id: number;
  name: string;
  values: SpecValue[];
}

export interface Sku {
  id: number;
  /** one value of each spec group, in the groups' order */
  specValueIds: number[];
  code: string;
  imageUrl: string;
  price: number;
  listPrice: number;
  stock: number;
  sold: number;
}

export interface ProductSpecs {
  specs: SpecGroup[];
  skus: Sku[];
}

/** The key a SKU is stored and looked up by: its value ids ascending, comma-separated ('' for none). */
export const specValueKey = (valueIds: readonly number[]) => [...valueIds].sort((a, b) => a - b).join(',');

export const parseSpecValueKey = (key: string): number[] => (key === '' ? [] : key.split(',').map(Number));

/** The spec groups, values and SKUs of some products: three queries for all of them. */
export async function loadProductSpecs(db: Db, productIds: readonly number[]): Promise<Map<number, ProductSpecs>> {
  if (productIds.length === 0) return specsOfRows(productIds, { groups: [], values: [], skus: [] });
  const ids = [...new Set(productIds)];
  const [groups, values, skus] = await Promise.all([
    db
      .selectFrom('product_spec_groups')
      .selectAll()
      .where('product_id', 'in', ids)
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('product_spec_values')
      .selectAll()
      .where('product_id', 'in', ids)
      .orderBy('sort')
      .orderBy('id')
      .execute(),
    db.selectFrom('product_skus').selectAll().where('product_id', 'in', ids).orderBy('sort').orderBy('id').execute(),
  ]);
  return specsOfRows(productIds, { groups, values, skus });
}

/** The rows of the three spec tables, each in its (sort, id) order: as read here or in a caller's own statement. */
export interface SpecRows {
  groups: readonly { id: number; product_id: number; name: string }[];
  values: readonly { id: number; group_id: number; title: string; price: number }[];
  skus: readonly {
    id: number;
    product_id: number;
    value_ids: string;
    code: string;
    image_url: string;
    price: number;
    list_price: number;
    stock: number;
    sold: number;
  }[];
}

/** Each product's spec groups with their values, and its SKUs with their values in the groups' order. */
export function specsOfRows(productIds: readonly number[], { groups, values, skus }: SpecRows) {
  const result = new Map<number, ProductSpecs>(productIds.map((id) => [id, { specs: [], skus: [] }]));
  for (const g of groups) {
    result.get(g.product_id)!.specs.push({
      id: g.id,
      name: g.name,
      values: values.filter((v) => v.group_id === g.id).map((v) => ({ id: v.id, title: v.title, price: v.price })),
    });
  }
  for (const s of skus) {
    const { specs } = result.get(s.product_id)!;
    const chosen = parseSpecValueKey(s.value_ids);
    result.get(s.product_id)!.skus.push({
      id: s.id,
      specValueIds: specs.flatMap((g) => g.values.filter((v) => chosen.includes(v.id)).map((v) => v.id)),
      code: s.code,
      imageUrl: s.image_url,
      price: s.price,
      listPrice: s.list_price,
      stock: s.stock,
      sold: s.sold,
    });
  }
  return result;
}

export interface SpecsInput {
  specs: { name: string; values: { title: string; price?: number }[] }[];
  /** `values`: one value title per spec group, in the groups' order */
  skus: {
    values: string[];
    price?: number;
    listPrice?: number;
    stock: number;
    code?: string;
    imageUrl?: string;
  }[];
}

/** How many spec groups and SKUs a product may have (the admin route's schema says the same). */
export const MAX_SPEC_GROUPS = 3;
export const MAX_SKUS = 200;

/** The former shape: options with a group name, an add-on price and their own stock. */
export type OptionsInput = { group?: string; title: string; price?: number; stock: number }[];

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new AppError('validation_failed', message, details);

/**
 * Options as specs: one group per group name, one value per option, and a SKU for every combination with the
 * stock of its scarcest option (each option's stock was shared by the combinations holding it).
 */
export function specsOfOptions(options: OptionsInput): SpecsInput {
  const names = [...new Set(options.map((o) => o.group ?? ''))];
  const groups = names.map((name) => options.filter((o) => (o.group ?? '') === name));
  // the combinations multiply: checked before they are built, with the limits the specs input has
  const count = groups.reduce((n, g) => n * g.length, 1);
  if (groups.length > MAX_SPEC_GROUPS || count > MAX_SKUS) {
    throw invalid(`options make at most ${MAX_SPEC_GROUPS} groups and ${MAX_SKUS} combinations`, {
      groups: groups.length,
      combinations: count,
    });
  }
  const combos = groups.reduce<OptionsInput[]>((acc, g) => acc.flatMap((c) => g.map((o) => [...c, o])), [[]]);
  return {
    specs: names.map((name, i) => ({ name, values: groups[i]!.map((o) => ({ title: o.title, price: o.price })) })),
    skus: combos.map((combo) => ({ values: combo.map((o) => o.title), stock: Math.min(...combo.map((o) => o.stock)) })),
  };
}

/** Checks specs and SKUs before anything is written: every refusal names what is wrong. */
export function checkSpecs(input: SpecsInput): void {
  const names = input.specs.map((g) => g.name);
  if (new Set(names).size !== names.length) throw invalid('a spec group name is used twice', { specs: names });
  for (const g of input.specs) {
    const titles = g.values.map((v) => v.title);
    if (titles.length === 0) throw invalid('a spec group needs at least one value', { spec: g.name });
    if (new Set(titles).size !== titles.length) throw invalid('a spec value is used twice', { spec: g.name });
  }
  if (input.specs.length > 0 && input.skus.length === 0) throw invalid('specs need at least one SKU');
  if (input.specs.length === 0 && input.skus.length > 0) throw invalid('SKUs need specs');
  const seen = new Set<string>();
  for (const sku of input.skus) {
    if (sku.values.length !== input.specs.length) {
      throw invalid('a SKU names one value of each spec group, in their order', { values: sku.values });
    }
    sku.values.forEach((title, i) => {
      if (!input.specs[i]!.values.some((v) => v.title === title)) {
        throw invalid('a SKU names a value its spec group does not have', { spec: input.specs[i]!.name, value: title });
      }
    });
    const key = JSON.stringify(sku.values);
    if (seen.has(key)) throw invalid('two SKUs name the same values', { values: sku.values });
    seen.add(key);
  }
}

/** Writes a new product's specs and SKUs (checked by checkSpecs); a SKU without a price adds its values' add-ons. */
export async function insertProductSpecs(
  trx: Db,
  product: { id: number; price: number; listPrice: number },
  input: SpecsInput,
): Promise<void> {
  const valueIds = new Map<string, number>();
  for (const [sort, g] of input.specs.entries()) {
    const group = await trx
      .insertInto('product_spec_groups')
      .values({ product_id: product.id, name: g.name, sort })
      .returning('id')
      .executeTakeFirstOrThrow();
    const values = await trx
      .insertInto('product_spec_values')
      .values(
        g.values.map((v, i) => ({
          product_id: product.id,
          group_id: group.id,
          title: v.title,
          price: v.price ?? 0,
          sort: i,
        })),
      )
      .returning(['id', 'title'])
      .execute();
    for (const v of values) valueIds.set(`${sort}:${v.title}`, v.id);
  }
  if (input.skus.length === 0) return;
  await trx
    .insertInto('product_skus')
    .values(
      input.skus.map((sku, sort) => {
        const ids = sku.values.map((title, i) => valueIds.get(`${i}:${title}`)!);
        const addOns = sku.values.reduce(
          (sum, title, i) => sum + (input.specs[i]!.values.find((v) => v.title === title)!.price ?? 0),
          0,
        );
        return {
          product_id: product.id,
          value_ids: specValueKey(ids),
          code: sku.code,
          image_url: sku.imageUrl,
          price: sku.price ?? product.price + addOns,
          // a list price is never below the price a SKU sells at
          list_price: sku.listPrice ?? Math.max(product.listPrice + addOns, sku.price ?? 0),
          stock: sku.stock,
          sort,
        };
      }),
    )
    .execute();
}
