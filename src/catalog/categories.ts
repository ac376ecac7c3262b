import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';

export interface Category {
  id: number;
  parentId: number | null;
  name: string;
  imageUrl: string;
  sort: number;
}

const toCategory = (r: {
  id: number;
  parent_id: number | null;
  name: string;
  image_url: string;
  sort: number;
}): Category => ({
  id: r.id,
  parentId: r.parent_id,
  name: r.name,
  imageUrl: r.image_url,
  sort: r.sort,
});

export async function listCategories(ctx: AppContext, merchantId: number): Promise<Category[]> {
  const rows = await ctx.db
    .selectFrom('categories')
    .select(['id', 'parent_id', 'name', 'image_url', 'sort'])
    .where('merchant_id', '=', merchantId)
    .orderBy('sort')
    .orderBy('id')
    .execute();
  return rows.map(toCategory);
}

export interface CategoryInput {
  name: string;
  parentId?: number | null;
  imageUrl?: string;
  sort?: number;
}

async function assertParent(ctx: AppContext, merchantId: number, parentId: number | null | undefined) {
  if (parentId == null) return;
  const parent = await ctx.db
    .selectFrom('categories')
    .select('id')
    .where('id', '=', parentId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!parent) throw new AppError('validation_failed', 'the parent category does not exist', { parentId });
}

export async function createCategory(ctx: AppContext, merchantId: number, input: CategoryInput): Promise<Category> {
  await assertParent(ctx, merchantId, input.parentId);
  const row = await ctx.db
    .insertInto('categories')
    .values({
      merchant_id: merchantId,
      name: input.name,
      parent_id: input.parentId ?? null,
      image_url: input.imageUrl,
      sort: input.sort,
    })
    .returning(['id', 'parent_id', 'name', 'image_url', 'sort'])
    .executeTakeFirstOrThrow();
  return toCategory(row);
}

export async function updateCategory(
  ctx: AppContext,
  merchantId: number,
  id: number,
  input: Partial<CategoryInput>,
): Promise<Category> {
  await assertParent(ctx, merchantId, input.parentId);
  if (input.parentId === id) throw new AppError('validation_failed', 'a category cannot be its own parent');
  const row = await ctx.db
    .updateTable('categories')
    .set({ name: input.name, parent_id: input.parentId, image_url: input.imageUrl, sort: input.sort })
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .returning(['id', 'parent_id', 'name', 'image_url', 'sort'])
    .executeTakeFirst();
  if (!row) throw notFound('category', { id });
  return toCategory(row);
}
