/**
 * What a scenario says that the lab would otherwise ignore without a word (issue 8): fields the format does
 * not have, at every level, and request parameters the operation does not read. Each is a warning with its
 * JSON path and the nearest valid name; the scenario still loads and evaluates. Pure: the loader locates
 * them in the file, the lab in its scenario editor.
 */
import { unreadParameters } from '../engine/request-parameters';
import { scenarioSchema } from './schema';
import { unknownProperties, type SchemaViolation } from './validate';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every warning about a scenario (migrated to the current version), in document order of its parts. */
export function scenarioWarnings(scenario: unknown): SchemaViolation[] {
  const warnings = unknownProperties(scenario, scenarioSchema);
  const requests = isObject(scenario) && Array.isArray(scenario.requests) ? scenario.requests : [];
  requests.forEach((request, index) => {
    if (!isObject(request)) return;
    for (const unread of unreadParameters(request.action, request.parameters))
      warnings.push({ path: ['requests', index, ...unread.path], atKey: true, message: unread.message });
  });
  return warnings;
}
