import { useState } from 'react';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, useLoad } from '../ui';
import { useSession } from '../session';
import { call, must } from '../api/admin';
import '../admin.css';

interface Playbook { id: string; title: string; version: number; enabled: boolean; settings: Record<string, unknown>; minutesPerRun: number; runs30d: { total: number } & Record<string, number> }
interface Effect { kind: string; recipient: string; text: string }
interface Shadow { signalsFound: number; wouldSend: Effect[]; wouldAskOwner: Array<{ actionKind: string; recipient: string | null }>; minutesSaved: number; notes: string[] }

function SettingField({ name, value, disabled, onChange }: { name: string; value: unknown; disabled: boolean; onChange: (v: unknown) => void }) {
  if (typeof value === 'boolean') return <label className="switch"><input type="checkbox" checked={value} disabled={disabled} onChange={(e) => onChange(e.target.checked)} /> {name.replace(/_/g, ' ')}</label>;
  if (typeof value === 'number') return <label>{name.replace(/_/g, ' ')}<input type="number" value={String(value)} disabled={disabled} onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))} /></label>;
  if (typeof value === 'string') return <label>{name.replace(/_/g, ' ')}<input type="text" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} /></label>;
  return <div className="meta">{name.replace(/_/g, ' ')}: {JSON.stringify(value)} (edit in tenant.yaml)</div>;
}

function PlaybookCard({ pb, canEdit, canShadow, onChanged }: { pb: Playbook; canEdit: boolean; canShadow: boolean; onChanged: () => void }) {
  const editable = Object.entries(pb.settings).filter(([k]) => k !== 'enabled');
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const [err, setErr] = useState<unknown>(null);
  const [shadow, setShadow] = useState<Shadow | null>(null);
  const changed = Object.keys(draft).length > 0;
  const save = async () => {
    setErr(null);
    const r = await call('PATCH', `/api/v1/playbooks/${pb.id}/settings`, draft);
    if (r.error) return setErr(r.error);
    setDraft({}); onChanged();
  };
  return (
    <Card>
      <div className="item-head">
        <div><div className="item-title">{pb.title}</div><div className="meta">{pb.runs30d.total} runs in 30 days · saves ~{pb.minutesPerRun} min each</div></div>
        <label className="switch"><input type="checkbox" role="switch" aria-label={`${pb.title} on`} checked={pb.enabled} disabled={!canEdit}
          onChange={(e) => void must('POST', `/api/v1/playbooks/${pb.id}/${e.target.checked ? 'enable' : 'disable'}`).then(onChanged, setErr)} /> {pb.enabled ? <Badge tone="good">on</Badge> : <Badge>off</Badge>}</label>
      </div>
      {editable.length ? (
        <details>
          <summary>Settings</summary>
          <div className="settings-grid" style={{ marginTop: '.5rem' }}>
            {editable.map(([k, v]) => <SettingField key={k} name={k} value={k in draft ? draft[k] : v} disabled={!canEdit} onChange={(nv) => setDraft({ ...draft, [k]: nv })} />)}
          </div>
          {canEdit ? <button type="button" className="btn btn-primary" disabled={!changed} onClick={() => void save()}>Save settings</button> : <p className="locked">The owner or implementer changes playbook settings.</p>}
        </details>
      ) : null}
      <ErrorBox error={err} />
      {canShadow ? <ActionButton onClick={async () => setShadow((await must<{ shadow: Shadow }>('POST', `/api/v1/playbooks/${pb.id}/shadow`, { since: '30d', limit: 50 })).shadow)}>What would it have sent? (30 days)</ActionButton> : null}
      {shadow ? (
        <div aria-label="Shadow results" style={{ marginTop: '.5rem' }}>
          <p className="note">Replayed {shadow.signalsFound} past events; nothing was sent. It would have sent {shadow.wouldSend.length} message{shadow.wouldSend.length === 1 ? '' : 's'}, asked you {shadow.wouldAskOwner.length} time{shadow.wouldAskOwner.length === 1 ? '' : 's'}, saved ~{Math.round(shadow.minutesSaved)} min.</p>
          <ul className="list">{shadow.wouldSend.slice(0, 10).map((e, i) => <li key={i}><div className="meta">{e.kind} to {e.recipient}</div><div className="answer">{e.text}</div></li>)}</ul>
          {shadow.notes.map((n, i) => <p className="note" key={i}>{n}</p>)}
        </div>
      ) : null}
    </Card>
  );
}

/** Playbooks: on/off, settings (written to tenant.yaml), shadow results ("what it would have sent"). */
export default function PlaybooksPage() {
  const { canAdminister } = useSession();
  const list = useLoad(() => call<{ playbooks: Playbook[] }>('GET', '/api/v1/playbooks'));
  // Every dashboard role (owner, staff, implementer) holds `propose`, which a shadow run needs.
  const canShadow = true;
  return (
    <Page title="Playbooks">
      <p className="note">A playbook is one job AIOS does for you. The policy still decides each text it sends.</p>
      <ErrorBox error={list.error} />
      {list.data?.playbooks.length ? list.data.playbooks.map((pb) => <PlaybookCard key={pb.id} pb={pb} canEdit={canAdminister} canShadow={canShadow} onChanged={list.reload} />)
        : list.loading ? null : <Empty>No playbooks installed.</Empty>}
    </Page>
  );
}
