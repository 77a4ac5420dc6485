import { join } from 'node:path';

import { FIXTURES } from '../fixtureRows';

export const SUCCESSOR = join(FIXTURES, 'successor');

/** The two record shapes, each a folder of one `<Table>.json` per workspace table. */
export const SHAPES = ['diagnostic', 'dataExport'] as const;
export type Shape = (typeof SHAPES)[number];

export function successorFixture(shape: Shape, table: string): string {
  return join(SUCCESSOR, shape, `${table}.json`);
}
