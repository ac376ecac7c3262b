import { bad } from '../params.ts';
import type { OpenRoutes } from '../route-table.ts';

const UNSUPPORTED = '暂不支持微信小程序登录，请使用手机号登录';

/**
 * The WeChat mini-program sign-ins (quick sign-in, by the WeChat mobile, and whether to ask for a nickname): ordo
 * has no WeChat mini-program account to exchange codes with, so each says so in YoShop's envelope (status 500 with
 * the message, which the page shows) instead of failing as an unknown route.
 */
export const passportMpRoutes: OpenRoutes = {
  'passport/loginMpWx': async () => {
    throw bad(UNSUPPORTED);
  },
  'passport/loginMpWxMobile': async () => {
    throw bad(UNSUPPORTED);
  },
  'passport/isPersonalMpweixin': async () => {
    throw bad(UNSUPPORTED);
  },
};
