import type { TradeState } from '../../orders/list-trade-orders.ts';
import { XXPAY_STATUS, type XxpayStatus } from './mapping.ts';

/** XxPay's trade order `status` filter values → the states ordo reads them as (the inverse of `xxpayStatus`). */
export const TRADE_STATE_OF_STATUS: Record<XxpayStatus, TradeState> = {
  [XXPAY_STATUS.created]: 'unpaid',
  [XXPAY_STATUS.processing]: 'paying',
  [XXPAY_STATUS.success]: 'paid',
  [XXPAY_STATUS.failed]: 'failed',
  [XXPAY_STATUS.partiallyRefunded]: 'partially_refunded',
  [XXPAY_STATUS.fullyRefunded]: 'refunded',
  [XXPAY_STATUS.depositHeld]: 'deposit_held',
  [XXPAY_STATUS.depositReturned]: 'deposit_returned',
};

/** `tradeType` 1 a sale, 2 a balance top-up. */
export const TRADE_KIND_OF_TYPE: Record<string, 'sale' | 'recharge'> = { '1': 'sale', '2': 'recharge' };
