import { describe, expect, it } from 'vitest';
import { formatBytes, mediaIndexOf, pickFiles, tooLargeMessage } from './files';

const file = (name: string, type: string, size = 10) => new File([new Uint8Array(size)], name, { type });

describe('pickFiles', () => {
  it('takes JPEG, PNG, WebP and AVIF and names every other file', () => {
    const { accepted, problems } = pickFiles(
      [
        file('a.jpg', 'image/jpeg'),
        file('b.gif', 'image/gif'),
        file('c', ''),
        file('d.avif', 'image/avif'),
        file('e.png', 'image/png', 0),
      ],
      0,
    );
    expect(accepted.map((item) => item.name)).toEqual(['a.jpg', 'd.avif']);
    expect(problems).toEqual([
      'b.gif is not a JPEG, PNG, WebP or AVIF image (image/gif).',
      'c is not a JPEG, PNG, WebP or AVIF image.',
      'e.png is empty.',
    ]);
  });

  it('stops at ten photos in a post, counting those already picked', () => {
    const files = Array.from({ length: 4 }, (_, index) => file(`${index}.webp`, 'image/webp'));
    const { accepted, problems } = pickFiles(files, 8);
    expect(accepted.map((item) => item.name)).toEqual(['0.webp', '1.webp']);
    expect(problems).toEqual([
      '2.webp was left out: a post has at most 10 photos.',
      '3.webp was left out: a post has at most 10 photos.',
    ]);
  });
});

describe('messages', () => {
  it('finds the image a publish refused', () => {
    expect(mediaIndexOf('media[2] is 12000 x 12000 px: at most 10,000 px a side')).toBe(2);
    expect(mediaIndexOf('caption must be at most 2,200 characters')).toBeUndefined();
    expect(mediaIndexOf(undefined)).toBeUndefined();
  });

  it('says how large a file is next to the limit', () => {
    expect(formatBytes(400_000)).toBe('400 kB');
    expect(formatBytes(10_485_760)).toBe('10.5 MB');
    expect(formatBytes(12)).toBe('1 kB');
    expect(
      tooLargeMessage(file('big.jpg', 'image/jpeg', 1_200_000), 'contentLength must be at most 400000 bytes'),
    ).toBe('big.jpg is too large (1.2 MB): the largest photo picfeed takes is 400 kB.');
    expect(tooLargeMessage(file('big.jpg', 'image/jpeg', 2_000), undefined)).toBe('big.jpg is too large (2 kB).');
  });
});
