import { describe, expect, it } from '@jest/globals';
import { attachmentsToSend } from '../../../../functions/chat/attachments.ts';
import type { HistoryMessage } from '../../../../functions/chat/history.ts';
import { buildPrompt, toTurns } from '../../../../functions/chat/prompt.ts';

const m = (role: 'USER' | 'ASSISTANT', content: string): HistoryMessage => ({ id: content, role, content });

describe('buildPrompt', () => {
  it('puts a breakpoint on the system prompt', () => {
    const request = buildPrompt({ model: 'm', maxTokens: 10, systemPrompt: 'Be brief.', history: [m('USER', 'hi')] });

    expect(request.system).toEqual([{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }]);
  });

  it('puts a breakpoint on the last message of the previous turn and none on the current one', () => {
    const request = buildPrompt({ model: 'm', maxTokens: 10, systemPrompt: null, history: [m('USER', 'q1'), m('ASSISTANT', 'a1'), m('USER', 'q2')] });

    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'q1' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'a1', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: [{ type: 'text', text: 'q2' }] },
    ]);
    expect(request.system).toBeUndefined();
  });

  it('merges consecutive messages of one role and drops a leading assistant message', () => {
    const turns = toTurns([m('ASSISTANT', 'orphan'), m('USER', 'q1'), m('USER', 'q2')]);

    expect(turns).toEqual([{ role: 'user', blocks: [{ type: 'text', text: 'q1' }, { type: 'text', text: 'q2' }] }]);
  });
});

describe('a prompt with attachments', () => {
  const photo = { id: 'p', fileName: 'cat.png', contentType: 'image/png', size: 3 };
  const paper = { id: 'd', fileName: 'paper.pdf', contentType: 'application/pdf', size: 4 };
  const notes = { id: 't', fileName: 'notes.txt', contentType: 'text/plain', size: 5 };
  const files = new Map<string, Uint8Array | 'missing'>([['p', new Uint8Array([1, 2, 3])], ['d', Buffer.from('%PDF')], ['t', Buffer.from('héllo')]]);
  const asking = (attachments: typeof photo[], citations = false): HistoryMessage => ({ id: 'u', role: 'USER', content: 'What is this?', attachments, citations });

  it('sends the files before the text: an image as base64, a PDF as a base64 document, plain text as a text document titled with its name', () => {
    const request = buildPrompt({ model: 'm', maxTokens: 10, systemPrompt: null, history: [asking([photo, paper, notes])], attachments: files });

    expect(request.messages).toEqual([{ role: 'user', content: [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AQID' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: Buffer.from('%PDF').toString('base64') }, title: 'paper.pdf' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'héllo' }, title: 'notes.txt', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'What is this?' },
    ] }]);
  });

  it('puts a breakpoint on the answered message\'s last file, with the previous turn\'s', () => {
    const request = buildPrompt({ model: 'm', maxTokens: 10, systemPrompt: 'Be brief.', history: [m('USER', 'q1'), m('ASSISTANT', 'a1'), asking([photo])], attachments: files });

    const blocks: { cache_control?: unknown }[] = [...request.system as { cache_control?: unknown }[], ...request.messages.flatMap((message) => message.content as { cache_control?: unknown }[])];
    const marked = blocks.filter((block) => block.cache_control);
    expect(marked).toHaveLength(3);
    expect((request.messages.at(-1)?.content as { type: string; cache_control?: unknown }[])[0]).toMatchObject({ type: 'image', cache_control: { type: 'ephemeral' } });
  });

  it('turns citations on for every document when the answered message asks for them', () => {
    const history = [{ ...asking([paper]), id: 'u1' }, m('ASSISTANT', 'a1'), asking([notes], true)];

    const request = buildPrompt({ model: 'm', maxTokens: 10, systemPrompt: null, history, attachments: files });

    const documents = request.messages.flatMap((message) => message.content as { type: string; citations?: unknown }[]).filter((block) => block.type === 'document');
    expect(documents.map((document) => document.citations)).toEqual([{ enabled: true }, { enabled: true }]);
  });

  it('names a file that is gone, or that the request had no room for, in a line of text', () => {
    const history = [{ ...asking([paper]), id: 'u1' }, m('ASSISTANT', 'a1'), asking([photo])];

    const request = buildPrompt({ model: 'm', maxTokens: 10, systemPrompt: null, history, attachments: new Map([['p', 'missing']]) });

    expect(request.messages[0]?.content).toEqual([{ type: 'text', text: '[paper.pdf (application/pdf), attached earlier, is not sent again.]' }, { type: 'text', text: 'What is this?' }]);
    expect((request.messages[2]?.content as unknown[])[0]).toEqual({ type: 'text', text: '[cat.png (image/png) is no longer available.]' });
  });
});

describe('attachmentsToSend', () => {
  const big = (id: string) => ({ id, fileName: `${id}.pdf`, contentType: 'application/pdf', size: 8 * 1024 * 1024 });

  it('sends the answered message\'s files, then earlier turns\' newest first while the request stays within its budget', () => {
    const history: HistoryMessage[] = [
      { id: 'u1', role: 'USER', content: 'first', attachments: [big('oldest')] }, m('ASSISTANT', 'a1'),
      { id: 'u2', role: 'USER', content: 'second', attachments: [big('older')] }, m('ASSISTANT', 'a2'),
      { id: 'u3', role: 'USER', content: 'third', attachments: [big('current')] },
    ];

    expect(attachmentsToSend(history).map((attachment) => attachment.id)).toEqual(['current', 'older']);
  });
});
