import { parse, NodeType, type HTMLElement, type Node } from 'node-html-parser';

const DROP = new Set(['script', 'style', 'nav', 'noscript', 'template', 'svg', 'iframe', 'head', 'form', 'button']);
const BLOCK = new Set(['p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'blockquote', 'ul', 'ol', 'dl', 'dd', 'dt', 'figure', 'figcaption', 'address', 'pre', 'hr', 'body', 'html']);

function clean(s: string): string {
  return s.replace(/[ \t\u00a0]+/g, ' ');
}

/** Text of one inline node; links keep their URL. */
function inlineNode(child: Node): string {
  if (child.nodeType === NodeType.TEXT_NODE) return clean(child.text);
  if (child.nodeType !== NodeType.ELEMENT_NODE) return '';
  const el = child as HTMLElement;
  const tag = el.tagName?.toLowerCase() ?? '';
  if (DROP.has(tag)) return '';
  if (tag === 'br') return '\n';
  if (tag === 'a') {
    const text = inline(el).trim();
    const href = el.getAttribute('href') ?? '';
    return /^https?:/.test(href) && !text.includes(href) ? `${text} (${href})` : text;
  }
  return inline(el);
}

function inline(node: Node): string {
  return node.childNodes.map(inlineNode).join('');
}

function table(el: HTMLElement): string {
  const rows = el.querySelectorAll('tr').map((tr) => tr.querySelectorAll('th,td').map((c) => inline(c).replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()));
  const useful = rows.filter((r) => r.some(Boolean));
  if (useful.length === 0) return '';
  const width = Math.max(...useful.map((r) => r.length));
  const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
  return ['', line(useful[0]!), `|${' --- |'.repeat(width)}`, ...useful.slice(1).map(line), ''].join('\n');
}

function block(node: Node, out: string[]): void {
  for (const child of node.childNodes) {
    if (child.nodeType === NodeType.TEXT_NODE) {
      const t = clean(child.text);
      if (t.trim()) out.push(t);
      continue;
    }
    if (child.nodeType !== NodeType.ELEMENT_NODE) continue;
    const el = child as HTMLElement;
    const tag = el.tagName?.toLowerCase() ?? '';
    if (DROP.has(tag)) continue;
    const h = /^h([1-6])$/.exec(tag);
    if (h) out.push(`\n\n${'#'.repeat(Number(h[1]))} ${inline(el).replace(/\s+/g, ' ').trim()}\n\n`);
    else if (tag === 'li') out.push(`\n- ${inline(el).replace(/\s+/g, ' ').trim()}\n`);
    else if (tag === 'table') out.push(table(el));
    else if (tag === 'br') out.push('\n');
    else if (BLOCK.has(tag)) {
      out.push('\n\n');
      block(el, out);
      out.push('\n\n');
    } else out.push(inlineNode(el));
  }
}

/**
 * Converts HTML to Markdown-like text for indexing: headings become `#` lines (so chunks keep
 * their heading path), lists become `- ` items, tables become Markdown tables (so price tables
 * yield facts), links keep their URL. Script, style, nav and similar chrome are dropped.
 */
export function htmlToText(html: string): { title: string | null; text: string } {
  const root = parse(html, { comment: false, blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  const title = root.querySelector('title')?.text.trim() || null;
  const body = root.querySelector('body') ?? root;
  const parts: string[] = [];
  block(body, parts);
  const text = parts
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { title, text };
}
