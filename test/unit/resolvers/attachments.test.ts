// Attachments in the resolvers: createAttachmentUpload's pipeline (validateAttachmentUpload, signAttachmentUpload,
// putAttachment) and what sendMessage's steps do with attachmentIds (validateMessage, loadTurnContext,
// verifyAttachments, writeTurn), each step called as AppSync calls it.
import { describe, expect, it } from '@jest/globals';
import { MAX_IMAGE_BYTES, MAX_PDF_BYTES, MAX_TEXT_BYTES } from '../../../resolvers/attachment-limits.ts';
import { withBlocks } from '../../../resolvers/blocks.ts';
import * as loadTurnContext from '../../../resolvers/steps/loadTurnContext.ts';
import * as putAttachment from '../../../resolvers/steps/putAttachment.ts';
import * as signAttachmentUpload from '../../../resolvers/steps/signAttachmentUpload.ts';
import * as validateAttachmentUpload from '../../../resolvers/steps/validateAttachmentUpload.ts';
import * as validateMessage from '../../../resolvers/steps/validateMessage.ts';
import * as verifyAttachments from '../../../resolvers/steps/verifyAttachments.ts';
import * as writeTurn from '../../../resolvers/steps/writeTurn.ts';
import {
  CONVERSATION_ID, contextOf, ENV, MESSAGE_ID, NOW_ISO, NOW_SECONDS, PK_ABSENT, REPLY_ID, resolverErrorOf, S, SUB, ULID, useFixedClock,
} from '../../support/resolver-context.ts';
import { conversation, earlyReturnOf, input, MESSAGES_PK, OWNER, storedTurn, type Turn } from './turn-fixtures.ts';

useFixedClock();

const PHOTO_ID = '01JT4JA0AAAAAAAAAAAAAAAAAA';
const NOTES_ID = '01JT4JA0BBBBBBBBBBBBBBBBBB';
const uploadInput = (overrides: Record<string, unknown> = {}) => ({ input: { conversationId: CONVERSATION_ID, fileName: ' cat.png ', contentType: 'image/png', size: 1234, ...overrides } });
const photo = { id: PHOTO_ID, fileName: 'cat.png', contentType: 'image/png', size: 1234 };
const notes = { id: NOTES_ID, fileName: 'notes.txt', contentType: 'text/plain', size: 400 };
const record = (ref: typeof photo, overrides: Record<string, unknown> = {}) => ({ ...ref, conversationId: CONVERSATION_ID, status: 'PENDING', createdAt: NOW_ISO, expiresAt: NOW_SECONDS + 3600, ...overrides });
const batch = (...attachments: unknown[]) => ({ data: { ChatTable: [conversation, null, null, ...attachments] } });

interface TransactRequest { transactItems: Record<string, unknown>[] }

