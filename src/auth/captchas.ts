import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import svgCaptcha from 'svg-captcha';

// The library draws a text it is given by calling its module itself, which its typings leave out; the text comes
// from node:crypto here rather than from the library's Math.random.
const drawText = svgCaptcha as unknown as (text: string, options: Parameters<typeof svgCaptcha.create>[0]) => string;
import type { Db } from '../db/connect.ts';

/**
 * Picture captchas and one-time codes (an SMS code is one): the answer is kept server-side as a hash, keyed by
 * the client's scope and a key, and taken by the one statement that checks it, so it answers once — right or
 * wrong, a picture is used up — and two requests racing with the same key cannot both pass.
 */

/** Letters and digits that cannot be told apart in a picture (0/O, 1/l/I, …) are left out. */
const PICTURE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
const PICTURE_LENGTH = 4;
export const PICTURE_TTL_SECONDS = 300;
export const SMS_CODE_TTL_SECONDS = 300;
/** wrong codes a one-time code survives before it is dead (a picture dies at the first answer) */
const CODE_TRIES = 5;

export interface PictureCaptcha {
  key: string;
  /** an SVG picture of the answer */
  svg: string;
  expiresAt: Date;
}

/** How an answer is stored: keyed by scope and key, so a hash from one row is no answer to another. */
export const answerHash = (scope: string, key: string, answer: string) =>
  createHash('sha256').update(`${scope}\n${key}\n${answer}`).digest('hex');

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

async function store(db: Db, scope: string, key: string, answer: string, now: Date, ttlSeconds: number) {
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  // Expired rows go as new ones come, so the table holds only what can still be answered.
  await db.deleteFrom('captchas').where('expires_at', '<=', now).execute();
  await db
    .insertInto('captchas')
    .values({ scope, key, answer_hash: answerHash(scope, key, answer), created_at: now, expires_at: expiresAt })
    .onConflict((oc) =>
      oc.columns(['scope', 'key']).doUpdateSet({
        answer_hash: (eb) => eb.ref('excluded.answer_hash'),
        failed_tries: 0,
        created_at: now,
        expires_at: expiresAt,
      }),
    )
    .execute();
  return expiresAt;
}

/**
 * A new picture for `key` in `scope` (a key asked for again gets a new picture and answer). Answers are compared
 * without regard to case, as people type what they see.
 */
export async function issuePictureCaptcha(db: Db, scope: string, key: string, now: Date): Promise<PictureCaptcha> {
  const text = Array.from({ length: PICTURE_LENGTH }, () => PICTURE_CHARS[randomInt(PICTURE_CHARS.length)]).join('');
  const svg = drawText(text, { width: 120, height: 40, fontSize: 44, noise: 2, color: true, background: '#f3f5f8' });
  const expiresAt = await store(db, scope, key, text.toLowerCase(), now, PICTURE_TTL_SECONDS);
  return { key, svg, expiresAt };
}

/** Whether `answer` is the picture's; the picture is used up either way. */
export async function answerPictureCaptcha(
  db: Db,
  scope: string,
  key: string,
  answer: string,
  now: Date,
): Promise<boolean> {
  const taken = await db
    .deleteFrom('captchas')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .returning(['answer_hash', 'expires_at'])
    .executeTakeFirst();
  if (!taken || taken.expires_at <= now) return false;
  return sameHash(taken.answer_hash, answerHash(scope, key, answer.trim().toLowerCase()));
}

/** A new six-digit one-time code for `key` (e.g. a mobile number) in `scope`, replacing any earlier one. */
export async function issueOneTimeCode(db: Db, scope: string, key: string, now: Date): Promise<string> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await store(db, scope, key, code, now, SMS_CODE_TTL_SECONDS);
  return code;
}

/**
 * Whether `code` is the live one-time code for `key`: a right code is taken (single use); a wrong one counts, and
 * the code dies after CODE_TRIES wrong ones, so guessing six digits stops paying off.
 */
export async function answerOneTimeCode(db: Db, scope: string, key: string, code: string, now: Date): Promise<boolean> {
  const taken = await db
    .deleteFrom('captchas')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('answer_hash', '=', answerHash(scope, key, code.trim()))
    .where('expires_at', '>', now)
    .where('failed_tries', '<', CODE_TRIES)
    .returning('key')
    .executeTakeFirst();
  if (taken) return true;
  await db
    .updateTable('captchas')
    .set({ failed_tries: sql`failed_tries + 1` })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
  return false;
}

/** Where a member's sign-in SMS codes live: one merchant's shoppers apart from another's. */
export const memberSignInCodeScope = (merchantId: number) => `member-sign-in:${merchantId}`;
