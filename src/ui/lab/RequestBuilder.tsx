/**
 * The request builder: the scenario's requests (each with its decision and expectation), and the fields of
 * the selected one: principal, action (searchable, with access level and description), key (id, ARN or
 * alias), encryption context, source IP, VPC endpoint, calling service, grant tokens, extra context keys.
 * Below, read-only, the request context as the engine derived it.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { KMS_ACTIONS } from '../../engine/data';
import type { RequestSpec } from '../../scenario/types';
import { decisionView } from '../../state/lab-matrix';
import { keyReferences, knownCallers } from '../../state/lab-request';
import { labStore, useLabStore } from '../../state/lab-store';
import type { RequestSummary } from '../../state/lab-eval-core';
import { removeRequest } from '../../state/lab-scenario-edit';
import { useScenarioStructure } from './scenario-structure';
import { DraftInput, PairsEditor } from './fields';

const CALLING_SERVICES = [
  's3',
  'secretsmanager',
  'ec2',
  'rds',
  'lambda',
  'dynamodb',
  'ssm',
  'sqs',
  'sns',
  'logs',
];

const EXPECTATIONS = [
  'Allow',
  'ExplicitDeny',
  'ImplicitDeny',
  'DisabledException',
  'KMSInvalidStateException',
  'NotFoundException',
  'UnsupportedOperationException',
];

/** The index `key` moves focus to in a list of `count` items (arrows, Home, End), or -1 for other keys. */
function rovingIndex(key: string, current: number, count: number): number {
  if (key === 'ArrowDown') return Math.min(current + 1, count - 1);
  if (key === 'ArrowUp') return Math.max(current - 1, 0);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return -1;
}

/**
 * The scenario's requests, each with its decision and whether it met its expectation. One Tab stop (roving
 * tabindex: arrows move between requests, Enter selects), and the selected request is scrolled into view
 * inside the list when the lab opens (after a reload it may be far down a long list).
 */
