import { decode } from 'blurhash';
import { useEffect, useRef } from 'react';

const SIZE = 32;

/** The image's blurhash painted at 32 x 32 and stretched under it until the image has loaded. */
export function Blurhash({ hash, className }: { hash: string | null; className?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context || !hash) {
      return;
    }
    try {
      const pixels = decode(hash, SIZE, SIZE);
      const image = context.createImageData(SIZE, SIZE);
      image.data.set(pixels);
      context.putImageData(image, 0, 0);
    } catch {
      // A hash that does not decode leaves the plain background.
    }
  }, [hash]);
  return <canvas ref={canvas} width={SIZE} height={SIZE} className={className} aria-hidden="true" />;
}
