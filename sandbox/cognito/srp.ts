// Server side of Cognito's SRP-6a (USER_SRP_AUTH), step for step what amazon-cognito-identity-js's
// AuthenticationHelper computes on the client: RFC 5054 3072-bit group, g = 2, k = H(N | PAD(g)), HKDF "Caldera Derived Key".
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
const N = BigInt(`0x${N_HEX}`);
const g = 2n;

/** Even-length hex with a leading 00 when the top bit is set, as the client pads (positive values only). */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

const sha256 = (data: string | Buffer): Buffer => createHash('sha256').update(data).digest();
const hexHash = (hex: string): string => sha256(Buffer.from(hex, 'hex')).toString('hex');
const hmac = (key: Buffer, data: Buffer): Buffer => createHmac('sha256', key).update(data).digest();
const toBig = (hex: string): bigint => BigInt(`0x${hex}`);
const k = toBig(hexHash(padHex(N) + padHex(g)));

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** What the pool keeps instead of a password: the salt and v = g^x mod N. */
export interface SrpVerifier {
  salt: string;
  verifier: string;
}

function passwordExponent(poolName: string, username: string, password: string, salt: string): bigint {
  const inner = sha256(`${poolName}${username}:${password}`).toString('hex');
  return toBig(hexHash(salt + inner));
}

export function createVerifier(poolName: string, username: string, password: string): SrpVerifier {
  const salt = padHex(toBig(randomBytes(16).toString('hex')));
  const x = passwordExponent(poolName, username, password, salt);
  return { salt, verifier: padHex(modPow(g, x, N)) };
}

/** The server's ephemeral pair: B = k·v + g^b (mod N), never 0 mod N. */
export function serverEphemeral(verifier: string): { b: bigint; B: bigint } {
  const v = toBig(verifier);
  for (;;) {
    const b = toBig(randomBytes(64).toString('hex'));
    const B = (k * v + modPow(g, b, N)) % N;
    if (B !== 0n) return { b, B };
  }
}

/** The client's TIMESTAMP, "ddd MMM D HH:mm:ss UTC YYYY" (amazon-cognito-identity-js DateHelper). */
export const TIMESTAMP_FORMAT = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2} \d{2}:\d{2}:\d{2} UTC \d{4}$/;

export interface PasswordClaim {
  poolName: string;
  username: string;
  verifier: string;
  A: string;
  b: bigint;
  B: bigint;
  secretBlock: string;
  timestamp: string;
  signature: string;
}

/** Checks PASSWORD_CLAIM_SIGNATURE = HMAC(K, poolName | username | secretBlock | timestamp). */
export function verifyPasswordClaim(claim: PasswordClaim): boolean {
  if (!/^[0-9a-f]+$/i.test(claim.A)) return false;
  const A = toBig(claim.A);
  if (A % N === 0n) return false;
  const u = toBig(hexHash(padHex(A) + padHex(claim.B)));
  if (u === 0n) return false;
  const S = modPow((A * modPow(toBig(claim.verifier), u, N)) % N, claim.b, N);
  const prk = hmac(Buffer.from(padHex(u), 'hex'), Buffer.from(padHex(S), 'hex'));
  const key = hmac(prk, Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])])).subarray(0, 16);
  const message = Buffer.concat([
    Buffer.from(claim.poolName, 'utf8'),
    Buffer.from(claim.username, 'utf8'),
    Buffer.from(claim.secretBlock, 'base64'),
    Buffer.from(claim.timestamp, 'utf8'),
  ]);
  const expected = hmac(key, message);
  const given = Buffer.from(claim.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
