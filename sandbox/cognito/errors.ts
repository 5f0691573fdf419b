// The one place that builds Cognito's error responses: HTTP 400, `x-amzn-errortype`, `{ __type, message }`.
// Types and messages as in the Amazon Cognito API Reference ("Common Errors" and each action's Errors).

export type CognitoErrorType =
  | 'NotAuthorizedException'
  | 'UserNotFoundException'
  | 'UsernameExistsException'
  | 'InvalidPasswordException'
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'UserNotConfirmedException'
  | 'InvalidParameterException'
  | 'LimitExceededException'
  | 'ResourceNotFoundException'
  | 'UnknownOperationException'
  | 'SerializationException'
  | 'InternalErrorException';

export class CognitoError extends Error {
  constructor(
    readonly errorType: CognitoErrorType,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'CognitoError';
  }
}

export interface CognitoResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const notAuthorized = (message = 'Incorrect username or password.'): CognitoError =>
  new CognitoError('NotAuthorizedException', message);
export const userNotFound = (): CognitoError => new CognitoError('UserNotFoundException', 'User does not exist.');
export const usernameExists = (alias?: string): CognitoError =>
  new CognitoError('UsernameExistsException', alias === undefined ? 'User already exists' : `An account with the given ${alias} already exists.`);
export const invalidPassword = (reason: string): CognitoError =>
  new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);
export const codeMismatch = (): CognitoError =>
  new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
export const expiredCode = (): CognitoError =>
  new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
export const userNotConfirmed = (): CognitoError => new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
export const invalidParameter = (message: string): CognitoError => new CognitoError('InvalidParameterException', message);
export const limitExceeded = (): CognitoError =>
  new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
export const resourceNotFound = (message: string): CognitoError => new CognitoError('ResourceNotFoundException', message);
export const unknownOperation = (target: string): CognitoError =>
  new CognitoError('UnknownOperationException', `Unknown operation ${target}`);
export const serialization = (): CognitoError => new CognitoError('SerializationException', 'Start of structure or map found where not expected.');
export const internalError = (): CognitoError => new CognitoError('InternalErrorException', 'Internal server error.', 500);

/** The "1 validation error detected" wording AWS uses for a member that fails its constraint. */
export const validation = (member: string, constraint: string, value: string | null = null): CognitoError =>
  invalidParameter(`1 validation error detected: Value ${value === null ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`);

export function errorResponse(error: CognitoError, requestId: string): CognitoResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': error.errorType, 'x-amzn-requestid': requestId },
    body: { __type: error.errorType, message: error.message },
  };
}
