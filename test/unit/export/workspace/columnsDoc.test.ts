import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  COLUMNS_DOC_BEGIN,
  COLUMNS_DOC_END,
  renderWorkspaceColumns,
} from '../../../../shared/core/export/workspace/renderWorkspaceColumns';

const DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'COLUMNS.md');

describe('docs/COLUMNS.md', () => {
  it('lists the workspace tables exactly as WORKSPACE_COLUMNS maps them', () => {
    // Arrange
    const text = readFileSync(DOC, 'utf8');
    const begin = text.indexOf(COLUMNS_DOC_BEGIN);
    const end = text.indexOf(COLUMNS_DOC_END);
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(begin);

    // Act
    const documented = text.slice(begin, end + COLUMNS_DOC_END.length);
    const expected = renderWorkspaceColumns();
    // NOTE: after a schema change, `UPDATE_COLUMNS_DOC=1 npx jest test/unit/export/workspace/columnsDoc.test.ts`
    // rewrites the generated part; the prose around it stays as written.
    if (process.env.UPDATE_COLUMNS_DOC === '1' && documented !== expected) {
      writeFileSync(DOC, text.slice(0, begin) + expected + text.slice(end + COLUMNS_DOC_END.length));
      return;
    }

    // Assert
    expect(documented).toBe(expected);
  });
});
