import { useState, type FormEvent } from 'react';
import type { ReportReason, Schemas } from '../api/client';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useReport } from './useModeration';

const REASONS: { value: ReportReason; label: string }[] = [
  { value: 'spam', label: 'Spam' },
  { value: 'harassment', label: 'Harassment or bullying' },
  { value: 'hate', label: 'Hate speech' },
  { value: 'violence', label: 'Violence' },
  { value: 'nudity', label: 'Nudity' },
  { value: 'self_harm', label: 'Self-harm' },
  { value: 'misinformation', label: 'False information' },
  { value: 'other', label: 'Something else' },
];

type Target = Pick<Schemas['CreateReportRequest'], 'postId' | 'commentId' | 'userId'>;

/** Tells the admins about a post, a comment or a person: a reason and an optional note. */
export function ReportForm({ target, what, onDone }: { target: Target; what: string; onDone: () => void }) {
  const report = useReport();
  const [reason, setReason] = useState<ReportReason>('spam');
  const [note, setNote] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    report.mutate({ ...target, reason, ...(note.trim() ? { note: note.trim() } : {}) });
  };
  if (report.isSuccess) {
    return (
      <div className="card stack">
        <p role="status">Thanks. The admins will look at this {what}.</p>
        <button type="button" onClick={onDone}>
          Close
        </button>
      </div>
    );
  }
  return (
    <form className="card stack" onSubmit={submit} aria-label={`Report this ${what}`}>
      <label>
        Why are you reporting this {what}?
        <select value={reason} onChange={(event) => setReason(event.target.value as ReportReason)}>
          {REASONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Anything else (optional)
        <textarea rows={2} maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} />
      </label>
      {report.isError ? <ErrorNotice error={report.error} /> : null}
      <div className="row">
        <button type="submit" className="primary" disabled={report.isPending}>
          {report.isPending ? 'Sending…' : 'Send report'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
