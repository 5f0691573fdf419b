// Ids shaped like Anthropic's: `msg_01`, `req_01` or `toolu_01` and 22 base62 characters.
import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function newId(prefix: 'msg' | 'req' | 'toolu'): string {
  return `${prefix}_01${[...randomBytes(22)].map((byte) => BASE62[byte % 62]).join('')}`;
}
