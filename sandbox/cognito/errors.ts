// Cognito's error types and messages; the response (HTTP 400, `x-amzn-errortype`, `{ __type, message }`) is AWS's JSON
// protocol's, built once in sandbox/aws/json-protocol.ts.
// Types and messages as in the Amazon Cognito API Reference ("Common Errors" and each action's Errors).
import { AwsServiceError, type JsonResponse } from '../aws/json-protocol.ts';
import type { SigV4ErrorType } from '../aws/sigv4.ts';

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
  | 'InternalErrorException'
  | SigV4ErrorType;

export class CognitoError extends AwsServiceError {
  declare readonly errorType: CognitoErrorType;

  constructor(errorType: CognitoErrorType, message: string, status = 400) {
    super(errorType, message, status);
    this.name = 'CognitoError';
  }
}

export type CognitoResponse = JsonResponse;

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
export const internalError = (): CognitoError => new CognitoError('InternalErrorException', 'Internal server error.', 500);

/** The "1 validation error detected" wording AWS uses for a member that fails its constraint. */
export const validation = (member: string, constraint: string, value: string | null = null): CognitoError =>
  invalidParameter(`1 validation error detected: Value ${value === null ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`);
