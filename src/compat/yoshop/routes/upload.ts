import type { MultipartFile } from '@fastify/multipart';
import { MAX_UPLOAD_BYTES, saveMemberUpload } from '../../../members/member-uploads.ts';
import { ok } from '../mapping.ts';
import { bad } from '../params.ts';
import { refusedAs } from '../refusals.ts';
import type { MemberRoutes } from '../route-table.ts';
import { toFileInfo } from '../upload-mapping.ts';

const isFile = (part: unknown): part is MultipartFile =>
  typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'file';

/**
 * The picture upload of the review, refund and profile pages: one picture per request as multipart field `file`
 * (older clients name it `iFile`), kept as the member's upload; the page sends its `file_id` back when it uses it.
 */
export const uploadRoutes: MemberRoutes = {
  'upload/image': async ({ ctx, env, member, p, request }) => {
    if (!request.isMultipart()) throw bad('文件上传失败：请以 multipart/form-data 上传图片');
    const part = [p.file, p.iFile].flat().find(isFile);
    if (!part) throw bad('文件上传失败：请选择要上传的图片');
    const data = await part.toBuffer();
    if (part.file.truncated || data.length > MAX_UPLOAD_BYTES)
      throw bad(`文件上传失败：图片大小不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024}M`);
    if (data.length === 0) throw bad('文件上传失败：图片是空的');
    const upload = await saveMemberUpload(ctx, member, data).catch(
      refusedAs('validation_failed', '文件上传失败：只能上传 PNG、JPEG 或 WebP 格式的图片'),
    );
    return ok({ fileInfo: toFileInfo(upload, part.filename, ctx.clock.now(), env) }, '文件上传成功');
  },
};
