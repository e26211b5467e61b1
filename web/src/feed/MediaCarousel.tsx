import { useRef, useState } from 'react';
import type { Media } from '../api/client';
import { Blurhash } from '../ui/Blurhash';

const SIZES = '(max-width: 640px) 100vw, 600px';

/**
 * The post's images, each in a frame of its own aspect ratio before a byte of it has arrived (no layout shift),
 * its blurhash painted until it loads, the variant that fits picked by the browser.
 */
export function MediaCarousel({
  media,
  fallbackUrl,
  author,
  first,
  onDoubleTap,
}: {
  media: Media[];
  fallbackUrl: string;
  author: string;
  /** The post at the top of the screen: its first photo is fetched at once and ahead of the others. */
  first: boolean;
  onDoubleTap?: () => void;
}) {
  const track = useRef<HTMLDivElement>(null);
  const [index, setIndex] = useState(0);
  const items = media.length > 0 ? media : [undefined];
  const go = (to: number): void => {
    if (to < 0 || to >= items.length) {
      return;
    }
    const next = to;
    track.current?.children[next]?.scrollIntoView({ behavior: 'smooth', block: 'nearest', inline: 'start' });
    setIndex(next);
  };
  return (
    <div
      className="carousel"
      onDoubleClick={(event) => {
        // Two quick clicks on "Next photo" are not a like.
        if (!(event.target instanceof Element && event.target.closest('button'))) {
          onDoubleTap?.();
        }
      }}
    >
      <div
        ref={track}
        className="carousel-track"
        onScroll={(event) => {
          const element = event.currentTarget;
          setIndex(Math.round(element.scrollLeft / Math.max(1, element.clientWidth)));
        }}
      >
        {items.map((item, position) => (
          <Frame
            key={item?.url ?? fallbackUrl}
            media={item}
            fallbackUrl={fallbackUrl}
            alt={item?.altText ?? `Photo ${items.length > 1 ? `${position + 1} of ${items.length} ` : ''}by ${author}`}
            eager={first && position === 0}
          />
        ))}
      </div>
      {items.length > 1 ? (
        <>
          <button
            type="button"
            className="carousel-prev"
            aria-label="Previous photo"
            aria-disabled={index === 0}
            onClick={() => go(index - 1)}
          >
            ‹
          </button>
          <button
            type="button"
            className="carousel-next"
            aria-label="Next photo"
            aria-disabled={index === items.length - 1}
            onClick={() => go(index + 1)}
          >
            ›
          </button>
          <p className="carousel-dots" aria-live="polite">
            {index + 1} / {items.length}
          </p>
        </>
      ) : null}
    </div>
  );
}

function Frame({
  media,
  fallbackUrl,
  alt,
  eager,
}: {
  media?: Media;
  fallbackUrl: string;
  alt: string;
  eager: boolean;
}) {
  const [loaded, setLoaded] = useState(false);
  const srcSet = media?.variants.map((variant) => `${variant.url} ${variant.width}w`).join(', ');
  return (
    <div className="frame" style={{ aspectRatio: media ? `${media.width} / ${media.height}` : '1 / 1' }}>
      {media ? <Blurhash hash={media.blurhash} className="frame-placeholder" /> : null}
      <img
        src={media?.url ?? fallbackUrl}
        srcSet={srcSet}
        sizes={srcSet ? SIZES : undefined}
        width={media?.width}
        height={media?.height}
        alt={alt}
        loading={eager ? 'eager' : 'lazy'}
        fetchPriority={eager ? 'high' : 'auto'}
        decoding="async"
        className={loaded ? 'frame-image loaded' : 'frame-image'}
        onLoad={() => setLoaded(true)}
        draggable={false}
      />
    </div>
  );
}
