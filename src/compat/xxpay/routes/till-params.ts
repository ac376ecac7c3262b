import type { StaffPrincipal } from '../../../auth/tokens.ts';
import type { AppContext } from '../../../context.ts';
import type { AppPrincipalInfo } from '../../../merchants/signed-requests.ts';
import { tillActingApp } from '../../../merchants/till-defaults.ts';
import { XXPAY_CODE } from '../mapping.ts';
import { bad, int, present, text, XxpayError, type Params } from '../params.ts';

/** A layui table's `page` (from 1) and `limit`; `limit=-1` asks for every row (the console's drop-downs). */
export function layuiPage(p: Params, defaultLimit = 10): { page: number; limit: number | null } {
  const page = int(p, 'page', 1, 100_000) ?? 1;
  if (text(p, 'limit', { max: 8 }) === '-1') return { page: 1, limit: null };
  return { page, limit: int(p, 'limit', 1, 1000) ?? defaultLimit };
}

/** An optional 0/1 filter the console sends as `status`. */
export function statusFilter(p: Params): boolean | undefined {
  if (!present(p.status)) return undefined;
  const v = text(p, 'status', { max: 2 });
  if (v === '1') return true;
  if (v === '0') return false;
  throw bad('status must be 0 or 1');
}

/** The app the till's trade writes act for; with none, 1004 (create an app first). */
export async function actingAppOf(ctx: AppContext, staff: StaffPrincipal): Promise<AppPrincipalInfo> {
  const app = await tillActingApp(ctx, staff.merchantId);
  if (!app) throw new XxpayError(XXPAY_CODE.noApp, '商户没有可用的应用,请先创建应用 (POST /v1/admin/apps)');
  return app;
}

/** The till's own number for a new sale: `mchOrderNo` when it sends one (the same number is the same sale). */
export function tillOrderNo(p: Params): string {
  return (
    text(p, 'mchOrderNo', { max: 64, pattern: /^[A-Za-z0-9_-]{1,64}$/ }) ??
    `XX${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`
  );
}
