// The kit's documents branded for Amplify v6's client.graphql: the printed text of the document, refused for an
// operation of another kind (the brand would tell Amplify the wrong result shape).
import { describe, expect, it } from '@jest/globals';
import { amplifyMutation, amplifyQuery, amplifySubscription, GetMessageDocument, MessageFieldsFragmentDoc, OnReplyEventDocument, printDocument, SendMessageDocument } from '../../../../clients/kit/index.ts';

describe('documents for Amplify', () => {
  it('are the printed documents, each of its own kind', () => {
    expect(amplifyQuery(GetMessageDocument)).toBe(printDocument(GetMessageDocument));
    expect(amplifyMutation(SendMessageDocument)).toMatch(/^mutation SendMessage/);
    expect(amplifySubscription(OnReplyEventDocument)).toMatch(/^subscription OnReplyEvent/);
  });

  it('refuses a document of another kind, and a fragment, naming what it holds', () => {
    expect(() => amplifyQuery(SendMessageDocument)).toThrow('the document holds a mutation, not a query');
    expect(() => amplifyMutation(MessageFieldsFragmentDoc)).toThrow('the document holds a fragment, not a mutation');
  });
});
