import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createDeflate } from 'node:zlib';
import sharp from 'sharp';

/**
 * A tiny but complete baseline JPEG made here, byte by byte: one 8x8 grey block whose Huffman tables have a single
 * one-bit code each, so the whole scan is the two bits "DC diff 0, end of block".
 */
export function tinyJpeg(): Buffer {
  const segment = (marker: number, body: number[]) => [
    0xff,
    marker,
    (body.length + 2) >> 8,
    (body.length + 2) & 0xff,
    ...body,
  ];
  const huffmanTable = (tableClass: number) => [tableClass << 4, 1, ...Array<number>(15).fill(0), 0x00];
  return Buffer.from([
    0xff,
    0xd8, // SOI
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0 JFIF 1.1
    ...segment(0xdb, [0, ...Array<number>(64).fill(1)]), // quantisation table 0: all ones
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // baseline, 8x8, one component
    ...segment(0xc4, huffmanTable(0)), // DC table 0
    ...segment(0xc4, huffmanTable(1)), // AC table 0
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // start of scan
    0x3f, // "0" (DC diff 0) "0" (EOB), padded with ones
    0xff,
    0xd9, // EOI
  ]);
}

/**
 * A gradient photo with detail in it, `width` x `height`, as a JPEG; `grain` (0-127) adds random noise, which makes
 * the file as large as a camera's (a 12-megapixel one at grain 24 is about 4 MB).
 */
export function photoJpeg(width: number, height: number, quality = 85, grain = 0): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  const noise = grain > 0 ? randomBytes(pixels.length) : undefined;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = ((x ^ y) & 0x3f) * 4;
    }
  }
  if (noise) {
    for (let i = 0; i < pixels.length; i++) {
      pixels[i] = Math.max(0, Math.min(255, pixels[i] + (((noise[i] - 128) * grain) >> 7)));
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

/**
 * A camera's portrait photo: stored 400 x 300 (landscape) with EXIF Orientation 6 (turn 90° clockwise to view),
 * a camera make, model and serial number, and the GPS position it was taken at.
 */
export async function cameraJpeg(): Promise<Buffer> {
  return sharp(await photoJpeg(400, 300))
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'PicfeedCam', Model: 'Model X' },
      IFD2: { BodySerialNumber: 'SN-0042-SECRET' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 2600/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 3900/100',
      },
    })
    .jpeg()
    .toBuffer();
}

/** A 64 x 48 PNG whose left half is fully transparent and right half opaque red. */
export function transparentPng(): Promise<Buffer> {
  const width = 64;
  const height = 48;
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = width / 2; x < width; x++) {
      pixels.set([255, 0, 0, 255], (y * width + x) * 4);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

/**
 * A decompression bomb: a valid PNG of `side` x `side` black 1-bit pixels (144 megapixels at 12,000, 18 kB),
 * which a decoder would expand to a byte or more a pixel. Deflated row by row: making it holds one row.
 */
export async function bombPng(side = 12_000): Promise<Buffer> {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8); // 1-bit greyscale, deflate, no filter method, no interlace
  // One zero row (filter byte + pixels) written `side` times: deflate stores the repeats as back-references.
  const deflate = createDeflate({ level: 9 });
  const pieces: Buffer[] = [];
  deflate.on('data', (piece: Buffer) => pieces.push(piece));
  const row = Buffer.alloc(Math.ceil(side / 8) + 1);
  for (let y = 0; y < side; y++) {
    if (!deflate.write(row)) {
      await once(deflate, 'drain');
    }
  }
  deflate.end();
  await once(deflate, 'end');
  const compressed = Buffer.concat(pieces);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', compressed),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Random noise as a JPEG: nothing compresses, so even its WebP variants are large (about 1 MB at 1080 px). */
export function noiseJpeg(width = 1080, height = 1080): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}
