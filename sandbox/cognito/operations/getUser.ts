// GetUser: the signed-in user's attributes, for a valid, unrevoked access token.
import { requireSignedInUser } from '../resources.ts';
import type { Operation } from '../state.ts';
import { attributeList } from '../users.ts';

export const getUser: Operation = async (ctx, input) => {
  const user = await requireSignedInUser(ctx, input);
  return { Username: user.username, UserAttributes: attributeList(user) };
};
