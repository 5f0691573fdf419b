// The kit's typed documents as Amplify v6's `client.graphql` reads types from: Amplify infers the variables and the
// result from a string branded as its codegen brands them (GeneratedQuery, GeneratedMutation, GeneratedSubscription in
// @aws-amplify/api-graphql's types), and not from a document object, whose graphql 16 type its own graphql 15 types
// also refuse. These are the documents printed (printDocument, once each) with that brand; structural, so the kit
// imports nothing of Amplify's:
//   const { data } = await client.graphql({ query: amplifyQuery(GetMessageDocument), variables: { conversationId, id } });
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, OperationTypeNode, type DocumentNode } from 'graphql';
import { printDocument } from './graphql.ts';

export type AmplifyQuery<Variables, Result> = string & { __generatedQueryInput: Variables; __generatedQueryOutput: Result };
export type AmplifyMutation<Variables, Result> = string & { __generatedMutationInput: Variables; __generatedMutationOutput: Result };
export type AmplifySubscription<Variables, Result> = string & { __generatedSubscriptionInput: Variables; __generatedSubscriptionOutput: Result };

/** The operation a document holds, checked: the brand must say what it is. */
function printedAs(document: DocumentNode, operation: OperationTypeNode): string {
  const found = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const holds = found?.kind === Kind.OPERATION_DEFINITION ? found.operation : 'fragment';
  if (holds !== operation) throw new TypeError(`the document holds a ${holds}, not a ${operation}`);
  return printDocument(document);
}

export const amplifyQuery = <Result, Variables>(document: TypedDocumentNode<Result, Variables>): AmplifyQuery<Variables, Result> =>
  printedAs(document, OperationTypeNode.QUERY) as AmplifyQuery<Variables, Result>;

export const amplifyMutation = <Result, Variables>(document: TypedDocumentNode<Result, Variables>): AmplifyMutation<Variables, Result> =>
  printedAs(document, OperationTypeNode.MUTATION) as AmplifyMutation<Variables, Result>;

export const amplifySubscription = <Result, Variables>(document: TypedDocumentNode<Result, Variables>): AmplifySubscription<Variables, Result> =>
  printedAs(document, OperationTypeNode.SUBSCRIPTION) as AmplifySubscription<Variables, Result>;
