// Images and documents through the stand-in with the real SDK: what the reply says about each, the checks on media
// types and sizes, and citations (a citations_delta before the text it cites, char_location or page_location).
import { describe, expect, it } from '@jest/globals';
import { BadRequestError, type APIError } from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming, RawMessageStreamEvent, TextBlock } from '@anthropic-ai/sdk/resources/messages';
import { MODEL, useStandIn } from './stand-in-server.ts';

/** A 1x1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG_BYTES = Buffer.from(PNG, 'base64').length;
const NOTE = 'Penguins live in the southern hemisphere. They cannot fly.';
/** A one-page PDF whose page draws one uncompressed string. */
const PDF = Buffer.from([
  '%PDF-1.4',
  '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
  '3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj',
  '4 0 obj << /Length 52 >> stream',
  'BT /F1 12 Tf 72 712 Td (Emperor penguins are tall.) Tj ET',
  'endstream endobj',
  '%%EOF',
].join('\n'), 'latin1').toString('base64');

function textOf(message: Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

function ask(content: MessageCreateParamsNonStreaming['messages'][number]['content']): MessageCreateParamsNonStreaming {
  return { model: MODEL, max_tokens: 500, messages: [{ role: 'user', content }] };
}

const CITED_TEXT = ask([{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: NOTE }, title: 'Notes', citations: { enabled: true } }, { type: 'text', text: 'Where do penguins live?' }]);

describe('images and documents in the stand-in', () => {
  const server = useStandIn('all');

  it('names each image and document it was sent, with its media type and decoded size', async () => {
    // Act
    const message = await server().client().messages.create(ask([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'héllo' } },
      { type: 'text', text: 'What are these?' },
    ]));

    // Assert
    expect(textOf(message)).toContain(`You wrote: "What are these?". [image image/png ${PNG_BYTES} bytes] [document application/pdf ${Buffer.from(PDF, 'base64').length} bytes] [document text/plain 6 bytes]`);
  });

  it('names the attachments of earlier user messages too', async () => {
    // Act
    const message = await server().client().messages.create({ model: MODEL, max_tokens: 500, messages: [
      { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/gif', data: PNG } }, { type: 'text', text: 'Look.' }] },
      { role: 'assistant', content: 'I see it.' },
      { role: 'user', content: 'And now?' },
    ] });

    // Assert
    expect(textOf(message)).toContain(`[image image/gif ${PNG_BYTES} bytes]`);
  });

  it('counts an image by its pixels in count_tokens, not by its base64 length', async () => {
    // Act
    const count = await server().client().messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] }] });

    // Assert
    expect(count.input_tokens).toBe(1);
  });

  it('cites a plain-text document with citations enabled: a char_location of its first sentence', async () => {
    // Act
    const message = await server().client().messages.create(CITED_TEXT);

    // Assert
    const cited = message.content.at(-1) as TextBlock;
    expect(cited.citations).toEqual([{ type: 'char_location', cited_text: 'Penguins live in the southern hemisphere.', document_index: 0, document_title: 'Notes', start_char_index: 0, end_char_index: 41, file_id: null }]);
    expect(cited.text).toBe(' Document 0 says: "Penguins live in the southern hemisphere.".');
    expect(message.content[0]).toMatchObject({ type: 'text', citations: null });
  });

  it('cites a PDF with a page_location quoting the text its page draws', async () => {
    // Act
    const message = await server().client().messages.create(ask([{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF }, citations: { enabled: true } }, { type: 'text', text: 'Summarise.' }]));

    // Assert
    expect((message.content.at(-1) as TextBlock).citations).toEqual([{ type: 'page_location', cited_text: 'Emperor penguins are tall.', document_index: 0, document_title: null, start_page_number: 1, end_page_number: 2, file_id: null }]);
  });

  it('streams the citations_delta before the text_delta it belongs to, in a block of its own', async () => {
    // Act
    const events: RawMessageStreamEvent[] = [];
    for await (const event of await server().client().messages.create({ ...CITED_TEXT, stream: true })) events.push(event);

    // Assert
    const last = events.filter((event) => event.type === 'content_block_delta').at(-1)?.index;
    const ofLast = events.flatMap((event) => (event.type === 'content_block_delta' && event.index === last ? [event.delta.type] : []));
    expect(last).toBe(1);
    expect(ofLast[0]).toBe('citations_delta');
    expect(ofLast.slice(1).every((type) => type === 'text_delta')).toBe(true);
  });

  it('rebuilds through messages.stream the same cited message as the non-streaming answer', async () => {
    // Act
    const streamed = await server().client().messages.stream(CITED_TEXT).finalMessage();
    const whole = await server().client().messages.create(CITED_TEXT);

    // Assert
    expect(streamed.content).toEqual(whole.content);
  });

  it('does not cite a document whose citations are off', async () => {
    // Act
    const message = await server().client().messages.create(ask([{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: NOTE } }, { type: 'text', text: 'Where?' }]));

    // Assert
    expect(message.content).toHaveLength(1);
  });
});

describe('attachments the stand-in refuses', () => {
  const server = useStandIn('all');

  async function rejectionOf(content: unknown[]): Promise<APIError> {
    try {
      await server().client().post('/v1/messages', { body: { model: MODEL, max_tokens: 100, messages: [{ role: 'user', content }] } });
    } catch (error) {
      return error as APIError;
    }
    throw new Error('the request was accepted');
  }

  it.each([
    ['an image of a media type the API does not take', [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: PNG } }],
      "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"],
    ['an image over 5 MB (measured on the base64 text: sandbox\'s reading)', [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(5 * 1024 * 1024 + 4) } }],
      `messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: ${5 * 1024 * 1024 + 4} bytes > 5242880 bytes`],
    ['a base64 document that is not a PDF', [{ type: 'document', source: { type: 'base64', media_type: 'text/plain', data: 'aGk=' } }],
      "messages.0.content.0.document.source.base64.media_type: Input should be 'application/pdf'"],
    ['an image in a tool_result with a bad media type, by its nested path', [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/tiff', data: PNG } }] }],
      "messages.0.content.0.tool_result.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"],
  ])('refuses %s', async (_case, content, message) => {
    // Act
    const error = await rejectionOf(content);

    // Assert
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.error).toMatchObject({ error: { type: 'invalid_request_error', message } });
  });
});
