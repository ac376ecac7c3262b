import areas from 'china-area-data/data.json' with { type: 'json' };

/**
 * The GB/T 2260 code of an address from the names a client typed, for seeds that show a region code where ordo's
 * address book may hold only names (a mall client sends 「浙江」「台州」「路桥」, without 省/市/区). The finest level
 * that matches wins: the district, else the city, else the province; '' when not even the province is known.
 */

type Level = Readonly<Record<string, string>>;
const AREAS = areas as unknown as Readonly<Record<string, Level>>;
const COUNTRY = '86';

// The administrative suffixes a client may leave out, longest first so 自治区 goes before 区.
const SUFFIX = /(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|地区|新区|省|市|区|县|盟|旗)$/;
const bare = (name: string) => name.trim().replace(SUFFIX, '');

/** The code among `level` whose name is `name`, or is it without its suffix. */
function find(level: Level | undefined, name: string): string | undefined {
  if (!level || !name.trim()) return undefined;
  const entries = Object.entries(level);
  const wanted = name.trim();
  return (
    entries.find(([, n]) => n === wanted)?.[0] ??
    entries.find(([, n]) => bare(n) !== '' && bare(n) === bare(wanted))?.[0]
  );
}

export function regionCode(address: { province: string; city: string; district: string }): string {
  const province = find(AREAS[COUNTRY], address.province);
  if (!province) return '';
  const city = find(AREAS[province], address.city);
  // a municipality's city level is 市辖区: its districts are searched under every city of the province, and a
  // client that typed the district as the city (天津市 / 和平区) is found there too
  const cities = city ? [city] : Object.keys(AREAS[province] ?? {});
  for (const name of [address.district, city ? '' : address.city]) {
    for (const c of cities) {
      const district = find(AREAS[c], name);
      if (district) return district;
    }
  }
  return city ?? province;
}
