/**
 * Wall-clock time where the shop is, from an instant: order numbers take their date from it, and the seed
 * dialects show local times. Calendar and digits are pinned, so a host locale can never produce Buddhist years
 * or non-ASCII digits.
 */
export interface LocalTime {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = formatterFor(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

/** `yyyy-MM-dd HH:mm:ss` (or with another date separator, e.g. `/`) in `timeZone`. */
export function localDateTime(at: Date, timeZone: string, dateSeparator = '-'): string {
  const t = localTime(at, timeZone);
  return `${[t.year, t.month, t.day].join(dateSeparator)} ${t.hour}:${t.minute}:${t.second}`;
}

/**
 * The instant a wall-clock `yyyy-MM-dd HH:mm:ss` in `timeZone` names (a console's date-time filter), or null when
 * the text is no such time. A time skipped or repeated by a clock change resolves to one of its candidates.
 */
export function instantOfLocalDateTime(text: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h = '00', mi = '00', s = '00'] = m.slice(1);
  const wall = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s);
  const back = new Date(wall);
  if (back.getUTCMonth() !== +mo! - 1 || back.getUTCDate() !== +d! || +h > 23 || +mi > 59 || +s > 59) return null;
  // the zone's offset at that moment, taken twice so an instant near a clock change settles on a consistent one
  let at = wall;
  for (let i = 0; i < 2; i += 1) {
    const t = localTime(new Date(at), timeZone);
    const seen = Date.UTC(+t.year, +t.month - 1, +t.day, +t.hour, +t.minute, +t.second);
    at = wall - (seen - at);
  }
  return new Date(at);
}
