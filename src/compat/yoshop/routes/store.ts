import { storeOf } from '../lookups.ts';
import { absoluteImage, ok } from '../mapping.ts';
import type { OpenRoutes } from '../route-table.ts';
import { PUBLIC_SETTING } from '../setting-mapping.ts';

/** The store's face and the client's settings: what the client loads before any page. */
export const storeRoutes: OpenRoutes = {
  'store/data': async ({ ctx, env, platform, storeId, member }) => {
    const store = await storeOf(ctx, storeId, member);
    const h5Url = `${ctx.config.publicUrl}${ctx.config.dialectPrefixes.yoshop}/`;
    return ok({
      storeInfo: {
        store_id: store.id,
        store_name: store.name,
        describe: '',
        logo_image_id: 0,
        logoImage: absoluteImage(store.logoUrl, env.publicUrl),
        image_url: absoluteImage(store.logoUrl, env.publicUrl),
      },
      setting: { ...PUBLIC_SETTING, trade: { order: { closeHours: 0, receiveDays: 7 } } },
      clientData: { h5: { setting: { enabled: true, baseUrl: h5Url } }, mp_weixin: { setting: {} }, platform },
    });
  },
  'setting/data': async ({ ctx, storeId, member }) => {
    await storeOf(ctx, storeId, member);
    return ok({ setting: PUBLIC_SETTING });
  },
};
