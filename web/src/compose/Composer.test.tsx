import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { aPost, json, problem, renderApp } from '../test-utils';
import { Composer } from './Composer';
import { uploadImage } from './upload';

vi.mock('./upload', () => ({ uploadImage: vi.fn() }));
const upload = vi.mocked(uploadImage);

const photo = (name: string, size = 2_000) => new File([new Uint8Array(size)], name, { type: 'image/jpeg' });

function renderComposer(handler: (request: Request) => Response = () => json(aPost({ id: 'new1' }), 201)) {
  return renderApp(<Composer />, {
    handler,
    path: '/new',
    route: '/new',
    others: <Route path="/p/:id" element={<h1>post page</h1>} />,
  });
}

async function publishedBody(requests: Request[]): Promise<unknown> {
  const publish = requests.find((request) => new URL(request.url).pathname === '/v1/posts');
  return publish ? await publish.json() : undefined;
}

describe('Composer', () => {
  beforeEach(() => {
    upload.mockReset();
    let id = 0;
    upload.mockImplementation((_api, _file, onProgress) => {
      onProgress(0.5);
      return Promise.resolve(`upload${++id}`);
    });
  });

  it('posts an album with its alt texts and caption, in the order picked, then opens the post', async () => {
    // The first photo's upload finishes last: the album keeps the order the photos were picked in.
    upload.mockImplementation(
      (_api, file) =>
        new Promise((resolve) => setTimeout(() => resolve(`upload-${file.name}`), file.name === 'one.jpg' ? 60 : 5)),
    );
    const view = renderComposer();
    await userEvent.upload(screen.getByLabelText(/Choose photos/), [photo('one.jpg'), photo('two.jpg')]);
    expect(screen.getAllByRole('img', { name: /Preview of photo/ })).toHaveLength(2);
    await userEvent.type(screen.getByLabelText('Alt text for photo 1'), 'A red door');
    await userEvent.type(screen.getByLabelText('Caption'), '  Doors  ');
    await userEvent.click(screen.getByRole('button', { name: 'Share' }));
    expect(await screen.findByRole('heading', { name: 'post page' })).toBeInTheDocument();
    expect(upload.mock.calls.map((call) => call[1].name)).toEqual(['one.jpg', 'two.jpg']);
    expect(await publishedBody(view.requests)).toEqual({
      media: [
        { uploadId: 'upload-one.jpg', altText: 'A red door' },
        { uploadId: 'upload-two.jpg', altText: '' },
      ],
      caption: 'Doors',
    });
  });

  it('uploads at most three photos at once', async () => {
    let running = 0;
    let most = 0;
    upload.mockImplementation(async (_api, file) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running -= 1;
      return `upload-${file.name}`;
    });
    renderComposer();
    await userEvent.upload(
      screen.getByLabelText(/Choose photos/),
      Array.from({ length: 7 }, (_, i) => photo(`${i}.jpg`)),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Share' }));
    await screen.findByRole('heading', { name: 'post page' });
    expect(upload).toHaveBeenCalledTimes(7);
    expect(most).toBe(3);
  });

  it('stops its uploads and publishes nothing when the person leaves mid-upload', async () => {
    let signal: AbortSignal | undefined;
    upload.mockImplementation((_api, _file, _progress, given) => {
      signal = given;
      return new Promise((_resolve, reject) => given?.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    const view = renderComposer();
    await userEvent.upload(screen.getByLabelText(/Choose photos/), photo('one.jpg'));
    await userEvent.click(screen.getByRole('button', { name: 'Share' }));
    await waitFor(() => expect(signal).toBeDefined());
    view.unmount();
    expect(signal?.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await publishedBody(view.requests)).toBeUndefined();
  });

  it('refuses a file that is not an image before uploading anything', async () => {
    renderComposer();
    const notes = new File(['hello'], 'notes.txt', { type: 'text/plain' });
    await userEvent.upload(screen.getByLabelText(/Choose photos/), notes, { applyAccept: false });
    expect(screen.getByRole('alert')).toHaveTextContent(
      'notes.txt is not a JPEG, PNG, WebP or AVIF image (text/plain).',
    );
    expect(screen.getByRole('button', { name: 'Share' })).toBeDisabled();
    expect(upload).not.toHaveBeenCalled();
  });

  it('names a file over the size limit and publishes nothing', async () => {
    upload.mockRejectedValueOnce(
      new ApiError(413, {
        type: 'x',
        title: 't',
        status: 413,
        code: 'upload_too_large',
        detail: 'contentLength must be at most 1000000 bytes',
        requestId: 'r',
      }),
    );
    const view = renderComposer();
    await userEvent.upload(screen.getByLabelText(/Choose photos/), photo('huge.jpg', 1_500_000));
    await userEvent.click(screen.getByRole('button', { name: 'Share' }));
    expect(
      await screen.findByText('huge.jpg is too large (1.5 MB): the largest photo picfeed takes is 1 MB.'),
    ).toBeInTheDocument();
    expect(await publishedBody(view.requests)).toBeUndefined();
    expect(screen.getByRole('button', { name: 'Share' })).toBeEnabled();
  });

  it('marks the image a publish refused and uploads only that one again', async () => {
    let publishes = 0;
    const view = renderComposer(() =>
      ++publishes === 1
        ? problem(400, 'invalid_image', 'media[1] is not a whole JPEG image')
        : json(aPost({ id: 'new1' }), 201),
    );
    await userEvent.upload(screen.getByLabelText(/Choose photos/), [photo('good.jpg'), photo('cut.jpg')]);
    await userEvent.click(screen.getByRole('button', { name: 'Share' }));
    expect(await screen.findByText('cut.jpg: media[1] is not a whole JPEG image')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Share' }));
    await screen.findByRole('heading', { name: 'post page' });
    expect(upload.mock.calls.map((call) => call[1].name)).toEqual(['good.jpg', 'cut.jpg', 'cut.jpg']);
    await waitFor(() => expect(publishes).toBe(2));
    expect(view.requests.filter((request) => new URL(request.url).pathname === '/v1/posts')).toHaveLength(2);
  });
});
