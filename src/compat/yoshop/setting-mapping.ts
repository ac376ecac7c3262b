import { RECHARGE_SETTING } from './recharge-mapping.ts';

/**
 * The store's public settings (`setting/data`, and `store/data`'s `setting`): what the pages read before drawing —
 * the theme, the category page template, the points name, whether the wallet offers recharge, how members register,
 * and the customer-service button (off: ordo has no chat service; the goods page and the user centre hide it).
 */

export const APP_THEME = {
  mainBg: '#fa2209',
  mainBg2: '#ff6335',
  mainText: '#ffffff',
  viceBg: '#ffb100',
  viceBg2: '#ffb900',
  viceText: '#ffffff',
};

export const PUBLIC_SETTING = {
  app_theme: APP_THEME,
  page_category_template: { style: 20, shareTitle: '', enabledCart: true },
  points: { points_name: '积分', describe: '', is_shopping_discount: true },
  recharge: RECHARGE_SETTING,
  register: {
    registerMethod: 10,
    isManualBind: 1,
    isOauthMpweixin: 0,
    isOauthMobileMpweixin: 0,
    isPersonalMpweixin: 0,
  },
  customer: { enabled: 0, provider: '', config: {} },
};
