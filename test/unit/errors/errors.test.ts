import { describeError } from '../../../shared/core/describeError';
import {
  AlertDeliveryError,
  CodedError,
  ConfigError,
  ERROR_CODES,
  hasErrorCode,
  InvariantError,
  MailSendError,
  StorageBeingDeletedError,
  StorageContendedError,
  StoredEntitiesSkippedError,
  StoredStateError,
} from '../../../shared/core/errors';
import { MailSendError as MailSendErrorOfOldPath } from '../../../shared/core/mail/mailSendError';

const PLACE = { table: 'AlertState', partitionKey: 'shop%2Ferrors', rowKey: 'd~abc' };

describe('coded errors', () => {
  it.each([
    [new ConfigError(['X must be set']), 'CONFIG_INVALID', 'ConfigError'],
    [new AlertDeliveryError({}, ['a']), 'ALERT_DELIVERY_FAILED', 'AlertDeliveryError'],
    [new MailSendError('no', { retryable: false, attempts: 1 }), 'MAIL_SEND_FAILED', 'MailSendError'],
    [new StoredStateError(PLACE, 'V', 'is text'), 'STORED_STATE_INVALID', 'StoredStateError'],
    [
      new StoredEntitiesSkippedError([new StoredStateError(PLACE, 'V', 'is text')]),
      'STORED_STATE_INVALID',
      'StoredEntitiesSkippedError',
    ],
    [new StorageContendedError('kept changing'), 'STORAGE_CONTENDED', 'StorageContendedError'],
    [new StorageBeingDeletedError('being deleted'), 'STORAGE_BEING_DELETED', 'StorageBeingDeletedError'],
    [new InvariantError('broken'), 'INVARIANT_BROKEN', 'InvariantError'],
  ])('%s carries code %s and its own name', (error, code, name) => {
    expect(error).toBeInstanceOf(CodedError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(hasErrorCode(error, code as CodedError['code'])).toBe(true);
  });

  it('keeps the cause it wraps', () => {
    // Arrange
    const cause = new Error('409 TableBeingDeleted');

    // Act
    const error = new StorageBeingDeletedError('table AlertState is still being deleted', { cause });

    // Assert
    expect(error.cause).toBe(cause);
  });

  it('keeps the properties callers of the existing classes read', () => {
    expect(new ConfigError(['A', 'B']).problems).toEqual(['A', 'B']);
    expect(new ConfigError(['A', 'B']).message).toBe('invalid configuration:\n- A\n- B');
    const mail = new MailSendError('no', { status: 400, retryable: false, attempts: 2, acceptedBatches: [0] });
    expect(mail).toMatchObject({ status: 400, retryable: false, attempts: 2, acceptedBatches: [0], details: [] });
    expect(mail).toBeInstanceOf(MailSendErrorOfOldPath);
  });

  it('names the table, the keys and the property of a stored entity that does not read', () => {
    expect(new StoredStateError(PLACE, 'Offset', 'is text, expected a whole number').message).toBe(
      "table AlertState, PartitionKey 'shop%2Ferrors', RowKey 'd~abc': Offset is text, expected a whole number",
    );
  });

  it('reports skipped entities together, the first five by name', () => {
    // Arrange
    const skipped = Array.from(
      { length: 7 },
      (_, i) => new StoredStateError({ ...PLACE, rowKey: `r${i}` }, 'V', 'is text'),
    );

    // Act
    const error = new StoredEntitiesSkippedError(skipped);

    // Assert
    expect(error.message).toMatch(
      /^7 stored entities skipped, not readable \(repair or delete them\): table AlertState/,
    );
    expect(error.message).toContain("RowKey 'r4'");
    expect(error.message).not.toContain("RowKey 'r5'");
    expect(error.message).toMatch(/; and 2 more$/);
    expect(error.cause).toBe(skipped[0]);
  });

  it('tells codes apart, and anything not coded has none', () => {
    expect(hasErrorCode(new InvariantError('x'), ERROR_CODES.STORED_STATE_INVALID)).toBe(false);
    expect(hasErrorCode(new Error('x'), ERROR_CODES.INVARIANT_BROKEN)).toBe(false);
    expect(hasErrorCode({ code: 'INVARIANT_BROKEN' }, ERROR_CODES.INVARIANT_BROKEN)).toBe(false);
  });
});

describe('describeError', () => {
  const noPrototype = Object.create(null) as object;
  it.each<[string, unknown, string]>([
    ['an Error', new Error('boom'), 'boom'],
    ['a coded error', new InvariantError('broken'), 'broken'],
    ['a string', 'plain text', 'plain text'],
    ['an object with a message (another realm)', { message: 'from elsewhere' }, 'from elsewhere'],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['an object without a prototype', noPrototype, '[object Object]'],
  ])('describes %s', (_, error, expected) => {
    expect(describeError(error)).toBe(expected);
  });
});
