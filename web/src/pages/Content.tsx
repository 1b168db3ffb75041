import { useState } from 'react';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { useSession } from '../session';
import { ActionButton, Badge, Card, Empty, ErrorBox, Page, useLoad } from '../ui';
import { clock, dayKey, dayTitle, groupBy, must, useLiveReload } from './records/common';
import { AddSource } from './ContentSource';
import './content.css';

type WeekView = paths['/api/v1/content/weeks/{week}']['get']['responses'][200]['content']['application/json'];
type Post = WeekView['posts'][number];

const LABEL: Record<string, string> = { linkedin: 'LinkedIn', instagram: 'Instagram', facebook: 'Facebook', x: 'X', google_business: 'Google' };
const TONE: Record<string, 'neutral' | 'good' | 'warn' | 'bad' | 'info'> = { in_approval: 'warn', scheduled: 'info', published: 'good', rejected: 'bad', failed: 'bad', expired: 'bad', drafted: 'neutral', approved: 'info' };
const STATUS: Record<string, string> = { in_approval: 'waiting for you', scheduled: 'approved · scheduled', published: 'published', rejected: 'rejected', failed: 'failed', expired: 'expired', drafted: 'drafting', approved: 'approved' };

/** One post: platform, time, text, image (note, URL, "needs an image" and the form to attach one); edit (then approve) or reject with a reason. */
function PostCard({ p, zone, canDecide, reload }: { p: Post; zone: string; canDecide: boolean; reload: () => void }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'reject'>('view');
  const [text, setText] = useState(p.text);
  const [reason, setReason] = useState('');
  const [image, setImage] = useState(p.imageUrl ?? '');
  const [imageOpen, setImageOpen] = useState(false);
  const waiting = p.status === 'in_approval';
  const imageChangeable = ['drafted', 'in_approval', 'approved', 'scheduled'].includes(p.status);
  return (
    <article className={`post post-${p.platform}`} data-post={p.id} aria-label={`${LABEL[p.platform]} post at ${clock(p.slotAt, zone)}`}>
      <header className="post-head">
        <span className={`plat plat-${p.platform}`}>{LABEL[p.platform] ?? p.platform}</span>
        <span className="post-time">{clock(p.slotAt, zone)}</span>
        <Badge tone={TONE[p.status] ?? 'neutral'}>{STATUS[p.status] ?? p.status}{p.edited ? ' · edited' : ''}</Badge>
        {p.needsImage ? <Badge tone="bad">needs an image</Badge> : null}
      </header>
      {mode === 'edit'
        ? <textarea className="post-edit" aria-label="Post text" value={text} onChange={(e) => setText(e.target.value)} rows={Math.min(14, Math.max(4, text.split('\n').length + 1))} />
        : <p className="post-text">{p.text}</p>}
      {p.imageUrl
        ? <p className="small post-image"><span className="strong">Image:</span> <a href={p.imageUrl} target="_blank" rel="noreferrer noopener">{p.imageUrl}</a></p>
        : p.imageNote ? <p className={`small ${p.imageRequired ? 'post-image-req' : 'muted'}`}><span className="strong">Image:</span> {p.imageNote}</p> : null}
      {canDecide && imageChangeable && (imageOpen || p.needsImage) ? (
        <div className="post-reject post-image-form">
          <input type="url" aria-label="Image URL (https)" placeholder="https://…/photo.jpg" value={image} onChange={(e) => setImage(e.target.value)} />
          <ActionButton disabled={!image.trim()} onClick={async () => { await must(api.POST('/api/v1/content/posts/{id}/image', { params: { path: { id: p.id } }, body: { url: image.trim() } })); setImageOpen(false); reload(); }}>{p.imageUrl ? 'Change image' : 'Add image'}</ActionButton>
        </div>
      ) : null}
      {p.writer === 'model' ? <p className="small muted">Written by the model; checked like every post.</p> : null}
      {p.notes.length ? <p className="small muted post-notes">Template kept: {p.notes.join(' · ')}</p> : null}
      <p className="small muted">From “{p.idea.source}” · {p.idea.kind}{p.idea.topic ? ` · ${p.idea.topic}` : ''}</p>
      {p.publishedUrl ? <p className="small"><a href={p.publishedUrl} target="_blank" rel="noreferrer noopener">Published post</a></p> : null}
      {p.failure ? <p className="small post-failure">{p.failure}</p> : null}
      {p.rejectReason ? <p className="small post-reason"><span className="strong">Your reason:</span> {p.rejectReason}</p> : null}
      {canDecide && waiting ? (
        <div className="post-actions">
          {mode === 'view' ? <>
            <button type="button" className="btn" onClick={() => setMode('edit')}>Edit</button>
            <button type="button" className="btn btn-danger" onClick={() => setMode('reject')}>Reject…</button>
            {p.imageUrl && !imageOpen ? <button type="button" className="btn" onClick={() => setImageOpen(true)}>Change image</button> : null}
          </> : null}
          {mode === 'edit' ? <>
            <ActionButton tone="primary" onClick={async () => { await must(api.POST('/api/v1/content/posts/{id}/edit', { params: { path: { id: p.id } }, body: { text } })); setMode('view'); reload(); }}>Save &amp; approve</ActionButton>
            <button type="button" className="btn" onClick={() => { setText(p.text); setMode('view'); }}>Cancel</button>
          </> : null}
          {mode === 'reject' ? <div className="post-reject">
            <input aria-label="Why (teaches next week)" placeholder='Why? e.g. too long, never say "cheap"' value={reason} onChange={(e) => setReason(e.target.value)} />
            <ActionButton tone="danger" disabled={!reason.trim()} onClick={async () => { await must(api.POST('/api/v1/content/posts/{id}/reject', { params: { path: { id: p.id } }, body: { reason } })); setMode('view'); reload(); }}>Reject</ActionButton>
            <button type="button" className="btn" onClick={() => setMode('view')}>Cancel</button>
          </div> : null}
        </div>
      ) : null}
    </article>
  );
}

