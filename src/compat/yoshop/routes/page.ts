import { renderStorePage } from '../../../flows/store-home-page.ts';
import { storeOf } from '../lookups.ts';
import { toYoshopPage } from '../page-mapping.ts';
import { ok } from '../mapping.ts';
import { bad, int } from '../params.ts';
import type { OpenRoutes } from '../route-table.ts';

/** The DIY home page (首页): the store's page layout, drawn with the catalog of now. */
export const pageRoutes: OpenRoutes = {
  'page/detail': async ({ ctx, env, p, storeId, member }) => {
    // the client asks for pageId 0, the home page; ordo keeps one page per store
    if (int(p, 'pageId', { optional: true, min: 0 })) throw bad('很抱歉，未找到该页面');
    const store = await storeOf(ctx, storeId, member);
    return ok({ pageData: toYoshopPage(await renderStorePage(ctx, store.merchantId, store.id), env) });
  },
};
