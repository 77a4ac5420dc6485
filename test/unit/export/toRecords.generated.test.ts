import { Readable } from 'node:stream';

import { generateBlobText } from '../../../scripts/exportGenerator';
import { parseExportPath } from '../../../shared/core/export/parseExportPath';
import { readExportRecords } from '../../../shared/core/export/readExportRecords';
import { TABLE_COLUMNS } from '../../../shared/core/export/tableSchemas';
import type { TelemetryRecord } from '../../../shared/core/export/telemetryRecord';
import { tableForType, TELEMETRY_TYPE_NAMES } from '../../../shared/core/export/telemetryTypes';

describe.each(TELEMETRY_TYPE_NAMES)('generated %s blobs', (type) => {
  it('normalize row by row into records of the right table with schema columns only', async () => {
    // Arrange
    const name = `shop_0f1e2d3c4b5a69788796a5b4c3d2e1f0/${type}/2024-03-05/13/gen.blob`;
    const ref = parseExportPath(name);
    if (!ref.ok) throw new Error(ref.error.reason);
    const text = generateBlobText(type, 500, `normalize-${type}`);

    // Act
    const stream = readExportRecords(ref.value, Readable.from([text]));
    const records: TelemetryRecord[] = [];
    for await (const record of stream) records.push(record);

    // Assert
    expect(stream.stats).toMatchObject({ rows: 500, badRows: 0 });
    expect(records.length).toBeGreaterThanOrEqual(type === 'Metrics' ? 1 : 500);
    const schema = TABLE_COLUMNS[tableForType(type)];
    for (const record of records) {
      expect(record.table).toBe(tableForType(type));
      expect(Object.keys(record.columns).filter((c) => !(c in schema))).toEqual([]);
      expect(record.columns['timestamp']).toBeInstanceOf(Date);
      expect(record.columns['appName']).toBe('shop');
    }
  });
});
