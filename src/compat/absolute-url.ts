/**
 * A picture or file URL a client can load on its own: ordo's own paths (`/media/…`, a dialect's voucher route) are
 * made absolute with the configured public URL (ORDO_PUBLIC_URL), since the seed clients put the value straight
 * into `<img src>` or hand it to another system; a URL that already names its host is kept; '' stays ''.
 */
export function absoluteUrl(url: string, publicUrl: string): string {
  if (!url) return '';
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return url;
  return `${publicUrl.replace(/\/+$/, '')}${url.startsWith('/') ? '' : '/'}${url}`;
}
