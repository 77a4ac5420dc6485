import { RestError } from '@azure/core-rest-pipeline';

import {
  describeStorageFailure,
  isAlreadyExists,
  isBeingDeleted,
  isConditionNotMet,
  isNotFound,
  serviceCodeOf,
  unreachableCodeOf,
} from '../../../shared/adapters/storage/storageFailure';

/** A failure shaped as the Tables SDK throws it for one entity: code only in details and the OData body. */
function tableFailure(statusCode: number, code: string, sentence = 'The service said no.'): RestError {
  const message = JSON.stringify({
    'odata.error': { code, message: { lang: 'en-US', value: `${sentence}\nRequestId:1\nTime:2026` } },
  });
  const error = new RestError(message, { statusCode });
  error.details = {
    errorCode: code,
    odataError: { code, message: { lang: 'en-US', value: `${sentence}\nRequestId:1\nTime:2026` } },
  };
  return error;
}

/** As the Blob SDK (and the Tables SDK for transactions) throws it: `code` set. */
function codedFailure(statusCode: number, code: string): RestError {
  return new RestError(`${code} happened.\nRequestId:1`, { statusCode, code });
}

function networkFailure(code: string): RestError {
  return new RestError(`connect ${code} 127.0.0.1:10002`, { code });
}

describe('storage failures by service code', () => {
  it.each<[string, RestError, boolean, boolean]>([
    ['TableAlreadyExists', tableFailure(409, 'TableAlreadyExists'), true, false],
    ['EntityAlreadyExists', tableFailure(409, 'EntityAlreadyExists'), true, false],
    ['EntityAlreadyExists in a transaction', codedFailure(409, 'EntityAlreadyExists'), true, false],
    ['ContainerAlreadyExists', codedFailure(409, 'ContainerAlreadyExists'), true, false],
    ['BlobAlreadyExists', codedFailure(409, 'BlobAlreadyExists'), true, false],
    ['TableBeingDeleted', tableFailure(409, 'TableBeingDeleted'), false, true],
    ['ContainerBeingDeleted', codedFailure(409, 'ContainerBeingDeleted'), false, true],
    ['a lease conflict', codedFailure(409, 'LeaseIdMissing'), false, false],
    ['a 409 without a code', new RestError('conflict', { statusCode: 409 }), false, false],
  ])('%s: already exists %s, being deleted %s', (_, error, exists, beingDeleted) => {
    expect(isAlreadyExists(error)).toBe(exists);
    expect(isBeingDeleted(error)).toBe(beingDeleted);
  });

  it('reads the code where each SDK puts it', () => {
    expect(serviceCodeOf(tableFailure(404, 'TableNotFound'))).toBe('TableNotFound');
    expect(serviceCodeOf(codedFailure(404, 'ContainerNotFound'))).toBe('ContainerNotFound');
    expect(serviceCodeOf(networkFailure('ECONNREFUSED'))).toBeUndefined();
    expect(serviceCodeOf(new Error('not storage'))).toBeUndefined();
  });

  it('tells a lost condition and a missing thing by status', () => {
    expect(isConditionNotMet(tableFailure(412, 'UpdateConditionNotSatisfied'))).toBe(true);
    expect(isNotFound(tableFailure(404, 'ResourceNotFound'))).toBe(true);
    expect(isNotFound(tableFailure(409, 'EntityAlreadyExists'))).toBe(false);
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'REQUEST_SEND_ERROR'])('counts %s as unreachable', (code) => {
    expect(unreachableCodeOf(networkFailure(code))).toBe(code);
  });

  it('finds the network code on the cause too', () => {
    expect(unreachableCodeOf(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))).toBe(
      'ECONNREFUSED',
    );
  });
});

describe('describeStorageFailure', () => {
  it.each<[string, unknown, string | undefined]>([
    [
      'unreachable storage',
      networkFailure('ECONNREFUSED'),
      'storage is unreachable (ECONNREFUSED): check the connection string, or start Azurite (npm start)',
    ],
    [
      'a refused table request',
      tableFailure(409, 'TableBeingDeleted', 'The specified table is being deleted.'),
      'storage refused the request (HTTP 409 TableBeingDeleted): The specified table is being deleted.',
    ],
    [
      'a refused blob request',
      codedFailure(403, 'AuthorizationFailure'),
      'storage refused the request (HTTP 403 AuthorizationFailure): AuthorizationFailure happened.',
    ],
    ['a failure that is not storage', new Error('bug'), undefined],
  ])('describes %s', (_, error, expected) => {
    expect(describeStorageFailure(error)).toBe(expected);
  });
});
