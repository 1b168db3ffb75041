import { useEffect, useState } from 'react';
import { Card } from '../../ui';
import { call } from '../../api/admin';
import { Locked, Problems } from './Problems';
import type { Refusal } from './types';

/** The autonomy policy: the file as text; owners edit and save it (checked before it is written). */
export function PolicyCard({ text, canEdit, onSaved }: { text: string; canEdit: boolean; onSaved: () => void }) {
  const [draft, setDraft] = useState(text);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(text), [text]);
  const save = async () => {
    setBusy(true); setSaved(false); setRefusal(null);
    const r = await call('PUT', '/api/v1/settings/policy', { text: draft });
    setBusy(false);
    if (r.error) return setRefusal(r.error as Refusal);
    setSaved(true);
    onSaved();
  };
  return (
    <Card title="Policy: what AIOS may do by itself">
      <p className="note">Each action is <b>auto</b> (AIOS does it), <b>approve</b> (AIOS asks you first) or <b>never</b>. The strictest rule wins. Saved changes apply to the next decision.</p>
      {canEdit ? null : <Locked what="the policy" />}
      <label>
        policy.yaml
        <textarea className="code-edit" aria-label="Policy" spellCheck={false} value={draft} readOnly={!canEdit} disabled={!canEdit} onChange={(e) => { setDraft(e.target.value); setSaved(false); }} />
      </label>
      <Problems refusal={refusal} />
      {saved ? <p className="ok-msg" role="status">Policy saved and in force.</p> : null}
      <div className="row">
        <button type="button" className="btn btn-primary" disabled={!canEdit || busy || draft === text} onClick={() => void save()}>{busy ? 'Saving…' : 'Save policy'}</button>
        {canEdit && draft !== text ? <button type="button" className="btn" onClick={() => { setDraft(text); setRefusal(null); }}>Undo changes</button> : null}
      </div>
    </Card>
  );
}
