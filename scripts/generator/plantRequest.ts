import type { InjectTarget } from './generateDocument';
import { STOREFRONT_CHECKOUT } from './vocabulary';

/** A request to plant: the storefront's `POST /checkout` answered 503, say. */
export interface PlantedRequest {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly responseCode: number;
}

/** The failed checkout demos and tests plant: `POST /checkout` on shop.contoso.com, answered 503. */
export const FAILED_CHECKOUT: PlantedRequest = { ...STOREFRONT_CHECKOUT, responseCode: 503 };

/**
 * Makes a generated request row a call of `request`: its name, URL, URL parts, operation name, result
 * code and success all agree, as one request of the SDK would write them. For injectors of
 * `generateBlobText` / `writeExportBlob`.
 */
export function plantRequest(row: InjectTarget, request: PlantedRequest): void {
  const item = row.items[0];
  if (row.type !== 'Requests' || item === undefined) throw new Error(`plantRequest: a ${row.type} row has no request`);
  const name = `${request.method} ${request.path}`;
  Object.assign(item, {
    name,
    url: `https://${request.host}${encodeURI(request.path)}`,
    urlData: { base: request.path, host: request.host, hashTag: '', protocol: 'https' },
    responseCode: request.responseCode,
    success: request.responseCode < 400,
  });
  if (row.context.operation !== undefined) row.context.operation.name = name;
}
