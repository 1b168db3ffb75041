import type { Refusal } from './types';
import { ErrorBox } from '../../ui';

/** A refused save: every problem by field, and that nothing was changed. */
export function Problems({ refusal }: { refusal: Refusal | null }) {
  if (!refusal) return null;
  if (!refusal.problems?.length) return <ErrorBox error={refusal} />;
  return (
    <div className="error" role="alert">
      <strong>Not saved: {refusal.problems.length === 1 ? 'one problem' : `${refusal.problems.length} problems`}. Nothing was changed.</strong>
      <ul className="problems">
        {refusal.problems.map((p, i) => <li key={i}><code>{p.field || '(whole file)'}</code> {p.problem}</li>)}
      </ul>
      {refusal.fix ? <div>{refusal.fix}</div> : null}
    </div>
  );
}

/** What staff see instead of a control they may not use. */
export function Locked({ what }: { what: string }) {
  return <p className="locked">Only the owner (or the business's implementer) can change {what}. Ask them if something here should change.</p>;
}
