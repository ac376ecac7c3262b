import { storeOf } from '../lookups.ts';
import { absoluteImage, ok } from '../mapping.ts';
import type { OpenRoutes } from '../route-table.ts';

const APP_THEME = {
  mainBg: '#fa2209',
  mainBg2: '#ff6335',
  mainText: '#ffffff',
  viceBg: '#ffb100',
  viceBg2: '#ffb900',
  viceText: '#ffffff',
};

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
      setting: {
        register: { registerMethod: 10, isManualBind: 1, isOauthMpweixin: 0, isPersonalMpweixin: 0 },
        points: { points_name: '积分', is_shopping_discount: true },
        recharge: { is_entrance: false },
        app_theme: APP_THEME,
        page_category_template: { style: 20, shareTitle: '', enabledCart: true },
        customer: { enabled: 0 },
        trade: { order: { closeHours: 0, receiveDays: 7 } },
      },
      clientData: { h5: { setting: { enabled: true, baseUrl: h5Url } }, mp_weixin: { setting: {} }, platform },
    });
  },
  'setting/data': async () =>
    ok({
      setting: {
        page_category_template: { style: 20, shareTitle: '', enabledCart: true },
        points: { points_name: '积分', describe: '', is_shopping_discount: true },
        recharge: { is_entrance: false },
        register: { registerMethod: 10 },
        app_theme: APP_THEME,
      },
    }),
};
