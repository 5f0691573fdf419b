// The blocks of a user message with files (IMAGE and DOCUMENT blocks carrying their attachment) and of a reply with
// citations, as the kit's BlockList and ReplyAssembler keep them: read from a stored message, and as events land.
import { describe, expect, it } from '@jest/globals';
import { BlockList, ReplyAssembler, type BlockInput, type ReplySnapshot } from '../../../../clients/kit/index.ts';

const image = { id: 'a1', fileName: 'dot.png', contentType: 'image/png', size: 70 };
const note = { id: 'a2', fileName: 'penguins.txt', contentType: 'text/plain', size: 58 };
const cited = { type: 'char_location', citedText: 'Penguins live in the southern hemisphere.', documentIndex: 0, documentTitle: 'penguins.txt', start: 0, end: 41 };

/** A user message as sendMessage stores it (resolvers/blocks.ts): its files first, then its text. */
const USER_BLOCKS: BlockInput[] = [
  { index: 0, type: 'IMAGE', attachment: image },
  { index: 1, type: 'DOCUMENT', attachment: note },
  { index: 2, type: 'TEXT', text: 'Compare these.' },
];

describe('a user message\'s files', () => {
  it('keep their attachment on the IMAGE and DOCUMENT blocks, and the text is the TEXT block\'s alone', () => {
    const snapshot: ReplySnapshot = { id: 'u1', content: 'Compare these.', blocks: USER_BLOCKS, seq: 0, status: 'COMPLETE' };

    const { blocks, text } = new ReplyAssembler(snapshot).state;

    expect(blocks.map((block) => [block.type, block.attachment])).toEqual([['IMAGE', image], ['DOCUMENT', note], ['TEXT', null]]);
    expect(text).toBe('Compare these.');
  });

  it('keep only the attachment\'s own fields, whatever else the selection returned', () => {
    const list = new BlockList([{ index: 0, type: 'IMAGE', attachment: { ...image, __typename: 'Attachment' } as typeof image }]);

    const [block] = list.list();

    expect(block?.attachment).toEqual(image);
  });
});

describe('a reply\'s citations', () => {
  it('are kept from the stored message, and a CITATION event adds to them', () => {
    const later = { ...cited, citedText: 'They cannot fly.', start: 42, end: 58 };
    const stored: ReplySnapshot = { id: 'r1', content: 'They live south.', blocks: [{ index: 0, type: 'TEXT', text: 'They live south.', citations: [cited] }], seq: 3, status: 'STREAMING' };
    const reply = new ReplyAssembler(stored);

    reply.receive({ messageId: 'r1', seq: 4, type: 'CITATION', index: 0, citation: later });

    expect(reply.state.blocks[0]?.citations).toEqual([cited, later]);
  });

  it('land on the TEXT block the event names as it streams, and the text stays the TEXT blocks\' only', () => {
    const reply = new ReplyAssembler({ id: 'r1', content: '', blocks: [], seq: 0, status: 'PENDING' });

    reply.receive({ messageId: 'r1', seq: 1, type: 'DELTA', index: 0, text: 'Penguins live in the south.' });
    reply.receive({ messageId: 'r1', seq: 2, type: 'CITATION', index: 0, citation: cited });
    reply.receive({ messageId: 'r1', seq: 3, type: 'CITATION', index: 1, citation: cited });

    expect(reply.state.blocks.map((block) => [block.index, block.type, block.citations])).toEqual([[0, 'TEXT', [cited]], [1, 'TEXT', [cited]]]);
    expect(reply.state.text).toBe('Penguins live in the south.');
  });

  it('are refused on a block of another type', () => {
    const list = new BlockList([{ index: 0, type: 'IMAGE', attachment: image }]);

    const taken = list.cite(0, cited);

    expect(taken).toBe(false);
    expect(list.list()[0]).toMatchObject({ type: 'IMAGE', citations: null, attachment: image });
  });

  it('are copied with the list: a later citation does not change a list read before it', () => {
    const list = new BlockList([{ index: 0, type: 'TEXT', text: 'x' }]);
    list.cite(0, cited);
    const before = list.list();

    list.cite(0, cited);

    expect(before[0]?.citations).toHaveLength(1);
    expect(list.list()[0]?.citations).toHaveLength(2);
  });
});
