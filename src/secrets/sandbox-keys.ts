import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Key material for sandbox mode: both ordo's merchant keys and the simulated gateways' platform keys. Generated
 * on first run and kept under the data folder (never in the repository), so signatures are real but the keys
 * are throwaway.
 */
export interface WechatSandboxKeys {
  mchid: string;
  appid: string;
  /** the 32-byte APIv3 key used for AES-256-GCM of notifications */
  apiV3Key: string;
  merchantSerialNo: string;
  merchantPrivateKeyPem: string;
  merchantPublicKeyPem: string;
  /** WeChat's newer "platform public key" mode: the key id is sent as Wechatpay-Serial */
  platformKeyId: string;
  platformPrivateKeyPem: string;
  platformPublicKeyPem: string;
}

export interface AlipaySandboxKeys {
  appId: string;
  /** the merchant's Alipay account id (seller_id) */
  sellerId: string;
  appPrivateKeyPem: string;
  appPublicKeyPem: string;
  alipayPrivateKeyPem: string;
  alipayPublicKeyPem: string;
}

export interface SandboxKeys {
  wechat: WechatSandboxKeys;
  alipay: AlipaySandboxKeys;
}

function rsaPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

export function generateSandboxKeys(): SandboxKeys {
  const merchant = rsaPair();
  const platform = rsaPair();
  const app = rsaPair();
  const alipay = rsaPair();
  return {
    wechat: {
      mchid: `19${digits(8)}`,
      appid: `wx${randomBytes(8).toString('hex')}`,
      apiV3Key: randomBytes(16).toString('hex'),
      merchantSerialNo: randomBytes(20).toString('hex').toUpperCase(),
      merchantPrivateKeyPem: merchant.privateKeyPem,
      merchantPublicKeyPem: merchant.publicKeyPem,
      platformKeyId: `PUB_KEY_ID_01${digits(30)}`,
      platformPrivateKeyPem: platform.privateKeyPem,
      platformPublicKeyPem: platform.publicKeyPem,
    },
    alipay: {
      appId: `2021${digits(12)}`,
      sellerId: `2088${digits(12)}`,
      appPrivateKeyPem: app.privateKeyPem,
      appPublicKeyPem: app.publicKeyPem,
      alipayPrivateKeyPem: alipay.privateKeyPem,
      alipayPublicKeyPem: alipay.publicKeyPem,
    },
  };
}

/** Reads `<dataDir>/sandbox-keys.json`, creating it (readable by the owner only) on first use. */
export function loadOrCreateSandboxKeys(dataDir: string): SandboxKeys {
  const file = join(dataDir, 'sandbox-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SandboxKeys;
  mkdirSync(dataDir, { recursive: true });
  const keys = generateSandboxKeys();
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}
