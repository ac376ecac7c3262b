import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

// Row types for Kysely, kept in step with migrations/. Money columns are integer fen.
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Json<T> = ColumnType<T, string, string>;
type DefaultedJson<T> = ColumnType<T, string | undefined, string>;

export interface MerchantsTable {
  id: Generated<number>;
  name: string;
  order_timeout_minutes: Defaulted<number>;
  auto_confirm_days: Defaulted<number>;
  review_window_days: Defaulted<number>;
  refund_window_days: Defaulted<number>;
  points_per_yuan: Defaulted<number>;
  points_per_yuan_off: Defaulted<number>;
  points_max_percent: Defaulted<number>;
  created_at: Generated<Date>;
}

export interface StoresTable {
  id: Generated<number>;
  merchant_id: number;
  name: string;
  logo_url: Defaulted<string>;
  phone: Defaulted<string>;
  province: Defaulted<string>;
  city: Defaulted<string>;
  district: Defaulted<string>;
  address: Defaulted<string>;
  latitude: Defaulted<string>;
  longitude: Defaulted<string>;
  shipping_fee: Defaulted<number>;
  free_shipping_over: number | null;
  created_at: Generated<Date>;
}

export type StaffRole = 'admin' | 'operator';

export interface StaffTable {
  id: Generated<number>;
  merchant_id: number;
  username: string;
  password_hash: string;
  name: Defaulted<string>;
  role: StaffRole;
  disabled: Defaulted<boolean>;
  last_login_at: Date | null;
  created_at: Generated<Date>;
  refund_password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  failed_sign_ins: Defaulted<number>;
  locked_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface MemberGradesTable {
  id: Generated<number>;
  merchant_id: number;
  name: string;
  weight: number;
  spend_threshold: Defaulted<number>;
  discount_percent: Defaulted<number>;
}

export interface MembersTable {
  id: Generated<number>;
  merchant_id: number;
  username: string | null;
  mobile: string | null;
  password_hash: string;
  nickname: Defaulted<string>;
  avatar_url: Defaulted<string>;
  gender: Defaulted<number>;
  region_code: Defaulted<string>;
  region: Defaulted<string>;
  grade_id: number | null;
  balance: Defaulted<number>;
  points: Defaulted<number>;
  pay_money: Defaulted<number>;
  expend_money: Defaulted<number>;
  platform: Defaulted<string>;
  email: Defaulted<string>;
  last_login_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  failed_sign_ins: Defaulted<number>;
  locked_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** the membership card number the till looks a member up by (migration 016) */
  card_no: Defaulted<string>;
}

/** Pay `recharge_amount`, get `bonus_amount` more balance (fen) or points (migration 016). */
export interface MemberRechargeRulesTable {
  id: Generated<number>;
  merchant_id: number;
  recharge_amount: number;
  bonus_kind: 'balance' | 'points';
  bonus_amount: Defaulted<number>;
  recommended: Defaulted<boolean>;
  enabled: Defaulted<boolean>;
  remark: Defaulted<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type SubjectKind = 'member' | 'staff';

export interface AuthTokensTable {
  token_hash: string;
  subject_kind: SubjectKind;
  subject_id: number;
  merchant_id: number;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

/** A picture captcha or one-time code waiting for its answer, kept as a hash (migration 015, auth/captchas.ts). */
export interface CaptchasTable {
  scope: string;
  key: string;
  answer_hash: string;
  failed_tries: Defaulted<number>;
  created_at: Date;
  expires_at: Date;
}

export interface CategoriesTable {
  id: Generated<number>;
  merchant_id: number;
  parent_id: number | null;
  name: string;
  image_url: Defaulted<string>;
  sort: Defaulted<number>;
}

export interface ProductsTable {
  id: Generated<number>;
  merchant_id: number;
  store_id: number | null;
  category_id: number | null;
  title: string;
  subtitle: Defaulted<string>;
  internal_title: Defaulted<string>;
  article_no: Defaulted<string>;
  cover_url: Defaulted<string>;
  image_urls: Json<string[]>;
  detail: Defaulted<string>;
  price: number;
  list_price: number;
  stock: number;
  reserved: Defaulted<number>;
  sold: Defaulted<number>;
  on_sale: Defaulted<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A product's spec group (尺码, 颜色) (migration 012). */
export interface ProductSpecGroupsTable {
  id: Generated<number>;
  product_id: number;
  name: string;
  sort: Defaulted<number>;
}

/** One value of a spec group; `price` is the add-on a SKU made of it is priced with when none is given. */
export interface ProductSpecValuesTable {
  id: Generated<number>;
  product_id: number;
  group_id: number;
  title: string;
  price: Defaulted<number>;
  sort: Defaulted<number>;
}

/** One purchasable combination: one value of each group, `value_ids` their ids ascending, comma-separated. */
export interface ProductSkusTable {
  id: Generated<number>;
  product_id: number;
  value_ids: string;
  code: Defaulted<string>;
  image_url: Defaulted<string>;
  price: number;
  list_price: number;
  stock: number;
  reserved: Defaulted<number>;
  sold: Defaulted<number>;
  sort: Defaulted<number>;
}

export interface AddressesTable {
  id: Generated<number>;
  member_id: number;
  receiver_name: string;
  mobile: string;
  phone: Defaulted<string>;
  province: string;
  city: string;
  district: Defaulted<string>;
  district_code: Defaulted<string>;
  address: string;
  zip: Defaulted<string>;
  is_default: Defaulted<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CartItemsTable {
  id: Generated<number>;
  member_id: number;
  product_id: number;
  option_ids: Defaulted<string>;
  quantity: number;
  selected: Defaulted<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CouponsTable {
  id: Generated<number>;
  merchant_id: number;
  code: string | null;
  title: Defaulted<string>;
  kind: 'fixed' | 'percent';
  amount_off: Defaulted<number>;
  percent_off: Defaulted<number>;
  max_off: number | null;
  min_spend: Defaulted<number>;
  starts_at: Date | null;
  ends_at: Date | null;
  total_quantity: number | null;
  used_quantity: Defaulted<number>;
  valid_days: Defaulted<number | null>;
  per_member_limit: Defaulted<number | null>;
  scope: Defaulted<'all' | 'products' | 'categories'>;
  scope_ids: DefaultedJson<number[]>;
  claimable: Defaulted<boolean>;
  claimed_quantity: Defaulted<number>;
}

/** A coupon a member claimed: used by at most one order at a time (`order_id`). */
export interface MemberCouponsTable {
  id: Generated<number>;
  merchant_id: number;
  coupon_id: number;
  member_id: number;
  valid_from: Date | null;
  valid_until: Date | null;
  claimed_at: Date;
  order_id: number | null;
  used_at: Date | null;
}

export interface OrdersTable {
  id: Generated<number>;
  order_no: string;
  merchant_id: number;
  store_id: number;
  member_id: number | null;
  order_type: Defaulted<string>;
  client: Defaulted<string>;
  operator_id: number | null;
  status: OrderStatus;
  payment_status: Defaulted<OrderPaymentStatus>;
  refund_status: Defaulted<OrderRefundStatus>;
  cancel_requested: Defaulted<boolean>;
  currency: Defaulted<string>;
  goods_amount: number;
  grade_discount: Defaulted<number>;
  coupon_discount: Defaulted<number>;
  points_discount: Defaulted<number>;
  discount_amount: number;
  shipping_fee: number;
  payable_amount: number;
  paid_amount: Defaulted<number>;
  refunded_amount: Defaulted<number>;
  merchant_income: Defaulted<number>;
  points_used: Defaulted<number>;
  /** the points the order still gives its member: those of what it keeps (taken back as it is refunded) */
  points_awarded: Defaulted<number>;
  /** the points rule the order was credited under; null until credited (migration 011) */
  points_per_yuan: ColumnType<number | null, number | null | undefined, number | null>;
  coupon_id: number | null;
  buyer_remark: Defaulted<string>;
  merchant_remark: Defaulted<string>;
  receiver_name: Defaulted<string>;
  receiver_mobile: Defaulted<string>;
  receiver_phone: Defaulted<string>;
  receiver_province: Defaulted<string>;
  receiver_city: Defaulted<string>;
  receiver_district: Defaulted<string>;
  receiver_district_code: Defaulted<string>;
  receiver_address: Defaulted<string>;
  receiver_zip: Defaulted<string>;
  deposit_mode: Defaulted<boolean>;
  created_at: Date;
  expires_at: Date | null;
  paid_at: Date | null;
  payment_reviewed_at: Date | null;
  shipped_at: Date | null;
  received_at: Date | null;
  completed_at: Date | null;
  closed_at: Date | null;
  cancelled_at: Date | null;
  updated_at: Date;
  price_adjustment: Defaulted<number>;
  settled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  cancel_reason: Defaulted<string>;
  address_id: ColumnType<number | null, number | null | undefined, number | null>;
  app_id: ColumnType<string | null, string | null | undefined, string | null>;
  merchant_order_no: ColumnType<string | null, string | null | undefined, string | null>;
  device: Defaulted<string>;
  client_ip: Defaulted<string>;
  coupon_code: Defaulted<string>;
  subject: Defaulted<string>;
  deposit_status: ColumnType<
    'held' | 'settled' | 'released' | null,
    'held' | 'settled' | 'released' | null | undefined,
    'held' | 'settled' | 'released' | null
  >;
  deposit_consumed: Defaulted<number>;
  /** express or pickup for a shop order; null for till sales and top-ups (migration 009) */
  delivery: ColumnType<
    'express' | 'pickup' | null,
    'express' | 'pickup' | null | undefined,
    'express' | 'pickup' | null
  >;
  /** how many refund numbers the order has handed out: the last digits of the next one (migration 010) */
  refund_numbers_taken: Defaulted<number>;
  /** a recharge's rule and the bonus it promised, credited when it is paid (migration 016) */
  recharge_rule_id: ColumnType<number | null, number | null | undefined, number | null>;
  recharge_bonus: Defaulted<number>;
  recharge_bonus_points: Defaulted<number>;
}

export interface ChosenOption {
  id: number;
  /** the spec group's name (lines ordered before migration 012 have none) */
  group?: string;
  title: string;
  price: number;
}

export interface OrderLinesTable {
  id: Generated<number>;
  order_id: number;
  line_no: number;
  product_id: number | null;
  sku_id: Defaulted<string>;
  option_ids: Defaulted<string>;
  options: Json<ChosenOption[]>;
  /** the SKU whose stock the line took (migration 012); null for a product bought without specs */
  product_sku_id: ColumnType<number | null, number | null | undefined, number | null>;
  title: string;
  internal_title: Defaulted<string>;
  article_no: Defaulted<string>;
  image_url: Defaulted<string>;
  spec: Defaulted<string>;
  list_price: number;
  unit_price: number;
  quantity: number;
  goods_amount: number;
  grade_discount: Defaulted<number>;
  coupon_discount: Defaulted<number>;
  discount_amount: number;
  line_total: number;
  kind: Defaulted<'normal' | 'gift'>;
  refund_pending_amount: Defaulted<number>;
  refunded_amount: Defaulted<number>;
  refunding: Defaulted<boolean>;
  shipped_quantity: Defaulted<number>;
}

export type ActorKind = 'member' | 'staff' | 'system' | 'provider' | 'app';

export interface OrderEventsTable {
  id: Generated<number>;
  order_id: number;
  at: Date;
  actor_kind: ActorKind;
  actor_id: number | null;
  action: string;
  from_status: string | null;
  to_status: string | null;
  note: Defaulted<string>;
  data: Json<Record<string, unknown>>;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  order_id: number | null;
  created_at: Date;
}

export interface ProviderAccountsTable {
  id: Generated<number>;
  merchant_id: number;
  provider: 'wechatpay' | 'alipay';
  name: string;
  mode: 'sandbox' | 'live';
  credentials: Json<Record<string, unknown>>;
}

export interface PaymentMethodsTable {
  id: Generated<number>;
  merchant_id: number;
  store_id: number;
  client: string;
  method: string;
  channel: Defaulted<string>;
  account_id: number | null;
  enabled: Defaulted<boolean>;
  is_default: Defaulted<boolean>;
  sort: Defaulted<number>;
}

export type { PaymentStatus } from '../domain/payment-status.ts';
import type { OrderPaymentStatus, PaymentStatus } from '../domain/payment-status.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import type { PaymentRefundStatus } from '../domain/payment-refund-status.ts';
import type { OrderRefundStatus, RefundRequestStatus } from '../domain/refund-request-status.ts';

export interface PaymentsTable {
  id: Generated<number>;
  merchant_id: number;
  order_id: number;
  member_id: number | null;
  method: string;
  channel: Defaulted<string>;
  provider: string;
  account_id: number | null;
  out_trade_no: string;
  provider_trade_id: string | null;
  amount: number;
  refunded_amount: Defaulted<number>;
  status: PaymentStatus;
  client: Defaulted<string>;
  client_ip: Defaulted<string>;
  action: ColumnType<unknown, string | null | undefined, string | null>;
  operator_id: number | null;
  reviewed_by: number | null;
  reviewed_at: Date | null;
  review_note: Defaulted<string>;
  raw: DefaultedJson<Record<string, unknown>>;
  created_at: Date;
  updated_at: Date;
  paid_at: Date | null;
  closed_at: Date | null;
  next_check_at: Date | null;
  check_attempts: Defaulted<number>;
}

export interface PaymentNotificationsTable {
  id: Generated<number>;
  provider: string;
  notification_id: string;
  payment_id: number | null;
  out_trade_no: Defaulted<string>;
  outcome: 'applied' | 'flagged';
  reason: Defaulted<string>;
  payload: Json<Record<string, unknown>>;
  received_at: Date;
}

export interface PaymentRefundsTable {
  id: Generated<number>;
  merchant_id: number;
  order_id: number;
  payment_id: number;
  out_refund_no: string;
  amount: number;
  reason: Defaulted<string>;
  kind: string;
  status: PaymentRefundStatus;
  provider_refund_id: string | null;
  raw: DefaultedJson<Record<string, unknown>>;
  created_at: Date;
  completed_at: Date | null;
  next_check_at: Date | null;
  check_attempts: Defaulted<number>;
  refund_request_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface MemberLedgerTable {
  id: Generated<number>;
  merchant_id: number;
  member_id: number;
  account: 'balance' | 'points';
  delta: number;
  balance_after: number;
  reason: string;
  order_id: number | null;
  payment_id: number | null;
  note: Defaulted<string>;
  created_at: Date;
}

/** A picture a member uploaded, served by its random public key (migration 018, members/member-uploads.ts). */
export interface MemberUploadsTable {
  id: Generated<number>;
  merchant_id: number;
  member_id: number;
  public_key: string;
  content_type: string;
  byte_size: number;
  sha256: string;
  data: Buffer;
  created_at: Date;
}

export interface VoucherImagesTable {
  id: Generated<number>;
  payment_id: number;
  content_type: string;
  byte_size: number;
  sha256: string;
  data: Buffer;
  created_at: Date;
}

export interface OutboxEventsTable {
  id: Generated<number>;
  merchant_id: number;
  topic: string;
  aggregate_id: string;
  payload: Json<Record<string, unknown>>;
  created_at: Date;
}

/** The store as an order's goods snapshot keeps it (migration 017). */
export interface GoodsSnapshotStore {
  id: number;
  name: string;
  logoUrl: string;
  phone: string;
  address: string;
  longitude: string;
  latitude: string;
}

/** One order line's product as it was when the order was placed, and the cart line it came from. */
export interface GoodsSnapshotLine {
  lineNo: number;
  cartItemId: number | null;
  stock: number;
  categoryId: number | null;
  optionStock: { id: number; stock: number }[];
}

export interface OrderGoodsSnapshotsTable {
  order_id: number;
  store: Json<GoodsSnapshotStore>;
  lines: Json<GoodsSnapshotLine[]>;
  created_at: Date;
}

export interface ShipmentsTable {
  id: Generated<number>;
  order_id: number;
  carrier: string;
  tracking_numbers: Json<string[]>;
  operator_id: number | null;
  created_at: Date;
}

export interface ShipmentLinesTable {
  shipment_id: number;
  order_line_id: number;
  quantity: number;
}

export interface StorePagesTable {
  store_id: number;
  merchant_id: number;
  layout: Json<unknown>;
  updated_by: number | null;
  updated_at: Date;
}

export interface ReviewsTable {
  id: Generated<number>;
  order_id: number;
  member_id: number;
  rating: number;
  content: Defaulted<string>;
  image_urls: DefaultedJson<string[]>;
  automatic: Defaulted<boolean>;
  created_at: Date;
}

export type RefundKind = 'refund_only' | 'return_and_refund' | 'cancel';
export type { RefundRequestStatus } from '../domain/refund-request-status.ts';

export interface RefundRequestsTable {
  id: Generated<number>;
  refund_no: string;
  merchant_id: number;
  order_id: number;
  member_id: number | null;
  kind: RefundKind;
  reason: Defaulted<string>;
  image_urls: DefaultedJson<string[]>;
  amount: number;
  shipping_amount: Defaulted<number>;
  status: RefundRequestStatus;
  review_note: Defaulted<string>;
  reviewed_by: ColumnType<number | null, number | null | undefined, number | null>;
  reviewed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Date;
  completed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** the buyer's return parcel (migration 018) */
  return_carrier: Defaulted<string>;
  return_tracking_no: Defaulted<string>;
  return_sent_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface RefundRequestLinesTable {
  refund_request_id: number;
  order_line_id: number;
  amount: number;
}

export interface AppsTable {
  id: Generated<number>;
  merchant_id: number;
  app_id: string;
  name: string;
  secret_hash: string;
  secret_encrypted: string;
  webhook_url: Defaulted<string>;
  disabled: Defaulted<boolean>;
  created_at: Date;
}

export interface ApiNoncesTable {
  app_id: string;
  nonce: string;
  expires_at: Date;
}

export interface FeeRatesTable {
  merchant_id: number;
  method: string;
  basis_points: number;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  outbox_event_id: number;
  app_id: number;
  aggregate_id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Defaulted<number>;
  next_attempt_at: Date;
  last_status: ColumnType<number | null, number | null | undefined, number | null>;
  last_error: Defaulted<string>;
  delivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Date;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  at: Date;
  status_code: number | null;
  error: Defaulted<string>;
  duration_ms: number;
}

export interface StaffAuditTable {
  id: Generated<number>;
  merchant_id: number;
  staff_id: number;
  at: Date;
  request_id: string;
  method: string;
  route: string;
  params: DefaultedJson<Record<string, string>>;
  status_code: number;
  ip: Defaulted<string>;
}

export interface Database {
  merchants: MerchantsTable;
  stores: StoresTable;
  staff: StaffTable;
  member_grades: MemberGradesTable;
  members: MembersTable;
  auth_tokens: AuthTokensTable;
  captchas: CaptchasTable;
  categories: CategoriesTable;
  products: ProductsTable;
  product_spec_groups: ProductSpecGroupsTable;
  product_spec_values: ProductSpecValuesTable;
  product_skus: ProductSkusTable;
  addresses: AddressesTable;
  cart_items: CartItemsTable;
  coupons: CouponsTable;
  member_coupons: MemberCouponsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  order_events: OrderEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  provider_accounts: ProviderAccountsTable;
  payment_methods: PaymentMethodsTable;
  payments: PaymentsTable;
  payment_notifications: PaymentNotificationsTable;
  payment_refunds: PaymentRefundsTable;
  member_ledger: MemberLedgerTable;
  member_recharge_rules: MemberRechargeRulesTable;
  voucher_images: VoucherImagesTable;
  member_uploads: MemberUploadsTable;
  outbox_events: OutboxEventsTable;
  shipments: ShipmentsTable;
  order_goods_snapshots: OrderGoodsSnapshotsTable;
  shipment_lines: ShipmentLinesTable;
  reviews: ReviewsTable;
  store_pages: StorePagesTable;
  refund_requests: RefundRequestsTable;
  refund_request_lines: RefundRequestLinesTable;
  apps: AppsTable;
  api_nonces: ApiNoncesTable;
  fee_rates: FeeRatesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  staff_audit: StaffAuditTable;
}

export type OrderRow = Selectable<OrdersTable>;
export type OrderLineRow = Selectable<OrderLinesTable>;
export type OrderEventRow = Selectable<OrderEventsTable>;
export type MemberRow = Selectable<MembersTable>;
export type ProductRow = Selectable<ProductsTable>;
export type NewOrder = Insertable<OrdersTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type PaymentRefundRow = Selectable<PaymentRefundsTable>;
export type RefundRequestRow = Selectable<RefundRequestsTable>;
