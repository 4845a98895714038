/**
 * The decision panel (test hook `data-testid="decision"`, lab-design §4): the decision and outcome words,
 * how it was allowed or denied, the explanation and notes, the deciding statements, and for every statement
 * each comparison the engine made. It renders the engine's data and re-implements no rule.
 */
import { memo, useId, useState } from 'react';
import './decision.css';
import type { EvaluationResult, StatementMatch, StatementRef } from '../../engine/types';
import {
  decisionGloss,
  DECISION_SYMBOL,
  allowedByText,
  comparisons,
  deniedByText,
  findMatch,
  groupByLayer,
  sameStatement,
  statementKey,
  statementSignatures,
  unreportedSignature,
  statementStatus,
  verdictAnnouncement,
  whyNotMatched,
  type StatementStatus,
} from './decision-model';
import { withSourcePages } from '../source-pages';

export interface DecisionPanelProps {
  result: EvaluationResult | null;
  /** The result is the last good one while the input is broken: say so. */
  stale?: boolean;
  /** A statement was chosen: the lab shows it in its editor and the steps it took part in. */
  onSelectStatement?(ref: StatementRef): void;
  selectedStatement?: StatementRef | null;
}

const STATUS_WORDS: Record<StatementStatus, string> = {
  deciding: '★ deciding',
  applies: '✓ matches',
  'no-match': '✕ no match',
};

