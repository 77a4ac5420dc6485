import type { QuerySchema } from './querySchema';
import { suggestName } from './suggestName';

/**
 * The hint after `unknown column 'x' for table T`, naming a column of the query's own schema and never
 * the name typed: the one the other schema's name means (`AppRequests names it ResultCode; resultCode
 * is the classic requests column`), else the closest by spelling, else the one a misspelt name of the
 * other schema means.
 *
 * @returns the hint with its leading punctuation, or `''`
 */
export function suggestColumn(name: string, schema: QuerySchema): string {
  const renamed = schema.otherNames.get(name);
  if (renamed !== undefined) {
    const kind = schema.kind === 'workspace' ? 'classic' : 'workspace';
    return `: ${schema.name} names it ${renamed}; ${name} is the ${kind} ${schema.otherTable} column`;
  }
  const close = suggestName(
    name,
    [...schema.columns.keys()].filter((column) => column !== name),
  );
  if (close !== undefined) return ` (did you mean '${close}'?)`;
  const meant = suggestName(name, schema.otherNames.keys());
  const target = meant === undefined ? undefined : schema.otherNames.get(meant);
  return meant !== undefined && target !== undefined
    ? ` (did you mean '${target}', the ${schema.kind} name of ${meant}?)`
    : '';
}
