import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Comment } from '../api/client';
import { aPost, deferred, json, problem, renderApp } from '../test-utils';
import { CommentsSection } from './CommentsSection';

const author = { id: 'u2', username: 'ben', displayName: 'Ben', avatarUrl: null };
const aComment = (overrides: Partial<Comment> = {}): Comment => ({
  id: 'p1.1733100000000aaaaaaaa',
  postId: 'p1',
  author,
  text: 'Nice one',
  replyTo: null,
  mentions: [],
  tags: [],
  createdAt: new Date().toISOString(),
  likeCount: 2,
  likedByMe: false,
  replyCount: 0,
  ...overrides,
});

describe('CommentsSection', () => {
  it('replies to a comment: the reply names its parent and the thread opens with it', async () => {
    const top = aComment({ replyCount: 1 });
    const reply = aComment({
      id: 'p1.1733100000001bbbbbbbb',
      text: 'Thanks!',
      replyTo: top.id,
      author: { ...author, id: 'u1', username: 'alice' },
    });
    const view = renderApp(<CommentsSection post={aPost({ commentCount: 2 })} meId="u3" />, {
      handler: (request) => {
        const path = new URL(request.url).pathname;
        if (request.method === 'POST') {
          return json(aComment({ id: 'p1.1733100000002cccccccc', text: 'me too', replyTo: top.id }), 201);
        }
        return path.endsWith('/replies')
          ? json({ items: [reply], nextCursor: null })
          : json({ items: [top], nextCursor: null });
      },
    });
    await screen.findByText('Nice one');
    await userEvent.click(screen.getByRole('button', { name: 'View 1 reply' }));
    expect(await screen.findByText('Thanks!')).toBeInTheDocument();
    await userEvent.click(
      within(screen.getByRole('article', { name: 'Comment by ben' })).getByRole('button', {
        name: 'Reply to ben’s comment',
      }),
    );
    expect(screen.getByText(/Replying to/)).toHaveTextContent('Replying to ben');
    await userEvent.type(screen.getByLabelText('Reply to ben'), '  me too ');
    await userEvent.click(screen.getByRole('button', { name: 'Reply' }));
    await waitFor(() => expect(screen.queryByText(/Replying to/)).toBeNull());
    const sent = view.requests.find((request) => request.method === 'POST');
    expect(await sent?.json()).toEqual({ text: 'me too', replyTo: top.id });
  });

  it('likes a comment at once and keeps the server’s count', async () => {
    const answer = deferred<Response>();
    renderApp(<CommentsSection post={aPost()} meId="u3" />, {
      handler: (request) =>
        request.method === 'PUT' ? answer.promise : json({ items: [aComment()], nextCursor: null }),
    });
    const like = await screen.findByRole('button', { name: 'Like ben’s comment' });
    await userEvent.click(like);
    expect(like).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('comment-like-count')).toHaveTextContent('3 likes');
    answer.resolve(json({ liked: true, likeCount: 7 }));
    await waitFor(() => expect(screen.getByTestId('comment-like-count')).toHaveTextContent('7 likes'));
  });

  it('reports someone else’s comment with a reason, and offers no Report on my own', async () => {
    const sent: unknown[] = [];
    renderApp(<CommentsSection post={aPost({ commentCount: 2 })} meId="u3" />, {
      handler: async (request) => {
        if (request.method === 'POST') {
          sent.push(await request.json());
          return json({}, 201);
        }
        const mine = aComment({ id: 'p1.1733100000003dddddddd', author: { ...author, id: 'u3', username: 'me' } });
        return json({ items: [aComment(), mine], nextCursor: null });
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Report ben’s comment' }));
    expect(screen.queryByRole('button', { name: 'Report me’s comment' })).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Why are you reporting this comment?'), 'harassment');
    await userEvent.click(screen.getByRole('button', { name: 'Send report' }));
    expect(await screen.findByText('Thanks. The admins will look at this comment.')).toBeInTheDocument();
    expect(sent).toEqual([{ commentId: 'p1.1733100000000aaaaaaaa', reason: 'harassment' }]);
  });

  it('offers delete only on my comments and on comments of my post', async () => {
    const mine = aComment({
      id: 'p1.1733100000003dddddddd',
      text: 'mine',
      author: { ...author, id: 'u3', username: 'cat' },
    });
    const handler = () => json({ items: [aComment(), mine], nextCursor: null });
    const asCommenter = renderApp(<CommentsSection post={aPost()} meId="u3" />, { handler });
    await screen.findByText('mine');
    expect(
      within(screen.getByRole('article', { name: 'Comment by cat' })).getByRole('button', { name: 'Delete' }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('article', { name: 'Comment by ben' })).queryByRole('button', { name: 'Delete' }),
    ).toBeNull();
    asCommenter.unmount();
    renderApp(<CommentsSection post={aPost()} meId="u1" />, { handler });
    await screen.findByText('mine');
    expect(screen.getAllByRole('button', { name: 'Delete' })).toHaveLength(2);
  });

  it('lets the post’s author turn comments off, sending only that', async () => {
    const view = renderApp(<CommentsSection post={aPost()} meId="u1" />, {
      handler: (request) =>
        request.method === 'PATCH' ? json(aPost({ commentsEnabled: false })) : json({ items: [], nextCursor: null }),
    });
    expect(await screen.findByText('No comments yet. Be the first.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Turn comments off' }));
    await waitFor(() => expect(view.requests.some((request) => request.method === 'PATCH')).toBe(true));
    const patch = view.requests.find((request) => request.method === 'PATCH');
    expect(await patch?.json()).toEqual({ commentsEnabled: false });
  });

  it('says why a comment was refused and keeps the text', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderApp(<CommentsSection post={aPost()} meId="u3" />, {
      handler: (request) =>
        request.method === 'POST'
          ? problem(403, 'comments_disabled', 'the author turned comments off for this post')
          : json({ items: [], nextCursor: null }),
    });
    await userEvent.type(await screen.findByLabelText('Add a comment'), 'hello');
    await userEvent.click(screen.getByRole('button', { name: 'Post' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('the author turned comments off for this post');
    expect(screen.getByLabelText('Add a comment')).toHaveValue('hello');
  });
});
