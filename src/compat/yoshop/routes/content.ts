import { ok, paginator } from '../mapping.ts';
import { bad, int, PAGE_SIZE, pageOf, reqInt } from '../params.ts';
import type { OpenRoutes } from '../route-table.ts';

/**
 * The pages ordo has no content for: articles (pages/article), the help centre (pages/help) and the region list.
 * ordo is an order-and-payment engine and keeps no articles, help texts or region table, so the lists answer empty in
 * their shapes (the pages show their 暂无 state) and an article id is not found. The address form's region picker
 * uses the client's own bundled region data, which ordo stores as the names it is given.
 */
export const contentRoutes: OpenRoutes = {
  'article.category/list': async () => ok({ list: [] }),
  'article/list': async ({ p }) => {
    int(p, 'categoryId', { optional: true, min: 0 });
    const page = pageOf(p);
    return ok({ list: paginator([], page, PAGE_SIZE, 0) });
  },
  'article/detail': async ({ p }) => {
    reqInt(p, 'articleId');
    throw bad('很抱歉，文章不存在');
  },
  'help/list': async ({ p }) => ok({ list: paginator([], pageOf(p), PAGE_SIZE, 0) }),
  'region/all': async () => ok({ list: [] }),
  'region/tree': async () => ok({ list: [] }),
};
