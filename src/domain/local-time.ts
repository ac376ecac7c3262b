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
