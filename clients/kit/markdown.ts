// A reply's Markdown as a tree of plain data, for a front end to build its own elements from (the playground builds DOM
// nodes with createElement and textContent: clients/playground/markdown-view.ts). Nothing here is HTML: `<script>` in
// the text stays text in a text node, and a link keeps only an http, https or mailto URL. The subset models write:
// fenced code blocks, ATX headings, lists, block quotes, rules and paragraphs; inline code, strong, emphasis, links, bare
// URLs, backslash escapes and line breaks. A fence not closed yet (a reply still being written) runs to the end.

export type MarkdownInline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong' | 'em'; children: MarkdownInline[] }
  | { kind: 'link'; href: string; children: MarkdownInline[] }
  | { kind: 'break' };

export type MarkdownBlock =
  | { kind: 'paragraph'; children: MarkdownInline[] }
  | { kind: 'heading'; level: number; children: MarkdownInline[] }
  | { kind: 'code'; language: string; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: MarkdownInline[][] }
  | { kind: 'quote'; children: MarkdownBlock[] }
  | { kind: 'rule' };

const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const ITEM = /^ {0,3}(?:([-*+])|(\d{1,9})[.)])[ \t]+(.*)$/;
const BLANK = /^[ \t]*$/;

const startsBlock = (line: string): boolean => FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);

/** A URL a link may open: http, https or mailto, absolute; null for anything else (javascript:, data:, relative). */
export function safeUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** The text's blocks, in order. */
export function parseMarkdown(text: string): MarkdownBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: MarkdownBlock[] = [];
  let i = 0;
  const line = (at: number): string => lines[at] ?? '';
  while (i < lines.length) {
    const current = line(i);
    const fence = FENCE.exec(current);
    const heading = HEADING.exec(current);
    const item = ITEM.exec(current);
    if (fence) {
      const marker = fence[1] ?? '```';
      const closes = new RegExp(`^ {0,3}${marker[0] === '~' ? '~' : '`'}{${marker.length},}[ \\t]*$`);
      const body: string[] = [];
      for (i += 1; i < lines.length && !closes.test(line(i)); i += 1) body.push(line(i));
      blocks.push({ kind: 'code', language: fence[2] ?? '', text: body.join('\n') });
      i += 1;
    } else if (BLANK.test(current)) {
      i += 1;
    } else if (RULE.test(current)) {
      blocks.push({ kind: 'rule' });
      i += 1;
    } else if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, children: parseInline(heading[2] ?? '') });
      i += 1;
    } else if (QUOTE.test(current)) {
      const quoted: string[] = [];
      for (let m = QUOTE.exec(current); m; m = QUOTE.exec(line(i))) {
        quoted.push(m[1] ?? '');
        i += 1;
      }
      blocks.push({ kind: 'quote', children: parseMarkdown(quoted.join('\n')) });
    } else if (item) {
      const ordered = item[2] !== undefined;
      const items: string[] = [];
      for (; i < lines.length; i += 1) {
        const next = ITEM.exec(line(i));
        if (next && (next[2] !== undefined) === ordered && !RULE.test(line(i))) items.push(next[3] ?? '');
        else if (/^[ \t]+\S/.test(line(i))) items[items.length - 1] += `\n${line(i).trim()}`;
        else if (!(BLANK.test(line(i)) && ITEM.test(line(i + 1)))) break;
      }
      blocks.push({ kind: 'list', ordered, start: Number(item[2] ?? 1), items: items.map(parseInline) });
    } else {
      const paragraph: string[] = [current];
      for (i += 1; i < lines.length && !BLANK.test(line(i)) && !startsBlock(line(i)); i += 1) paragraph.push(line(i));
      blocks.push({ kind: 'paragraph', children: parseInline(paragraph.map((l) => l.trim()).join('\n')) });
    }
  }
  return blocks;
}

// One alternative per inline form; at each position the leftmost match wins, then the first alternative. Escapes and
// code spans come first: nothing inside them is Markdown.
const INLINE = new RegExp([
  /\\([!-/:-@[-`{-~])/.source, // 1: a backslash escape
  /(`+)([\s\S]*?[^`])\2(?!`)/.source, // 2, 3: code
  /\[([^\]\n]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)/.source, // 4, 5: link
  /(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"*_])/.source, // 6: bare URL
  /\*\*(?=\S)([\s\S]*?\S)\*\*(?!\*)/.source, // 7: strong (its last two stars: `**a *b***`)
  /(?<!\w)__(?=\S)([\s\S]*?\S)__(?!\w)/.source, // 8: strong
  /\*(?=[^\s*])([\s\S]*?[^\s*])\*/.source, // 9: emphasis
  /(?<!\w)_(?=[^\s_])([\s\S]*?[^\s_])_(?!\w)/.source, // 10: emphasis
  /(\n)/.source, // 11: a line break
].join('|'), 'g');

/** One paragraph's (or heading's, or list item's) inline content. */
export function parseInline(text: string): MarkdownInline[] {
  const nodes: MarkdownInline[] = [];
  const push = (node: MarkdownInline): void => {
    const last = nodes.at(-1);
    if (node.kind === 'text' && last?.kind === 'text') last.text += node.text;
    else if (node.kind !== 'text' || node.text !== '') nodes.push(node);
  };
  let done = 0;
  for (const m of text.matchAll(INLINE)) {
    push({ kind: 'text', text: text.slice(done, m.index) });
    done = m.index + m[0].length;
    const [whole, escaped, , code, label, target, url] = m;
    const strong = m[7] ?? m[8];
    const emphasis = m[9] ?? m[10];
    if (escaped !== undefined) push({ kind: 'text', text: escaped });
    else if (code !== undefined) push({ kind: 'code', text: /^ .*[^ ].* $/s.test(code) ? code.slice(1, -1) : code });
    else if (label !== undefined) {
      const href = safeUrl(target ?? '');
      if (href) push({ kind: 'link', href, children: parseInline(label) });
      else push({ kind: 'text', text: whole });
    } else if (url !== undefined) {
      const href = safeUrl(url);
      push(href ? { kind: 'link', href, children: [{ kind: 'text', text: url }] } : { kind: 'text', text: url });
    } else if (strong !== undefined) push({ kind: 'strong', children: parseInline(strong) });
    else if (emphasis !== undefined) push({ kind: 'em', children: parseInline(emphasis) });
    else push({ kind: 'break' });
  }
  push({ kind: 'text', text: text.slice(done) });
  return nodes;
}
