/**
 * The lab's "nothing you wrote is silently ignored" list (issue 8), pure: the scenario's warnings (unknown
 * fields, request parameters the operation does not read), located in the scenario editor's text and shaped
 * as findings so that editor marks them like the policy editors; and, for the scenario panel, those plus the
 * policy findings about a name the lab does not know (a misspelt element, operator or condition key), each
 * with where it is, so activating it opens that editor at the place.
 */
import type { Finding, PolicyId, SourceRange } from '../engine/types';
import { UNKNOWN_NAME_CODES } from '../engine/lint/rejected';
import { formatJsonPath, locateViolations, type LocatedError } from '../scenario/load';
import type { Scenario } from '../scenario/types';
import { scenarioWarnings } from '../scenario/warnings';

/** The id of the whole-scenario JSON editor, next to the PolicyIds of the policy editors. */
export const SCENARIO_EDITOR = 'scenario';

/** Codes of the scenario's own warnings, as findings of the scenario editor. */
export const UNKNOWN_FIELD = 'UNKNOWN_SCENARIO_FIELD';
export const UNREAD_PARAMETER = 'UNREAD_REQUEST_PARAMETER';
export const INVALID_SCENARIO = 'INVALID_SCENARIO';

/**
 * The scenario's warnings as findings located in `text`, the scenario editor's text (the learner's own, or the
 * scenario printed with two-space indents as the editor shows it).
 */
export function scenarioFindings(scenario: Scenario, text?: string): Finding[] {
  const warnings = scenarioWarnings(scenario);
  if (warnings.length === 0) return [];
  const located = locateViolations(text ?? JSON.stringify(scenario, null, 2), warnings);
  return located.map((w) => ({
    type: 'WARNING',
    code: w.path.includes('parameters') && w.path[0] === 'requests' ? UNREAD_PARAMETER : UNKNOWN_FIELD,
    message: `${formatJsonPath(w.path)}: ${w.message}`,
    learnMoreLink: '',
    path: w.path,
    range: w.range,
  }));
}

/** The errors that keep a scenario text from loading, as findings located in that text (its editor marks them). */
export function scenarioErrorFindings(text: string, errors: LocatedError[]): Finding[] {
  return locateViolations(text, errors).map((e) => ({
    type: 'ERROR',
    code: INVALID_SCENARIO,
    message: `${formatJsonPath(e.path)}: ${e.message}`,
    learnMoreLink: '',
    path: e.path,
    range: e.range,
  }));
}

/** Policy findings about a name the lab does not know and reads past, or that makes AWS refuse the policy. */
const NAME_CODES: ReadonlySet<string> = new Set([
  ...UNKNOWN_NAME_CODES,
  'INVALID_POLICY_ELEMENT',
  'INVALID_CONDITION_OPERATOR',
  'INVALID_PRINCIPAL_KEY',
]);

export interface LabWarning {
  /** The editor it is in: a policy, or the whole scenario. */
  editor: PolicyId;
  /** Where, for people: `Scenario JSON` or the policy's label. */
  where: string;
  message: string;
  range: SourceRange;
}

/** Every warning of the scenario panel, the scenario's own first, then each policy's in document order. */
export function labWarnings(
  findings: Record<PolicyId, Finding[]> | null | undefined,
  policies: { id: PolicyId; label: string }[],
): LabWarning[] {
  if (!findings) return [];
  const items: LabWarning[] = (findings[SCENARIO_EDITOR] ?? []).map((f) => ({
    editor: SCENARIO_EDITOR,
    where: 'Scenario JSON',
    message: f.message,
    range: f.range,
  }));
  for (const { id, label } of policies) {
    for (const f of findings[id] ?? []) {
      if (NAME_CODES.has(f.code))
        items.push({ editor: id, where: label, message: f.message, range: f.range });
    }
  }
  return items;
}
