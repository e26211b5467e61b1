import { randomBytes, randomInt } from 'node:crypto';
import type { Key } from '../store/store.types.js';

export const POST_KIND = 'Post';
export const UPLOAD_KIND = 'Upload';
export const RECEIVER_KIND = 'PostReceiver';

export const postKey = (id: string): Key => ({ kind: POST_KIND, name: id });
export const uploadKey = (id: string): Key => ({ kind: UPLOAD_KIND, name: id });
/** Who sees a post in their timeline: PostReceivers live under their post. */
export const receiverKey = (postId: string, name: string): Key => ({
  kind: RECEIVER_KIND,
  name,
  parent: postKey(postId),
});

/** Largest reversed timestamp: keys of one bucket sort newest first until the year 2286. */
const MAX_MS = 9_999_999_999_999;

/** 128 random bits, hex. */
export const UPLOAD_ID_PATTERN = /^[0-9a-f]{32}$/;

export const POST_ID_PATTERN = /^[0-9a-f]{2}-\d{13}-[0-9a-f]{8}$/;

/**
 * A post key, `{bucket}-{reversed timestamp}-{random}`: the bucket spreads new posts over the key range instead of
 * appending them all at its end, and within a bucket keys sort newest first.
 */
export function newPostId(createdAt: Date): string {
  const bucket = randomInt(16).toString(16).padStart(2, '0');
  const reversed = String(MAX_MS - createdAt.getTime()).padStart(13, '0');
  return `${bucket}-${reversed}-${randomBytes(4).toString('hex')}`;
}

/** Where an upload's signed URL writes. */
export const uploadObjectName = (owner: string, uploadId: string): string => `uploads/${owner}/${uploadId}`;
/** Where a published image lives: a name no signed URL writes, so the checked bytes are the served bytes. */
export const mediaObjectName = (owner: string, uploadId: string): string => `media/${owner}/${uploadId}`;
