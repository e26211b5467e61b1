import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, describeError, unwrap, type Me } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';
import { IMAGE_TYPES, pickFiles, tooLargeMessage } from '../compose/files';
import { uploadImage } from '../compose/upload';
import { Avatar } from '../ui/Avatar';
import { ErrorNotice } from '../ui/ErrorNotice';
import { formOf, profileChanges, type ProfileChanges, type ProfileForm } from './profile-changes';
import { useMe } from './useMe';

export function EditProfile() {
  const me = useMe();
  if (me.isPending) {
    return <p aria-busy="true">Loading…</p>;
  }
  if (!me.data) {
    return <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />;
  }
  return <EditForm me={me.data} />;
}

function useSaveMe() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (changes: ProfileChanges) => unwrap(api.PATCH('/v1/me', { body: changes })),
    onSuccess: async (saved) => {
      client.setQueryData<Me>(keys.me, saved);
      // The old username's profile, posts showing the old name or avatar: all of it is stale now.
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.allUsers }),
        client.invalidateQueries({ queryKey: keys.allPosts }),
        client.invalidateQueries({ queryKey: keys.allFollows }),
        client.invalidateQueries({ queryKey: keys.allLikers }),
      ]);
    },
  });
}

function EditForm({ me }: { me: Me }) {
  const save = useSaveMe();
  // What the form opened with (then what was last saved): a field counts as changed against this, never against a
  // profile refreshed from elsewhere meanwhile, whose other fields this save must not undo.
  const [initial, setInitial] = useState<ProfileForm>(() => formOf(me));
  const [form, setForm] = useState<ProfileForm>(initial);
  const [saved, setSaved] = useState(false);
  const changes = profileChanges(initial, form);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setSaved(false);
    save.mutate(changes, {
      onSuccess: (answer) => {
        const next = formOf(answer);
        setInitial(next);
        setForm(next);
        setSaved(true);
      },
    });
  };
  return (
    <div className="stack">
      <h1>Edit profile</h1>
      <AvatarEditor me={me} />
      <PrivacySwitch me={me} />
      <form className="card stack" onSubmit={submit} aria-label="Profile">
        <label>
          Username
          <input
            value={form.username}
            onChange={(e) => setForm({ ...form, username: e.target.value })}
            required
            minLength={3}
            maxLength={30}
            pattern="[a-zA-Z0-9._]{3,30}"
            autoCapitalize="none"
            aria-describedby="username-help"
          />
        </label>
        <span id="username-help" className="muted small">
          3-30 letters, digits, dots or underscores.
        </span>
        <label>
          Name
          <input
            value={form.displayName}
            onChange={(e) => setForm({ ...form, displayName: e.target.value })}
            required
            maxLength={64}
          />
        </label>
        <label>
          Bio
          <textarea
            rows={3}
            maxLength={300}
            value={form.bio}
            onChange={(e) => setForm({ ...form, bio: e.target.value })}
          />
        </label>
        {save.isError ? <ErrorNotice error={save.error} /> : null}
        {saved ? <p role="status">Saved.</p> : null}
        <div className="row">
          <button type="submit" className="primary" disabled={save.isPending || Object.keys(changes).length === 0}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
          <Link to={`/u/${me.username}`}>View profile</Link>
        </div>
      </form>
    </div>
  );
}

/** Private or public, saved on its own as soon as it changes: the PATCH sends `private` alone. */
function PrivacySwitch({ me }: { me: Me }) {
  const save = useSaveMe();
  // Set in the change itself, so the box shows the new state from the same render (the mutation's state comes a tick
  // later); the stored value again once the save settles.
  const [asked, setAsked] = useState<boolean | undefined>(undefined);
  const shown = asked ?? me.private;
  return (
    <section className="card stack" aria-label="Privacy">
      <label className="row">
        <input
          type="checkbox"
          checked={shown}
          disabled={save.isPending}
          onChange={(event) => {
            setAsked(event.target.checked);
            save.mutate({ private: event.target.checked }, { onSettled: () => setAsked(undefined) });
          }}
        />
        Private account
      </label>
      <span className="muted small">
        {shown
          ? 'Only your followers see your posts and lists; you approve each new follower.'
          : 'Anyone can see your posts and follow you. Going public approves every pending request.'}
      </span>
      {save.isError ? <ErrorNotice error={save.error} /> : null}
    </section>
  );
}

function AvatarEditor({ me }: { me: Me }) {
  const api = useApi();
  const save = useSaveMe();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number>();
  const [problem, setProblem] = useState<string>();
  const choose = async (files: FileList | null): Promise<void> => {
    const { accepted, problems } = pickFiles([...(files ?? [])].slice(0, 1), 0);
    if (input.current) {
      input.current.value = '';
    }
    setProblem(problems[0]);
    const file = accepted[0];
    if (!file) {
      return;
    }
    try {
      setProgress(0);
      const uploadId = await uploadImage(api, file, setProgress);
      save.mutate({ avatarUploadId: uploadId });
    } catch (cause) {
      const tooLarge = cause instanceof ApiError && cause.status === 413;
      setProblem(tooLarge ? tooLargeMessage(file, cause.problem?.detail) : `${file.name}: ${describeError(cause)}`);
    } finally {
      setProgress(undefined);
    }
  };
  return (
    <section className="card row" aria-label="Profile photo">
      <Avatar url={me.avatarVariants[2]?.url ?? me.avatarUrl} name={me.displayName} size={72} />
      <div className="stack grow">
        <label className="file-picker">
          <span>{me.avatarVariants.length > 0 ? 'Change profile photo' : 'Choose a profile photo'}</span>
          <input
            ref={input}
            type="file"
            accept={IMAGE_TYPES.join(',')}
            disabled={progress !== undefined || save.isPending}
            onChange={(event) => void choose(event.target.files)}
          />
        </label>
        {progress !== undefined ? <progress max={1} value={progress} aria-label="Upload of the profile photo" /> : null}
        {me.avatarVariants.length > 0 ? (
          <button type="button" onClick={() => save.mutate({ avatarUploadId: null })} disabled={save.isPending}>
            Remove photo
          </button>
        ) : null}
        {problem ? (
          <p role="alert" className="error small">
            {problem}
          </p>
        ) : null}
        {save.isError ? <ErrorNotice error={save.error} /> : null}
      </div>
    </section>
  );
}
