import { http as target, type SignedIn, type Target } from './app.js';
import { tinyJpeg } from './images.js';

/** Asks for an upload URL and PUTs a generated image (a JPEG unless told) to it; the upload is ready to publish. */
export async function uploadImage(
  app: Target,
  user: SignedIn,
  jpeg: Buffer = tinyJpeg(),
  contentType = 'image/jpeg',
  contentLength = jpeg.length,
): Promise<{ uploadId: string; uploadUrl: string; headers: Record<string, string> }> {
  const http = () => target(app);
  const upload = await http()
    .post('/v1/uploads')
    .set('Authorization', user.auth)
    .send({ contentType, contentLength })
    .expect(201);
  const { uploadId, uploadUrl, headers } = upload.body as {
    uploadId: string;
    uploadUrl: string;
    headers: Record<string, string>;
  };
  const url = new URL(uploadUrl);
  await http().put(`${url.pathname}${url.search}`).set(headers).send(jpeg).expect(200);
  return { uploadId, uploadUrl, headers };
}

/** Publishes a post through the whole API flow (upload URL, PUT of a generated JPEG, POST /v1/posts). */
export async function publishPost(
  app: Target,
  user: SignedIn,
  caption = '',
  jpeg?: Buffer,
): Promise<{ id: string; imageUrl: string }> {
  const { uploadId } = await uploadImage(app, user, jpeg);
  const post = await target(app)
    .post('/v1/posts')
    .set('Authorization', user.auth)
    .send({ uploadId, caption })
    .expect(201);
  return post.body as { id: string; imageUrl: string };
}
