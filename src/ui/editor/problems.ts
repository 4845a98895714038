/** Groups findings by policy for the problems panel. Pure. */
import type { Finding } from '../../engine/types';
import { compareFindings } from './findings';

export interface ProblemItem {
  policyId: string;
  policyLabel: string;
  finding: Finding;
}

export interface ProblemGroup {
  policyId: string;
  policyLabel: string;
  findings: Finding[];
}

/** One group per policy, in the order the policies first appear; inside a group, the most severe first. */
export function groupProblems(items: ProblemItem[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const { policyId, policyLabel, finding } of items) {
    let group = groups.get(policyId);
    if (!group) {
      group = { policyId, policyLabel, findings: [] };
      groups.set(policyId, group);
    }
    group.findings.push(finding);
  }
  for (const group of groups.values()) group.findings.sort(compareFindings);
  return [...groups.values()];
}

/** "2 errors, 1 warning": counts by severity word, most severe first, for the panel's summary. */
export function problemSummary(items: ProblemItem[]): string {
  const counts = { error: 0, warning: 0, suggestion: 0 };
  for (const { finding } of items) {
    if (finding.type === 'ERROR') counts.error += 1;
    else if (finding.type === 'SUGGESTION') counts.suggestion += 1;
    else counts.warning += 1;
  }
  const parts: string[] = [];
  if (counts.error) parts.push(`${counts.error} ${counts.error === 1 ? 'error' : 'errors'}`);
  if (counts.warning) parts.push(`${counts.warning} ${counts.warning === 1 ? 'warning' : 'warnings'}`);
  if (counts.suggestion)
    parts.push(`${counts.suggestion} ${counts.suggestion === 1 ? 'suggestion' : 'suggestions'}`);
  return parts.join(', ');
}
