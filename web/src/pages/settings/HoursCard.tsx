import { useEffect, useState } from 'react';
import { Card } from '../../ui';
import { call } from '../../api/admin';
import { Locked, Problems } from './Problems';
import { DAYS, type Hours, type Refusal } from './types';

const LABEL: Record<string, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const DEFAULT: Hours = { mon: ['08:00', '17:00'], tue: ['08:00', '17:00'], wed: ['08:00', '17:00'], thu: ['08:00', '17:00'], fri: ['08:00', '17:00'], sat: 'closed', sun: 'closed' };

/** Opening hours per weekday (tenant.yaml `profile.hours`), in the business's time zone. */
export function HoursCard({ hours, timeZone, canEdit, onSaved }: { hours: Hours | null; timeZone: string; canEdit: boolean; onSaved: () => void }) {
  const [draft, setDraft] = useState<Hours>(hours ?? DEFAULT);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setDraft(hours ?? DEFAULT), [hours]);
  const set = (d: (typeof DAYS)[number], v: Hours[typeof d]) => { setDraft({ ...draft, [d]: v }); setSaved(false); };
  const save = async () => {
    setRefusal(null);
    const r = await call('PUT', '/api/v1/settings/hours', { hours: draft });
    if (r.error) return setRefusal(r.error as Refusal);
    setSaved(true);
    onSaved();
  };
  return (
    <Card title="Business hours">
      <p className="note">{hours ? `Times in ${timeZone}.` : `Not set yet: AIOS does not tell customers your hours. Times in ${timeZone}.`}</p>
      {canEdit ? null : <Locked what="the business hours" />}
      <div className="hours">
        {DAYS.map((d) => {
          const v = draft[d];
          const closed = v === 'closed';
          return (
            <div className="hours-day" key={d}>
              <b>{LABEL[d]}</b>
              <label className="check"><input type="checkbox" checked={closed} disabled={!canEdit} onChange={(e) => set(d, e.target.checked ? 'closed' : ['08:00', '17:00'])} /> Closed</label>
              <input type="time" aria-label={`${LABEL[d]} opens`} disabled={!canEdit || closed} value={closed ? '' : v[0]} onChange={(e) => !closed && set(d, [e.target.value, v[1]])} />
              <input type="time" aria-label={`${LABEL[d]} closes`} disabled={!canEdit || closed} value={closed ? '' : v[1]} onChange={(e) => !closed && set(d, [v[0], e.target.value])} />
            </div>
          );
        })}
      </div>
      <Problems refusal={refusal} />
      {saved ? <p className="ok-msg" role="status">Hours saved.</p> : null}
      <div className="row" style={{ marginTop: '.75rem' }}>
        <button type="button" className="btn btn-primary" disabled={!canEdit} onClick={() => void save()}>Save hours</button>
      </div>
    </Card>
  );
}
