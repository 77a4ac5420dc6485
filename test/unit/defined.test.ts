import { at, defined, missingElement } from '../../shared/core/defined';
import { ERROR_CODES, hasErrorCode, InvariantError } from '../../shared/core/errors';

describe('at', () => {
  it.each([
    ['the first element', ['a', 'b', 'c'], 0, 'a'],
    ['the last element', ['a', 'b', 'c'], 2, 'c'],
    ['a falsy element', [0, 1], 0, 0],
    ['an empty string', ['', 'x'], 0, ''],
    ['a null element', [null], 0, null],
  ])('returns %s', (_name, items: readonly unknown[], index, expected) => {
    expect(at(items, index, 'items')).toBe(expected);
  });

  it('reads typed arrays, strings and array-likes', () => {
    expect(at(new Uint8Array([7, 8]), 1, 'bytes')).toBe(8);
    expect(at('abc', 2, 'text')).toBe('c');
    expect(at({ length: 1, 0: 'only' }, 0, 'array-like')).toBe('only');
  });

  it.each([
    ['past the end', 3, 'rule filters: expected an element at index 3, found none (length 3)'],
    ['before the start', -1, 'rule filters: expected an element at index -1, found none (length 3)'],
    ['not a whole number', 1.5, 'rule filters: expected an element at index 1.5, found none (length 3)'],
  ])('throws an InvariantError naming the array for an index %s', (_case, index, message) => {
    // Arrange
    const filters = ['a', 'b', 'c'];

    // Act
    const read = () => at(filters, index, 'rule filters');

    // Assert
    expect(read).toThrow(InvariantError);
    expect(read).toThrow(message);
  });

  it('counts an undefined element or a hole as missing', () => {
    const sparse: (string | undefined)[] = ['a', undefined];
    sparse[3] = 'd';

    expect(() => at(sparse, 1, 'sparse')).toThrow('sparse: expected an element at index 1, found none (length 4)');
    expect(() => at(sparse, 2, 'sparse')).toThrow('sparse: expected an element at index 2, found none (length 4)');
    expect(at(sparse, 3, 'sparse')).toBe('d');
  });
});

describe('defined', () => {
  it.each([['text'], [''], [0], [false], [null], [Number.NaN]])('returns %p unchanged', (value) => {
    expect(defined(value, 'value')).toBe(value);
  });

  it('returns the same object, not a copy', () => {
    const entity = { partitionKey: 'shop', rowKey: 'checkout-5xx' };

    expect(defined(entity, 'the rule entity')).toBe(entity);
  });

  it('throws an InvariantError with the stable code, naming the value, for undefined', () => {
    // Arrange
    const settings: Record<string, string | undefined> = {};

    // Act
    let thrown: unknown;
    try {
      defined(settings['EXPORT_STORAGE'], 'the setting EXPORT_STORAGE');
    } catch (error) {
      thrown = error;
    }

    // Assert
    expect(thrown).toBeInstanceOf(InvariantError);
    expect(hasErrorCode(thrown, ERROR_CODES.INVARIANT_BROKEN)).toBe(true);
    expect((thrown as Error).message).toBe('the setting EXPORT_STORAGE: expected a value, found undefined');
  });
});

describe('missingElement', () => {
  it('is the error at throws, for loops that check inline', () => {
    // Arrange
    const anchors = new Int32Array(4);

    // Act
    const error = missingElement('anchors', 4, anchors.length);

    // Assert
    expect(error).toBeInstanceOf(InvariantError);
    expect(error.code).toBe('INVARIANT_BROKEN');
    expect(error.name).toBe('InvariantError');
    expect(error.message).toBe('anchors: expected an element at index 4, found none (length 4)');
    expect(() => at(anchors, 4, 'anchors')).toThrow(error.message);
  });
});