function RequestList({
  requests,
  selectedRequestId,
}: {
  requests: RequestSpec[];
  selectedRequestId: string | null;
}) {
  const summariesKey = useLabStore((s) => JSON.stringify(s.evaluation?.summaries ?? []));
  const summaries = useMemo(() => JSON.parse(summariesKey) as RequestSummary[], [summariesKey]);
  const selectRequest = useLabStore((s) => s.selectRequest);
  const listRef = useRef<HTMLUListElement>(null);
  const selectedIndex = Math.max(
    requests.findIndex((r) => r.id === selectedRequestId),
    0,
  );
  const [focusIndex, setFocusIndex] = useState(selectedIndex);
  const tabStop = focusIndex < requests.length ? focusIndex : selectedIndex;
  const items = () => Array.from(listRef.current?.querySelectorAll<HTMLElement>('.lab-request-item') ?? []);

  useEffect(() => {
    const list = listRef.current;
    const selected = list?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!list || !selected) return;
    // Scroll the list only: scrollIntoView would also scroll the page away from where the learner is.
    const top = selected.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop;
    if (top < list.scrollTop || top + selected.offsetHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = top - (list.clientHeight - selected.offsetHeight) / 2;
  }, [selectedRequestId]);

  useEffect(() => setFocusIndex(selectedIndex), [selectedIndex]);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const next = rovingIndex(event.key, tabStop, requests.length);
    if (next < 0) return;
    event.preventDefault();
    setFocusIndex(next);
    items()[next]?.focus();
  };

  return (
    <ul
      ref={listRef}
      className="lab-request-list"
      aria-label="Requests of this scenario (arrow keys move between them)"
      onKeyDown={onKeyDown}
    >
      {requests.map((r, index) => {
        const summary = summaries.find((s) => s.id === r.id);
        const view = summary && decisionView(summary.decision, summary.outcome);
        return (
          <li key={r.id}>
            <button
              type="button"
              className="lab-request-item"
              aria-current={r.id === selectedRequestId ? 'true' : undefined}
              tabIndex={index === tabStop ? 0 : -1}
              data-request-id={r.id}
              onFocus={() => setFocusIndex(index)}
              onClick={() => selectRequest(r.id)}
            >
              <span className="lab-request-id">{r.id}</span>
              {view && <span className={`lab-badge lab-tone-${view.tone}`}>{view.text}</span>}
              {summary?.pass === true && <span className="lab-badge lab-tone-allow">✓ as expected</span>}
              {summary?.pass === false && (
                <span className="lab-badge lab-tone-deny">✗ expected {summary.expect}</span>
              )}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** The request context as the engine derived it for the selected request (read-only). */
function DerivedContext() {
  const contextKey = useLabStore((s) => JSON.stringify(s.evaluation?.result?.context ?? null));
  const context = useMemo(() => JSON.parse(contextKey) as Record<string, string[]> | null, [contextKey]);
  return (
    <details className="lab-more" data-testid="derived-context">
      <summary>Request context as the engine derived it</summary>
      {context ? (
        <table className="lab-context-table">
          <caption className="visually-hidden">Derived request context</caption>
          <thead>
            <tr>
              <th scope="col">Condition key</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(context).map(([key, values]) => (
              <tr key={key}>
                <th scope="row">
                  <code>{key}</code>
                </th>
                <td>
                  <code>{values.join(', ')}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="lab-muted">No result yet.</p>
      )}
    </details>
  );
}

/**
 * Operation-specific parameters as JSON (CreateGrant's grantee and operations, ReEncrypt's destination key…,
 * see src/engine/index.ts). The text stays as typed; the request changes only when it parses to an object.
 */
function ParametersField({
  value,
  onChange,
}: {
  value: Record<string, unknown> | undefined;
  onChange(value: Record<string, unknown> | undefined): void;
}) {
  const [text, setText] = useState(() => (value ? JSON.stringify(value, null, 2) : ''));
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  return (
    <div className="lab-field">
      <label htmlFor={id}>Operation parameters (JSON)</label>
      <textarea
        id={id}
        className="lab-textarea"
        rows={3}
        spellCheck={false}
        value={text}
        placeholder='{ "granteePrincipal": "arn:aws:iam::111122223333:role/App", "operations": ["Decrypt"] }'
        aria-describedby={error ? `${id}-error` : undefined}
        aria-invalid={error ? true : undefined}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          if (next.trim() === '') {
            setError(null);
            onChange(undefined);
            return;
          }
          try {
            const parsed: unknown = JSON.parse(next);
            if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
              throw new Error('not an object');
            setError(null);
            onChange(parsed as Record<string, unknown>);
          } catch (problem) {
            setError(`Not applied: ${(problem as Error).message}`);
          }
        }}
      />
      {error && (
        <p className="lab-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function RequestBuilder() {
  const scenario = useScenarioStructure();
  const selectedRequestId = useLabStore((s) => s.selectedRequestId);
  const updateSelectedRequest = useLabStore((s) => s.updateSelectedRequest);
  const addRequest = useLabStore((s) => s.addRequest);
  const updateScenario = useLabStore((s) => s.updateScenario);
  const selectedKeyArn = useLabStore((s) => s.selectedKeyArn);
  const ids = useId();

  const requests = scenario.requests ?? [];
  const request = requests.find((r) => r.id === selectedRequestId);
  const callers = useMemo(() => knownCallers(scenario), [scenario]);
  const keyRefs = useMemo(
    () => Object.entries(scenario.keys ?? {}).flatMap(([arn, key]) => keyReferences(arn, key)),
    [scenario.keys],
  );
  const region = (selectedKeyArn ?? '').split(':')[3] || 'us-east-1';

  const change = (patch: Partial<RequestSpec>) => {
    // The structure above omits policy documents: start from the request as stored (its session policy too).
    const current = labStore()
      .getState()
      .scenario.requests?.find((r) => r.id === selectedRequestId);
    if (current) updateSelectedRequest({ ...current, ...patch });
  };

  const newRequest = () => {
    const keyAlias = selectedKeyArn
      ? (scenario.keys?.[selectedKeyArn]?.aliases?.[0] ?? selectedKeyArn)
      : undefined;
    addRequest({
      id: 'request-1',
      principal: request?.principal ?? callers[0] ?? '',
      action: 'kms:Decrypt',
      ...(keyAlias ? { keyId: keyAlias } : {}),
    });
  };

  return (
    <section className="lab-card lab-request" aria-labelledby="lab-request-title">
      <div className="lab-card-head">
        <h3 id="lab-request-title">Request</h3>
        <button type="button" onClick={newRequest}>
          New request
        </button>
      </div>
      <RequestList requests={requests} selectedRequestId={selectedRequestId} />
      {!request ? (
        <p className="lab-muted">This scenario has no request yet. Add one to see a decision.</p>
      ) : (
        <div className="lab-request-fields">
          {request.description && (
            <p className="lab-request-note" data-testid="request-description">
              {request.description}
            </p>
          )}
          <datalist id={`${ids}-callers`}>
            {callers.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <datalist id={`${ids}-actions`}>
            {KMS_ACTIONS.map((a) => (
              <option key={a.fullName} value={a.fullName}>
                {`${a.accessLevel} · ${a.description}`}
              </option>
            ))}
          </datalist>
          <datalist id={`${ids}-keys`}>
            {keyRefs.map((ref) => (
              <option key={ref} value={ref} />
            ))}
          </datalist>
          <datalist id={`${ids}-services`}>
            {CALLING_SERVICES.map((s) => (
              <option key={s} value={`${s}.${region}.amazonaws.com`} />
            ))}
          </datalist>
          <div className="lab-field">
            <label htmlFor={`${ids}-id`}>Id</label>
            <DraftInput
              id={`${ids}-id`}
              value={request.id}
              commitOnBlur
              onChange={(id) => change({ id: id.trim() })}
            />
          </div>
          <div className="lab-field">
            <label htmlFor={`${ids}-principal`}>Principal (caller ARN)</label>
            <DraftInput
              id={`${ids}-principal`}
              list={`${ids}-callers`}
              value={request.principal}
              onChange={(principal) => change({ principal: principal.trim() })}
            />
          </div>
          <div className="lab-field">
            <label htmlFor={`${ids}-action`}>Action</label>
            <DraftInput
              id={`${ids}-action`}
              list={`${ids}-actions`}
              value={request.action}
              onChange={(action) => change({ action: action.trim() })}
            />
          </div>
          <div className="lab-field">
            <label htmlFor={`${ids}-key`}>Key (id, ARN, alias or alias ARN)</label>
            <DraftInput
              id={`${ids}-key`}
              list={`${ids}-keys`}
              value={request.keyId ?? ''}
              onChange={(keyId) => change({ keyId: keyId.trim() || undefined })}
            />
          </div>
          <PairsEditor
            legend="Encryption context"
            value={request.encryptionContext}
            onChange={(encryptionContext) =>
              change({ encryptionContext: encryptionContext as Record<string, string> })
            }
          />
          <details className="lab-more">
            <summary>Network, service, grants, context keys, expectation</summary>
            <div className="lab-field">
              <label htmlFor={`${ids}-ip`}>Source IP</label>
              <DraftInput
                id={`${ids}-ip`}
                value={request.sourceIp ?? ''}
                placeholder="203.0.113.10"
                onChange={(sourceIp) => change({ sourceIp: sourceIp.trim() || undefined })}
              />
            </div>
            <div className="lab-field">
              <label htmlFor={`${ids}-vpce`}>VPC endpoint</label>
              <select
                id={`${ids}-vpce`}
                value={request.vpcEndpoint ?? ''}
                onChange={(e) => change({ vpcEndpoint: e.target.value || undefined })}
              >
                <option value="">None (public endpoint)</option>
                {Object.keys(scenario.vpcEndpoints ?? {}).map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
                {request.vpcEndpoint && !scenario.vpcEndpoints?.[request.vpcEndpoint] && (
                  <option value={request.vpcEndpoint}>{request.vpcEndpoint} (not in the scenario)</option>
                )}
              </select>
            </div>
            <div className="lab-field">
              <label htmlFor={`${ids}-via`}>Calling service (kms:ViaService)</label>
              <DraftInput
                id={`${ids}-via`}
                list={`${ids}-services`}
                value={request.viaService ?? ''}
                onChange={(viaService) => change({ viaService: viaService.trim() || undefined })}
              />
            </div>
            <div className="lab-field">
              <label htmlFor={`${ids}-tokens`}>Grant tokens (comma-separated)</label>
              <DraftInput
                id={`${ids}-tokens`}
                value={(request.grantTokens ?? []).join(', ')}
                onChange={(text) =>
                  change({
                    grantTokens: text
                      .split(',')
                      .map((t) => t.trim())
                      .filter(Boolean),
                  })
                }
              />
            </div>
            <PairsEditor
              legend="Extra context keys"
              multiValued
              hint="Add or override condition keys, e.g. aws:MultiFactorAuthPresent = true. Commas separate several values."
              value={request.context}
              onChange={(ctx) => change({ context: ctx })}
              keyPlaceholder="aws:…"
            />
            <ParametersField
              key={request.id}
              value={request.parameters}
              onChange={(parameters) => change({ parameters })}
            />
            <div className="lab-field">
              <label htmlFor={`${ids}-expect`}>Expected result</label>
              <select
                id={`${ids}-expect`}
                value={request.expect ?? ''}
                onChange={(e) => change({ expect: e.target.value || undefined })}
              >
                <option value="">No expectation</option>
                {EXPECTATIONS.map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              className="lab-danger"
              onClick={() => updateScenario((s) => removeRequest(s, request.id))}
            >
              Remove this request
            </button>
          </details>
          <DerivedContext />
        </div>
      )}
    </section>
  );
}
