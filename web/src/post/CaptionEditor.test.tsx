import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { keys } from '../api/keys';
import { aPost, json, renderApp } from '../test-utils';
import { CaptionEditor } from './CaptionEditor';

describe('CaptionEditor', () => {
  it('edits a caption: only the caption is sent, and the cached post shows the saved one', async () => {
    const view = renderApp(<CaptionEditor post={aPost({ caption: 'Hello' })} />, {
      handler: () => json(aPost({ caption: 'Hello #sea', tags: ['sea'], editedAt: '2026-12-02T10:00:00.000Z' })),
    });
    view.client.setQueryData(keys.post('p1'), aPost({ caption: 'Hello' }));
    await userEvent.click(screen.getByRole('button', { name: 'Edit caption' }));
    expect(screen.getByRole('button', { name: 'Save caption' })).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Caption'), ' #sea ');
    await userEvent.click(screen.getByRole('button', { name: 'Save caption' }));
    await screen.findByRole('button', { name: 'Edit caption' });
    expect(await view.requests[0].json()).toEqual({ caption: 'Hello #sea' });
    expect(view.requests[0].method).toBe('PATCH');
    await waitFor(() =>
      expect(view.client.getQueryData(keys.post('p1'))).toMatchObject({ caption: 'Hello #sea', tags: ['sea'] }),
    );
  });
});