describe('validateAttachmentUpload', () => {
  it('keeps the trimmed name, the type, the size and a new ULID in the stash, and asks the NONE data source for nothing', () => {
    const ctx = contextOf({ arguments: uploadInput() });

    const request = validateAttachmentUpload.request(ctx);

    expect(request).toStrictEqual({ payload: null });
    expect(ctx.stash['upload']).toStrictEqual({ id: expect.stringMatching(ULID), fileName: 'cat.png', contentType: 'image/png', size: 1234 });
  });

  it.each([
    ['image/png', MAX_IMAGE_BYTES], ['image/jpeg', MAX_IMAGE_BYTES], ['image/gif', MAX_IMAGE_BYTES], ['image/webp', MAX_IMAGE_BYTES],
    ['application/pdf', MAX_PDF_BYTES], ['text/plain', MAX_TEXT_BYTES],
  ])('accepts %s up to %i bytes', (contentType, size) => {
    const ctx = contextOf({ arguments: uploadInput({ contentType, size }) });

    validateAttachmentUpload.request(ctx);

    expect(ctx.stash['upload']).toMatchObject({ contentType, size });
  });

  it('refuses a type Claude cannot read, naming the ones it can', () => {
    const ctx = contextOf({ arguments: uploadInput({ fileName: 'song.mp3', contentType: 'audio/mpeg' }) });

    expect(resolverErrorOf(() => validateAttachmentUpload.request(ctx))).toMatchObject({
      errorType: 'ValidationError', message: "song.mp3: contentType 'audio/mpeg' cannot be attached; use one of image/jpeg, image/png, image/gif, image/webp, application/pdf, text/plain.",
    });
  });

  it('refuses an image over Claude\'s per-image limit', () => {
    const ctx = contextOf({ arguments: uploadInput({ size: MAX_IMAGE_BYTES + 1 }) });

    expect(resolverErrorOf(() => validateAttachmentUpload.request(ctx))).toMatchObject({
      errorType: 'ValidationError', message: `cat.png is ${MAX_IMAGE_BYTES + 1} bytes; the limit for image/png is ${MAX_IMAGE_BYTES} bytes.`,
    });
  });

  it.each([['empty', 0], ['negative', -5]])('refuses a size that is %s', (_case, size) => {
    const ctx = contextOf({ arguments: uploadInput({ size }) });

    expect(resolverErrorOf(() => validateAttachmentUpload.request(ctx))).toMatchObject({ errorType: 'ValidationError', message: 'cat.png: size must be at least 1 byte.' });
  });

  it.each([['a path', '../etc/passwd'], ['a backslash', 'a\\b.png'], ['a control character', 'a\u0000.png'], ['blank', '   '], ['too long', `${'a'.repeat(252)}.png`]])(
    'refuses a file name that is %s',
    (_case, fileName) => {
      const ctx = contextOf({ arguments: uploadInput({ fileName }) });

      expect(resolverErrorOf(() => validateAttachmentUpload.request(ctx))).toMatchObject({ errorType: 'ValidationError', message: 'fileName must be 1 to 255 characters, without control characters, / or \\.' });
    },
  );

  it('refuses a conversation id that is not a ULID', () => {
    const ctx = contextOf({ arguments: uploadInput({ conversationId: 'nope' }) });

    expect(resolverErrorOf(() => validateAttachmentUpload.request(ctx)).errorType).toBe('ValidationError');
  });
});

describe('signAttachmentUpload', () => {
  it('invokes the attachments function synchronously with the caller\'s own sub, never an argument\'s', () => {
    const ctx = contextOf({ arguments: uploadInput(), stash: { upload: photo } });

    expect(signAttachmentUpload.request(ctx)).toStrictEqual({
      operation: 'Invoke',
      payload: { action: 'sign', owner: SUB, conversationId: CONVERSATION_ID, attachmentId: PHOTO_ID, contentType: 'image/png', size: 1234 },
    });
  });

  it('keeps what the function signed in the stash', () => {
    const signed = { url: 'https://b.s3.eu-west-1.amazonaws.com', fields: { key: 'k' }, expiresAt: NOW_ISO, key: 'k' };
    const ctx = contextOf({ arguments: uploadInput(), stash: { upload: photo }, result: signed });

    signAttachmentUpload.response(ctx);

    expect(ctx.stash['signed']).toBe(signed);
  });

  it('raises the function\'s failure as it is', () => {
    const ctx = contextOf({ arguments: uploadInput(), stash: { upload: photo }, error: { message: 'boom', type: 'Lambda:Unhandled' } });

    expect(resolverErrorOf(() => signAttachmentUpload.response(ctx))).toMatchObject({ errorType: 'Lambda:Unhandled', message: 'boom' });
  });
});

