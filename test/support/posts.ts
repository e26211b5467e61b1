import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { SignedIn } from './app.js';
import { tinyJpeg } from './images.js';

/** Asks for an upload URL and PUTs a generated JPEG to it; the upload is ready to publish. */
export async function uploadImage(app: NestExpressApplication, user: SignedIn): Promise<{ uploadId: string }> {
  const http = () => request(app.getHttpServer());
  const jpeg = tinyJpeg();
  const upload = await http()
    .post('/v1/uploads')
    .set('Authorization', user.auth)
    .send({ contentType: 'image/jpeg', contentLength: jpeg.length })
    .expect(201);
  const { uploadId, uploadUrl, headers } = upload.body as {
    uploadId: string;
    uploadUrl: string;
    headers: Record<string, string>;
  };
  const url = new URL(uploadUrl);
  await http().put(`${url.pathname}${url.search}`).set(headers).send(jpeg).expect(200);
  return { uploadId };
}

/** Publishes a post through the whole API flow (upload URL, PUT of a generated JPEG, POST /v1/posts). */
export async function publishPost(app: NestExpressApplication, user: SignedIn, caption = ''): Promise<{ id: string }> {
  const { uploadId } = await uploadImage(app, user);
  const post = await request(app.getHttpServer())
    .post('/v1/posts')
    .set('Authorization', user.auth)
    .send({ uploadId, caption })
    .expect(201);
  return post.body as { id: string };
}
