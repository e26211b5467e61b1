import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { unwrap, type Post } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { MAX_CAPTION } from '../compose/files';
import { updatePost } from '../feed/post-cache';
import { ErrorNotice } from '../ui/ErrorNotice';

/** The author's caption edit: PATCH sends the caption alone, and every card of the post shows the new one. */
export function CaptionEditor({ post }: { post: Post }) {
  const api = useApi();
  const client = useQueryClient();
  const [text, setText] = useState<string>();
  const save = useMutation({
    mutationFn: (caption: string) =>
      unwrap(api.PATCH('/v1/posts/{id}', { params: { path: { id: post.id } }, body: { caption } })),
    onSuccess: (saved) => {
      updatePost(client, post.id, (current) => ({
        ...current,
        caption: saved.caption,
        tags: saved.tags,
        mentions: saved.mentions,
        editedAt: saved.editedAt,
      }));
      setText(undefined);
    },
  });
  if (text === undefined) {
    return (
      <button type="button" onClick={() => setText(post.caption)}>
        Edit caption
      </button>
    );
  }
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    save.mutate(text.trim());
  };
  return (
    <form className="stack grow" onSubmit={submit} aria-label="Edit caption">
      <label>
        Caption
        <textarea rows={3} maxLength={MAX_CAPTION} value={text} onChange={(event) => setText(event.target.value)} />
      </label>
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending || text.trim() === post.caption}>
          {save.isPending ? 'Saving…' : 'Save caption'}
        </button>
        <button type="button" onClick={() => setText(undefined)} disabled={save.isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