describe('putAttachment', () => {
  it('puts a PENDING record under the caller\'s conversation, expiring in a day unless sent', () => {
    const ctx = contextOf({ arguments: uploadInput(), stash: { upload: photo } });

    expect(putAttachment.request(ctx)).toStrictEqual({
      operation: 'PutItem',
      key: { pk: MESSAGES_PK, sk: S(`ATTACH#${PHOTO_ID}`) },
      attributeValues: {
        id: S(PHOTO_ID), fileName: S('cat.png'), contentType: S('image/png'), size: { N: 1234 }, conversationId: S(CONVERSATION_ID),
        status: S('PENDING'), createdAt: S(NOW_ISO), expiresAt: { N: NOW_SECONDS + 24 * 3600 },
      },
      condition: PK_ABSENT,
    });
  });

  it('returns the upload: the id, the POST url, its fields as JSON, its expiry and the key', () => {
    const signed = { url: 'https://b.s3.eu-west-1.amazonaws.com', fields: { key: 'k', Policy: 'p' }, expiresAt: NOW_ISO, key: 'k' };
    const ctx = contextOf({ arguments: uploadInput(), stash: { upload: photo, signed }, result: {} });

    expect(putAttachment.response(ctx)).toStrictEqual({ id: PHOTO_ID, url: signed.url, fields: '{"key":"k","Policy":"p"}', expiresAt: NOW_ISO, key: 'k' });
  });
});

