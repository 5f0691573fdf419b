// Markdown as React elements, for replies as they stream: the kit parses the text into plain data
// (clients/kit/markdown.ts: fenced code blocks, headings, lists, quotes, rules, paragraphs; inline code, bold,
// italics, links and bare URLs; a fence not closed yet runs to the end), and this file only builds elements from it.
// Safe by construction: every piece of text is a React text child (React escapes it), nothing is parsed as HTML and
// nothing goes through innerHTML; the kit keeps only http(s) and mailto links.
import { createElement as h, Fragment, type ReactElement, type ReactNode } from 'react';
import { parseMarkdown, type MarkdownBlock, type MarkdownInline } from '../../clients/kit/index.ts';

function inline(node: MarkdownInline, key: number): ReactNode {
  switch (node.kind) {
    case 'text':
      return node.text;
    case 'code':
      return h('code', { key }, node.text);
    case 'strong':
    case 'em':
      return h(node.kind, { key }, ...node.children.map(inline));
    case 'link':
      return h('a', { key, href: node.href, target: '_blank', rel: 'noopener noreferrer' }, ...node.children.map(inline));
    case 'break':
      return h('br', { key });
  }
}

function element(block: MarkdownBlock, key: number): ReactElement {
  switch (block.kind) {
    case 'code':
      return h('pre', { key, className: 'code-block', 'data-language': block.language || undefined }, h('code', {}, block.text));
    case 'heading':
      return h(`h${Math.min(6, block.level + 2)}`, { key, className: 'md-heading' }, ...block.children.map(inline));
    case 'list':
      return h(block.ordered ? 'ol' : 'ul', { key, ...(block.ordered && block.start !== 1 ? { start: block.start } : {}) },
        ...block.items.map((item, i) => h('li', { key: i }, ...item.map(inline))));
    case 'quote':
      return h('blockquote', { key }, ...block.children.map(element));
    case 'rule':
      return h('hr', { key });
    case 'paragraph':
      return h('p', { key }, ...block.children.map(inline));
  }
}

/** Renders Markdown text as React elements (never as HTML). */
export function Markdown({ text }: { text: string }): ReactElement {
  return h(Fragment, {}, ...parseMarkdown(text).map(element));
}
