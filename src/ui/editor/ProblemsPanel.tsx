/**
 * The lint findings of every policy in the scenario, grouped by policy. Each finding is a button that takes the
 * learner to it (the lab opens that policy's editor at the range). Severity is an icon and a word, never colour alone.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';
import type { FindingType, SourceRange } from '../../engine/types';
import { findingTypeLabel, severityOf } from './findings';
import type { FindingSeverity } from './findings';
import { groupProblems, problemSummary } from './problems';
import type { ProblemItem } from './problems';
import './problems-panel.css';

export type { ProblemItem } from './problems';

export interface ProblemsPanelProps {
  items: ProblemItem[];
  onSelect(policyId: string, range: SourceRange): void;
  /** Level of the panel's heading (the policy headings are one below); default 2. */
  headingLevel?: 2 | 3 | 4;
}

function SeverityIcon({ severity }: { severity: FindingSeverity }) {
  // Distinct shapes as well as colours: a circle with a cross, a triangle, a circle with an "i".
  return (
    <svg
      className={`problems__icon problems__icon--${severity}`}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden="true"
    >
      {severity === 'error' && (
        <>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path
            d="M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6"
            stroke="var(--bg-elevated)"
            strokeWidth="1.8"
            strokeLinecap="round"
          />
        </>
      )}
      {severity === 'warning' && (
        <>
          <path d="M8 1.2L15.2 14.4H0.8z" fill="currentColor" />
          <path d="M8 6v4" stroke="var(--bg-elevated)" strokeWidth="1.8" strokeLinecap="round" />
          <circle cx="8" cy="12.2" r="1" fill="var(--bg-elevated)" />
        </>
      )}
      {severity === 'info' && (
        <>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path d="M8 7.2v4.4" stroke="var(--bg-elevated)" strokeWidth="1.8" strokeLinecap="round" />
          <circle cx="8" cy="4.6" r="1" fill="var(--bg-elevated)" />
        </>
      )}
    </svg>
  );
}

function Heading({ level, id, children }: { level: number; id?: string; children: ReactNode }) {
  const Tag = `h${Math.min(level, 6)}` as 'h2';
  return (
    <Tag id={id} className={`problems__heading problems__heading--${level}`}>
      {children}
    </Tag>
  );
}

function typeClass(type: FindingType): string {
  return `problems__item problems__item--${severityOf(type)}`;
}

export default function ProblemsPanel({ items, onSelect, headingLevel = 2 }: ProblemsPanelProps) {
  const headingId = useId();
  const groups = groupProblems(items);
  const summary = problemSummary(items);
  return (
    <section className="problems" aria-labelledby={headingId} data-testid="problems-panel">
      <Heading level={headingLevel} id={headingId}>
        Problems <span className="problems__count">({items.length})</span>
      </Heading>
      {items.length === 0 ? (
        <p className="problems__empty">No problems found</p>
      ) : (
        <>
          <p className="problems__summary">{summary}</p>
          {groups.map((group) => (
            <div key={group.policyId} className="problems__group">
              <Heading level={headingLevel + 1}>
                {group.policyLabel} <span className="problems__count">({group.findings.length})</span>
              </Heading>
              <ul className="problems__list">
                {group.findings.map((finding, index) => (
                  <li key={`${finding.code}-${finding.range.start.offset}-${index}`}>
                    <button
                      type="button"
                      className={typeClass(finding.type)}
                      onClick={() => onSelect(group.policyId, finding.range)}
                    >
                      <SeverityIcon severity={severityOf(finding.type)} />
                      <span className="problems__type">{findingTypeLabel(finding.type)}</span>
                      <span className="problems__message">{finding.message}</span>
                      <span className="problems__where">
                        line {finding.range.start.line}, column {finding.range.start.column} · {finding.code}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
    </section>
  );
}
