/**
 * The access matrix of the selected key: who (principals, as columns) may call what (actions, as rows, since
 * a key supports many actions and a scenario has few principals). Each cell says its result in words and
 * colour; a click loads that request into the Evaluate view. What-if: change one thing (a context value, the
 * caller, the key state) and see which cells flip.
 */
import { useId, useMemo, useState } from 'react';
import type { KeyState } from '../../scenario/types';
import {
  cellView,
  describeWhatIf,
  flipKeys,
  flippedCells,
  isFlipped,
  toneCounts,
  decisionView,
  resultFlipped,
  type WhatIf,
} from '../../state/lab-matrix';
import { shortArn } from '../../state/lab-policies';
import { lowerFirst } from '../../engine/sentence';
import { knownCallers } from '../../state/lab-request';
import { useLabStore } from '../../state/lab-store';

const KEY_STATES: KeyState[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport'];
const CONTEXT_SUGGESTIONS = [
  'aws:SourceIp',
  'aws:SourceVpce',
  'aws:MultiFactorAuthPresent',
  'aws:PrincipalTag/team',
  'kms:ViaService',
  'kms:CallerAccount',
  'kms:EncryptionContext:dept',
  'kms:GrantIsForAWSResource',
];

function WhatIfForm() {
  const scenario = useLabStore((s) => s.scenario);
  const selectedKeyArn = useLabStore((s) => s.selectedKeyArn);
  const whatIf = useLabStore((s) => s.whatIf);
  const setWhatIf = useLabStore((s) => s.setWhatIf);
  const callers = useMemo(() => knownCallers(scenario), [scenario]);
  const [kind, setKind] = useState<WhatIf['kind']>(whatIf?.kind ?? 'key-state');
  const [contextKey, setContextKey] = useState('aws:MultiFactorAuthPresent');
  const [contextValue, setContextValue] = useState('true');
  const [from, setFrom] = useState(callers[0] ?? '');
  const [to, setTo] = useState(callers[1] ?? callers[0] ?? '');
  const currentState = (selectedKeyArn && scenario.keys?.[selectedKeyArn]?.state) || 'Enabled';
  const [state, setState] = useState<KeyState>(currentState === 'Enabled' ? 'Disabled' : 'Enabled');
  const ids = useId();

  const apply = () => {
    if (kind === 'context' && contextKey.trim())
      setWhatIf({ kind: 'context', key: contextKey.trim(), value: contextValue });
    if (kind === 'principal' && from && to) setWhatIf({ kind: 'principal', from, to });
    if (kind === 'key-state' && selectedKeyArn)
      setWhatIf({ kind: 'key-state', keyArn: selectedKeyArn, state });
  };

  return (
    <form
      className="lab-whatif-form"
      aria-label="What-if"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <fieldset>
        <legend>What if… (change one thing)</legend>
        <div className="lab-row-actions" role="radiogroup" aria-label="What to change">
          {(
            [
              ['key-state', 'the key state'],
              ['context', 'a context value'],
              ['principal', 'the caller'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="lab-radio">
              <input
                type="radio"
                name={`${ids}-kind`}
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
              />
              {label}
            </label>
          ))}
        </div>
        {kind === 'key-state' && (
          <div className="lab-field">
            <label htmlFor={`${ids}-state`}>The key is</label>
            <select id={`${ids}-state`} value={state} onChange={(e) => setState(e.target.value as KeyState)}>
              {KEY_STATES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
        )}
        {kind === 'context' && (
          <>
            <datalist id={`${ids}-keys`}>
              {CONTEXT_SUGGESTIONS.map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
            <div className="lab-field">
              <label htmlFor={`${ids}-ckey`}>Condition key</label>
              <input
                id={`${ids}-ckey`}
                list={`${ids}-keys`}
                value={contextKey}
                onChange={(e) => setContextKey(e.target.value)}
                spellCheck={false}
              />
            </div>
            <div className="lab-field">
              <label htmlFor={`${ids}-cvalue`}>Value</label>
              <input
                id={`${ids}-cvalue`}
                value={contextValue}
                onChange={(e) => setContextValue(e.target.value)}
                spellCheck={false}
              />
            </div>
          </>
        )}
        {kind === 'principal' && (
          <>
            <div className="lab-field">
              <label htmlFor={`${ids}-from`}>Instead of</label>
              <select id={`${ids}-from`} value={from} onChange={(e) => setFrom(e.target.value)}>
                {callers.map((c) => (
                  <option key={c} value={c}>
                    {shortArn(c)}
                  </option>
                ))}
              </select>
            </div>
            <div className="lab-field">
              <label htmlFor={`${ids}-to`}>the caller is</label>
              <input
                id={`${ids}-to`}
                list={`${ids}-callers`}
                value={to}
                onChange={(e) => setTo(e.target.value)}
                spellCheck={false}
              />
              <datalist id={`${ids}-callers`}>
                {callers.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </div>
          </>
        )}
        <div className="lab-row-actions">
          <button type="submit">Show what flips</button>
          {whatIf && (
            <button type="button" onClick={() => setWhatIf(null)}>
              Clear
            </button>
          )}
        </div>
      </fieldset>
    </form>
  );
}

export function MatrixView() {
  const scenario = useLabStore((s) => s.scenario);
  const selectedKeyArn = useLabStore((s) => s.selectedKeyArn);
  const selectKey = useLabStore((s) => s.selectKey);
  const evaluation = useLabStore((s) => s.evaluation);
  const evaluating = useLabStore((s) => s.evaluating);
  const stale = useLabStore((s) => s.stale);
  const whatIf = useLabStore((s) => s.whatIf);
  const addRequest = useLabStore((s) => s.addRequest);
  const setView = useLabStore((s) => s.setView);
  const [filter, setFilter] = useState('');
  const ids = useId();

  const matrix = evaluation?.matrix?.keyArn === selectedKeyArn ? evaluation?.matrix : undefined;
  const whatIfMatrix = whatIf ? evaluation?.whatIf?.matrix : undefined;
  const flips = useMemo(
    () => (matrix && whatIfMatrix ? flippedCells(matrix, whatIfMatrix) : []),
    [matrix, whatIfMatrix],
  );
  const flipped = useMemo(() => flipKeys(flips), [flips]);
  const afterByCell = useMemo(
    () => new Map(flips.map((f) => [`${f.principal}\u0000${f.action}`, f.after])),
    [flips],
  );
  const key = selectedKeyArn ? scenario.keys?.[selectedKeyArn] : undefined;
  const keyRef = key?.aliases?.[0] ?? selectedKeyArn ?? '';

  const actionIndexes = useMemo(() => {
    if (!matrix) return [];
    const needle = filter.trim().toLowerCase();
    return matrix.actions
      .map((action, index) => ({ action, index }))
      .filter(({ action }) => !needle || action.toLowerCase().includes(needle));
  }, [matrix, filter]);

  const counts = matrix ? toneCounts(matrix) : undefined;

  return (
    <div className="lab-matrix-view">
      <section className="lab-card lab-matrix" aria-labelledby={`${ids}-title`}>
        <div className="lab-card-head">
          <h3 id={`${ids}-title`}>Access matrix</h3>
          <label htmlFor={`${ids}-key`}>Key</label>
          <select
            id={`${ids}-key`}
            value={selectedKeyArn ?? ''}
            onChange={(e) => selectKey(e.target.value || null)}
          >
            {Object.entries(scenario.keys ?? {}).map(([arn, k]) => (
              <option key={arn} value={arn}>
                {k.aliases?.[0] ?? shortArn(arn)}
              </option>
            ))}
          </select>
          <label htmlFor={`${ids}-filter`}>Filter actions</label>
          <input
            id={`${ids}-filter`}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="e.g. Decrypt"
            size={12}
          />
        </div>
        {stale && (
          <p className="lab-stale-note">
            Stale: an editor holds invalid text, so this is the last good matrix.
          </p>
        )}
        {!matrix ? (
          <p className="lab-muted" role="status">
            {evaluating
              ? 'Computing the matrix…'
              : selectedKeyArn
                ? 'No matrix yet.'
                : 'This scenario has no key.'}
          </p>
        ) : (
          <>
            <p className="lab-hint">
              {counts &&
                `${counts.allow} allowed, ${counts.deny} explicitly denied, ${counts.implicit} implicitly denied, ${counts.error} failing with another error. `}
              Choose a cell to open that request.
              {whatIf &&
                ` What-if ${describeWhatIf(whatIf)}: ${flips.length} cell${flips.length === 1 ? '' : 's'} flip (marked ⇄).`}
            </p>
            <div className="lab-matrix-scroll">
              <table className="lab-matrix-table" data-testid="access-matrix">
                <caption className="visually-hidden">
                  Result of each action (rows) for each principal (columns) on {keyRef}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Action</th>
                    {matrix.principals.map((p) => (
                      <th scope="col" key={p} title={p}>
                        {shortArn(p)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {actionIndexes.map(({ action, index }) => (
                    <tr key={action}>
                      <th scope="row">
                        <code>{action}</code>
                      </th>
                      {matrix.principals.map((principal, row) => {
                        const cell = matrix.cells[row][index];
                        const view = cellView(cell);
                        const flip = isFlipped(flipped, principal, action);
                        const after = flip ? afterByCell.get(`${principal}\u0000${action}`) : undefined;
                        return (
                          <td key={principal}>
                            <button
                              type="button"
                              className={`lab-cell lab-tone-${view.tone}${flip ? ' lab-cell-flipped' : ''}`}
                              data-testid="matrix-cell"
                              data-principal={principal}
                              data-action={action}
                              data-decision={cell.decision}
                              data-flipped={flip ? 'true' : undefined}
                              // The name starts with the visible text (WCAG 2.5.3), then says whose cell it is.
                              aria-label={`${view.text}${after ? ` ⇄ ${after.text}` : ''}: ${shortArn(principal)}, ${action}, ${lowerFirst(view.description)}${after ? `; what-if: ${lowerFirst(after.description)}` : ''}. Open this request.`}
                              title={`${view.description}${cell.allowedBy ? ` (by ${cell.allowedBy})` : ''}`}
                              onClick={() => {
                                addRequest({
                                  id: `${shortArn(principal).split('/')[0].toLowerCase()}-${action.replace(/^kms:/, '').toLowerCase()}`,
                                  principal,
                                  action,
                                  keyId: keyRef,
                                });
                                setView('evaluate');
                              }}
                            >
                              {view.text}
                              {after && <span className="lab-cell-after"> ⇄ {after.text}</span>}
                            </button>
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
      <section className="lab-card lab-whatif" aria-labelledby={`${ids}-whatif`}>
        <h3 id={`${ids}-whatif`}>What-if</h3>
        <WhatIfForm />
        {whatIf && evaluation?.whatIf && (
          <div data-testid="whatif-result" aria-live="polite">
            <p>
              <strong>{flips.length}</strong> cell{flips.length === 1 ? '' : 's'} flip{' '}
              {describeWhatIf(whatIf)}.
            </p>
            {evaluation.result && evaluation.whatIf.result && (
              <p>
                Selected request <code>{evaluation.result.id}</code>:{' '}
                {decisionView(evaluation.result.decision, evaluation.result.outcome).text} →{' '}
                {decisionView(evaluation.whatIf.result.decision, evaluation.whatIf.result.outcome).text}
                {resultFlipped(evaluation.result, evaluation.whatIf.result) ? ' (flips)' : ' (unchanged)'}
              </p>
            )}
            <ul className="lab-flips" tabIndex={0} aria-label="Cells that flip">
              {flips.slice(0, 40).map((f) => (
                <li key={`${f.principal}-${f.action}`}>
                  {shortArn(f.principal)} · <code>{f.action}</code>: {f.before.text} → {f.after.text}
                </li>
              ))}
              {flips.length > 40 && <li>… and {flips.length - 40} more</li>}
            </ul>
          </div>
        )}
      </section>
    </div>
  );
}
