import { availableParallelism } from 'node:os';
import { encode as encodeBlurhash } from 'blurhash';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { DomainError, ErrorCode } from '../common/errors.js';
import { Slots } from './slots.js';

/** The image types an upload may declare, and the format sharp must find when it decodes one. */
export const IMAGE_FORMATS = {
  'image/jpeg': { format: 'jpeg' },
  'image/png': { format: 'png' },
  'image/webp': { format: 'webp' },
  'image/avif': { format: 'heif', compression: 'av1' },
} as const;
export type ImageType = keyof typeof IMAGE_FORMATS;
export const IMAGE_TYPES = Object.keys(IMAGE_FORMATS) as ImageType[];

/** The largest image decoded: 40 megapixels, 10,000 px a side. Anything larger is refused from its header alone. */
export const MAX_PIXELS = 40_000_000;
export const MAX_SIDE = 10_000;

/** Post images keep their aspect ratio and are scaled to each width; avatars are centre-cropped squares. */
export interface VariantPlan {
  readonly shape: 'width' | 'square';
  /** Widths (or sides) from smallest to largest; none is ever larger than the image. */
  readonly sizes: readonly number[];
}

export interface ProcessedVariant {
  /** The planned size this variant fills (it is smaller when the image is). */
  readonly slot: number;
  readonly width: number;
  readonly height: number;
  /** WebP. */
  readonly bytes: Buffer;
}

export interface ProcessedImage {
  /** Of the largest variant. */
  readonly width: number;
  readonly height: number;
  readonly blurhash: string;
  /** One per planned size the image reaches (at least one), smallest first. */
  readonly variants: readonly ProcessedVariant[];
}

const WEBP = { quality: 80, alphaQuality: 90, effort: 4 } as const;
const BLURHASH_SIDE = 32;
/** Sharp checks the pixel count itself too, before it decodes; "error" refuses a truncated file. */
const DECODE = { limitInputPixels: MAX_PIXELS, failOn: 'error' } as const;

/**
 * Decodes uploads with sharp (libvips) and writes their WebP variants: upright from EXIF, sRGB, every metadata field
 * dropped (GPS, camera, ICC), transparency kept. At most `concurrency` images are worked on at once, the rest wait:
 * with each decode bounded to MAX_PIXELS, so is the memory of any number of concurrent publishes.
 */
export class ImageProcessor {
  private readonly slots: Slots;

  constructor(concurrency: number) {
    this.slots = new Slots(concurrency);
    // Unique images every time: libvips' operation cache would only hold memory. Its threads: one per core.
    sharp.cache(false);
    sharp.concurrency(availableParallelism());
  }

  /** Images being worked on now, and waiting for a turn. */
  get load(): { running: number; waiting: number } {
    return this.slots.load;
  }

  /**
   * Loads (inside the image's turn, so waiting uploads hold no memory) and processes one image. Throws
   * invalid_image, with `name` in its message, for anything but a whole image of the declared type within the limits.
   */
  process(name: string, type: ImageType, load: () => Promise<Buffer>, plan: VariantPlan): Promise<ProcessedImage> {
    return this.slots.run(async () => processImage(name, type, await load(), plan));
  }
}

async function processImage(name: string, type: ImageType, bytes: Buffer, plan: VariantPlan): Promise<ProcessedImage> {
  const refuse = (why: string) => new DomainError(ErrorCode.InvalidImage, `${name} ${why}`);
  // The header alone (no pixel is decoded), without the pixel limit: an oversized image is refused with its size.
  const header = await readHeader(bytes);
  if (!header) {
    throw refuse(`is not a valid ${type} file`);
  }
  const expected: { format: string; compression?: string } = IMAGE_FORMATS[type];
  if (header.format !== expected.format || (expected.compression && header.compression !== expected.compression)) {
    throw refuse(`is not a valid ${type} file (it is ${header.format ?? 'of no known format'})`);
  }
  const { width, height } = header;
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw refuse(
      `is ${width} x ${height} px: at most ${MAX_SIDE.toLocaleString('en')} px a side and ${MAX_PIXELS / 1_000_000} megapixels`,
    );
  }
  try {
    return await render(bytes, plan, header.autoOrient);
  } catch (error) {
    // libvips' own errors (truncated data, a corrupt scan): the file is not the image it claims to be.
    throw error instanceof DomainError ? error : refuse(`could not be decoded: ${firstLine(error)}`);
  }
}

/** The image's header; undefined for bytes that are no image sharp knows (sharp throws at once for an empty one). */
async function readHeader(bytes: Buffer): Promise<Metadata | undefined> {
  try {
    return await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return undefined;
  }
}

/** One decode, scaled to the largest variant, from which the smaller ones and the placeholder are made. */
async function render(
  bytes: Buffer,
  plan: VariantPlan,
  upright: { width: number; height: number },
): Promise<ProcessedImage> {
  const side = Math.min(
    plan.sizes.at(-1)!,
    plan.shape === 'width' ? upright.width : Math.min(upright.width, upright.height),
  );
  const scaled = sharp(bytes, DECODE)
    .rotate()
    .resize(plan.shape === 'width' ? { width: side } : { width: side, height: side, fit: 'cover', position: 'centre' });
  const base = await scaled.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: base.info.width, height: base.info.height, channels: base.info.channels } } as const;
  const fromBase = (): Sharp => sharp(base.data, raw);
  // Every planned size below the image's own, then the next one up filled at the image's size: never upscaled.
  const below = plan.sizes.filter((size) => size < side);
  const filled = plan.sizes.find((size) => size >= side);
  const slots = filled === undefined ? below : [...below, filled];
  const variants = await Promise.all(
    slots.map(async (slot) => {
      const target = Math.min(slot, side);
      const resized =
        target === side ? fromBase() : fromBase().resize(plan.shape === 'width' ? { width: target } : target);
      const { data, info } = await resized.webp(WEBP).toBuffer({ resolveWithObject: true });
      return { slot, width: info.width, height: info.height, bytes: data };
    }),
  );
  const top = variants.at(-1)!;
  return { width: top.width, height: top.height, blurhash: await blurhashOf(fromBase()), variants };
}

/** The image's blurhash (Mastodon's and Pixelfed's placeholder), from a 32 px thumbnail. */
async function blurhashOf(image: Sharp): Promise<string> {
  const { data, info } = await image
    .resize(BLURHASH_SIDE, BLURHASH_SIDE, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const x = info.width >= info.height ? 4 : 3;
  return encodeBlurhash(new Uint8ClampedArray(data), info.width, info.height, x, 7 - x);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
}
