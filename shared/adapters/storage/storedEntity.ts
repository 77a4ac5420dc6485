import { describeError } from '../../core/describeError';
import { type EntityPlace, StoredStateError } from '../../core/errors';

/**
 * The property that says which shape an entity of the app has. Entities written before it existed
 * have none and read as version 1, the shape they have.
 */
export const VERSION_PROPERTY = 'V';

/** An entity as the Tables SDK returns it: keys plus properties of any type. */
export type StoredEntity = Readonly<Record<string, unknown>> & {
  readonly partitionKey?: string;
  readonly rowKey?: string;
};

/**
 * Reads the properties of one stored entity, each checked for its type; anything else is a
 * StoredStateError naming the table, the keys and the property, never `undefined` let through.
 */
export class EntityReader {
  readonly place: EntityPlace;
  /** The entity's shape: 1 when it carries no version. */
  readonly version: number;

  /**
   * @param latestVersion - the newest shape this build reads; a newer one is refused, not guessed at
   * @throws StoredStateError when the version is malformed or newer than `latestVersion`
   */
  constructor(
    table: string,
    private readonly entity: StoredEntity,
    latestVersion: number,
  ) {
    this.place = { table, partitionKey: entity.partitionKey ?? '', rowKey: entity.rowKey ?? '' };
    const raw = this.raw(VERSION_PROPERTY);
    const version = raw === undefined ? 1 : wholeNumber(raw);
    if (version === undefined || version < 1) this.fail(VERSION_PROPERTY, `is ${kindOf(raw)}, expected a version ≥ 1`);
    if (version > latestVersion) {
      this.fail(
        VERSION_PROPERTY,
        `is ${version}, newer than this build reads (up to ${latestVersion}): written by a newer version of the app`,
      );
    }
    this.version = version;
  }

  fail(property: string, problem: string, options?: ErrorOptions): never {
    throw new StoredStateError(this.place, property, problem, options);
  }

  text(name: string): string {
    const value = this.raw(name);
    return typeof value === 'string' ? value : this.fail(name, `is ${kindOf(value)}, expected text`);
  }

  optionalText(name: string): string | undefined {
    return this.raw(name) === undefined ? undefined : this.text(name);
  }

  /** A whole number stored as Int32, Int64 (`{ value, type }` or a BigInt) or Double. */
  integer(name: string): number {
    const value = this.raw(name);
    return wholeNumber(value) ?? this.fail(name, `is ${kindOf(value)}, expected a whole number`);
  }

  flag(name: string): boolean {
    const value = this.raw(name);
    return typeof value === 'boolean' ? value : this.fail(name, `is ${kindOf(value)}, expected true or false`);
  }

  /** Epoch ms of a DateTime property, or of an ISO text. */
  time(name: string): number {
    const value = this.raw(name);
    const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
    return Number.isNaN(ms) ? this.fail(name, `is ${kindOf(value)}, expected a date and time`) : ms;
  }

  optionalTime(name: string): number | undefined {
    return this.raw(name) === undefined ? undefined : this.time(name);
  }

  /** JSON text checked by `read`, which calls `fail` with what it found wrong. */
  json<T>(name: string, text: string, read: (value: unknown, fail: (problem: string) => never) => T): T {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.fail(name, `is not JSON: ${describeError(error)}`, { cause: error });
    }
    return read(value, (problem) => this.fail(name, problem));
  }

  /** NOTE: the SDK returns a property stored as null as null; the app never writes null, so it counts as missing. */
  private raw(name: string): unknown {
    const value = this.entity[name];
    return value === null ? undefined : value;
  }
}

function wholeNumber(raw: unknown): number | undefined {
  const value =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'bigint'
        ? Number(raw)
        : isEdm(raw) && (raw.type === 'Int64' || raw.type === 'Int32' || raw.type === 'Double')
          ? Number(raw.value)
          : NaN;
  return Number.isSafeInteger(value) ? value : undefined;
}

function isEdm(value: unknown): value is { readonly value: unknown; readonly type: unknown } {
  return value !== null && typeof value === 'object' && 'value' in value && 'type' in value;
}

/** What a property holds, for messages: its type and never its content, which may be long or private. */
export function kindOf(value: unknown): string {
  if (value === undefined || value === null) return 'missing';
  if (typeof value === 'string') return value === '' ? 'empty text' : 'text';
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : 'a fractional number';
  if (typeof value === 'boolean') return `the flag ${String(value)}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : 'a date';
  if (isEdm(value)) return `an Edm.${String(value.type)}`;
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}
