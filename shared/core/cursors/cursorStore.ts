import type { ExportCursor } from './exportCursor';

/** A cursor as stored, with the version a conditional write must match. */
export interface StoredCursor {
  readonly cursor: ExportCursor;
  readonly version: string;
}

/** Where cursors live: Table Storage deployed, memory in unit tests. */
export interface CursorStore {
  get(container: string, blobName: string): Promise<StoredCursor | undefined>;
  /**
   * Writes the cursor if the stored one still has `expected` (undefined: only if there is none).
   * @returns false when another scanner changed it first
   */
  put(cursor: ExportCursor, expected: string | undefined): Promise<boolean>;
  /** The cursors of a container that are not closed. */
  listOpen(container: string): Promise<ExportCursor[]>;
  remove(container: string, blobNames: readonly string[]): Promise<void>;
}
