import { fail, ok, type Result } from '../result';

// Deliberately plain: one @, no spaces, quotes, brackets or control characters, a dotted domain.
// Exotic-but-valid RFC 5321 forms (quoted local parts, IP literals) are not worth a header-injection risk.
const ADDRESS =
  /^[^\s@<>()[\]\\,;:"\u0000-\u001f\u007f]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/**
 * Splits a rule's Recipients (`,` or `;` separated) into unique addresses. SendGrid rejects a request
 * naming one address twice, so duplicates (ignoring case) are dropped.
 *
 * @returns the addresses, or a message naming every invalid one
 */
export function parseRecipients(text: string): Result<string[], string> {
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return fail('Recipients is required: e-mail addresses separated by , or ;');
  const invalid = parts.filter((p) => p.length > 254 || !ADDRESS.test(p));
  if (invalid.length > 0) {
    return fail(
      `invalid recipient address${invalid.length > 1 ? 'es' : ''}: ${invalid.map((a) => `'${a}'`).join(', ')}`,
    );
  }
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const address of parts) {
    const key = address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(address);
  }
  return ok(unique);
}
