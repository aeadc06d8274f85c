// Draws Latchkey's icons into public/icon/ (committed; run again only when the drawing changes):
//   badge-<size>.png        the extension's icon: a white key on a filled rounded square, for the
//                           extensions page and the store, on light and dark backgrounds alike;
//   glyph-dark-<size>.png   the toolbar icon for a light browser theme: a dark key, no background;
//   glyph-light-<size>.png  the same for a dark theme.
// The toolbar follows the theme like the browser's own toolbar icons (src/background/keep-ready.ts).
// Shapes are measured in a unit square and filled with 8×8 samples a pixel, so small sizes are
// smooth; PNGs are written with node:zlib, with no image library.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const OUT = new URL('../public/icon/', import.meta.url);
const SIZES = [16, 32, 48, 128];
const INK_DARK = [31, 41, 55];
const INK_LIGHT = [229, 231, 235];
const BADGE = [59, 91, 219];
const WHITE = [255, 255, 255];

/** The key, in a unit square (y down): a ring for the bow, a shaft, and two teeth. */
function inKey(x, y) {
  const dx = x - 0.3, dy = y - 0.5;
  const r2 = dx * dx + dy * dy;
  if (r2 <= 0.2 * 0.2 && r2 >= 0.085 * 0.085) return true;
  const inRect = (x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  return inRect(0.48, 0.44, 0.9, 0.56) || inRect(0.7, 0.56, 0.78, 0.72) || inRect(0.82, 0.56, 0.9, 0.67);
}

/** A rounded square filling the unit square, corner radius 0.22. */
function inBadge(x, y) {
  const r = 0.22;
  const cx = Math.min(Math.max(x, r), 1 - r), cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= 0 && x <= 1 && y >= 0 && y <= 1;
}

/** RGBA pixels: each layer is [shape, color] painted in order, with coverage as alpha. */
function draw(size, layers) {
  const n = 8;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const [inside, color] of layers) {
        let hits = 0;
        for (let sy = 0; sy < n; sy++) {
          for (let sx = 0; sx < n; sx++) if (inside((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)) hits++;
        }
        const c = hits / (n * n);
        if (c === 0) continue;
        // Source over destination, straight alpha.
        const outA = c + a * (1 - c);
        [r, g, b] = [0, 1, 2].map((i) => (color[i] * c + [r, g, b][i] * a * (1 - c)) / outA);
        a = outA;
      }
      pixels.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], (py * size + px) * 4);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// The key inside the badge is drawn at 70 % of its size, centred.
const keyInBadge = (x, y) => inKey((x - 0.15) / 0.7, (y - 0.15) / 0.7);

mkdirSync(OUT, { recursive: true });
for (const size of SIZES) {
  writeFileSync(new URL(`badge-${size}.png`, OUT), png(size, draw(size, [[inBadge, BADGE], [keyInBadge, WHITE]])));
  writeFileSync(new URL(`glyph-dark-${size}.png`, OUT), png(size, draw(size, [[inKey, INK_DARK]])));
  writeFileSync(new URL(`glyph-light-${size}.png`, OUT), png(size, draw(size, [[inKey, INK_LIGHT]])));
}
console.log(`icons: ${SIZES.length * 3} files in public/icon/`);
