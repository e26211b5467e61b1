import { ApiError, unwrap, type Api, type Problem } from '../api/client';
import type { ImageType } from './files';

/** Headers the browser sets itself and refuses to take from a script. */
const BROWSER_HEADERS = new Set(['content-length', 'host']);

/**
 * Sends one image the way the API wants it: a signed URL from POST /v1/uploads, then the bytes straight to
 * storage, reporting progress as a fraction. Resolves with the upload id to publish.
 */
export async function uploadImage(
  api: Api,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const grant = await unwrap(
    api.POST('/v1/uploads', { body: { contentLength: file.size, contentType: file.type as ImageType }, signal }),
  );
  await put(grant.uploadUrl, grant.method, grant.headers, file, onProgress, signal);
  return grant.uploadId;
}

function put(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: Blob,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    for (const [name, value] of Object.entries(headers)) {
      if (!BROWSER_HEADERS.has(name.toLowerCase())) {
        request.setRequestHeader(name, value);
      }
    }
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) {
        onProgress(event.loaded / event.total);
      }
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(request.status, problemOf(request.responseText, request.status)));
      }
    };
    request.onerror = () => reject(new ApiError(0, undefined));
    request.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(body);
  });
}

function problemOf(text: string, status: number): Problem | undefined {
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (typeof body.detail === 'string') {
      return body as Problem;
    }
  } catch {
    // Cloud Storage answers XML: the status says enough.
  }
  return status === 413 ? ({ detail: 'the image is too large', status } as Problem) : undefined;
}
