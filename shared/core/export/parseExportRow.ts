import { fail, ok, type Result } from '../result';

/** A row of an export blob: one JSON object on one line. */
export type ExportDocument = Record<string, unknown>;

/**
 * Parses one line's text. Blank lines are not rows (Microsoft's own reader drops them too); anything
 * else that is not a JSON object is a malformed row with the parser's reason.
 */
export function parseExportRow(text: string): Result<ExportDocument, string> | undefined {
  if (isBlank(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`invalid JSON: ${withoutSnippet(error instanceof Error ? error.message : String(error))}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(
      `expected a JSON object, found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return ok(value as ExportDocument);
}

/**
 * V8's message without the slice of the row it quotes (`Unexpected token 'x', "{"tenant…" is not valid
 * JSON`): the reason is logged, and telemetry in a log line is data the log was never meant to hold.
 */
function withoutSnippet(message: string): string {
  return message.replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, '');
}

function isBlank(text: string): boolean {
  // Rows start with '{' almost always; only scan when the first character is whitespace.
  if (text.length === 0) return true;
  const first = text.charCodeAt(0);
  if (first !== 0x20 && first !== 0x09 && first !== 0x0d && first !== 0x0b && first !== 0x0c) return false;
  return text.trim().length === 0;
}
