import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { ProductRow } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import {
  checkSpecs,
  insertProductSpecs,
  loadProductSpecs,
  specsOfOptions,
  type OptionsInput,
  type ProductSpecs,
  type Sku,
  type SpecGroup,
  type SpecsInput,
} from './specs.ts';

/** A spec value as clients that know options read it: its group's name, its add-on and the stock of its SKUs. */
export interface ProductOption {
  id: number;
  group: string;
  title: string;
  price: number;
  stock: number;
}

export interface Product {
  id: number;
  merchantId: number;
  storeId: number | null;
  categoryId: number | null;
  title: string;
  subtitle: string;
  internalTitle: string;
  articleNo: string;
  coverUrl: string;
  imageUrls: string[];
  detail: string;
  price: number;
  listPrice: number;
  stock: number;
  sold: number;
  onSale: boolean;
  specs: SpecGroup[];
  skus: Sku[];
  options: ProductOption[];
  createdAt: Date;
  updatedAt: Date;
}

const optionsOf = ({ specs, skus }: ProductSpecs): ProductOption[] =>
  specs.flatMap((g) =>
    g.values.map((v) => ({
      id: v.id,
      group: g.name,
      title: v.title,
      price: v.price,
      stock: skus.filter((s) => s.specValueIds.includes(v.id)).reduce((sum, s) => sum + s.stock, 0),
    })),
  );

function toProduct(p: ProductRow, specs: ProductSpecs): Product {
  return {
    id: p.id,
    merchantId: p.merchant_id,
    storeId: p.store_id,
    categoryId: p.category_id,
    title: p.title,
    subtitle: p.subtitle,
    internalTitle: p.internal_title,
    articleNo: p.article_no,
    coverUrl: p.cover_url,
    imageUrls: p.image_urls,
    detail: p.detail,
    price: p.price,
    listPrice: p.list_price,
    stock: p.stock,
    sold: p.sold,
    onSale: p.on_sale,
    specs: specs.specs,
    skus: specs.skus,
    options: optionsOf(specs),
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

export interface ProductQuery {
  categoryId?: number;
  keyword?: string;
  onSaleOnly: boolean;
  page: number;
  pageSize: number;
}

export async function listProducts(
  ctx: AppContext,
  merchantId: number,
  query: ProductQuery,
): Promise<{ items: Product[]; total: number }> {
  let base = ctx.db.selectFrom('products').where('merchant_id', '=', merchantId);
  if (query.categoryId !== undefined) base = base.where('category_id', '=', query.categoryId);
  if (query.onSaleOnly) base = base.where('on_sale', '=', true);
  if (query.keyword) base = base.where('title', 'ilike', `%${escapeLike(query.keyword)}%`);
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const specs = await loadProductSpecs(
    ctx.db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toProduct(r, specs.get(r.id)!)), total: Number(count.n) };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function getProduct(
  ctx: AppContext,
  merchantId: number,
  id: number,
  opts: { onSaleOnly: boolean },
): Promise<Product> {
  const row = await ctx.db
    .selectFrom('products')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!row || (opts.onSaleOnly && !row.on_sale)) throw notFound('product', { id });
  return toProduct(row, (await loadProductSpecs(ctx.db, [id])).get(id)!);
}

export interface ProductInput {
  storeId?: number | null;
  categoryId?: number | null;
  title: string;
  subtitle?: string;
  internalTitle?: string;
  articleNo?: string;
  coverUrl?: string;
  imageUrls?: string[];
  detail?: string;
  price: number;
  listPrice?: number;
  /** the product's own stock, which caps its SKUs together; with specs it defaults to the SKUs' total */
  stock?: number;
  onSale?: boolean;
  /** spec groups × values, with one SKU per combination sold */
  specs?: SpecsInput['specs'];
  skus?: SpecsInput['skus'];
  /** the former shape, taken as specs: one group per group name, a SKU per combination */
  options?: OptionsInput;
}

function specsOfInput(input: ProductInput): SpecsInput {
  if (input.options?.length && (input.specs?.length || input.skus?.length)) {
    throw new AppError('validation_failed', 'give specs and SKUs, or options, not both');
  }
  const specs = input.options?.length
    ? specsOfOptions(input.options)
    : { specs: input.specs ?? [], skus: input.skus ?? [] };
  checkSpecs(specs);
  return specs;
}

async function assertReferences(db: Db, merchantId: number, input: Partial<ProductInput>) {
  if (input.categoryId != null) {
    const c = await db
      .selectFrom('categories')
      .select('id')
      .where('id', '=', input.categoryId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!c) throw new AppError('validation_failed', 'the category does not exist', { categoryId: input.categoryId });
  }
  if (input.storeId != null) {
    const s = await db
      .selectFrom('stores')
      .select('id')
      .where('id', '=', input.storeId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!s) throw new AppError('validation_failed', 'the store does not exist', { storeId: input.storeId });
  }
}

export async function createProduct(ctx: AppContext, merchantId: number, input: ProductInput): Promise<Product> {
  const specs = specsOfInput(input);
  const stock = input.stock ?? (specs.skus.length ? specs.skus.reduce((sum, s) => sum + s.stock, 0) : undefined);
  if (stock === undefined) throw new AppError('validation_failed', 'a product without specs needs its stock');
  const id = await ctx.db.transaction().execute(async (trx) => {
    await assertReferences(trx, merchantId, input);
    const product = await trx
      .insertInto('products')
      .values({
        merchant_id: merchantId,
        store_id: input.storeId ?? null,
        category_id: input.categoryId ?? null,
        title: input.title,
        subtitle: input.subtitle,
        internal_title: input.internalTitle,
        article_no: input.articleNo,
        cover_url: input.coverUrl ?? input.imageUrls?.[0],
        image_urls: JSON.stringify(input.imageUrls ?? []),
        detail: input.detail,
        price: input.price,
        list_price: input.listPrice ?? input.price,
        stock,
        on_sale: input.onSale,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertProductSpecs(
      trx,
      { id: product.id, price: input.price, listPrice: input.listPrice ?? input.price },
      specs,
    );
    return product.id;
  });
  return getProduct(ctx, merchantId, id, { onSaleOnly: false });
}

/** Edits the descriptive fields and prices; stock moves only through adjustStock so every change is a delta. */
export async function updateProduct(
  ctx: AppContext,
  merchantId: number,
  id: number,
  input: Partial<Omit<ProductInput, 'stock' | 'options' | 'specs' | 'skus'>>,
): Promise<Product> {
  await assertReferences(ctx.db, merchantId, input);
  const result = await ctx.db
    .updateTable('products')
    .set({
      store_id: input.storeId,
      category_id: input.categoryId,
      title: input.title,
      subtitle: input.subtitle,
      internal_title: input.internalTitle,
      article_no: input.articleNo,
      cover_url: input.coverUrl,
      image_urls: input.imageUrls ? JSON.stringify(input.imageUrls) : undefined,
      detail: input.detail,
      price: input.price,
      list_price: input.listPrice,
      on_sale: input.onSale,
      updated_at: ctx.clock.now(),
    })
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw notFound('product', { id });
  return getProduct(ctx, merchantId, id, { onSaleOnly: false });
}
