import { bindMemberMobile } from '../../../members/bind-mobile.ts';
import { memberUploadPaths } from '../../../members/member-uploads.ts';
import { updateMemberProfile } from '../../../members/member-profile.ts';
import { ok } from '../mapping.ts';
import { bad, obj, reqStr } from '../params.ts';
import { refusedAs } from '../refusals.ts';
import type { MemberRoutes } from '../route-table.ts';
import { uploadNameOf } from '../upload-mapping.ts';

/** The avatar the profile form names: a picture the member uploaded (its file id), or none to keep the current one. */
async function avatarOf(ctx: Parameters<typeof memberUploadPaths>[0], memberId: number, avatarId: unknown) {
  if (avatarId === undefined || avatarId === null || avatarId === '' || avatarId === 0 || avatarId === '0')
    return undefined;
  const name = uploadNameOf(avatarId);
  if (!name) throw bad('头像图片不存在，请重新上传');
  const [path] = await memberUploadPaths(ctx, memberId, [name]).catch(
    refusedAs('not_found', '头像图片不存在，请重新上传'),
  );
  return path;
}

/** The profile page (pages/user/personal: avatar and nickname) and the mobile binding page (pages/user/bind). */
export const userProfileRoutes: MemberRoutes = {
  'user/personal': async ({ ctx, member, p }) => {
    const form = obj(p, 'form')!;
    const nickname = reqStr(form, 'nickName', 100).trim();
    if (!nickname) throw bad('请输入昵称');
    if ([...nickname].length > 30) throw bad('昵称不能超过30个字');
    const avatarUrl = await avatarOf(ctx, member.memberId, form.avatarId);
    await updateMemberProfile(ctx, member.memberId, { nickname, ...(avatarUrl ? { avatarUrl } : {}) });
    return ok([], '恭喜您，信息修改成功');
  },
  'user/bindMobile': async ({ ctx, member, p }) => {
    const form = obj(p, 'form')!;
    const mobile = reqStr(form, 'mobile', 20).trim();
    const code = reqStr(form, 'smsCode', 10).trim();
    if (!/^1\d{10}$/.test(mobile)) throw bad('请输入正确的手机号');
    if (!code) throw bad('请输入短信验证码');
    await bindMemberMobile(ctx, member, { mobile, code })
      .catch(refusedAs('bad_sms_code', '短信验证码不正确'))
      .catch(refusedAs('conflict', '该手机号已被其他用户绑定'));
    return ok([], '恭喜您，手机号绑定成功');
  },
};
