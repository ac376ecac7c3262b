import { answerPictureCaptcha, issuePictureCaptcha, type PictureCaptcha } from '../auth/captchas.ts';
import type { AppContext } from '../context.ts';

/**
 * The picture captcha as the sign-in pages use it: drawn for a key the page chose, then answered once. The two
 * verbs on the running context, so a dialect asks for a picture or checks an answer without holding the database.
 */
export function drawPictureCaptcha(ctx: AppContext, scope: string, key: string): Promise<PictureCaptcha> {
  return issuePictureCaptcha(ctx.db, scope, key, ctx.clock.now());
}

/** True when `answer` is the picture's text; the picture is used up either way. */
export function checkPictureCaptcha(ctx: AppContext, scope: string, key: string, answer: string): Promise<boolean> {
  return answerPictureCaptcha(ctx.db, scope, key, answer, ctx.clock.now());
}
