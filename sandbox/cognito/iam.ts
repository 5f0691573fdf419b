// The pool's IAM-authenticated operations: Admin* and ListUsers take a SigV4 signature for cognito-idp from a known
// principal; the others are public or take the user's token. (Each action's page in the Amazon Cognito API Reference:
// "Amazon Cognito evaluates IAM policies in requests for this API operation"; "Using the Amazon Cognito user pools API
// and user pool endpoints".)
import type { IncomingMessage } from 'node:http';
import { signedRequestOf, verifySigV4, type IamPrincipal, type SigV4ErrorType } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';
import { CognitoError } from './errors.ts';

// Besides every Admin* operation (so one added later is IAM-only from the start); ListDevices, by contrast, takes a token.
const OTHER_IAM_OPERATIONS: ReadonlySet<string> = new Set(['ListUsers']);

/** True for an operation Cognito authorizes with IAM credentials only. */
export const isIamOperation = (operation: string): boolean => operation.startsWith('Admin') || OTHER_IAM_OPERATIONS.has(operation);

// HTTP 403 for each refusal: MissingAuthenticationToken, IncompleteSignature and UnrecognizedClientException are 403 in
// "Common Errors"; InvalidSignatureException is not listed there, and 403 for it is the sandbox's reading.
const STATUS: Record<SigV4ErrorType, number> = {
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
};

/** Throws Cognito's refusal unless an IAM operation's request is signed by one of `principals`; other operations pass. */
export async function authorizeIamCall(req: IncomingMessage, body: string, principals: readonly IamPrincipal[], log: Logger): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.slice(target.indexOf('.') + 1);
  if (!isIamOperation(operation)) return;
  const signed = await verifySigV4(signedRequestOf(req, body), principals, { service: 'cognito-idp' });
  if (signed.ok) return;
  // A warning: an unsigned admin call is a misconfigured caller, or a page trying what it must not.
  log.warn(`${operation} refused: ${signed.errorType}${req.headers.origin === undefined ? '' : ` (from ${String(req.headers.origin)})`}`);
  throw new CognitoError(signed.errorType, signed.message, STATUS[signed.errorType]);
}
