import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { sniffImageType } from '../domain/image-type.ts';
import { AppError } from '../errors.ts';

/** A member's picture may be up to 2 MiB: what the shop clients allow before they send it. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

const EXTENSIONS = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;
const PUBLIC_NAME = /^([a-f0-9]{32})\.(png|jpg|webp)$/;

/** Where an upload is served: a path under the public URL, named by the upload's random key. */
export const uploadPath = (publicName: string) => `/media/uploads/${publicName}`;

export interface MemberUpload {
  /** the name it is served under (`<key>.<ext>`), also how the member names it when using it */
  publicName: string;
  path: string;
  contentType: string;
  byteSize: number;
}

/**
 * Keeps a picture a member uploads before using it (in a review, a refund request, as an avatar). Only PNG, JPEG
 * and WebP by their bytes, 1 byte to 2 MiB; anything else is refused with nothing kept.
 */
export async function saveMemberUpload(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  data: Buffer,
): Promise<MemberUpload> {
  if (data.length === 0 || data.length > MAX_UPLOAD_BYTES)
    throw new AppError('validation_failed', `a picture is 1 byte to ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`, {
      byteSize: data.length,
    });
  const type = sniffImageType(data);
  if (!type) throw new AppError('validation_failed', 'the file is not a PNG, JPEG or WebP picture');
  const publicName = `${randomBytes(16).toString('hex')}.${EXTENSIONS[type]}`;
  await ctx.db
    .insertInto('member_uploads')
    .values({
      merchant_id: member.merchantId,
      member_id: member.memberId,
      public_key: publicName,
      content_type: type,
      byte_size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      data,
      created_at: ctx.clock.now(),
    })
    .execute();
  return { publicName, path: uploadPath(publicName), contentType: type, byteSize: data.length };
}

/** The picture served under this public name, or null. */
export async function memberUploadByName(
  ctx: AppContext,
  publicName: string,
): Promise<{ contentType: string; data: Buffer } | null> {
  if (!PUBLIC_NAME.test(publicName)) return null;
  const row = await ctx.db
    .selectFrom('member_uploads')
    .select(['content_type', 'data'])
    .where('public_key', '=', publicName)
    .executeTakeFirst();
  return row ? { contentType: row.content_type, data: row.data } : null;
}

/**
 * The paths of the member's own uploads by public name, in the order asked; a name that is not one of theirs is
 * `not_found`, so a member cannot attach another's picture.
 */
export async function memberUploadPaths(
  ctx: AppContext,
  memberId: number,
  publicNames: readonly string[],
): Promise<string[]> {
  if (publicNames.length === 0) return [];
  const found = publicNames.every((n) => PUBLIC_NAME.test(n))
    ? await ctx.db
        .selectFrom('member_uploads')
        .select('public_key')
        .where('member_id', '=', memberId)
        .where('public_key', 'in', [...publicNames])
        .execute()
    : [];
  const mine = new Set(found.map((r) => r.public_key));
  const missing = publicNames.filter((n) => !mine.has(n));
  if (missing.length) throw new AppError('not_found', 'upload not found', { uploads: missing });
  return publicNames.map(uploadPath);
}
