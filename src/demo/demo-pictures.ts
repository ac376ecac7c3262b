/**
 * The demo catalog's pictures: SVG illustrations drawn here (a phone, a guitar, a T-shirt, joggers), so the demo
 * looks like a shop while the repository carries no photographs and nothing is downloaded. Each product has a main
 * picture and a small gallery of other views; `/media/demo/<name>.svg` serves them.
 */

type Picture = { background: [string, string]; body: string; defs?: string };

const svg = ({ background: [inner, outer], body, defs = '' }: Picture) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"><defs>` +
  `<radialGradient id="bg" cx="50%" cy="40%" r="75%"><stop offset="0" stop-color="${inner}"/><stop offset="1" stop-color="${outer}"/></radialGradient>` +
  `<radialGradient id="shadow"><stop offset="0" stop-color="#000" stop-opacity=".28"/><stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient>` +
  `${defs}</defs><rect width="400" height="400" fill="url(#bg)"/>${body}</svg>`;

const floorShadow = (cx = 200, cy = 372, rx = 130, ry = 14) =>
  `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="url(#shadow)"/>`;
/** Draws `body` scaled by `k` about (cx, cy), moved so that point lands on (x, y). */
const place = (body: string, { x = 200, y = 200, cx = 200, cy = 200, k = 1, turn = 0 }) =>
  `<g transform="translate(${x} ${y}) rotate(${turn}) scale(${k}) translate(${-cx} ${-cy})">${body}</g>`;

// ---- phones -------------------------------------------------------------------------------------------------------

type PhoneLook = {
  frame: string;
  glass: [string, string];
  wallpaper: [string, string, string];
  lenses: 'square' | 'column';
};

const phoneDefs = (look: PhoneLook) =>
  `<linearGradient id="glass" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${look.glass[0]}"/><stop offset="1" stop-color="${look.glass[1]}"/></linearGradient>` +
  `<linearGradient id="wall" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${look.wallpaper[0]}"/><stop offset=".55" stop-color="${look.wallpaper[1]}"/><stop offset="1" stop-color="${look.wallpaper[2]}"/></linearGradient>` +
  `<linearGradient id="sheen" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#fff" stop-opacity=".22"/><stop offset=".5" stop-color="#fff" stop-opacity="0"/></linearGradient>`;

const lens = (cx: number, cy: number, r: number) =>
  `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#16161b" stroke="#585866" stroke-width="2.5"/><circle cx="${cx}" cy="${cy}" r="${r * 0.6}" fill="#23263a"/><circle cx="${cx}" cy="${cy}" r="${r * 0.3}" fill="#3b4470"/><circle cx="${cx - r * 0.25}" cy="${cy - r * 0.25}" r="${r * 0.12}" fill="#fff" opacity=".7"/>`;

const phoneFront = (look: PhoneLook) => {
  const icons = [0, 1, 2, 3].flatMap((col) =>
    [0, 1].map((row) => ({ x: 143 + col * 31, y: 250 + row * 34, hue: (col * 70 + row * 150) % 360 })),
  );
  return (
    `<rect x="120" y="40" width="160" height="320" rx="26" fill="${look.frame}"/>` +
    `<rect x="125" y="45" width="150" height="310" rx="22" fill="#08080b"/>` +
    `<rect x="130" y="50" width="140" height="300" rx="18" fill="url(#wall)"/>` +
    `<circle cx="170" cy="140" r="46" fill="#fff" opacity=".12"/><circle cx="238" cy="206" r="60" fill="#fff" opacity=".08"/>` +
    `<circle cx="200" cy="63" r="4.5" fill="#050507"/>` +
    `<text x="200" y="118" font-family="Helvetica, Arial, sans-serif" font-size="34" font-weight="300" fill="#fff" text-anchor="middle">09:41</text>` +
    `<rect x="166" y="128" width="68" height="4" rx="2" fill="#fff" opacity=".55"/>` +
    icons
      .map((i) => `<rect x="${i.x}" y="${i.y}" width="22" height="22" rx="6" fill="hsl(${i.hue},70%,62%)"/>`)
      .join('') +
    `<rect x="138" y="318" width="124" height="26" rx="13" fill="#fff" opacity=".22"/>` +
    `<rect x="178" y="344" width="44" height="3" rx="1.5" fill="#fff" opacity=".7"/>` +
    `<rect x="130" y="50" width="140" height="300" rx="18" fill="url(#sheen)"/>` +
    `<rect x="279" y="110" width="3" height="34" rx="1.5" fill="${look.frame}"/><rect x="279" y="152" width="3" height="22" rx="1.5" fill="${look.frame}"/>`
  );
};

