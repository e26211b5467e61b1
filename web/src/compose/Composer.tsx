import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, describeError, unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';
import { ErrorNotice } from '../ui/ErrorNotice';
import { IMAGE_TYPES, MAX_ALT_TEXT, MAX_CAPTION, MAX_IMAGES, mediaIndexOf, pickFiles, tooLargeMessage } from './files';
import { uploadImage } from './upload';

interface Draft {
  key: string;
  file: File;
  preview: string;
  altText: string;
  progress: number;
  uploadId?: string;
  error?: string;
}

let nextKey = 0;
/** Uploads going out together: enough to fill a connection, few enough that each one's progress means something. */
const UPLOADS_AT_ONCE = 3;

/** `work` on every item, at most `limit` at a time; the results in the items' order. */
async function inTurns<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) {
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function Composer() {
  const api = useApi();
  const client = useQueryClient();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const captionId = useId();
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [caption, setCaption] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const previews = useRef(new Set<string>());

  // Leaving the screen stops its uploads and its publish: nothing is posted and nobody is navigated away later.
  const leaving = useRef(new AbortController());
  useEffect(() => {
    const urls = previews.current;
    const controller = new AbortController();
    leaving.current = controller;
    return () => {
      controller.abort();
      urls.forEach((url) => URL.revokeObjectURL(url));
    };
  }, []);

  const change = (key: string, patch: Partial<Draft>): void =>
    setDrafts((current) => current.map((draft) => (draft.key === key ? { ...draft, ...patch } : draft)));

  const add = (files: FileList | null): void => {
    const { accepted, problems: refused } = pickFiles([...(files ?? [])], drafts.length);
    setProblems(refused);
    const added = accepted.map((file) => {
      const preview = URL.createObjectURL(file);
      previews.current.add(preview);
      return { key: String(nextKey++), file, preview, altText: '', progress: 0 };
    });
    setDrafts((current) => [...current, ...added]);
    if (input.current) {
      input.current.value = '';
    }
  };

  const remove = (draft: Draft): void => {
    URL.revokeObjectURL(draft.preview);
    previews.current.delete(draft.preview);
    setDrafts((current) => current.filter((item) => item.key !== draft.key));
  };

  const publish = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const signal = leaving.current.signal;
    const uploads = await inTurns(drafts, UPLOADS_AT_ONCE, async (draft) => {
      if (draft.uploadId !== undefined) {
        return draft.uploadId;
      }
      change(draft.key, { error: undefined, progress: 0 });
      try {
        const uploadId = await uploadImage(api, draft.file, (progress) => change(draft.key, { progress }), signal);
        change(draft.key, { uploadId, progress: 1 });
        return uploadId;
      } catch (cause) {
        const tooLarge = cause instanceof ApiError && cause.status === 413;
        const message = tooLarge
          ? tooLargeMessage(draft.file, cause.problem?.detail)
          : `${draft.file.name}: ${describeError(cause)}`;
        change(draft.key, { error: message, progress: 0 });
        return undefined;
      }
    });
    if (signal.aborted) {
      return;
    }
    if (uploads.some((id) => id === undefined)) {
      setBusy(false);
      setError(new Error('Some photos were not uploaded: remove them or try again.'));
      return;
    }
    try {
      const media = drafts.map((draft, index) => ({ uploadId: uploads[index] as string, altText: draft.altText }));
      const post = await unwrap(
        api.POST('/v1/posts', { body: { media, caption: caption.trim() || undefined }, signal }),
      );
      // Timelines, my grid and my profile's post count.
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.allPosts }),
        client.invalidateQueries({ queryKey: keys.me }),
        client.invalidateQueries({ queryKey: keys.allUsers }),
      ]);
      if (!signal.aborted) {
        void navigate(`/p/${post.id}`);
      }
    } catch (cause) {
      if (signal.aborted) {
        return;
      }
      const index = cause instanceof ApiError ? mediaIndexOf(cause.problem?.detail) : undefined;
      const draft = index === undefined ? undefined : drafts[index];
      if (draft) {
        // This upload cannot be published: it must be picked again, or left out.
        change(draft.key, { error: `${draft.file.name}: ${describeError(cause)}`, uploadId: undefined });
      }
      if (cause instanceof ApiError && cause.code === 'upload_expired') {
        setDrafts((current) => current.map((item) => ({ ...item, uploadId: undefined })));
      }
      setError(cause);
      setBusy(false);
    }
  };

  return (
    <form className="composer stack" onSubmit={(event) => void publish(event)} aria-labelledby="composer-title">
      <h1 id="composer-title">New post</h1>
      <label className="file-picker">
        <span>{drafts.length === 0 ? 'Choose photos' : 'Add more photos'}</span>
        <span className="muted small">
          1-{MAX_IMAGES} JPEG, PNG, WebP or AVIF images ({drafts.length} chosen)
        </span>
        <input
          ref={input}
          type="file"
          accept={IMAGE_TYPES.join(',')}
          multiple
          disabled={busy || drafts.length >= MAX_IMAGES}
          onChange={(event) => add(event.target.files)}
        />
      </label>
      {problems.length > 0 ? (
        <ul role="alert" className="error">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      <ol className="drafts" aria-label="Photos in this post">
        {drafts.map((draft, index) => (
          <li key={draft.key} className="draft">
            <img src={draft.preview} alt={`Preview of photo ${index + 1}`} className="draft-preview" />
            <div className="stack grow">
              <span className="small">{draft.file.name}</span>
              <label>
                Alt text for photo {index + 1}
                <textarea
                  rows={2}
                  maxLength={MAX_ALT_TEXT}
                  value={draft.altText}
                  placeholder="Describe the photo for people who cannot see it"
                  onChange={(event) => change(draft.key, { altText: event.target.value })}
                  disabled={busy}
                />
              </label>
              <progress
                max={1}
                value={draft.progress}
                aria-label={`Upload of ${draft.file.name}`}
                className={draft.progress > 0 || busy ? '' : 'idle'}
              />
              {draft.error ? (
                <p role="alert" className="error small">
                  {draft.error}
                </p>
              ) : null}
            </div>
            <button
              type="button"
              onClick={() => remove(draft)}
              disabled={busy}
              aria-label={`Remove ${draft.file.name}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <label htmlFor={captionId}>Caption</label>
      <textarea
        id={captionId}
        rows={3}
        maxLength={MAX_CAPTION}
        value={caption}
        onChange={(event) => setCaption(event.target.value)}
        disabled={busy}
      />
      <span className="muted small">
        {caption.length.toLocaleString('en')} / {MAX_CAPTION.toLocaleString('en')}
      </span>
      {error ? <ErrorNotice error={error} /> : null}
      <button type="submit" className="primary" disabled={busy || drafts.length === 0}>
        {busy ? 'Sharing…' : 'Share'}
      </button>
    </form>
  );
}
