import { useState } from 'react';
import { api, errorText } from '../api/client';
import { ActionButton, Card } from '../ui';

type Mode = 'text' | 'url' | 'file';
type Added = { sourceId: string; title: string; ideas: number; duplicate: boolean };
const BINARY = /\.(pdf|docx)$/i;

/** A file name for pasted text: its first words, as Markdown (the extractor reads plain text as Markdown). */
function pastedName(text: string): string {
  const words = text.replace(/^[#>\s*-]+/, '').split(/\s+/).slice(0, 6).join(' ').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  return `${words || 'pasted-text'}.md`;
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * "Add a source": paste text, give a web page's address or upload a file (Markdown, HTML, text,
 * PDF, DOCX); the engine's answer (ideas found, or why nothing is postable and what to add) is
 * shown as it wrote it, then "Plan the week" drafts the next week from the library. `folded`
 * (a week is on screen): only an "Add a source…" button until opened.
 */
export function AddSource({ onPlan, folded }: { onPlan: () => Promise<void>; folded: boolean }) {
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<Mode>('text');
  const [text, setText] = useState('');
  const [url, setUrl] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [added, setAdded] = useState<Added | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const ready = mode === 'text' ? text.trim().length > 0 : mode === 'url' ? /^https?:\/\/\S+$/i.test(url.trim()) : !!file;
  const add = async () => {
    setProblem(null);
    setAdded(null);
    const body = mode === 'text' ? { name: pastedName(text), text }
      : mode === 'url' ? { url: url.trim() }
        : BINARY.test(file!.name) ? { name: file!.name, base64: await base64Of(file!) } : { name: file!.name, text: await file!.text() };
    const r = await api.POST('/api/v1/content/sources', { body });
    if (r.error) { setProblem(errorText(r.error)); return; }
    setAdded(r.data as Added);
  };
  if (folded && !open) return <div className="content-source-open"><button type="button" className="btn" onClick={() => setOpen(true)}>Add a source…</button></div>;
  return (
    <Card title="Add a source" className="content-source">
      <p className="small muted">A blog post, notes from a job, a transcript, a page of your site: AIOS finds the tips, questions and stories in it and writes the week's posts from them.</p>
      <div className="seg" role="tablist" aria-label="Source kind">
        {([['text', 'Paste text'], ['url', 'Web page'], ['file', 'Upload a file']] as const).map(([m, label]) => (
          <button key={m} type="button" role="tab" aria-selected={mode === m} className="seg-btn" onClick={() => { setMode(m); setProblem(null); }}>{label}</button>
        ))}
      </div>
      {mode === 'text' ? <textarea className="post-edit" aria-label="Source text" rows={6} placeholder="Paste the text here…" value={text} onChange={(e) => setText(e.target.value)} /> : null}
      {mode === 'url' ? <input className="content-url" type="url" aria-label="Web page address" placeholder="https://your-site.example/blog/winter-tips" value={url} onChange={(e) => setUrl(e.target.value)} /> : null}
      {mode === 'file' ? (
        <label className="small content-file">Markdown, HTML, text, PDF or DOCX (at most 10 MB)
          <input type="file" aria-label="Source file" accept=".md,.markdown,.txt,.html,.htm,.pdf,.docx,text/markdown,text/plain,text/html,application/pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
      ) : null}
      <div className="post-actions">
        <ActionButton tone="primary" disabled={!ready} onClick={add}>Find ideas</ActionButton>
      </div>
      {problem ? <p className="error" role="alert">{problem}</p> : null}
      {added ? (
        <div className="content-added" role="status">
          <p><span className="strong">{added.duplicate ? 'Already in your library' : 'Added'}: “{added.title}”</span> · {added.ideas} idea{added.ideas === 1 ? '' : 's'} to post about.</p>
          <ActionButton tone="primary" onClick={onPlan}>Plan the week</ActionButton>
        </div>
      ) : null}
    </Card>
  );
}
