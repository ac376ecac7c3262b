import { instantOfLocalDateTime, localTime } from '../../domain/local-time.ts';
import { bad, text, type Params } from './params.ts';

/** A time range as the console asks for it, as instants: [from, to). */
export interface QueryRange {
  from: Date;
  to: Date;
  /** the local dates it covers, first and last */
  firstDay: string;
  lastDay: string;
}

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

function startOf(day: string, timeZone: string): Date {
  const at = instantOfLocalDateTime(`${day} 00:00:00`, timeZone);
  if (!at) throw bad(`日期格式错误: ${day}`);
  return at;
}

function days(firstDay: string, lastDay: string, timeZone: string): QueryRange {
  if (lastDay < firstDay) throw bad('结束日期不能早于开始日期');
  if (Date.parse(`${lastDay}T00:00:00Z`) - Date.parse(`${firstDay}T00:00:00Z`) >= MAX_DAYS * DAY_MS)
    throw bad(`时间范围不能超过${MAX_DAYS}天`);
  return { from: startOf(firstDay, timeZone), to: startOf(addDays(lastDay, 1), timeZone), firstDay, lastDay };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The range the console's filters name, in the shop's time zone (XxPay's getQueryDateRange): `queryDateRange`
 * (`today`, `yesterday`, `near2now_N`: N days up to today, `near2yesterday_N`: N days up to yesterday),
 * `queryStartDate`/`queryEndDate` (yyyy-MM-dd, whole days), or `queryStartDateTime`/`queryEndDateTime`
 * (yyyy-MM-dd HH:mm:ss, the end second included; `createTimeStart`/`createTimeEnd` too). Null: no range asked.
 */
export function queryRangeOf(p: Params, timeZone: string, now: Date): QueryRange | null {
  const t = localTime(now, timeZone);
  const today = `${t.year}-${t.month}-${t.day}`;
  const named = text(p, 'queryDateRange', { max: 32 });
  if (named) {
    if (named === 'today') return days(today, today, timeZone);
    if (named === 'yesterday') return days(addDays(today, -1), addDays(today, -1), timeZone);
    const m = /^(near2now|near2yesterday)_(\d{1,3})$/.exec(named);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > MAX_DAYS) throw bad(`queryDateRange 不支持: ${named}`);
    const last = m[1] === 'near2now' ? today : addDays(today, -1);
    return days(addDays(last, 1 - Number(m[2])), last, timeZone);
  }
  const startDate = text(p, 'queryStartDate', { max: 10 });
  const endDate = text(p, 'queryEndDate', { max: 10 });
  if (startDate || endDate) {
    const first = startDate ?? endDate!;
    const last = endDate ?? today;
    if (!DATE.test(first) || !DATE.test(last)) throw bad('日期格式须为 yyyy-MM-dd');
    return days(first, last, timeZone);
  }
  const start = text(p, 'queryStartDateTime', { max: 19 }) ?? text(p, 'createTimeStart', { max: 19 });
  const end = text(p, 'queryEndDateTime', { max: 19 }) ?? text(p, 'createTimeEnd', { max: 19 });
  if (!start && !end) return null;
  const from = start ? instantOfLocalDateTime(start, timeZone) : new Date(0);
  const endAt = end ? instantOfLocalDateTime(end, timeZone) : now;
  if (!from || !endAt) throw bad('时间格式须为 yyyy-MM-dd HH:mm:ss');
  const to = new Date(endAt.getTime() + (end ? 1000 : 1));
  if (to <= from) throw bad('结束时间不能早于开始时间');
  const firstDay = start ? start.slice(0, 10) : today;
  const lastDay = end ? end.slice(0, 10) : today;
  return { from, to, firstDay, lastDay };
}

/** The local days of a range, each as [from, to) clipped to the range; at most `limit` of them. */
export function localDaysOf(
  range: QueryRange,
  timeZone: string,
  limit: number,
): { day: string; from: Date; to: Date }[] {
  const out = [];
  for (let day = range.firstDay; day <= range.lastDay && out.length < limit; day = addDays(day, 1)) {
    const from = startOf(day, timeZone);
    const to = startOf(addDays(day, 1), timeZone);
    out.push({ day, from: from < range.from ? range.from : from, to: to > range.to ? range.to : to });
  }
  return out;
}
