import { type EntityPlace, StoredStateError } from '../../core/errors';

/**
 * NOTE: a Table Storage string property holds 64 KiB, counted in UTF-16: 32K characters. Longer text
 * (an alert's state over a week-long window, a composed e-mail) is spread over `Name`, `Name_1`, … and
 * `NameParts` says how many there are.
 */
export const MAX_PROPERTY_CHARS = 30_000;

/** The properties that hold `text` under `name`. */
export function chunkText(name: string, text: string): Record<string, string | number> {
  const properties: Record<string, string | number> = {};
  let parts = 0;
  let start = 0;
  do {
    // Never split a surrogate pair: each part must be well-formed UTF-16 on its own.
    let end = Math.min(start + MAX_PROPERTY_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    properties[parts === 0 ? name : `${name}_${parts}`] = text.slice(start, end);
    parts++;
    start = end;
  } while (start < text.length);
  properties[`${name}Parts`] = parts;
  return properties;
}

/**
 * The text `chunkText` spread over an entity's properties, or undefined when it holds none.
 *
 * @throws StoredStateError when a part is missing: half a text must not pass for the whole
 */
export function joinText(
  entity: Readonly<Record<string, unknown>>,
  name: string,
  place: EntityPlace,
): string | undefined {
  const first = entity[name];
  if (typeof first !== 'string') return undefined;
  const raw = entity[`${name}Parts`] ?? 1;
  const parts = Number(raw !== null && typeof raw === 'object' ? (raw as { value?: unknown }).value : raw);
  if (!Number.isSafeInteger(parts) || parts < 1)
    throw new StoredStateError(place, `${name}Parts`, 'is not a whole number of parts');
  let text = first;
  for (let i = 1; i < parts; i++) {
    const part = entity[`${name}_${i}`];
    if (typeof part !== 'string')
      throw new StoredStateError(place, `${name}_${i}`, `of ${parts} is missing: the stored text is incomplete`);
    text += part;
  }
  return text;
}

/** At most `max` characters of `text`, never ending on half a surrogate pair (the service refuses those). */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
