import sharp from 'sharp';
import { bombPng, cameraJpeg, photoJpeg, tinyJpeg, transparentPng } from '../../test/support/images.js';
import { ErrorCode } from '../common/errors.js';
import { AVATAR_VARIANT_SIDES, POST_VARIANT_WIDTHS } from '../keys/media.keys.js';
import { ImageProcessor, type ImageType, type VariantPlan } from './image-processor.js';

const POST: VariantPlan = { shape: 'width', sizes: POST_VARIANT_WIDTHS };
const AVATAR: VariantPlan = { shape: 'square', sizes: AVATAR_VARIANT_SIDES };

describe('ImageProcessor', () => {
  const sut = new ImageProcessor(2);
  const run = (bytes: Buffer, type: ImageType = 'image/jpeg', plan = POST) =>
    sut.process('media[0]', type, () => Promise.resolve(bytes), plan);

  it('should turn a portrait camera JPEG upright and drop every metadata field, GPS and serial included', async () => {
    const input = await cameraJpeg();
    expect((await sharp(input).metadata()).orientation).toBe(6);

    const image = await run(input);

    expect(image.variants.map(({ slot, width, height }) => ({ slot, width, height }))).toEqual([
      { slot: 320, width: 300, height: 400 },
    ]);
    const out = image.variants[0].bytes;
    const meta = await sharp(out).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 300, height: 400 });
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    for (const secret of ['PicfeedCam', 'Model X', 'SN-0042-SECRET', 'Exif', 'GPS']) {
      expect(out.includes(secret)).toBe(false);
    }
    expect(image).toMatchObject({ width: 300, height: 400 });
  });

  it('should make 320, 640 and 1080 px wide variants of a large photo, keeping its aspect ratio', async () => {
    const image = await run(await photoJpeg(2400, 1600));

    expect(image.variants.map(({ width, height }) => [width, height])).toEqual([
      [320, 213],
      [640, 427],
      [1080, 720],
    ]);
    expect(image).toMatchObject({ width: 1080, height: 720 });
    for (const variant of image.variants) {
      expect(await sharp(variant.bytes).metadata()).toMatchObject({ format: 'webp', width: variant.width });
    }
  });

  it('should never upscale: a 500 px image fills 320 and, at its own width, 640', async () => {
    const image = await run(await photoJpeg(500, 400));

    expect(image.variants.map(({ slot, width }) => [slot, width])).toEqual([
      [320, 320],
      [640, 500],
    ]);
    const tiny = await run(tinyJpeg());
    expect(tiny.variants.map(({ slot, width, height }) => [slot, width, height])).toEqual([[320, 8, 8]]);
  });

  it('should keep the transparency of a PNG', async () => {
    const image = await run(await transparentPng(), 'image/png');

    const { data, info } = await sharp(image.variants[0].bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    const alphaAt = (x: number, y: number) => data[(y * info.width + x) * 4 + 3];
    expect(alphaAt(2, 10)).toBe(0);
    expect(alphaAt(info.width - 3, 10)).toBe(255);
  });

  it('should give a blurhash of the image', async () => {
    const image = await run(await photoJpeg(600, 400));

    expect(image.blurhash).toMatch(/^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{20,}$/);
  });

  it('should make square, centre-cropped avatars, never larger than the short side', async () => {
    const big = await run(await photoJpeg(1200, 800), 'image/jpeg', AVATAR);
    const small = await run(await photoJpeg(200, 120), 'image/jpeg', AVATAR);

    expect(big.variants.map(({ width, height }) => [width, height])).toEqual([
      [64, 64],
      [160, 160],
      [320, 320],
    ]);
    expect(small.variants.map(({ slot, width, height }) => [slot, width, height])).toEqual([
      [64, 64, 64],
      [160, 120, 120],
    ]);
  });

  it('should decode AVIF and WebP as declared', async () => {
    const base = sharp(await photoJpeg(100, 80));
    const avif = await base.clone().avif().toBuffer();
    const webp = await base.clone().webp().toBuffer();

    await expect(run(avif, 'image/avif')).resolves.toMatchObject({ width: 100, height: 80 });
    await expect(run(webp, 'image/webp')).resolves.toMatchObject({ width: 100, height: 80 });
  });

  it.each([
    [
      'an HTML page behind a JPEG header',
      () => Promise.resolve(Buffer.concat([tinyJpeg().subarray(0, 3), Buffer.from('<html><body>hi</body></html>')])),
      'image/jpeg',
      /media\[0\] (is not a valid image\/jpeg file|could not be decoded)/,
    ],
    [
      'a PNG declared as JPEG',
      transparentPng,
      'image/jpeg',
      /media\[0\] is not a valid image\/jpeg file \(it is png\)/,
    ],
    [
      'an empty file',
      () => Promise.resolve(Buffer.alloc(0)),
      'image/webp',
      /media\[0\] is not a valid image\/webp file/,
    ],
    [
      'a truncated JPEG',
      async () => (await photoJpeg(800, 600)).subarray(0, 4000),
      'image/jpeg',
      /media\[0\] could not be decoded/,
    ],
    [
      'a 12,000 x 12,000 PNG of a few kB',
      () => bombPng(),
      'image/png',
      /media\[0\] is 12000 x 12000 px: at most 10,000 px a side and 40 megapixels/,
    ],
    [
      'a 9,000 x 5,000 PNG (45 megapixels)',
      () =>
        sharp({ create: { width: 9000, height: 5000, channels: 3, background: '#000' } })
          .png()
          .toBuffer(),
      'image/png',
      /is 9000 x 5000 px/,
    ],
  ] as const)('should refuse %s with invalid_image, naming the image', async (_, make, type, message) => {
    const bytes = await make();

    await expect(run(bytes, type)).rejects.toMatchObject({
      code: ErrorCode.InvalidImage,
      message: expect.stringMatching(message) as string,
    });
  });

  it('should refuse a decompression bomb from its header, without decoding it', async () => {
    const bomb = await bombPng();
    expect(bomb.length).toBeLessThan(20_000);
    console.log(`bomb: ${bomb.length} bytes for 12000 x 12000 px`);
    const before = process.memoryUsage().rss;

    await expect(run(bomb, 'image/png')).rejects.toMatchObject({ code: ErrorCode.InvalidImage });

    // Decoding it would take 144 MB; the header alone takes nothing to speak of.
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('should work on at most `concurrency` images at once and let the rest wait their turn', async () => {
    const bytes = await photoJpeg(64, 64);
    let running = 0;
    let most = 0;
    const load = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return bytes;
    };

    await Promise.all(Array.from({ length: 8 }, (_, i) => sut.process(`media[${i}]`, 'image/jpeg', load, POST)));

    expect(most).toBe(2);
    expect(sut.load).toEqual({ running: 0, waiting: 0 });
  });
});
