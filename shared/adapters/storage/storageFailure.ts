import { describeError } from '../../core/describeError';

/**
 * How Table and Blob failures are told apart: by HTTP status and the service's error code, never by
 * message text. NOTE: the Tables SDK leaves `RestError.code` empty on single-entity requests (it sets
 * it on transactions); the code is then in `details.errorCode` (the x-ms-error-code header) or the
 * OData body, which is where the SDK's own `handleTableAlreadyExists` looks.
 */
interface RestErrorShape {
  readonly statusCode?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly details?: { readonly errorCode?: unknown; readonly odataError?: ODataError };
  readonly response?: { readonly parsedBody?: { readonly odataError?: ODataError } };
  readonly cause?: { readonly code?: unknown };
}

interface ODataError {
  readonly code?: unknown;
  readonly message?: { readonly value?: unknown };
}

const ALREADY_EXISTS = new Set([
  'TableAlreadyExists',
  'EntityAlreadyExists',
  'ContainerAlreadyExists',
  'BlobAlreadyExists',
]);
const BEING_DELETED = new Set(['TableBeingDeleted', 'ContainerBeingDeleted']);
/** Failures before any answer: a wrong endpoint, a stopped Azurite, no network. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'REQUEST_SEND_ERROR',
]);

function shapeOf(error: unknown): RestErrorShape | undefined {
  return error !== null && typeof error === 'object' ? error : undefined;
}

/** The HTTP status of a storage failure, or undefined when no answer came. */
export function statusOf(error: unknown): number | undefined {
  const status = shapeOf(error)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The service's error code (`TableNotFound`, `EntityAlreadyExists`, `ContainerBeingDeleted`), when it answered with one. */
export function serviceCodeOf(error: unknown): string | undefined {
  const e = shapeOf(error);
  if (e === undefined || statusOf(error) === undefined) return undefined;
  const candidates = [
    e.details?.errorCode,
    e.details?.odataError?.code,
    e.response?.parsedBody?.odataError?.code,
    e.code,
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c !== '');
}

/** A create refused because the table, entity, container or blob is there already. */
export function isAlreadyExists(error: unknown): boolean {
  const code = serviceCodeOf(error);
  return statusOf(error) === 409 && code !== undefined && ALREADY_EXISTS.has(code);
}

/** A table or container deleted moments ago: Azure refuses to use or re-create it for 30 s or more. */
export function isBeingDeleted(error: unknown): boolean {
  const code = serviceCodeOf(error);
  return statusOf(error) === 409 && code !== undefined && BEING_DELETED.has(code);
}

/** An update conditional on an ETag that someone else changed first. */
export function isConditionNotMet(error: unknown): boolean {
  return statusOf(error) === 412;
}

/** The table, entity, container or blob is not there. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** The network code when storage never answered: `ECONNREFUSED`, `ENOTFOUND`. */
export function unreachableCodeOf(error: unknown): string | undefined {
  const e = shapeOf(error);
  if (e === undefined || statusOf(error) !== undefined) return undefined;
  const code = typeof e.code === 'string' ? e.code : e.cause?.code;
  return typeof code === 'string' && UNREACHABLE.has(code) ? code : undefined;
}

/**
 * What a user can act on when storage failed: unreachable storage names what to check; a refused
 * request names the HTTP status, the service code and the service's own sentence. Undefined when the
 * failure did not come from storage.
 */
export function describeStorageFailure(error: unknown): string | undefined {
  const unreachable = unreachableCodeOf(error);
  if (unreachable !== undefined) {
    return `storage is unreachable (${unreachable}): check the connection string, or start Azurite (npm start)`;
  }
  const status = statusOf(error);
  if (status === undefined) return undefined;
  const code = serviceCodeOf(error);
  return `storage refused the request (HTTP ${status}${code === undefined ? '' : ` ${code}`}): ${serviceMessageOf(error)}`;
}

/**
 * The service's sentence without the RequestId and Time lines it appends. NOTE: on single-entity
 * requests the Tables SDK puts the whole OData JSON body in `message`; the sentence is inside it.
 */
function serviceMessageOf(error: unknown): string {
  const e = shapeOf(error);
  const odata = e?.details?.odataError?.message?.value ?? e?.response?.parsedBody?.odataError?.message?.value;
  const text = typeof odata === 'string' ? odata : describeError(error);
  return text.split('\n')[0] ?? text;
}
