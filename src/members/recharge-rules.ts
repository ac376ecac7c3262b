import type { Selectable } from 'kysely';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { MemberRechargeRulesTable } from '../db/schema.ts';
import { AppError } from '../errors.ts';

/** Pay `rechargeAmount` (fen), get `bonusAmount` more: fen of balance, or points. */
export interface RechargeRule {
  id: number;
  merchantId: number;
  rechargeAmount: number;
  bonusKind: 'balance' | 'points';
  bonusAmount: number;
  recommended: boolean;
  enabled: boolean;
  remark: string;
  createdAt: Date;
  updatedAt: Date;
}

export type RechargeRuleInput = Pick<RechargeRule, 'rechargeAmount' | 'bonusKind' | 'bonusAmount'> &
  Partial<Pick<RechargeRule, 'recommended' | 'enabled' | 'remark'>>;

/** A rule's amounts stay within what a top-up may be (the recharge's own limits apply when it is paid). */
export const MAX_RECHARGE_RULE_AMOUNT = 5_000_000;

const toRule = (r: Selectable<MemberRechargeRulesTable>): RechargeRule => ({
  id: r.id,
  merchantId: r.merchant_id,
  rechargeAmount: r.recharge_amount,
  bonusKind: r.bonus_kind,
  bonusAmount: r.bonus_amount,
  recommended: r.recommended,
  enabled: r.enabled,
  remark: r.remark,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function createRechargeRule(
  ctx: AppContext,
  merchantId: number,
  input: RechargeRuleInput,
): Promise<RechargeRule> {
  if (!Number.isSafeInteger(input.rechargeAmount) || input.rechargeAmount <= 0)
    throw new AppError('validation_failed', 'rechargeAmount must be above zero');
  if (input.rechargeAmount > MAX_RECHARGE_RULE_AMOUNT || input.bonusAmount > MAX_RECHARGE_RULE_AMOUNT)
    throw new AppError('validation_failed', 'the amount is too large');
  if (!Number.isSafeInteger(input.bonusAmount) || input.bonusAmount < 0)
    throw new AppError('validation_failed', 'bonusAmount must be zero or more');
  const row = await ctx.db
    .insertInto('member_recharge_rules')
    .values({
      merchant_id: merchantId,
      recharge_amount: input.rechargeAmount,
      bonus_kind: input.bonusKind,
      bonus_amount: input.bonusAmount,
      recommended: input.recommended ?? false,
      enabled: input.enabled ?? true,
      remark: input.remark ?? '',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRule(row);
}

/** The merchant's rules, recommended first then oldest first; `enabled` filters. `limit` null means all. */
export async function listRechargeRules(
  ctx: AppContext,
  merchantId: number,
  filters: { enabled?: boolean; page: number; limit: number | null },
): Promise<{ items: RechargeRule[]; total: number }> {
  let query = ctx.db.selectFrom('member_recharge_rules').where('merchant_id', '=', merchantId);
  if (filters.enabled !== undefined) query = query.where('enabled', '=', filters.enabled);
  const ordered = query.selectAll().orderBy('recommended', 'desc').orderBy('id');
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    (filters.limit === null
      ? ordered
      : ordered.limit(filters.limit).offset((filters.page - 1) * filters.limit)
    ).execute(),
  ]);
  return { items: rows.map(toRule), total: Number(count.n) };
}

/** The merchant's rule with this id, or null; in a transaction it is read there. */
export async function findRechargeRule(db: Db, merchantId: number, ruleId: number): Promise<RechargeRule | null> {
  const row = await db
    .selectFrom('member_recharge_rules')
    .selectAll()
    .where('id', '=', ruleId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row ? toRule(row) : null;
}

/** The merchant's rule with this id, or null, for a route to show. */
export const getRechargeRule = (ctx: AppContext, merchantId: number, ruleId: number) =>
  findRechargeRule(ctx.db, merchantId, ruleId);
