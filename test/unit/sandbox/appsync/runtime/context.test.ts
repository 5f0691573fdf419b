// ctx as AppSync builds it: defaults, identity per auth mode, and info's selection set forms.
import { describe, expect, it } from '@jest/globals';
import { parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import {
  authModeOfIdentity, buildContext, cognitoIdentity, iamIdentity, lambdaIdentity, oidcIdentity, selectionSetGraphQL, selectionSetList,
} from '../../../../../sandbox/appsync/runtime/context.ts';

// The query of the "info" example in AWS's resolver context reference.
const document = parse(`
  query {
    getPost(id: $postId) {
      postId
      title
      secondTitle: title
      content
      author(id: 5) {
        authorId
        name
      }
      secondAuthor(id: "789") {
        authorId
      }
      ... on Post {
        inlineFrag: comments {
          id
        }
      }
      ... postFrag
    }
  }
  fragment postFrag on Post {
    postFrag: comments {
      id
    }
  }
`);
const operation = document.definitions[0] as OperationDefinitionNode;
const field = operation.selectionSet.selections[0] as FieldNode;
const fragments = { postFrag: document.definitions[1] as FragmentDefinitionNode };

describe('the resolver context', () => {
  it('makes args the same object as arguments', () => {
    const ctx = buildContext({ arguments: { id: '1' } });

    expect(ctx.args).toBe(ctx.arguments);
    expect(ctx.args).toEqual({ id: '1' });
  });

  it('fills what was not given with AppSync defaults', () => {
    const ctx = buildContext({});

    expect(ctx).toEqual({
      arguments: {}, args: {}, identity: null, source: null, stash: {}, prev: null,
      info: { fieldName: '', parentTypeName: '', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
      request: { headers: {}, domainName: null }, env: {},
    });
  });

  it('keeps result and error when they are given (response handlers)', () => {
    const ctx = buildContext({ result: { id: 1 }, error: { message: 'boom', type: 'DynamoDB:ConditionalCheckFailedException' } });

    expect(ctx.result).toEqual({ id: 1 });
    expect(ctx.error).toEqual({ message: 'boom', type: 'DynamoDB:ConditionalCheckFailedException' });
  });

  it('lists selected fields with aliases, nested paths and fragments merged', () => {
    expect(selectionSetList(field, fragments)).toEqual([
      'postId', 'title', 'secondTitle', 'content', 'author', 'author/authorId', 'author/name',
      'secondAuthor', 'secondAuthor/authorId', 'inlineFrag', 'inlineFrag/id', 'postFrag', 'postFrag/id',
    ]);
  });

  it('leaves __typename out of selectionSetList', () => {
    const query = parse('{ getPost { __typename id } }').definitions[0] as OperationDefinitionNode;

    expect(selectionSetList(query.selectionSet.selections[0] as FieldNode, {})).toEqual(['id']);
  });

  it('prints selectionSetGraphQL with inline fragments and fragment spreads kept', () => {
    const printed = selectionSetGraphQL(field);

    expect(printed.startsWith('{\n  postId\n  title\n  secondTitle: title\n')).toBe(true);
    expect(printed).toContain('... on Post {\n    inlineFrag: comments {\n      id\n    }\n  }');
    expect(printed).toContain('...postFrag');
  });

  it('gives an empty selectionSetGraphQL for a scalar field', () => {
    const query = parse('{ health }').definitions[0] as OperationDefinitionNode;

    expect(selectionSetGraphQL(query.selectionSet.selections[0] as FieldNode)).toBe('');
  });
});

describe('ctx.identity', () => {
  const claims = { sub: 'u-1', iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc', 'cognito:username': 'ana', 'cognito:groups': ['admins'] };

  it('for user pools carries sub, issuer, username, claims, groups and the source IP', () => {
    expect(cognitoIdentity(claims, ['10.0.0.1'])).toEqual({
      sub: 'u-1', issuer: claims.iss, username: 'ana', claims, sourceIp: ['10.0.0.1'], defaultAuthStrategy: 'ALLOW', groups: ['admins'],
    });
  });

  it('for user pools takes username from an access token and null groups when there are none', () => {
    const identity = cognitoIdentity({ sub: 'u-2', iss: 'x', username: 'bo', token_use: 'access' }, []);

    expect(identity.username).toBe('bo');
    expect(identity.groups).toBeNull();
  });

  it('for IAM carries the account, user ARN and username', () => {
    const identity = iamIdentity({ accountId: '123456789012', userArn: 'arn:aws:iam::123456789012:user/chat', username: 'AIDAEXAMPLE' }, ['127.0.0.1']);

    expect(identity).toMatchObject({ accountId: '123456789012', userArn: 'arn:aws:iam::123456789012:user/chat', username: 'AIDAEXAMPLE', sourceIp: ['127.0.0.1'] });
  });

  it('is told apart by shape for util.authType', () => {
    expect(authModeOfIdentity(null)).toBe('API_KEY');
    expect(authModeOfIdentity(cognitoIdentity(claims, []))).toBe('AMAZON_COGNITO_USER_POOLS');
    expect(authModeOfIdentity(iamIdentity({ accountId: '1', userArn: 'a', username: 'u' }, []))).toBe('AWS_IAM');
    expect(authModeOfIdentity(oidcIdentity({ sub: 's', iss: 'i' }))).toBe('OPENID_CONNECT');
    expect(authModeOfIdentity(lambdaIdentity({ tenant: 't' }))).toBe('AWS_LAMBDA');
  });
});
