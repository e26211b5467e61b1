import type { Post } from '../api/client';

export function LikeButton({ post, onToggle }: { post: Post; onToggle: (like: boolean) => void }) {
  return (
    <button
      type="button"
      className={post.likedByMe ? 'icon-button liked' : 'icon-button'}
      aria-pressed={post.likedByMe}
      aria-label="Like"
      onClick={() => onToggle(!post.likedByMe)}
    >
      <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
        <path d="M12 21s-7.5-4.6-9.6-9.3C1 8.4 3 4.5 6.8 4.5c2.2 0 3.6 1.2 5.2 3.1 1.6-1.9 3-3.1 5.2-3.1 3.8 0 5.8 3.9 4.4 7.2C19.5 16.4 12 21 12 21z" />
      </svg>
    </button>
  );
}
