import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC of the parts in order; Buffers are hashed as the exact bytes received. */
export function hmacDigest(algorithm: 'sha1' | 'sha256', key: string, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Compares two signatures in constant time; hashing first evens out (and hides) their lengths. */
export function sameSignature(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}