const phoneBack = (look: PhoneLook) => {
  const camera =
    look.lenses === 'square'
      ? `<rect x="138" y="58" width="84" height="84" rx="20" fill="#1b1b21" stroke="#4a4a55" stroke-width="2"/>${lens(160, 80, 13)}${lens(200, 80, 13)}${lens(160, 120, 13)}<circle cx="200" cy="120" r="6" fill="#f3e3b3"/>`
      : `<rect x="140" y="58" width="42" height="112" rx="21" fill="#1b1b21" stroke="#4a4a55" stroke-width="2"/>${lens(161, 80, 12)}${lens(161, 113, 12)}<circle cx="161" cy="146" r="6" fill="#f3e3b3"/>`;
  return (
    `<rect x="120" y="40" width="160" height="320" rx="26" fill="${look.frame}"/>` +
    `<rect x="124" y="44" width="152" height="312" rx="23" fill="url(#glass)"/>` +
    `<rect x="124" y="44" width="152" height="312" rx="23" fill="url(#sheen)"/>` +
    camera +
    `<rect x="180" y="318" width="40" height="4" rx="2" fill="#fff" opacity=".35"/>` +
    `<rect x="117" y="110" width="3" height="34" rx="1.5" fill="${look.frame}"/>`
  );
};

const phonePictures = (name: string, look: PhoneLook, background: [string, string]): Record<string, Picture> => {
  const defs = phoneDefs(look);
  return {
    [name]: { background, defs, body: floorShadow(200, 372, 90, 10) + phoneFront(look) },
    [`${name}-back`]: { background, defs, body: floorShadow(200, 372, 90, 10) + phoneBack(look) },
    [`${name}-pair`]: {
      background,
      defs,
      body:
        floorShadow(200, 366, 150, 12) +
        place(phoneBack(look), { x: 140, y: 205, k: 0.78, turn: -8 }) +
        place(phoneFront(look), { x: 258, y: 200, k: 0.82, turn: 6 }),
    },
  };
};

// ---- guitar -------------------------------------------------------------------------------------------------------

const guitarDefs =
  `<linearGradient id="spruce" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f6d49a"/><stop offset=".6" stop-color="#e3ad62"/><stop offset="1" stop-color="#c98a3e"/></linearGradient>` +
  `<linearGradient id="neck" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#6b3f1d"/><stop offset=".5" stop-color="#8a5428"/><stop offset="1" stop-color="#6b3f1d"/></linearGradient>`;

const guitarBody =
  'M200,180 C240,180 262,195 262,222 C262,240 248,248 250,260 C252,272 284,285 284,318 C284,350 248,368 200,368 C152,368 116,350 116,318 C116,285 148,272 150,260 C152,248 138,240 138,222 C138,195 160,180 200,180 Z';

