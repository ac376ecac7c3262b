/** How the shopper pays at the gateway: a QR code to scan, a JSAPI / mini-program sheet, a page, an app. */
export type Channel = 'native' | 'jsapi' | 'mini' | 'h5' | 'app' | 'precreate' | 'page' | 'wap';

/** What the cashier shows or does next. */
export type PaymentAction =
  | { kind: 'qr'; content: string }
  | { kind: 'redirect'; url: string }
  | { kind: 'form'; html: string }
  | { kind: 'sdk_params'; params: Record<string, string> };
