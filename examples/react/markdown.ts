// Markdown as React elements, for replies as they stream: fenced code blocks, headings, lists, quotes, rules,
// paragraphs; inline code, bold, italics, links and bare URLs. Safe by construction: every piece of text is a React
// text child (React escapes it), nothing is parsed as HTML and nothing goes through innerHTML; links keep only
// http(s) and mailto URLs. A fence not closed yet (a reply still being written) runs to the end of the text.
import { createElement as h, Fragment, type ReactElement, type ReactNode } from 'react';

type Block =
  | { kind: 'code'; language: string; text: string }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: string[] }
  | { kind: 'quote'; text: string }
  | { kind: 'rule' }
  | { kind: 'paragraph'; text: string };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const ITEM = /^ {0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;
const BLANK = /^\s*$/;

const startsBlock = (line: string): boolean => FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);

function fenced(lines: string[], at: number, fence: RegExpExecArray): { block: Block; next: number } {
  const marker = fence[1] ?? '```';
  const body: string[] = [];
  let i = at + 1;
  for (; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.trim().startsWith(marker) && line.trim().replaceAll(marker[0] ?? '`', '') === '') break;
    body.push(line);
  }
  return { block: { kind: 'code', language: fence[2] ?? '', text: body.join('\n') }, next: i + 1 };
}

function list(lines: string[], at: number, first: RegExpExecArray): { block: Block; next: number } {
  const ordered = first[2] !== undefined;
  const items: string[] = [];
  let i = at;
  for (; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const item = ITEM.exec(line);
    if (item && (item[2] !== undefined) === ordered) items.push(item[3] ?? '');
    else if (!BLANK.test(line) && /^\s+\S/.test(line) && items.length > 0) items[items.length - 1] += `\n${line.trim()}`;
    else if (BLANK.test(line) && ITEM.test(lines[i + 1] ?? '')) continue;
    else break;
  }
  return { block: { kind: 'list', ordered, start: Number(first[2] ?? 1), items }, next: i };
}

/** The text's blocks, in order. */
export function blocksOf(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length;) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    const heading = HEADING.exec(line);
    const item = ITEM.exec(line);
    if (fence) {
      const { block, next } = fenced(lines, i, fence);
      blocks.push(block);
      i = next;
    } else if (BLANK.test(line)) {
      i += 1;
    } else if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, text: heading[2] ?? '' });
      i += 1;
    } else if (RULE.test(line)) {
      blocks.push({ kind: 'rule' });
      i += 1;
    } else if (QUOTE.test(line)) {
      const quoted: string[] = [];
      for (let m = QUOTE.exec(lines[i] ?? ''); m; m = QUOTE.exec(lines[i] ?? '')) {
        quoted.push(m[1] ?? '');
        i += 1;
      }
      blocks.push({ kind: 'quote', text: quoted.join('\n') });
    } else if (item) {
      const { block, next } = list(lines, i, item);
      blocks.push(block);
      i = next;
    } else {
      const paragraph: string[] = [];
      for (; i < lines.length && !BLANK.test(lines[i] ?? '') && (paragraph.length === 0 || !startsBlock(lines[i] ?? '')); i += 1) paragraph.push(lines[i] ?? '');
      blocks.push({ kind: 'paragraph', text: paragraph.join('\n') });
    }
  }
  return blocks;
}

// One alternative per inline form; the first that matches at a position wins. Code spans first: nothing inside them
// is Markdown.
const INLINE = new RegExp([
  /(`+)([\s\S]*?[^`])\1(?!`)/.source, // 1, 2: code
  /\*\*(?=\S)([\s\S]*?\S)\*\*/.source, // 3: bold
  /__(?=\S)([\s\S]*?\S)__(?!\w)/.source, // 4: bold
  /\*(?=[^\s*])([\s\S]*?[^\s*])\*/.source, // 5: italic
  /(?<!\w)_(?=[^\s_])([\s\S]*?[^\s_])_(?!\w)/.source, // 6: italic
  /\[([^\]\n]+)\]\(([^)\s]+)\)/.source, // 7, 8: link
  /(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"])/.source, // 9: bare URL
  /(\n)/.source, // 10: line break
].join('|'), 'g');

/** A URL a link may open: http(s) or mailto, nothing else (no javascript:, no data:). */
export function safeUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const link = (href: string, children: ReactNode, key: number): ReactElement => h('a', { key, href, target: '_blank', rel: 'noopener noreferrer' }, children);

function inline(text: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index;
    if (at > last) nodes.push(text.slice(last, at));
    const key = nodes.length;
    if (m[2] !== undefined) nodes.push(h('code', { key }, m[2].trim() === '' ? m[2] : m[2].replace(/^ (.*) $/s, '$1')));
    else if (m[3] !== undefined || m[4] !== undefined) nodes.push(h('strong', { key }, ...inline(m[3] ?? m[4] ?? '')));
    else if (m[5] !== undefined || m[6] !== undefined) nodes.push(h('em', { key }, ...inline(m[5] ?? m[6] ?? '')));
    else if (m[7] !== undefined) {
      const href = safeUrl(m[8] ?? '');
      nodes.push(href ? link(href, inline(m[7]), key) : m[0]);
    } else if (m[9] !== undefined) {
      const href = safeUrl(m[9]);
      nodes.push(href ? link(href, m[9], key) : m[9]);
    } else nodes.push(h('br', { key }));
    last = at + m[0].length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

function element(block: Block, key: number): ReactElement {
  switch (block.kind) {
    case 'code':
      return h('pre', { key, className: 'code-block', 'data-language': block.language || undefined }, h('code', {}, block.text));
    case 'heading':
      return h(`h${Math.min(6, block.level + 2)}`, { key, className: 'md-heading' }, ...inline(block.text));
    case 'list':
      return h(block.ordered ? 'ol' : 'ul', { key, ...(block.ordered && block.start !== 1 ? { start: block.start } : {}) },
        ...block.items.map((item, i) => h('li', { key: i }, ...inline(item))));
    case 'quote':
      return h('blockquote', { key }, ...blocksOf(block.text).map(element));
    case 'rule':
      return h('hr', { key });
    case 'paragraph':
      return h('p', { key }, ...inline(block.text));
  }
}

/** Renders Markdown text as React elements (never as HTML). */
export function Markdown({ text }: { text: string }): ReactElement {
  return h(Fragment, {}, ...blocksOf(text).map(element));
}
