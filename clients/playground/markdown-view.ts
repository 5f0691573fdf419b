/// <reference lib="dom" />
// A reply's Markdown as DOM nodes: the kit's tree (clients/kit/markdown.ts) built with createElement and text nodes
// only. No model text is ever parsed as HTML (no innerHTML), and links open http, https and mailto URLs only (the kit
// keeps no other), in a new tab, without access to this page (rel=noopener).
import { parseMarkdown, type MarkdownBlock, type MarkdownInline } from '../kit/index.ts';
import { h } from './dom.ts';

function inline(node: MarkdownInline): Node {
  switch (node.kind) {
    case 'text':
      return document.createTextNode(node.text);
    case 'code':
      return h('code', {}, node.text);
    case 'strong':
    case 'em':
      return h(node.kind, {}, ...node.children.map(inline));
    case 'link':
      return h('a', { href: node.href, target: '_blank', rel: 'noopener noreferrer' }, ...node.children.map(inline));
    case 'break':
      return h('br');
  }
}

function block(node: MarkdownBlock): Node {
  switch (node.kind) {
    case 'paragraph':
      return h('p', {}, ...node.children.map(inline));
    case 'heading': {
      // The page's own headings are h1 and h2: a reply's start at h3.
      const level = Math.min(6, node.level + 2) as 3 | 4 | 5 | 6;
      return h(`h${level}`, {}, ...node.children.map(inline));
    }
    case 'code':
      return h('pre', node.language ? { 'data-language': node.language } : {}, h('code', {}, node.text));
    case 'list': {
      const items = node.items.map((item) => h('li', {}, ...item.map(inline)));
      return node.ordered ? h('ol', node.start === 1 ? {} : { start: String(node.start) }, ...items) : h('ul', {}, ...items);
    }
    case 'quote':
      return h('blockquote', {}, ...node.children.map(block));
    case 'rule':
      return h('hr');
  }
}

/** The Markdown text as nodes to put in an element. */
export function markdownNodes(text: string): Node[] {
  return parseMarkdown(text).map(block);
}
