import { createHash, randomBytes } from 'node:crypto';
import { compileOnce } from '../db/compile-once.ts';
import type { Db } from '../db/connect.ts';
import type { StaffRole, SubjectKind } from '../db/schema.ts';

export type Principal =
  | { kind: 'member'; memberId: number; merchantId: number }
  | { kind: 'staff'; staffId: number; merchantId: number; role: StaffRole }
  /** a merchant app calling the signed merchant API */
  | { kind: 'app'; appRowId: number; appId: string; merchantId: number };

export type MemberPrincipal = Extract<Principal, { kind: 'member' }>;
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

// Only a hash is stored, so a leaked table holds no usable tokens.
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export async function issueToken(
  db: Db,
  subject: { kind: SubjectKind; id: number; merchantId: number },
  now: Date,
  ttlHours: number,
): Promise<IssuedToken> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  await db
    .insertInto('auth_tokens')
    .values({
      token_hash: hashToken(token),
      subject_kind: subject.kind,
      subject_id: subject.id,
      merchant_id: subject.merchantId,
      created_at: now,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { token, expiresAt };
}

// the first read of nearly every request: built and compiled once
const tokenRow = compileOnce((db, tokenHash: string) =>
  db
    .selectFrom('auth_tokens as t')
    .leftJoin('staff as s', (join) => join.onRef('s.id', '=', 't.subject_id').on('t.subject_kind', '=', 'staff'))
    .select(['t.subject_kind', 't.subject_id', 't.merchant_id', 't.expires_at', 't.revoked_at', 's.role', 's.disabled'])
    .where('t.token_hash', '=', tokenHash),
);

/** The principal behind a live token, or null for an unknown, expired or revoked one (or a disabled staff). */
export async function resolveToken(db: Db, token: string, now: Date): Promise<Principal | null> {
  const [row] = await tokenRow(db, hashToken(token));
  if (!row || row.revoked_at || row.expires_at <= now) return null;
  if (row.subject_kind === 'member') return { kind: 'member', memberId: row.subject_id, merchantId: row.merchant_id };
  if (!row.role || row.disabled) return null;
  return { kind: 'staff', staffId: row.subject_id, merchantId: row.merchant_id, role: row.role };
}

export async function revokeToken(db: Db, token: string, now: Date): Promise<void> {
  await db
    .updateTable('auth_tokens')
    .set({ revoked_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now) // signing out with a dead token changes nothing
    .execute();
}
