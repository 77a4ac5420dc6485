import { fail, ok, type Result } from '../result';
import { isTelemetryType, type TelemetryType } from './telemetryTypes';

/** Where an export blob sits, read from its name: `<app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<file>`. */
export interface ExportBlobRef {
  /** The blob name relative to its container, as given. */
  readonly blobName: string;
  /** `<app>_<ikey>`: the export's top folder, also a rule scope. */
  readonly folder: string;
  readonly appName: string;
  /** As written in the path (Continuous Export writes it without dashes). */
  readonly instrumentationKey: string;
  readonly telemetryType: TelemetryType;
  /** Start of the UTC hour the blob was deposited in (delivery time, not event time). */
  readonly depositedAt: Date;
  readonly fileName: string;
}

export interface NotExportBlob {
  readonly blobName: string;
  readonly reason: string;
}

const IKEY = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR = /^([01]\d|2[0-3])$/;

/**
 * Reads the export layout out of a blob name. A name outside the layout is an expected case (the
 * container may hold other files), so it comes back as a reason, never as an exception.
 */
export function parseExportPath(blobName: string): Result<ExportBlobRef, NotExportBlob> {
  const notExport = (reason: string) => fail({ blobName, reason });
  const parts = blobName.split('/');
  if (parts.length !== 5) {
    return notExport(`expected 5 path segments <app>_<ikey>/<Type>/<yyyy-MM-dd>/<HH>/<name>, found ${parts.length}`);
  }
  const [folder, type, date, hour, fileName] = parts as [string, string, string, string, string];

  // NOTE: app names may contain '_' themselves, but the key never does, so the last '_' splits them.
  const split = folder.lastIndexOf('_');
  if (split <= 0) return notExport(`folder '${folder}' is not <app>_<instrumentationKey>`);
  const appName = folder.slice(0, split);
  const instrumentationKey = folder.slice(split + 1);
  if (!IKEY.test(instrumentationKey)) {
    return notExport(`'${instrumentationKey}' in folder '${folder}' is not an instrumentation key (32 hex digits)`);
  }
  if (!isTelemetryType(type)) return notExport(`'${type}' is not an export telemetry type`);

  const dateMatch = DATE.exec(date);
  if (!dateMatch) return notExport(`'${date}' is not a yyyy-MM-dd date folder`);
  if (!HOUR.test(hour)) return notExport(`'${hour}' is not an HH hour folder (00-23)`);
  const [year, month, day] = [Number(dateMatch[1]), Number(dateMatch[2]), Number(dateMatch[3])];
  const depositedAt = new Date(Date.UTC(year, month - 1, day, Number(hour)));
  // Date.UTC rolls 2024-02-30 over into March; a round trip catches dates that do not exist.
  if (depositedAt.getUTCMonth() !== month - 1 || depositedAt.getUTCDate() !== day) {
    return notExport(`'${date}' is not a calendar date`);
  }
  if (fileName === '') return notExport('the blob name ends with a folder, not a file');

  return ok({ blobName, folder, appName, instrumentationKey, telemetryType: type, depositedAt, fileName });
}
