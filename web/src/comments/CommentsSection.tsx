import { useState, type FormEvent } from 'react';
import { RichText } from '../ui/RichText';
import { Link } from 'react-router';
import type { Comment, Post } from '../api/client';
import { ReportForm } from '../moderation/ReportForm';
import { Avatar } from '../ui/Avatar';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/LoadMore';
import { ago, count } from '../ui/time';
import {
  useAddComment,
  useComments,
  useCommentsEnabled,
  useDeleteComment,
  useLikeComment,
  useReplies,
} from './useComments';

const MAX_COMMENT = 2200;

/** A post's comments: top-level ones oldest first, each thread's replies folded until asked for. */
export function CommentsSection({ post, meId }: { post: Post; meId: string | undefined }) {
  const comments = useComments(post.id);
  const [replyTo, setReplyTo] = useState<Comment>();
  const mine = meId === post.author.id;
  const items = comments.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card stack" aria-labelledby="comments-title">
      <div className="row spread">
        <h2 id="comments-title">Comments ({post.commentCount.toLocaleString('en')})</h2>
        {mine ? <CommentsSwitch post={post} /> : null}
      </div>
      {comments.isPending ? <p aria-busy="true">Loading comments…</p> : null}
      {!comments.data && comments.isError ? (
        <ErrorNotice error={comments.error} onRetry={() => void comments.refetch()} />
      ) : null}
      {comments.data && items.length === 0 ? (
        <p className="empty">{post.commentsEnabled ? 'No comments yet. Be the first.' : 'No comments.'}</p>
      ) : null}
      <ul className="comments" aria-label="Comments">
        {items.map((comment) => (
          <li key={comment.id}>
            <CommentItem comment={comment} post={post} meId={meId} onReply={setReplyTo} />
            <Replies comment={comment} post={post} meId={meId} onReply={setReplyTo} />
          </li>
        ))}
      </ul>
      {comments.data ? <LoadMore pages={comments} label="More comments" /> : null}
      {post.commentsEnabled ? (
        <CommentForm postId={post.id} replyTo={replyTo} onDone={() => setReplyTo(undefined)} />
      ) : (
        <p className="muted">Comments are turned off for this post.</p>
      )}
    </section>
  );
}

function CommentsSwitch({ post }: { post: Post }) {
  const toggle = useCommentsEnabled(post.id);
  return (
    <div>
      <button type="button" onClick={() => toggle.mutate(!post.commentsEnabled)} disabled={toggle.isPending}>
        {post.commentsEnabled ? 'Turn comments off' : 'Turn comments on'}
      </button>
      {toggle.isError ? <ErrorNotice error={toggle.error} /> : null}
    </div>
  );
}

function Replies({
  comment,
  post,
  meId,
  onReply,
}: {
  comment: Comment;
  post: Post;
  meId: string | undefined;
  onReply: (comment: Comment) => void;
}) {
  const [open, setOpen] = useState(false);
  const replies = useReplies(comment.id, open);
  if (comment.replyCount === 0) {
    return null;
  }
  const items = replies.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="replies">
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide replies' : `View ${count(comment.replyCount, 'reply', 'replies')}`}
      </button>
      {open ? (
        <>
          {replies.isPending ? <p aria-busy="true">Loading replies…</p> : null}
          {!replies.data && replies.isError ? <ErrorNotice error={replies.error} /> : null}
          <ul className="comments" aria-label={`Replies to ${comment.author.username}`}>
            {items.map((reply) => (
              <li key={reply.id}>
                <CommentItem comment={reply} post={post} meId={meId} onReply={onReply} />
              </li>
            ))}
          </ul>
          {replies.data ? <LoadMore pages={replies} label="More replies" /> : null}
        </>
      ) : null}
    </div>
  );
}

