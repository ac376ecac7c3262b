import type { MemberUpload } from '../../members/member-uploads.ts';
import { absoluteImage, yoshopTime, type MappingEnv } from './mapping.ts';

/** YoShop's file type of a picture (10 图片). */
const FILE_TYPE_IMAGE = 10;

/**
 * upload/image's `fileInfo`: the pages keep `file_id` and send it back when the picture is used (a review's
 * `uploaded`, a refund's `images`, the profile's `avatarId`). ordo's file id is the picture's public path, so
 * anything that stores picture URLs (refund requests, reviews) takes it as it is.
 */
export function toFileInfo(upload: MemberUpload, fileName: string, at: Date, env: MappingEnv) {
  const url = absoluteImage(upload.path, env.publicUrl);
  return {
    file_id: upload.path,
    file_type: FILE_TYPE_IMAGE,
    file_name: fileName,
    file_path: upload.path,
    file_size: upload.byteSize,
    file_ext: upload.publicName.split('.')[1] ?? '',
    preview_url: url,
    external_url: url,
    create_time: yoshopTime(at, env.timeZone),
  };
}

/** The public name inside a file id the pages send back (`/media/uploads/<name>`, absolute or not), or null. */
export function uploadNameOf(fileId: unknown): string | null {
  if (typeof fileId !== 'string') return null;
  const match = /\/media\/uploads\/([a-f0-9]{32}\.(?:png|jpg|webp))$/.exec(fileId);
  return match ? match[1]! : null;
}
