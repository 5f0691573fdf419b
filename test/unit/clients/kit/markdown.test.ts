// The kit's Markdown reader (clients/kit/markdown.ts): the blocks and inline forms a reply uses, as plain data; HTML in
// the text stays text, and links keep only http, https and mailto URLs.
import { describe, expect, it } from '@jest/globals';
import { parseInline, parseMarkdown, safeUrl, type MarkdownInline } from '../../../../clients/kit/index.ts';

const text = (value: string): MarkdownInline => ({ kind: 'text', text: value });

describe('blocks', () => {
  it('reads a fenced code block with its language, its text as written, HTML included', () => {
    const blocks = parseMarkdown('Run this:\n\n```html\n<script>alert(1)</script>\n  indented *not emphasis*\n```\nAfter.');

    expect(blocks).toEqual([
      { kind: 'paragraph', children: [text('Run this:')] },
      { kind: 'code', language: 'html', text: '<script>alert(1)</script>\n  indented *not emphasis*' },
      { kind: 'paragraph', children: [text('After.')] },
    ]);
  });

  it('runs a fence not closed yet to the end of the text, as a reply still streaming has it', () => {
    const blocks = parseMarkdown('~~~~\nconst a = 1;\n~~~\nstill code');

    expect(blocks).toEqual([{ kind: 'code', language: '', text: 'const a = 1;\n~~~\nstill code' }]);
  });

  it('reads ATX headings of each level, closing hashes dropped, and a hash without a space as text', () => {
    const blocks = parseMarkdown('# One\n### Three ###\n#hashtag');

    expect(blocks).toEqual([
      { kind: 'heading', level: 1, children: [text('One')] },
      { kind: 'heading', level: 3, children: [text('Three')] },
      { kind: 'paragraph', children: [text('#hashtag')] },
    ]);
  });

  it('reads bullet and numbered lists, their start, continuation lines and blank lines between items', () => {
    const blocks = parseMarkdown('- one\n- two\n  more of two\n\n- three\n\n3. c\n4) d');

    expect(blocks).toEqual([
      { kind: 'list', ordered: false, start: 1, items: [[text('one')], [text('two'), { kind: 'break' }, text('more of two')], [text('three')]] },
      { kind: 'list', ordered: true, start: 3, items: [[text('c')], [text('d')]] },
    ]);
  });

  it('ends a list at a line of another kind of list, or at a rule', () => {
    const blocks = parseMarkdown('- a\n1. b\n- - -');

    expect(blocks.map((block) => block.kind)).toEqual(['list', 'list', 'rule']);
  });

  it('reads block quotes with their own blocks, rules, and paragraphs whose lines break where written', () => {
    const blocks = parseMarkdown('> # Quoted\n> text\n\n***\nline one\nline two\n# Heading ends it');

    expect(blocks).toEqual([
      { kind: 'quote', children: [{ kind: 'heading', level: 1, children: [text('Quoted')] }, { kind: 'paragraph', children: [text('text')] }] },
      { kind: 'rule' },
      { kind: 'paragraph', children: [text('line one'), { kind: 'break' }, text('line two')] },
      { kind: 'heading', level: 1, children: [text('Heading ends it')] },
    ]);
  });

  it('reads Windows line ends as line ends, and an empty text as no block', () => {
    expect(parseMarkdown('a\r\nb')).toEqual([{ kind: 'paragraph', children: [text('a'), { kind: 'break' }, text('b')] }]);
    expect(parseMarkdown('')).toEqual([]);
  });
});

describe('inline forms', () => {
  it('reads strong, emphasis and code, nested, with nothing inside a code span read as Markdown', () => {
    const nodes = parseInline('**bold *and em*** __also__ _em_ `a **b**` `` x`y ``');

    expect(nodes).toEqual([
      { kind: 'strong', children: [text('bold '), { kind: 'em', children: [text('and em')] }] }, text(' '),
      { kind: 'strong', children: [text('also')] }, text(' '), { kind: 'em', children: [text('em')] }, text(' '),
      { kind: 'code', text: 'a **b**' }, text(' '), { kind: 'code', text: 'x`y' },
    ]);
  });

  it('leaves underscores inside words, unmatched markers and escaped characters as text', () => {
    const nodes = parseInline('snake_case_name 2 * 3 = 6 \\*not em\\* `open');

    expect(nodes).toEqual([text('snake_case_name 2 * 3 = 6 *not em* `open')]);
  });

  it('keeps HTML as text', () => {
    const nodes = parseInline('<script>alert("x")</script> <img src=x onerror=alert(1)>');

    expect(nodes).toEqual([text('<script>alert("x")</script> <img src=x onerror=alert(1)>')]);
  });

  it('links http, https and mailto URLs, written as links or bare, parentheses in a URL included', () => {
    const nodes = parseInline('[docs](https://example.com/a_(b)) [mail **me**](mailto:me@example.com) see http://example.com/x.');

    expect(nodes).toEqual([
      { kind: 'link', href: 'https://example.com/a_(b)', children: [text('docs')] }, text(' '),
      { kind: 'link', href: 'mailto:me@example.com', children: [text('mail '), { kind: 'strong', children: [text('me')] }] }, text(' see '),
      { kind: 'link', href: 'http://example.com/x', children: [text('http://example.com/x')] }, text('.'),
    ]);
  });

  it('leaves a link to any other URL as the text written', () => {
    const nodes = parseInline('[a](javascript:alert(1)) [b](data:text/html,x) [c](/relative) [d](vbscript:x)');

    expect(nodes).toEqual([text('[a](javascript:alert(1)) [b](data:text/html,x) [c](/relative) [d](vbscript:x)')]);
  });
});

describe('safeUrl', () => {
  it('keeps http, https and mailto URLs, normalized, and nothing else', () => {
    const urls = ['HTTPS://Example.com', 'http://example.com/a b', 'mailto:a@example.com', 'javascript:alert(1)', ' javascript:alert(1)', 'data:,x', 'ftp://example.com', 'not a url'];

    expect(urls.map(safeUrl)).toEqual(['https://example.com/', 'http://example.com/a%20b', 'mailto:a@example.com', null, null, null, null, null]);
  });
});
