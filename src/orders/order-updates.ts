import { EventEmitter } from 'node:events';

export interface OrderUpdate {
  orderNo: string;
  status: string;
  paymentStatus: string;
}

/**
 * Tells live listeners (the cashier's SSE stream) that an order changed. Publish only after the change has
 * committed. In-process for now; several processes will share it over PostgreSQL LISTEN/NOTIFY.
 */
export class OrderUpdates {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(update: OrderUpdate): void {
    this.emitter.emit(update.orderNo, update);
  }

  subscribe(orderNo: string, listener: (update: OrderUpdate) => void): () => void {
    this.emitter.on(orderNo, listener);
    return () => this.emitter.off(orderNo, listener);
  }
}
