import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderApp } from '../test-utils';
import { RichText } from '../ui/RichText';
import { SearchPage } from './SearchPage';
import { Suggestions } from './Suggestions';

const person = (id: string) => ({ id, username: id, displayName: id.toUpperCase(), avatarUrl: null });

describe('SearchPage', () => {
  it('searches people and hashtags once typing pauses, not on every key', async () => {
    const { requests } = renderApp(<SearchPage />, {
      handler: (request) => {
        const url = new URL(request.url);
        if (url.pathname === '/v1/search/users') {
          return json({ items: url.searchParams.get('q') === 'jos' ? [person('jose')] : [] });
        }
        return json({ items: [{ tag: 'josefine', postCount: 1204 }] });
      },
    });

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search people and hashtags' }), 'jos');

    expect(await screen.findByRole('link', { name: /^jose/ })).toHaveAttribute('href', '/u/jose');
    expect(screen.getByRole('link', { name: /#josefine/ })).toHaveAttribute('href', '/t/josefine');
    expect(screen.getByText('1,204 posts')).toBeInTheDocument();
    const searched = requests.map((request) => new URL(request.url).searchParams.get('q'));
    expect(searched).toEqual(['jos', '#jos']);
  });

  it('says so when nothing matches', async () => {
    renderApp(<SearchPage />, { handler: () => json({ items: [] }) });

    await userEvent.type(screen.getByRole('searchbox', { name: 'Search people and hashtags' }), 'zzz');

    expect(await screen.findByText('No one and no hashtag matches “zzz”.')).toBeInTheDocument();
  });
});

describe('RichText', () => {
  it('links hashtags to their pages and mentions to profiles, leaving the rest as text', () => {
    renderApp(<p>{<RichText text="Sunset at #Café_Noir with @ada.lovelace. mail a@b.c" />}</p>, {
      handler: () => json({}),
    });

    expect(screen.getByRole('link', { name: '#Café_Noir' })).toHaveAttribute('href', '/t/caf%C3%A9_noir');
    expect(screen.getByRole('link', { name: '@ada.lovelace' })).toHaveAttribute('href', '/u/ada.lovelace');
    expect(screen.getAllByRole('link')).toHaveLength(2);
  });
});

describe('Suggestions', () => {
  it('follows a suggested person from the list', async () => {
    const sent: string[] = [];
    renderApp(<Suggestions />, {
      handler: (request) => {
        const { pathname } = new URL(request.url);
        if (pathname === '/v1/me/suggestions') {
          return json({ items: [person('dan'), person('eve')] });
        }
        sent.push(`${request.method} ${pathname}`);
        return json({ following: true, requested: false, followerCount: 3 });
      },
    });

    await userEvent.click(await screen.findByRole('button', { name: 'Follow dan' }));

    expect(await screen.findByRole('button', { name: 'Following dan' })).toBeDisabled();
    await waitFor(() => expect(sent).toEqual(['PUT /v1/users/dan/follow']));
    expect(screen.getByRole('button', { name: 'Follow eve' })).toBeEnabled();
  });
});
