import { createHash } from 'node:crypto';

/**
 * A short, key-safe digest (base64url of SHA-256) for values too long or too free-form to be keys
 * themselves. Pure, so the core derives its keys without the storage SDKs.
 */
export function digestKey(text: string, length = 22): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}