function CommentItem({
  comment,
  post,
  meId,
  onReply,
}: {
  comment: Comment;
  post: Post;
  meId: string | undefined;
  onReply: (comment: Comment) => void;
}) {
  const like = useLikeComment(comment);
  const remove = useDeleteComment(comment);
  const removable = meId !== undefined && (comment.author.id === meId || post.author.id === meId);
  const [reporting, setReporting] = useState(false);
  return (
    <article className="comment" aria-label={`Comment by ${comment.author.username}`}>
      <Link to={`/u/${comment.author.username}`} aria-hidden="true" tabIndex={-1}>
        <Avatar url={comment.author.avatarUrl} name={comment.author.displayName} size={32} />
      </Link>
      <div className="stack grow tight">
        <p className="comment-text">
          <Link to={`/u/${comment.author.username}`}>
            <strong>{comment.author.username}</strong>
          </Link>{' '}
          <RichText text={comment.text} />
        </p>
        <div className="row small muted">
          <time dateTime={comment.createdAt}>{ago(comment.createdAt)}</time>
          <span data-testid="comment-like-count">{count(comment.likeCount, 'like', 'likes')}</span>
          {post.commentsEnabled ? (
            <button
              type="button"
              className="link"
              aria-label={`Reply to ${comment.author.username}’s comment`}
              onClick={() => onReply(comment)}
            >
              Reply
            </button>
          ) : null}
          {removable ? (
            <button
              type="button"
              className="link"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm('Delete this comment and its replies?')) {
                  remove.mutate();
                }
              }}
            >
              Delete
            </button>
          ) : null}
          {meId !== undefined && comment.author.id !== meId ? (
            <button
              type="button"
              className="link"
              aria-label={`Report ${comment.author.username}’s comment`}
              onClick={() => setReporting(true)}
            >
              Report
            </button>
          ) : null}
        </div>
        {reporting ? (
          <ReportForm target={{ commentId: comment.id }} what="comment" onDone={() => setReporting(false)} />
        ) : null}
        {remove.isError ? <ErrorNotice error={remove.error} /> : null}
        {like.isError ? (
          <p role="alert" className="error small">
            Your like was not saved: {like.error.message}
          </p>
        ) : null}
      </div>
      <button
        type="button"
        className={comment.likedByMe ? 'icon-button small-icon liked' : 'icon-button small-icon'}
        aria-pressed={comment.likedByMe}
        aria-label={`Like ${comment.author.username}’s comment`}
        onClick={() => like.mutate(!comment.likedByMe)}
      >
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
          <path d="M12 21s-7.5-4.6-9.6-9.3C1 8.4 3 4.5 6.8 4.5c2.2 0 3.6 1.2 5.2 3.1 1.6-1.9 3-3.1 5.2-3.1 3.8 0 5.8 3.9 4.4 7.2C19.5 16.4 12 21 12 21z" />
        </svg>
      </button>
    </article>
  );
}

function CommentForm({ postId, replyTo, onDone }: { postId: string; replyTo?: Comment; onDone: () => void }) {
  const add = useAddComment(postId);
  const [text, setText] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    add.mutate(
      { text: text.trim(), replyTo: replyTo?.id },
      {
        onSuccess: () => {
          setText('');
          onDone();
        },
      },
    );
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Write a comment">
      {replyTo ? (
        <p className="small">
          Replying to <strong>{replyTo.author.username}</strong>{' '}
          <button type="button" className="link" onClick={onDone}>
            Cancel
          </button>
        </p>
      ) : null}
      <label>
        {replyTo ? `Reply to ${replyTo.author.username}` : 'Add a comment'}
        <textarea
          rows={2}
          maxLength={MAX_COMMENT}
          value={text}
          onChange={(event) => setText(event.target.value)}
          disabled={add.isPending}
        />
      </label>
      {add.isError ? <ErrorNotice error={add.error} /> : null}
      <div className="row">
        <button type="submit" className="primary" disabled={add.isPending || text.trim() === ''}>
          {add.isPending ? 'Posting…' : replyTo ? 'Reply' : 'Post'}
        </button>
      </div>
    </form>
  );
}
