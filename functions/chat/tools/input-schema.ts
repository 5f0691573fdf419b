// A tool's input checked against its JSON Schema before the tool runs, in words the model can act on: the model
// reads them in an is_error tool_result and may call again with a corrected input.
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type { InputSchema } from './types.ts';

/** The draft the schemas are read in (the Messages API's `input_schema` is a JSON Schema object). */
export const SCHEMA_DRAFT = '2020-12';

/** Keywords whose error only says that a nested schema failed: the nested error, reported too, says how. */
const WRAPPER_KEYWORDS = new Set(['properties', 'patternProperties', 'items', 'prefixItems', 'additionalItems', 'contains', 'false', '$ref', 'allOf', 'dependentSchemas', 'unevaluatedItems', 'unevaluatedProperties']);

/** `#/tags/0` -> `tags[0]`; the root is `input`. */
function pathOf(instanceLocation: string): string {
  const segments = instanceLocation.replace(/^#\/?/, '').split('/').filter((s) => s !== '').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (segments.length === 0) return 'input';
  return segments.reduce((path, segment, index) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : index === 0 ? segment : `${path}.${segment}`), '');
}

/** The validator's sentence, reworded for the common cases; anything else keeps its own words. */
function problemOf(unit: OutputUnit): string {
  const where = pathOf(unit.instanceLocation);
  const quoted = /"([^"]*)"/.exec(unit.error)?.[1];
  if (unit.keyword === 'required' && quoted !== undefined) return `${where === 'input' ? '' : `${where}.`}${quoted} is required`;
  if (unit.keyword === 'additionalProperties' && quoted !== undefined) return `${where === 'input' ? '' : `${where}.`}${quoted} is not an input this tool takes`;
  const types = /^Instance type "([^"]+)" is invalid\. Expected (.+)\.$/.exec(unit.error);
  if (unit.keyword === 'type' && types) return `${where} must be ${types[2]?.replaceAll('"', '')}, not ${types[1]}`;
  return `${where}: ${unit.error.replace(/^Instance /, '').replace(/\.$/, '')}`;
}

/** The schema's problems with an input: an empty list when the input is valid. */
export type InputCheck = (input: unknown) => string[];

/** Compiles the schema once; throws when the validator cannot read it (infra/tools.ts checks this at synth). */
export function inputCheck(schema: InputSchema): InputCheck {
  // The validator's Schema type names every keyword; an InputSchema's property schemas are any JSON it reads.
  const validator = new Validator(schema as Schema, SCHEMA_DRAFT, false);
  return (input) => {
    const result = validator.validate(input);
    if (result.valid) return [];
    const problems = result.errors.filter((unit) => !WRAPPER_KEYWORDS.has(unit.keyword)).map(problemOf);
    // A schema whose only errors are wrappers (a false subschema, say) still failed: say so rather than nothing.
    return problems.length > 0 ? [...new Set(problems)] : ['input does not match the tool\'s input schema'];
  };
}

/** One sentence listing what is wrong, for the tool_result. */
export function describeInputProblems(toolName: string, problems: readonly string[]): string {
  return `The input to ${toolName} is not valid, so the tool was not run: ${problems.join('; ')}.`;
}
