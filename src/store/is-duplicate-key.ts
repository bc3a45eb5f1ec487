/** MongoDB answers a concurrent insert of the same `_id` with E11000; the in-process engine says the same. */
export function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ('code' in error && error.code === 11000) return true;
  return error instanceof Error && error.message.includes('E11000');
}
