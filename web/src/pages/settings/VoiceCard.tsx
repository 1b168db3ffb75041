import { useEffect, useState } from 'react';
import { Card, ErrorBox } from '../../ui';
import { call } from '../../api/admin';
import { Locked } from './Problems';

/** The voice file (`knowledge/voice.md`): how AIOS writes for the business. */
export function VoiceCard({ text, canEdit, onSaved }: { text: string; canEdit: boolean; onSaved: () => void }) {
  const [draft, setDraft] = useState(text);
  const [err, setErr] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(text), [text]);
  const save = async () => {
    setErr(null);
    const r = await call('PUT', '/api/v1/settings/voice', { text: draft });
    if (r.error) return setErr(r.error);
    setSaved(true);
    onSaved();
  };
  return (
    <Card title="Voice: how AIOS writes for you">
      <p className="note">Words you use, words you never use, how you sign off. AIOS reads this before it drafts a text or an email.</p>
      {canEdit ? null : <Locked what="the voice" />}
      <textarea className="prose-edit" aria-label="Voice" value={draft} readOnly={!canEdit} disabled={!canEdit} placeholder={'e.g. Short and friendly. First names. No "Dear". Sign off: "– Dana, Dana\'s Plumbing".'} onChange={(e) => { setDraft(e.target.value); setSaved(false); }} />
      <ErrorBox error={err} />
      {saved ? <p className="ok-msg" role="status">Voice saved.</p> : null}
      <div className="row" style={{ marginTop: '.75rem' }}>
        <button type="button" className="btn btn-primary" disabled={!canEdit || draft === text} onClick={() => void save()}>Save voice</button>
      </div>
    </Card>
  );
}