/** The Content page: the week by day and platform, approve all / edit one / reject with a reason, the ledger. */
export default function ContentPage() {
  const { canDecide } = useSession();
  const [week, setWeek] = useState<string>('latest');
  const weeks = useLoad(() => api.GET('/api/v1/content/weeks'), []);
  const view = useLoad(() => api.GET('/api/v1/content/weeks/{week}', { params: { path: { week } } }), [week]);
  const w = view.data as WeekView | undefined;
  const list = (weeks.data as { weeks?: Array<{ monday: string; posts: number }> } | undefined)?.weeks ?? [];
  const reload = () => {
    view.reload();
    weeks.reload();
    // A decision reaches the post's run first; read the week again once the run has recorded it.
    setTimeout(() => view.reload(), 1200);
  };
  useLiveReload(['approval', 'run'], () => view.reload());
  const [approved, setApproved] = useState<string | null>(null);
  const waitingPosts = w?.posts.filter((p) => p.status === 'in_approval') ?? [];
  const needImage = waitingPosts.filter((p) => p.needsImage).length;
  const ready = waitingPosts.length - needImage;
  const notFound = !!view.error && !w;
  const plan = async () => { const r = await must<WeekView>(api.POST('/api/v1/content/weeks', { body: {} })); setWeek(r.monday); reload(); };
  return (
    <Page title="Content" actions={<ActionButton onClick={plan}>Draft next week</ActionButton>}>
      <AddSource onPlan={plan} folded={!!w} />
      {list.length > 1 ? (
        <div className="tabs" role="tablist" aria-label="Weeks">
          {list.slice(0, 6).map((x) => <button key={x.monday} type="button" role="tab" aria-selected={w?.monday === x.monday} className={`tab ${w?.monday === x.monday ? 'tab-on' : ''}`} onClick={() => setWeek(x.monday)}>Week of {x.monday.slice(5)}</button>)}
        </div>
      ) : null}
      {notFound ? <Empty>No week drafted yet. Add a blog post, notes or a transcript above, then plan the week.</Empty> : <ErrorBox error={view.error} />}
      {w ? <>
        <div className="grid content-stats">
          <Card title={`Week of ${w.monday}`}><div className="stat">{w.ledger.postsPlanned} posts</div><div className="small muted">{waitingPosts.length} waiting for you · {w.ledger.published} published</div></Card>
          <Card title="Time saved"><div className="stat">{w.ledger.minutesSavedGross} min</div><div className="small muted">of writing for {w.ledger.published} published post{w.ledger.published === 1 ? '' : 's'} · approving took {w.ledger.approvalMinutes} min</div></Card>
        </div>
        {canDecide && waitingPosts.length > 0 ? (
          <div className="content-approve">
            {ready > 0 ? <ActionButton tone="primary" onClick={async () => { const r = await must<{ message: string }>(api.POST('/api/v1/content/weeks/{week}/approve', { params: { path: { week: w.monday } } })); setApproved(r.message); reload(); }}>Approve all {ready} ready</ActionButton> : null}
            <span className="small muted">{needImage ? `${needImage} need${needImage === 1 ? 's' : ''} an image first. ` : ''}Each publishes at its time ({w.timeZone}). Edit or reject any first.</span>
          </div>
        ) : null}
        {approved ? <p className="small content-approved" role="status">{approved[0]!.toUpperCase()}{approved.slice(1)}</p> : null}
        {groupBy(w.posts, (p) => dayKey(p.slotAt, w.timeZone)).map(([day, posts]) => (
          <section key={day} className="content-day" aria-label={dayTitle(posts[0]!.slotAt, w.timeZone)}>
            <h2 className="content-day-title">{dayTitle(posts[0]!.slotAt, w.timeZone)}</h2>
            <div className="content-posts">{posts.map((p) => <PostCard key={p.id} p={p} zone={w.timeZone} canDecide={canDecide} reload={reload} />)}</div>
          </section>
        ))}
        {w.leftOut.length ? <details className="small muted content-left"><summary>{w.leftOut.length} post(s) left out</summary><ul>{w.leftOut.map((l, i) => <li key={i}>{LABEL[l.platform] ?? l.platform}: {l.reason}</li>)}</ul></details> : null}
      </> : null}
    </Page>
  );
}