const guitar = () => {
  const frets = Array.from({ length: 12 }, (_, i) => 58 + i * 11 - i * i * 0.18);
  const strings = Array.from({ length: 6 }, (_, i) => ({ top: 193.5 + i * 2.6, bottom: 189 + i * 4.4 }));
  return (
    `<path d="M186,14 L214,14 L218,46 L182,46 Z" fill="#3b2414"/>` +
    [20, 29, 38]
      .map(
        (y) =>
          `<rect x="174" y="${y - 2}" width="10" height="4" rx="2" fill="#d9d9de"/><circle cx="173" cy="${y}" r="4" fill="#ecece8"/><rect x="216" y="${y - 2}" width="10" height="4" rx="2" fill="#d9d9de"/><circle cx="227" cy="${y}" r="4" fill="#ecece8"/>`,
      )
      .join('') +
    `<rect x="190" y="46" width="20" height="150" fill="url(#neck)"/>` +
    `<rect x="192" y="46" width="16" height="150" fill="#2e1c10"/>` +
    `<rect x="191" y="46" width="18" height="3" fill="#f1ead8"/>` +
    frets.map((y) => `<rect x="192" y="${y.toFixed(1)}" width="16" height="1.4" fill="#c9c9cf"/>`).join('') +
    [3, 5, 7, 9]
      .map((f) => `<circle cx="200" cy="${((frets[f - 1]! + frets[f]!) / 2).toFixed(1)}" r="1.8" fill="#efe9dc"/>`)
      .join('') +
    `<path d="${guitarBody}" fill="#5a3418"/>` +
    `<path d="${guitarBody}" fill="url(#spruce)" transform="translate(200 274) scale(.965) translate(-200 -274)"/>` +
    `<circle cx="200" cy="248" r="29" fill="none" stroke="#7b4a22" stroke-width="3"/><circle cx="200" cy="248" r="25" fill="none" stroke="#2f1b0d" stroke-width="1.5"/>` +
    `<circle cx="200" cy="248" r="22" fill="#24150a"/>` +
    `<path d="M222,262 C246,262 256,282 250,300 C240,296 226,286 218,272 Z" fill="#3a2213" opacity=".85"/>` +
    `<rect x="170" y="314" width="60" height="11" rx="4" fill="#3b2414"/><rect x="178" y="316" width="44" height="2" rx="1" fill="#f1ead8"/>` +
    strings
      .map(
        (s, i) =>
          `<line x1="${s.top.toFixed(1)}" y1="47" x2="${s.bottom.toFixed(1)}" y2="320" stroke="#f4f1ea" stroke-width="${(0.6 + (5 - i) * 0.12).toFixed(2)}"/>`,
      )
      .join('') +
    strings.map((s) => `<circle cx="${s.bottom.toFixed(1)}" cy="320" r="1.4" fill="#f1ead8"/>`).join('')
  );
};

const pick = `<path d="M0,-14 C12,-14 16,-6 12,4 C8,12 3,16 0,16 C-3,16 -8,12 -12,4 C-16,-6 -12,-14 0,-14 Z" fill="#d2452f"/>`;

const guitarPictures = (): Record<string, Picture> => {
  const background: [string, string] = ['#fbf3e6', '#e9d6b8'];
  return {
    guitar: {
      background,
      defs: guitarDefs,
      body: floorShadow(200, 376, 110, 10) + place(guitar(), { y: 196, k: 0.98 }),
    },
    'guitar-side': {
      background,
      defs: guitarDefs,
      body:
        floorShadow(210, 360, 160, 14) +
        place(guitar(), { x: 205, y: 200, k: 0.92, turn: -38 }) +
        `<g transform="translate(320 330) rotate(20)">${pick}</g>`,
    },
    'guitar-close': { background, defs: guitarDefs, body: place(guitar(), { cx: 200, cy: 270, k: 2.3 }) },
  };
};

// ---- clothes ------------------------------------------------------------------------------------------------------

const tshirtShape = (neck: number) =>
  `M150,70 Q200,${neck} 250,70 L300,84 C330,110 370,150 386,200 L332,224 C318,206 302,192 290,186 L292,350 Q200,362 108,350 L110,186 C98,192 82,206 68,224 L14,200 C30,150 70,110 100,84 Z`;

