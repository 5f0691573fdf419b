// The one token estimate, about four characters a token: the chat function's history budget and the quota
// reservation a resolver makes for a turn count in it. No imports, so the functions bundle it too.

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
