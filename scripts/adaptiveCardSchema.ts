import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import draft6MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';

import adaptiveCardSchema from './adaptiveCards/adaptive-card-1.5.0.json';

/** The card version the Teams payloads use; the schema itself does not require one. */
export const ADAPTIVE_CARD_VERSION = '1.5';

/** Compiled on first use: a few hundred ms, paid only by what validates cards. */
let validate: ValidateFunction | undefined;

/**
 * Checks a card against the published Adaptive Card 1.5 schema (scripts/adaptiveCards/SOURCE.md), plus
 * what the schema leaves open and Teams needs: `type` AdaptiveCard and `version` 1.5 at the top.
 *
 * @returns the problems, at most 10, each `<JSON pointer> <what>`; empty when the card is valid
 */
export function adaptiveCardProblems(card: unknown): string[] {
  const check = (validate ??= compileSchema());
  const problems: string[] = [];
  const top = (card ?? {}) as { type?: unknown; version?: unknown };
  if (top.type !== 'AdaptiveCard') problems.push("/type must be 'AdaptiveCard'");
  if (top.version !== ADAPTIVE_CARD_VERSION) problems.push(`/version must be '${ADAPTIVE_CARD_VERSION}'`);
  if (!check(card)) {
    // NOTE: every element is an anyOf over all element types, so one mistake yields dozens of errors;
    // the ones naming a property or a value are the useful few.
    const useful = (check.errors ?? []).filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'allOf');
    const described = useful.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${detail(e)}`);
    problems.push(...new Set(described));
    if (problems.length === 0) problems.push('/ does not match the Adaptive Card schema');
  }
  return problems.slice(0, 10);
}

function compileSchema(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft6MetaSchema);
  const isUri = (text: string): boolean => {
    try {
      new URL(text, 'https://relative.invalid/');
      return true;
    } catch {
      return false;
    }
  };
  ajv.addFormat('uri', isUri);
  ajv.addFormat('uri-reference', isUri);
  // NOTE: the schema names itself with draft-04's `id`; ajv 8 reads only `$id`.
  const { id, ...schema } = adaptiveCardSchema as { id: string } & Record<string, unknown>;
  return ajv.compile({ ...schema, $id: id });
}

function detail(error: ErrorObject): string {
  const params = error.params as { additionalProperty?: unknown; allowedValues?: unknown; missingProperty?: unknown };
  if (typeof params.additionalProperty === 'string') return `: '${params.additionalProperty}'`;
  if (Array.isArray(params.allowedValues)) return `: ${params.allowedValues.map(String).join(', ')}`;
  return '';
}
