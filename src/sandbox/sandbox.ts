import type { Clock } from '../clock.ts';
import type { Transport } from '../providers/provider.ts';
import { createAlipayGateway } from './alipay/gateway.ts';
import type { SandboxKeys } from '../secrets/sandbox-keys.ts';
import { Simulator, type SimulatedGateway } from './simulator.ts';
import { SandboxSmsOutbox } from './sms-outbox.ts';
import { createWechatPayGateway, type WechatPayGateway } from './wechatpay/gateway.ts';

/** The provider simulator as ordo mounts it at /sandbox: the shared core and the two gateways. */
export interface Sandbox {
  simulator: Simulator;
  wechatpay: WechatPayGateway;
  alipay: SimulatedGateway;
  /** text messages (SMS codes) ordo sent, shown on the /sandbox/ page */
  sms: SandboxSmsOutbox;
}

export function createSandbox(keys: SandboxKeys, clock: Clock, deliver: Transport, pagesUrl?: string): Sandbox {
  const simulator = new Simulator(keys, clock, deliver, pagesUrl);
  return {
    simulator,
    wechatpay: createWechatPayGateway(simulator),
    alipay: createAlipayGateway(simulator),
    sms: new SandboxSmsOutbox(),
  };
}