export default function DecisionPanel({
  result,
  stale = false,
  onSelectStatement,
  selectedStatement,
}: DecisionPanelProps) {
  // The live region comes first in both branches, so it stays the same element from the first result on.
  const announcement = (
    <p className="visually-hidden" role="status" aria-live="polite" data-testid="decision-announcement">
      {verdictAnnouncement(result)}
    </p>
  );
  if (!result) {
    return (
      <section className="decision" data-testid="decision" aria-label="Decision">
        {announcement}
        {stale && <StaleBanner />}
        <p className="decision__empty">No evaluation yet: choose a request to see its decision.</p>
      </section>
    );
  }
  const allowedBy = allowedByText(result);
  const deniedBy = deniedByText(result);
  const groups = groupByLayer(result.statements);
  const signatures = statementSignatures(result);
  const signatureOf = (ref: StatementRef) => signatures.get(statementKey(ref)) ?? unreportedSignature(ref);
  return (
    <section
      className="decision"
      data-testid="decision"
      data-decision={result.decision}
      data-stale={stale || undefined}
      aria-label="Decision"
    >
      {announcement}
      {stale && <StaleBanner />}
      <header className="decision__header">
        <p className="decision__verdict" data-decision={result.decision}>
          <span className="decision__symbol" aria-hidden="true">
            {DECISION_SYMBOL[result.decision]}
          </span>{' '}
          <strong className="decision__word">{result.decision}</strong>{' '}
          <span className="decision__gloss">({decisionGloss(result)})</span>
        </p>
        <p className="decision__outcome" data-outcome={result.outcome}>
          Outcome: <strong>{result.outcome}</strong>
          {result.outcome !== 'Success' && result.errorMessage && (
            <span className="decision__error-message">{result.errorMessage}</span>
          )}
        </p>
        {result.expect !== undefined && (
          <p className="decision__expect" data-pass={result.pass}>
            {result.pass ? '✓ As expected' : '✕ Not as expected'}: expected <strong>{result.expect}</strong>
          </p>
        )}
      </header>

      <dl className="decision__facts">
        {allowedBy && (
          <>
            <dt>Allowed by</dt>
            <dd>{allowedBy}</dd>
          </>
        )}
        {deniedBy && (
          <>
            <dt>Denied by</dt>
            <dd>{deniedBy}</dd>
          </>
        )}
      </dl>

      <p className="decision__explanation">
        <WithSourcePages text={result.explanation} />
      </p>

      {result.notes.length > 0 && (
        <div className="decision__notes">
          <h3>Assumptions and notes</h3>
          <ul>
            {result.notes.map((note) => (
              <li key={note}>
                <WithSourcePages text={note} />
              </li>
            ))}
          </ul>
        </div>
      )}

      <h3>Deciding statements</h3>
      {result.deciding.length === 0 ? (
        <p className="decision__none">
          {result.decision === 'ImplicitDeny'
            ? 'None: no statement allowed the request.'
            : 'None: no policy statement decided this request.'}
        </p>
      ) : (
        <ul className="decision__deciding">
          {result.deciding.map((ref) => (
            <li key={statementKey(ref)}>
              <StatementCard
                match={findMatch(result, ref)}
                statementRef={ref}
                signature={signatureOf(ref)}
                status="deciding"
                selected={sameStatement(ref, selectedStatement)}
                onSelect={onSelectStatement}
                idPrefix="deciding"
              />
            </li>
          ))}
        </ul>
      )}

      <h3>Every statement considered</h3>
      {groups.length === 0 && <p className="decision__none">No policy statement was considered.</p>}
      {groups.map((group) => (
        <section key={group.layer} className="decision__layer" aria-label={group.title}>
          <h4>{group.title}</h4>
          <ul>
            {group.statements.map((match) => (
              <li key={statementKey(match.ref)}>
                <StatementCard
                  match={match}
                  statementRef={match.ref}
                  signature={signatureOf(match.ref)}
                  status={statementStatus(match, result)}
                  selected={sameStatement(match.ref, selectedStatement)}
                  onSelect={onSelectStatement}
                  idPrefix="all"
                />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

/** Engine text with each source tag like "(CTL)" shown as the AWS page it stands for, linked. */
function WithSourcePages({ text }: { text: string }) {
  return withSourcePages(text).map((part, index) =>
    typeof part === 'string' ? (
      part
    ) : (
      <span key={index} className="decision__source">
        (AWS docs:{' '}
        <a
          href={part.url}
          target="_blank"
          rel="noreferrer"
          title={`Source page ${part.tag}, opens in a new tab`}
        >
          {part.title}
        </a>
        )
      </span>
    ),
  );
}

function StaleBanner() {
  return (
    <p className="decision__stale" role="status">
      <span aria-hidden="true">⚠</span> Stale: showing the last good evaluation, not the current input.
    </p>
  );
}

interface StatementCardProps {
  match: StatementMatch | undefined;
  statementRef: StatementRef;
  /** Everything the card draws from `match` and `statementRef` (decision-model `statementSignature`). */
  signature: string;
  status: StatementStatus;
  selected: boolean;
  onSelect?(ref: StatementRef): void;
  idPrefix: string;
}

/**
 * Each evaluation brings fresh objects from the worker, so cards compare by signature: typing redraws only the
 * cards whose content changed. A kept card may hold the previous result's objects; they draw the same, and
 * the lab maps a selected statement to the latest result itself.
 */
const sameCard = (before: StatementCardProps, after: StatementCardProps): boolean =>
  before.signature === after.signature &&
  before.status === after.status &&
  before.selected === after.selected &&
  before.onSelect === after.onSelect &&
  before.idPrefix === after.idPrefix;

/**
 * One statement: a header that opens its comparisons, its status in words, and a button to select it. The
 * comparisons are drawn only while open: most of a long policy's cards stay closed.
 */
const StatementCard = memo(function StatementCard({
  match,
  statementRef,
  status,
  selected,
  onSelect,
  idPrefix,
}: StatementCardProps) {
  const [openChoice, setOpen] = useState<boolean | null>(null);
  // Open at first in the deciding list, and when selected, until the learner toggles it.
  const open = openChoice ?? (idPrefix === 'deciding' || selected);
  const bodyId = `${useId()}-${idPrefix}`;
  const whyNot = match ? whyNotMatched(match) : null;
  return (
    <article
      className="statement"
      data-status={status}
      data-effect={statementRef.effect}
      data-selected={selected || undefined}
    >
      <div className="statement__head">
        <button
          type="button"
          className="statement__toggle"
          aria-expanded={open}
          aria-controls={open ? bodyId : undefined}
          onClick={() => setOpen(!open)}
        >
          <span aria-hidden="true" className="statement__chevron">
            {open ? '▾' : '▸'}
          </span>
          <span className="statement__effect">{statementRef.effect}</span> {statementRef.label}
        </button>
        <span className="statement__status" data-status={status}>
          {STATUS_WORDS[status]}
        </span>
        {onSelect && (
          <button
            type="button"
            className="statement__select"
            aria-pressed={selected}
            aria-label={`Show ${statementRef.label} in the editor and the flowchart`}
            onClick={() => onSelect(statementRef)}
          >
            {selected ? 'Selected' : 'Show'}
          </button>
        )}
      </div>
      {match && <p className="statement__summary">{whyNot ?? match.summary}</p>}
      {open && <StatementBody id={bodyId} match={match} label={statementRef.label} />}
    </article>
  );
}, sameCard);

/** Every comparison the engine made for one statement, with the values compared. */
function StatementBody({
  id,
  match,
  label,
}: {
  id: string;
  match: StatementMatch | undefined;
  label: string;
}) {
  return (
    <div id={id} className="statement__body">
      {match ? (
        <ul className="comparisons" aria-label={`Comparisons of ${label}`}>
          {comparisons(match).map((row, index) => (
            <li key={`${row.subject}-${index}`} className="comparison" data-matched={row.matched}>
              <span className="comparison__verdict">{row.matched ? '✓ match' : '✕ no match'}</span>{' '}
              <code className="comparison__subject">{row.subject}</code>
              <dl className="comparison__values">
                <dt>policy</dt>
                <dd>
                  <code>{row.policy}</code>
                </dd>
                {row.request !== '' && (
                  <>
                    <dt>request</dt>
                    <dd>
                      <code>{row.request}</code>
                    </dd>
                  </>
                )}
              </dl>
              <span className="comparison__reason">{row.reason}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="statement__summary">The engine reported no comparison details for this statement.</p>
      )}
    </div>
  );
}