const tshirt = (stripe: string, side: 'front' | 'back') => {
  const neck = side === 'front' ? 104 : 84;
  const stripes = Array.from(
    { length: 14 },
    (_, i) => `<rect x="0" y="${78 + i * 22}" width="400" height="9" fill="${stripe}"/>`,
  ).join('');
  return (
    `<clipPath id="tee-${side}"><path d="${tshirtShape(neck)}"/></clipPath>` +
    `<path d="${tshirtShape(neck)}" fill="#f8f5ee"/>` +
    `<g clip-path="url(#tee-${side})">${stripes}<rect width="400" height="400" fill="url(#fold)"/></g>` +
    `<path d="M150,70 Q200,${neck} 250,70" fill="none" stroke="#f8f5ee" stroke-width="9"/>` +
    `<path d="M150,70 Q200,${neck} 250,70" fill="none" stroke="${stripe}" stroke-width="1.5" opacity=".5"/>` +
    (side === 'back'
      ? `<path d="M150,70 Q200,60 250,70" fill="none" stroke="#d9d4c8" stroke-width="1.5"/>`
      : `<rect x="193" y="${neck - 9}" width="14" height="10" rx="1.5" fill="#fff" stroke="#cfc8b8"/>`) +
    `<path d="${tshirtShape(neck)}" fill="none" stroke="#00000022" stroke-width="1.5"/>`
  );
};

const foldDefs = `<linearGradient id="fold" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#000" stop-opacity=".12"/><stop offset=".3" stop-color="#000" stop-opacity="0"/><stop offset=".7" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity=".12"/></linearGradient>`;

const tshirtPictures = (): Record<string, Picture> => {
  const background: [string, string] = ['#f3f6fb', '#d8e0ec'];
  return {
    tshirt: { background, defs: foldDefs, body: floorShadow(200, 374, 120, 10) + tshirt('#2f3e66', 'front') },
    'tshirt-back': { background, defs: foldDefs, body: floorShadow(200, 374, 120, 10) + tshirt('#2f3e66', 'back') },
    'tshirt-red': {
      background: ['#fdf3f1', '#f0d6d0'],
      defs: foldDefs,
      body: floorShadow(200, 374, 120, 10) + tshirt('#c2362f', 'front'),
    },
  };
};

const trousersDefs = `<linearGradient id="fleece" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#3a404c"/><stop offset=".5" stop-color="#555d6b"/><stop offset="1" stop-color="#3a404c"/></linearGradient>`;

const flower = (cx: number, cy: number) =>
  [0, 72, 144, 216, 288]
    .map(
      (a) => `<ellipse cx="${cx}" cy="${cy - 7}" rx="4" ry="7" fill="#f2a7b8" transform="rotate(${a} ${cx} ${cy})"/>`,
    )
    .join('') +
  `<circle cx="${cx}" cy="${cy}" r="3.5" fill="#f6d36b"/><path d="M${cx},${cy + 8} q-2,12 4,20" fill="none" stroke="#7fb77e" stroke-width="2"/><ellipse cx="${cx + 6}" cy="${cy + 18}" rx="5" ry="2.5" fill="#7fb77e" transform="rotate(-30 ${cx + 6} ${cy + 18})"/>`;

const trousers = (side: 'front' | 'back') =>
  `<path d="M124,62 L276,62 L292,332 L222,334 L204,148 L196,148 L178,334 L108,332 Z" fill="url(#fleece)"/>` +
  `<rect x="108" y="330" width="70" height="30" rx="6" fill="#2f343e"/><rect x="222" y="330" width="70" height="30" rx="6" fill="#2f343e"/>` +
  [0, 1, 2, 3, 4, 5, 6, 7, 8]
    .map(
      (i) =>
        `<rect x="${114 + i * 7}" y="333" width="2" height="24" fill="#262a33"/><rect x="${228 + i * 7}" y="333" width="2" height="24" fill="#262a33"/>`,
    )
    .join('') +
  `<rect x="120" y="38" width="160" height="28" rx="7" fill="#2f343e"/>` +
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    .map((i) => `<rect x="${128 + i * 14}" y="41" width="2" height="22" fill="#262a33"/>`)
    .join('') +
  (side === 'front'
    ? `<path d="M193,64 q-6,30 -16,44" fill="none" stroke="#f1ede4" stroke-width="3" stroke-linecap="round"/><path d="M207,64 q6,30 16,44" fill="none" stroke="#f1ede4" stroke-width="3" stroke-linecap="round"/>` +
      `<path d="M140,70 q6,34 -12,58" fill="none" stroke="#2a2e37" stroke-width="2"/><path d="M260,70 q-6,34 12,58" fill="none" stroke="#2a2e37" stroke-width="2"/>` +
      flower(150, 170)
    : `<rect x="140" y="92" width="42" height="44" rx="5" fill="none" stroke="#2a2e37" stroke-width="2"/><rect x="218" y="92" width="42" height="44" rx="5" fill="none" stroke="#2a2e37" stroke-width="2"/><path d="M200,66 L200,148" stroke="#2a2e37" stroke-width="2"/>`);