describe('sendMessage with attachments', () => {
  describe('validateMessage', () => {
    it('keeps the attachment ids and the citations flag in the stash', () => {
      const ctx = contextOf({ arguments: input({ attachmentIds: [PHOTO_ID, NOTES_ID], citations: true }) });

      validateMessage.request(ctx);

      expect([ctx.stash['attachmentIds'], ctx.stash['citations']]).toStrictEqual([[PHOTO_ID, NOTES_ID], true]);
    });

    it('refuses more than five attachments', () => {
      const ids = ['01JT4JA0A0', '01JT4JA0A1', '01JT4JA0A2', '01JT4JA0A3', '01JT4JA0A4', '01JT4JA0A5'].map((prefix) => prefix.padEnd(26, 'Z'));
      const ctx = contextOf({ arguments: input({ attachmentIds: ids }) });

      expect(resolverErrorOf(() => validateMessage.request(ctx))).toMatchObject({ errorType: 'ValidationError', message: 'attachmentIds has 6 attachments; a message carries at most 5.' });
    });

    it('refuses the same attachment twice', () => {
      const ctx = contextOf({ arguments: input({ attachmentIds: [PHOTO_ID, PHOTO_ID] }) });

      expect(resolverErrorOf(() => validateMessage.request(ctx))).toMatchObject({ errorType: 'ValidationError', message: `attachmentId '${PHOTO_ID}' is given twice.` });
    });

    it('refuses an attachment id that is not a ULID', () => {
      const ctx = contextOf({ arguments: input({ attachmentIds: ['attachments/other-user/x'] }) });

      expect(resolverErrorOf(() => validateMessage.request(ctx)).errorType).toBe('ValidationError');
    });
  });

  describe('loadTurnContext', () => {
    it('reads each attachment\'s record under the caller\'s conversation in the same BatchGetItem', () => {
      const ctx = contextOf({ arguments: input({ attachmentIds: [PHOTO_ID, NOTES_ID] }), stash: { attachmentIds: [PHOTO_ID, NOTES_ID] } });

      const request = loadTurnContext.request(ctx) as unknown as { tables: { ChatTable: { keys: unknown[] } } };

      expect(request.tables.ChatTable.keys.slice(3)).toStrictEqual([
        { pk: MESSAGES_PK, sk: S(`ATTACH#${PHOTO_ID}`) },
        { pk: MESSAGES_PK, sk: S(`ATTACH#${NOTES_ID}`) },
      ]);
      expect(request.tables.ChatTable.keys[0]).toStrictEqual({ pk: OWNER, sk: S(`CONV#${CONVERSATION_ID}`) });
    });

    it('keeps the attachments as references, in the order given', () => {
      const ctx = contextOf({ arguments: input(), stash: { content: 'Hello', attachmentIds: [NOTES_ID, PHOTO_ID] }, result: batch(record(notes), record(photo)) });

      loadTurnContext.response(ctx);

      expect(ctx.stash['attachments']).toStrictEqual([notes, photo]);
    });

    it('answers NotFound for an attachment it cannot find: another user\'s, another conversation\'s, or none', () => {
      const ctx = contextOf({ arguments: input(), stash: { content: 'Hello', attachmentIds: [PHOTO_ID] }, result: batch(null) });

      expect(resolverErrorOf(() => loadTurnContext.response(ctx))).toMatchObject({
        errorType: 'NotFound', message: `Attachment '${PHOTO_ID}' was not found in this conversation, or has expired: create it again with createAttachmentUpload.`,
      });
    });

    it('answers NotFound for a record past its expiry that DynamoDB has not removed yet', () => {
      const ctx = contextOf({ arguments: input(), stash: { content: 'Hello', attachmentIds: [PHOTO_ID] }, result: batch(record(photo, { expiresAt: NOW_SECONDS })) });

      expect(resolverErrorOf(() => loadTurnContext.response(ctx)).errorType).toBe('NotFound');
    });

    it('refuses an attachment already sent with another message', () => {
      const ctx = contextOf({ arguments: input(), stash: { content: 'Hello', attachmentIds: [PHOTO_ID] }, result: batch(record(photo, { status: 'SENT' })) });

      expect(resolverErrorOf(() => loadTurnContext.response(ctx))).toMatchObject({
        errorType: 'ValidationError', message: `Attachment '${PHOTO_ID}' (cat.png) was already sent with another message; upload the file again to send it again.`,
      });
    });

    it('refuses attachments over a message\'s total', () => {
      const pdfs = [photo, notes].map((ref) => record({ ...ref, contentType: 'application/pdf', size: MAX_PDF_BYTES }));
      const ctx = contextOf({ arguments: input(), stash: { content: 'Hello', attachmentIds: [PHOTO_ID, NOTES_ID] }, result: batch(...pdfs) });

      expect(resolverErrorOf(() => loadTurnContext.response(ctx))).toMatchObject({ errorType: 'ValidationError', message: `The attachments are ${2 * MAX_PDF_BYTES} bytes together; a message carries at most ${16 * 1024 * 1024} bytes of files.` });
    });

    it('treats a resend with other attachments as another message: Conflict', () => {
      const sent = { ...storedTurn, userMessage: { ...storedTurn.userMessage, attachments: [photo] } };
      const ctx = contextOf({ arguments: input(), stash: { content: 'Hello', attachmentIds: [NOTES_ID] }, result: { data: { ChatTable: [conversation, null, sent, record(notes)] } } });

      expect(resolverErrorOf(() => loadTurnContext.response(ctx)).errorType).toBe('Conflict');
    });

    it('answers a resend with the same attachments with the turn it made, though they are sent now', () => {
      const sent = { ...storedTurn, userMessage: { ...storedTurn.userMessage, attachments: [photo] } };
      const ctx = contextOf({ arguments: input(), stash: { content: 'Hello', attachmentIds: [PHOTO_ID] }, result: { data: { ChatTable: [conversation, null, sent, record(photo, { status: 'SENT' })] } } });

      loadTurnContext.response(ctx);

      expect(ctx.stash['duplicate']).toBe(true);
    });
  });

  describe('verifyAttachments', () => {
    it('asks the attachments function to check each upload, with the caller\'s sub', () => {
      const ctx = contextOf({ arguments: input(), stash: { attachments: [photo] }, prev: { result: null } });

      expect(verifyAttachments.request(ctx)).toStrictEqual({ operation: 'Invoke', payload: { action: 'verify', owner: SUB, conversationId: CONVERSATION_ID, attachments: [photo] } });
    });

    it('skips itself for a message without attachments', () => {
      const ctx = contextOf({ arguments: input(), stash: { attachments: [] }, prev: { result: 'as before' } });

      const signal = earlyReturnOf(() => verifyAttachments.request(ctx));

      expect([signal.skipTo, signal.value]).toStrictEqual(['NEXT', 'as before']);
    });

    it('raises the first problem the function found, with its type', () => {
      const problems = [{ id: PHOTO_ID, errorType: 'NotFound', message: 'never uploaded' }, { id: NOTES_ID, errorType: 'ValidationError', message: 'wrong size' }];
      const ctx = contextOf({ arguments: input(), stash: { attachments: [photo, notes] }, result: { problems }, prev: { result: null } });

      expect(resolverErrorOf(() => verifyAttachments.response(ctx))).toMatchObject({ errorType: 'NotFound', message: 'never uploaded' });
    });

    it('passes the previous result on when every upload is as declared', () => {
      const ctx = contextOf({ arguments: input(), stash: { attachments: [photo] }, result: { problems: [] }, prev: { result: 'kept' } });

      expect(verifyAttachments.response(ctx)).toBe('kept');
    });
  });

  describe('writeTurn', () => {
    const stash = { conversation, content: 'Hello', attachments: [photo, notes], citations: true };
    // The files' estimate is more than the test API's quota of 1,000 tokens a day.
    const env = { ...ENV, DAILY_TOKEN_QUOTA: '200000' };

    it('stores the references and the citations flag on the user message, never bytes', () => {
      const ctx = contextOf({ arguments: input(), env, stash, prev: { result: null } });

      writeTurn.request(ctx);

      const { userMessage } = ctx.stash['turn'] as Turn & { userMessage: Record<string, unknown> };
      expect(userMessage).toMatchObject({ attachments: [photo, notes], citations: true });
    });

    it('marks each attachment SENT in the same transaction, on the condition that it is still PENDING', () => {
      const ctx = contextOf({ arguments: input(), env, stash, prev: { result: null } });

      const request = writeTurn.request(ctx) as unknown as TransactRequest;

      const { userMessage } = ctx.stash['turn'] as Turn;
      const indexes = ctx.stash['attachmentIndexes'] as number[];
      expect(indexes.map((index) => request.transactItems[index])).toStrictEqual([PHOTO_ID, NOTES_ID].map((id) => ({
        table: 'ChatTable',
        operation: 'UpdateItem',
        key: { pk: MESSAGES_PK, sk: S(`ATTACH#${id}`) },
        update: {
          expression: 'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2',
          expressionNames: { '#expName_1': 'status', '#expName_2': 'messageId' },
          expressionValues: { ':expValue_1': S('SENT'), ':expValue_2': S(userMessage.id) },
        },
        condition: { expression: '(#status = :status_eq)', expressionNames: { '#status': 'status' }, expressionValues: { ':status_eq': S('PENDING') } },
      })));
    });

    it('reserves the attachments\' estimated tokens with the message: an image 1,600, text a token per four bytes', () => {
      const ctx = contextOf({ arguments: input(), env, stash, prev: { result: null } });

      writeTurn.request(ctx);

      expect((ctx.stash['turn'] as { reply: { reservation: { tokens: number } } }).reply.reservation.tokens).toBe(2 + 1600 + 100 + 4096);
    });

    it('refuses a turn whose files do not fit in what is left of the day\'s quota (QuotaExceeded), writing nothing', () => {
      const ctx = contextOf({ arguments: input(), stash, prev: { result: null } });

      expect(resolverErrorOf(() => writeTurn.request(ctx)).errorType).toBe('QuotaExceeded');
    });

    it('answers Conflict when an attachment was sent by another message meanwhile', () => {
      const ctx = contextOf({
        arguments: input(), stash: { ...stash, attachmentIndexes: [4, 5], reservationIndex: 6 },
        error: { message: 'cancelled', type: 'DynamoDB:TransactionCanceledException' },
        result: { cancellationReasons: ['None', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None', 'None'].map((type) => ({ type })) },
      });

      expect(resolverErrorOf(() => writeTurn.response(ctx))).toMatchObject({ errorType: 'Conflict', message: 'An attachment of this message was sent with another message at the same time; upload the file again to send it.' });
    });
  });
});

describe('a user message\'s blocks', () => {
  it('are its attachments as IMAGE and DOCUMENT blocks, then its text', () => {
    const message = { id: MESSAGE_ID, content: 'What is this?', attachments: [photo, notes] };

    expect(withBlocks(message).blocks).toStrictEqual([
      { index: 0, type: 'IMAGE', attachment: photo },
      { index: 1, type: 'DOCUMENT', attachment: notes },
      { index: 2, type: 'TEXT', text: 'What is this?' },
    ]);
  });

  it('are one TEXT block for a message without attachments', () => {
    expect(withBlocks({ id: REPLY_ID, content: 'Hi' }).blocks).toStrictEqual([{ index: 0, type: 'TEXT', text: 'Hi' }]);
  });
});
