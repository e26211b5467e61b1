import { render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Blurhash } from './Blurhash';

describe('Blurhash', () => {
  it('paints the hash at 32 x 32 before the photo arrives', () => {
    const putImageData = vi.fn();
    const context = {
      createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }),
      putImageData,
    };
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(context as never);
    const { container } = render(<Blurhash hash="LEHV6nWB2yk8pyo0adR*.7kCMdnj" />);
    const canvas = container.querySelector('canvas');
    expect(canvas).toHaveAttribute('aria-hidden', 'true');
    expect(putImageData).toHaveBeenCalledTimes(1);
    const painted = putImageData.mock.calls[0][0] as { data: Uint8ClampedArray };
    expect(painted.data).toHaveLength(32 * 32 * 4);
    expect(painted.data.some((value) => value > 0 && value < 255)).toBe(true);
  });

  it('leaves the plain background for a hash that does not decode', () => {
    const putImageData = vi.fn();
    const context = {
      createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }),
      putImageData,
    };
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(context as never);
    render(<Blurhash hash="not a hash" />);
    expect(putImageData).not.toHaveBeenCalled();
  });
});