const trousersPictures = (): Record<string, Picture> => {
  const background: [string, string] = ['#f4f4f1', '#dcdcd4'];
  return {
    trousers: { background, defs: trousersDefs, body: floorShadow(200, 372, 110, 10) + trousers('front') },
    'trousers-back': { background, defs: trousersDefs, body: floorShadow(200, 372, 110, 10) + trousers('back') },
    'trousers-close': { background, defs: trousersDefs, body: place(trousers('front'), { cx: 160, cy: 180, k: 2.6 }) },
  };
};

// ---- the shop's own pictures --------------------------------------------------------------------------------------

const storeLogo: Picture = {
  background: ['#ff8a3d', '#e4572e'],
  body:
    `<circle cx="200" cy="200" r="150" fill="#fff" opacity=".14"/>` +
    `<path d="M130,160 L270,160 L258,300 Q256,316 240,316 L160,316 Q144,316 142,300 Z" fill="#fff"/>` +
    `<path d="M168,168 L168,140 Q168,104 200,104 Q232,104 232,140 L232,168" fill="none" stroke="#fff" stroke-width="12" stroke-linecap="round"/>` +
    `<path d="M172,230 q28,36 56,0" fill="none" stroke="#e4572e" stroke-width="12" stroke-linecap="round"/>`,
};

const BLACK_PHONE: PhoneLook = {
  frame: '#2b2b30',
  glass: ['#34343c', '#0e0e12'],
  wallpaper: ['#1e3c72', '#6a3093', '#f28a6b'],
  lenses: 'square',
};
const MINT_PHONE: PhoneLook = {
  frame: '#b9c4c9',
  glass: ['#cfe9e4', '#8fc3c0'],
  wallpaper: ['#0f9b8e', '#43c6ac', '#f8ffae'],
  lenses: 'column',
};

const PICTURES: Record<string, Picture> = {
  ...phonePictures('phone-black', BLACK_PHONE, ['#f2f2f5', '#d5d6de']),
  ...phonePictures('phone-redmi', MINT_PHONE, ['#f1faf8', '#cfe5e1']),
  ...guitarPictures(),
  ...tshirtPictures(),
  ...trousersPictures(),
  'store-logo': storeLogo,
  phones: {
    background: ['#eef1fb', '#cfd6ee'],
    defs: phoneDefs(BLACK_PHONE),
    body: floorShadow(200, 372, 90, 10) + phoneFront(BLACK_PHONE),
  },
  instruments: { background: ['#fbf3e6', '#e9d6b8'], defs: guitarDefs, body: place(guitar(), { y: 196, k: 0.98 }) },
  clothes: { background: ['#f3f6fb', '#d8e0ec'], defs: foldDefs, body: tshirt('#2f3e66', 'front') },
};

/** The SVG document of a demo picture, or undefined when there is no picture of that name. */
export function demoPicture(name: string): string | undefined {
  const picture = Object.hasOwn(PICTURES, name) ? PICTURES[name] : undefined;
  return picture && svg(picture);
}

/** The URL of a demo picture. */
export const demoPictureUrl = (name: string) => `/media/demo/${name}.svg`;

/** A demo product's pictures, main one first: the main view, then the other views of the same product. */
export function demoGallery(slug: string): string[] {
  const names = Object.keys(PICTURES).filter((name) => name === slug || name.startsWith(`${slug}-`));
  return names.map(demoPictureUrl);
}
