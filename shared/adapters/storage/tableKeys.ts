import { digestKey } from '../../core/digestKey';

export { digestKey };
// Kept here for the importers from before the failure helpers had a module of their own.
export { statusOf } from './storageFailure';

/**
 * The longest key `tableKey` returns. NOTE: the Table service allows 1 KiB per PartitionKey and RowKey,
 * which Azurite counts as UTF-16 (512 characters pass, 513 are refused); every character `tableKey`
 * writes is ASCII. 200 leaves room for a caller that joins two derived keys with a separator.
 */
export const MAX_TABLE_KEY_CHARS = 200;

/** What separates a long key's readable prefix from its digest: never in an escaped text, whose `%` always starts `%XX`. */
const DIGEST_MARK = '%~';
const DIGEST_CHARS = 22;

const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;

/**
 * Text made safe as a PartitionKey or RowKey: the Table service refuses `/ \ # ?` and control
 * characters, which blob names and rule ids may hold. Characters are percent-encoded as
 * `encodeURIComponent` does (and `! ' ( ) *` too), so keys already stored for ordinary text stay the
 * same. A text whose encoding would pass {@link MAX_TABLE_KEY_CHARS} keeps a readable prefix, cut
 * between characters, then `%~` and a digest of the whole text: distinct texts still give distinct
 * keys, since no encoding contains `%~`.
 */
export function tableKey(text: string): string {
  const escaped: string[] = [];
  let length = 0;
  for (const char of text) {
    const piece = escapeChar(char);
    escaped.push(piece);
    length += piece.length;
  }
  if (length <= MAX_TABLE_KEY_CHARS) return escaped.join('');
  const room = MAX_TABLE_KEY_CHARS - DIGEST_MARK.length - DIGEST_CHARS;
  let prefix = '';
  for (const piece of escaped) {
    if (prefix.length + piece.length > room) break;
    prefix += piece;
  }
  return `${prefix}${DIGEST_MARK}${digestKey(text, DIGEST_CHARS)}`;
}

function escapeChar(char: string): string {
  if (UNRESERVED.test(char)) return char;
  const code = char.codePointAt(0) ?? 0;
  // NOTE: encodeURIComponent throws on a lone surrogate (a rule id cut in the middle of an emoji).
  // Its three generalized UTF-8 bytes (%ED%A0…%ED%BF) never occur in valid UTF-8, so keys stay distinct.
  const bytes =
    code >= 0xd800 && code <= 0xdfff
      ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
      : Buffer.from(char, 'utf8');
  let out = '';
  for (const byte of bytes) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}
