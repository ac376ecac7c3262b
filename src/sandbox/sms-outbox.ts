/** One text message the sandbox "sent". */
export interface SentSms {
  at: Date;
  mobile: string;
  text: string;
}

const KEPT = 50;

/**
 * ordo's SMS sender in sandbox mode: nothing leaves the machine; the messages are kept (the latest 50) for the
 * /sandbox/ page, where a tester reads the code a shopper would have received.
 */
export class SandboxSmsOutbox {
  readonly sent: SentSms[] = [];

  send(message: SentSms): void {
    this.sent.push(message);
    if (this.sent.length > KEPT) this.sent.splice(0, this.sent.length - KEPT);
  }

  /** The latest message sent to `mobile`, if any. */
  latestTo(mobile: string): SentSms | undefined {
    for (let i = this.sent.length - 1; i >= 0; i--) if (this.sent[i]!.mobile === mobile) return this.sent[i];
    return undefined;
  }
}
