/**
 * The carriers a buyer can pick for a return parcel (express/list, the refund detail page's picker). ordo records a
 * parcel's carrier by name, so this is a fixed list of common Chinese carriers; `express_id` is only the picker's key.
 */
export const EXPRESS_COMPANIES = [
  { express_id: 1, express_name: '顺丰速运', express_code: 'shunfeng' },
  { express_id: 2, express_name: '中通快递', express_code: 'zhongtong' },
  { express_id: 3, express_name: '圆通速递', express_code: 'yuantong' },
  { express_id: 4, express_name: '韵达快递', express_code: 'yunda' },
  { express_id: 5, express_name: '申通快递', express_code: 'shentong' },
  { express_id: 6, express_name: '邮政快递包裹', express_code: 'youzhengguonei' },
  { express_id: 7, express_name: 'EMS', express_code: 'ems' },
  { express_id: 8, express_name: '京东物流', express_code: 'jd' },
  { express_id: 9, express_name: '极兔速递', express_code: 'jtexpress' },
  { express_id: 10, express_name: '德邦快递', express_code: 'debangkuaidi' },
] as const;

export const expressCompanyOf = (expressId: number) => EXPRESS_COMPANIES.find((c) => c.express_id === expressId);
