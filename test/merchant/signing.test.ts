import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { forgetExpiredNonces, signRequest, signingString, spendNonce } from '../../src/merchants/signed-requests.ts';
import { startTestApp } from '../support/test-app.ts';

describe('the merchant API signature', () => {
  it('matches the worked example in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const r = {
      method: 'POST',
      path: '/v1/merchant/trade-orders',
      query: '',
      timestamp: '1795300000',
      nonce: 'a1b2c3d4e5f6a7b8',
      body: '{"merchantOrderNo":"T-1001"}',
    };
    expect(readme).toContain('```\n' + signingString(r) + '\n```');
    const signature = signRequest('s3cr3t-demo-key', r);
    expect(signature).toBe('ac093975731f56b03614eaa98a9449b1c61c36a8fc10ab8f6d3d0d878d3fc5fb');
    expect(readme).toContain(`\`X-Ordo-Signature\` is \`${signature}\``);
  });

  it('changes with every signed part', () => {
    const base = {
      method: 'GET',
      path: '/v1/merchant/trade-orders/1',
      query: 'a=1',
      timestamp: '1',
      nonce: 'nnnnnnnn',
      body: '',
    };
    const signature = signRequest('k', base);
    for (const [key, value] of Object.entries({
      method: 'POST',
      path: '/v1/merchant/trade-orders/2',
      query: 'a=2',
      timestamp: '2',
      nonce: 'mmmmmmmm',
      body: 'x',
    })) {
      expect(signRequest('k', { ...base, [key]: value })).not.toBe(signature);
    }
    expect(signRequest('other', base)).not.toBe(signature);
  });
});

describe('spent nonces', () => {
  it('are refused while their window lasts and forgotten after it', async () => {
    const t = await startTestApp();
    try {
      const now = Math.floor(t.clock.now().getTime() / 1000);
      await spendNonce(t.ctx, 'app_0123456789abcdef', 'nonce-old-1', String(now - 400));
      await spendNonce(t.ctx, 'app_0123456789abcdef', 'nonce-new-1', String(now));
      await expect(spendNonce(t.ctx, 'app_0123456789abcdef', 'nonce-new-1', String(now))).rejects.toMatchObject({
        code: 'unauthorized',
      });
      expect(await forgetExpiredNonces(t.ctx)).toBe(1);
      const left = await t.ctx.db.selectFrom('api_nonces').select('nonce').execute();
      expect(left.map((n) => n.nonce)).toEqual(['nonce-new-1']);
    } finally {
      await t.close();
    }
  });
});
