import { fail, ok } from '../../result';
import type { Result } from '../../result';
import { itemCount } from './context';
import { asArray, asObject, asString, describeJson, firstText, setColumn } from './read';
import type { Columns, JsonObject } from './read';
import { severityLevel } from './severity';

/** The id the export gives the summary element that leads a `basicException` array. */
const SUMMARY_ID = 'Representative';

/**
 * The one `exceptions` record of a row. The `basicException` array is one exception, not several:
 * element 0 (`"id":"Representative"`) summarises it, the elements after it are the inner-exception
 * chain, outermost first (`"outerId":"0"`), each with its own `parsedStack`. A row whose first element
 * is not a summary is read as a chain only, with the first element standing in as the summary.
 *
 * Summary fields win; the chain fills in what the summary lacks or left empty (`"message":""`).
 *
 * @param items - the `basicException` array, not empty.
 * @returns the record's columns, or a message when an element is not an object.
 */
export function exceptionColumns(
  items: readonly unknown[],
  columns: Columns,
  samplingRate: number | undefined,
): Result<Columns, string> {
  for (let i = 0; i < items.length; i++) {
    if (asObject(items[i]) === undefined) {
      return fail(`basicException[${i}] is ${describeJson(items[i])}, expected an object`);
    }
  }
  const summary = items[0] as JsonObject;
  const chainStart = summary.id === SUMMARY_ID ? 1 : 0;
  const outermost = findOutermost(items, chainStart);
  const innermost = items.length > chainStart ? (items[items.length - 1] as JsonObject) : undefined;
  const outerTop = topFrame(outermost);
  const innerTop = topFrame(innermost);
  const outerType = firstText(summary.outerExceptionType, typeOf(outermost));
  const innermostType = firstText(summary.innermostExceptionType, typeOf(innermost));

  setColumn(columns, 'itemCount', itemCount(summary.count, samplingRate));
  setColumn(columns, 'problemId', asString(summary.exceptionGroup));
  setColumn(columns, 'handledAt', asString(summary.handledAt));
  setColumn(columns, 'type', firstText(summary.typeName, summary.exceptionType, innermostType));
  // Log Analytics shows the outermost exception's message when the summary has none of its own.
  setColumn(columns, 'message', firstText(summary.message, summary.outerExceptionMessage, outermost?.message));
  setColumn(columns, 'assembly', firstText(summary.assembly, summary.failedUserCodeAssembly));
  setColumn(columns, 'method', firstText(summary.method, summary.failedUserCodeMethod));
  setColumn(columns, 'outerType', outerType);
  setColumn(columns, 'outerMessage', firstText(summary.outerExceptionMessage, outermost?.message));
  setColumn(columns, 'outerAssembly', firstText(summary.outerExceptionThrownAtAssembly, outerTop?.assembly));
  setColumn(columns, 'outerMethod', firstText(summary.outerExceptionThrownAtMethod, outerTop?.method));
  setColumn(columns, 'innermostType', innermostType);
  setColumn(columns, 'innermostMessage', firstText(summary.innermostExceptionMessage, innermost?.message));
  setColumn(columns, 'innermostAssembly', firstText(summary.innermostExceptionThrownAtAssembly, innerTop?.assembly));
  setColumn(columns, 'innermostMethod', firstText(summary.innermostExceptionThrownAtMethod, innerTop?.method));
  setColumn(columns, 'severityLevel', severityLevel(summary.severityLevel));

  if (items.length > chainStart) {
    const details: JsonObject[] = [];
    for (let i = chainStart; i < items.length; i++) {
      const element = items[i] as JsonObject;
      // Chain elements carry `"exceptionType":""`; the summary names the outermost and innermost types.
      const fallbackType = element === outermost ? outerType : element === innermost ? innermostType : undefined;
      details.push(detail(element, fallbackType));
    }
    columns.details = details;
  }
  return ok(columns);
}

/** The element the chain marks as outermost (`"outerId":"0"`), else its first element. */
function findOutermost(items: readonly unknown[], chainStart: number): JsonObject | undefined {
  for (let i = chainStart; i < items.length; i++) {
    const element = items[i] as JsonObject;
    if (element.outerId === '0') return element;
  }
  return items.length > chainStart ? (items[chainStart] as JsonObject) : undefined;
}

function typeOf(element: JsonObject | undefined): string | undefined {
  return element === undefined ? undefined : firstText(element.typeName, element.exceptionType);
}

/** The frame the exception was thrown at: the first of `parsedStack` (level 0). */
function topFrame(element: JsonObject | undefined): JsonObject | undefined {
  return element === undefined ? undefined : asObject(asArray(element.parsedStack)?.[0]);
}

/** One entry of `details`, shaped as Log Analytics shows it: outerId, id, type, message, parsedStack. */
function detail(element: JsonObject, fallbackType: string | undefined): JsonObject {
  const entry: JsonObject = {};
  const outerId = asString(element.outerId);
  if (outerId !== undefined) entry.outerId = outerId;
  const id = asString(element.id);
  if (id !== undefined) entry.id = id;
  const type = firstText(element.typeName, element.exceptionType, fallbackType);
  if (type !== undefined) entry.type = type;
  const message = asString(element.message);
  if (message !== undefined) entry.message = message;
  const parsedStack = asArray(element.parsedStack);
  if (parsedStack !== undefined) entry.parsedStack = parsedStack;
  return entry;
}
