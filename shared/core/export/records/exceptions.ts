import { at } from '../../defined';
import type { Result } from '../../result';
import { fail, ok } from '../../result';
import { itemCount } from './context';
import type { Columns, JsonObject } from './read';
import { asArray, asObject, asString, describeJson, firstText } from './read';
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
  const elements: JsonObject[] = [];
  for (let i = 0; i < items.length; i++) {
    const element = asObject(items[i]);
    if (element === undefined) {
      return fail(`basicException[${i}] is ${describeJson(items[i])}, expected an object`);
    }
    elements.push(element);
  }
  const summary = at(elements, 0, 'basicException');
  const chainStart = summary.id === SUMMARY_ID ? 1 : 0;
  const outermost = findOutermost(elements, chainStart);
  const innermost = elements.length > chainStart ? at(elements, elements.length - 1, 'basicException') : undefined;
  const outerTop = topFrame(outermost);
  const innerTop = topFrame(innermost);
  const outerType = firstText(summary.outerExceptionType, typeOf(outermost));
  const innermostType = firstText(summary.innermostExceptionType, typeOf(innermost));

  const count = itemCount(summary.count, samplingRate);
  if (count !== undefined) columns.itemCount = count;
  if (typeof summary.exceptionGroup === 'string') columns.problemId = summary.exceptionGroup;
  if (typeof summary.handledAt === 'string') columns.handledAt = summary.handledAt;
  const type = firstText(summary.typeName, summary.exceptionType, innermostType);
  if (type !== undefined) columns.type = type;
  // Log Analytics shows the outermost exception's message when the summary has none of its own.
  const message = firstText(summary.message, summary.outerExceptionMessage, outermost?.message);
  if (message !== undefined) columns.message = message;
  const assembly = firstText(summary.assembly, summary.failedUserCodeAssembly);
  if (assembly !== undefined) columns.assembly = assembly;
  const method = firstText(summary.method, summary.failedUserCodeMethod);
  if (method !== undefined) columns.method = method;
  if (outerType !== undefined) columns.outerType = outerType;
  const outerMessage = firstText(summary.outerExceptionMessage, outermost?.message);
  if (outerMessage !== undefined) columns.outerMessage = outerMessage;
  const outerAssembly = firstText(summary.outerExceptionThrownAtAssembly, outerTop?.assembly);
  if (outerAssembly !== undefined) columns.outerAssembly = outerAssembly;
  const outerMethod = firstText(summary.outerExceptionThrownAtMethod, outerTop?.method);
  if (outerMethod !== undefined) columns.outerMethod = outerMethod;
  if (innermostType !== undefined) columns.innermostType = innermostType;
  const innermostMessage = firstText(summary.innermostExceptionMessage, innermost?.message);
  if (innermostMessage !== undefined) columns.innermostMessage = innermostMessage;
  const innermostAssembly = firstText(summary.innermostExceptionThrownAtAssembly, innerTop?.assembly);
  if (innermostAssembly !== undefined) columns.innermostAssembly = innermostAssembly;
  const innermostMethod = firstText(summary.innermostExceptionThrownAtMethod, innerTop?.method);
  if (innermostMethod !== undefined) columns.innermostMethod = innermostMethod;
  const level = severityLevel(summary.severityLevel);
  if (level !== undefined) columns.severityLevel = level;

  if (elements.length > chainStart) {
    const details: JsonObject[] = [];
    for (let i = chainStart; i < elements.length; i++) {
      const element = at(elements, i, 'basicException');
      // Chain elements carry `"exceptionType":""`; the summary names the outermost and innermost types.
      const fallbackType = element === outermost ? outerType : element === innermost ? innermostType : undefined;
      details.push(detail(element, fallbackType));
    }
    columns.details = details;
  }
  return ok(columns);
}

/** The element the chain marks as outermost (`"outerId":"0"`), else its first element. */
function findOutermost(elements: readonly JsonObject[], chainStart: number): JsonObject | undefined {
  for (let i = chainStart; i < elements.length; i++) {
    const element = at(elements, i, 'basicException');
    if (element.outerId === '0') return element;
  }
  return elements[chainStart];
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
