// The kit's uploads against the product's sandbox (docs/architecture.md, "Attachments"): ChatApi.uploadAttachment asks
// createAttachmentUpload and posts the file to the sandbox's S3 with Node's fetch and FormData, sendMessage sends the
// ids with citations on, and the feed follows the reply of the Claude stand-in, which names each file it was sent and
// cites the document. S3's refusal of a file bigger than declared comes back as the kit's error.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AttachmentUploadError, ChatApi, ConversationFeed, GraphqlError, graphqlClient, type RealtimeClient, type ReplyState, type Turn } from '../../../../clients/kit/index.ts';
import { kitFor, startProduct, user, type Product, type User } from '../../../e2e/product.ts';
import { until } from '../../../support/until.ts';

/** A 1x1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const NOTE = 'Penguins live in the southern hemisphere. They cannot fly.';

let p: Product;
let uma: User;

beforeAll(async () => {
  p = await startProduct();
  uma = await user(p.sandbox, 'uma@example.com');
}, 120_000);

afterAll(async () => {
  await p?.stop();
}, 90_000);

const kit = (): { api: ChatApi; realtime: RealtimeClient } => kitFor(p.sandbox, uma);

const png = (): File => new File([PNG], 'dot.png', { type: 'image/png' });
const note = (): File => new File([NOTE], 'penguins.txt', { type: 'text/plain' });

/** Sends the message with the kit and follows its reply to the end; the turn and the reply's last state. */
async function turnWith(api: ChatApi, realtime: RealtimeClient, conversationId: string, content: string, options: { attachmentIds: string[]; citations?: boolean }): Promise<{ turn: Turn; reply: ReplyState }> {
  let latest: ReplyState | undefined;
  const feed = new ConversationFeed({ realtime, api, conversationId, onReply: (state) => (latest = state) });
  await feed.ready;
  const turn = await api.sendMessage(conversationId, content, undefined, options);
  latest = feed.follow(turn.reply);
  await until(() => latest?.final === true, 'the end of the reply', 30_000);
  feed.close();
  return { turn, reply: latest };
}

describe('files uploaded with the kit', () => {
  it('reach the model: the reply names the image and the document, and cites the document, as stored', async () => {
    const { api, realtime } = kit();
    const conversation = await api.createConversation();
    const image = await api.uploadAttachment(conversation.id, png());
    const document = await api.uploadAttachment(conversation.id, note());

    const { turn, reply } = await turnWith(api, realtime, conversation.id, 'Compare these.', { attachmentIds: [image.id, document.id], citations: true });

    const stored = await api.getMessage(conversation.id, turn.reply.id);
    realtime.close();
    const cited = { type: 'char_location', citedText: 'Penguins live in the southern hemisphere.', documentIndex: 0, documentTitle: 'penguins.txt', start: 0, end: 41 };
    expect(reply).toMatchObject({ status: 'COMPLETE', text: stored?.content, seq: stored?.seq });
    expect(reply.text).toContain(`[image image/png ${PNG.length} bytes]`);
    expect(reply.text).toContain(`[document text/plain ${NOTE.length} bytes]`);
    expect(reply.blocks.flatMap((block) => block.citations ?? [])).toEqual([cited]);
    expect(reply.blocks).toEqual(stored?.blocks);
  }, 60_000);

  it('are on the stored user message, first, as IMAGE and DOCUMENT blocks carrying the attachment uploadAttachment returned', async () => {
    const { api, realtime } = kit();
    const conversation = await api.createConversation();
    const image = await api.uploadAttachment(conversation.id, png());
    const document = await api.uploadAttachment(conversation.id, note());

    const { turn } = await turnWith(api, realtime, conversation.id, 'Look.', { attachmentIds: [image.id, document.id] });

    const stored = await api.getMessage(conversation.id, turn.userMessage.id);
    realtime.close();
    expect(image).toEqual({ id: image.id, fileName: 'dot.png', contentType: 'image/png', size: PNG.length });
    expect(stored?.blocks.map((block) => [block.index, block.type, block.attachment, block.text])).toEqual([
      [0, 'IMAGE', image, null], [1, 'DOCUMENT', document, null], [2, 'TEXT', null, 'Look.'],
    ]);
    expect(turn.userMessage.blocks).toEqual(stored?.blocks);
  }, 60_000);
});

describe('a refused upload', () => {
  it('surfaces S3\'s refusal of a file bigger than declared as an AttachmentUploadError, and its id cannot be sent', async () => {
    const { api } = kit();
    const conversation = await api.createConversation();
    // A file that grew after its size was read: the POST carries 4 bytes more than createAttachmentUpload declared.
    let key = '';
    const grown: typeof fetch = (input, init) => {
      const form = init?.body;
      if (!(form instanceof FormData)) return fetch(input, init);
      const posted = new FormData();
      for (const [name, value] of form.entries()) posted.append(name, typeof value === 'string' ? value : new File([value, 'more'], value.name, { type: value.type }));
      const posting = form.get('key');
      key = typeof posting === 'string' ? posting : '';
      return fetch(input, { ...init, body: posted });
    };
    const growing = new ChatApi(graphqlClient({ url: p.sandbox.urls.graphql, token: () => uma.accessToken }).request, { fetch: grown });

    const failure = await growing.uploadAttachment(conversation.id, png()).catch((error: unknown) => error);
    const send = await api.sendMessage(conversation.id, 'Look.', undefined, { attachmentIds: [key.split('/').at(-1) ?? ''] }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AttachmentUploadError);
    expect(failure).toMatchObject({ errorType: 'EntityTooLarge', status: 400, fileName: 'dot.png' });
    expect((failure as Error).message).toMatch(/^S3 refused the upload of dot\.png: EntityTooLarge: .+ \(HTTP 400\)$/);
    expect(send).toBeInstanceOf(GraphqlError);
    expect(send).toMatchObject({ errorType: 'NotFound' });
  }, 60_000);
});
