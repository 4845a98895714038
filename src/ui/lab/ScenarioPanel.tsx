/**
 * The scenario panel: accounts, principals (users, roles and their sessions), keys (state, manager, origin,
 * aliases), grants, SCPs, RCPs and VPC endpoints; add, rename and remove each. Every change goes through the
 * pure edits of lab-scenario-edit.ts, so references (requests, grants, editor texts) follow renames.
 */
import { Suspense, lazy, useId, useState, type ReactNode } from 'react';
import type { KeyManager, KeyOrigin, KeyState } from '../../scenario/types';
import { policyId } from '../../engine/policy-ids';
import { shortArn } from '../../state/lab-policies';
import * as edit from '../../state/lab-scenario-edit';
import { SCENARIO_EDITOR, useLabStore } from '../../state/lab-store';
import { DraftInput } from './fields';
import { OrganizationSection } from './OrganizationSection';
import { AddForm, OpenPolicyButton, Section } from './scenario-parts';
import { ScenarioWarnings } from './ScenarioWarnings';
import { useScenarioStructure } from './scenario-structure';

// The markdown parser and sanitizer load with the first description, not with the Lab.
const Markdown = lazy(() => import('../markdown/Markdown'));

const KEY_STATES: KeyState[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport'];
const KEY_MANAGERS: KeyManager[] = ['CUSTOMER', 'AWS'];
const KEY_ORIGINS: KeyOrigin[] = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'];

/** A name with Rename and Remove buttons; Rename turns it into a small form. */
function EditableName(props: {
  label: string;
  value: string;
  display?: ReactNode;
  onRename?(to: string): void;
  onRemove?(): void;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(props.value);
  const id = useId();
  if (editing && props.onRename) {
    return (
      <form
        className="lab-rename"
        onSubmit={(event) => {
          event.preventDefault();
          props.onRename?.(draft.trim());
          setEditing(false);
        }}
      >
        <label htmlFor={id} className="visually-hidden">
          New name for {props.label}
        </label>
        <input
          id={id}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          spellCheck={false}
          autoFocus
        />
        <button type="submit">OK</button>
        <button type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <div className="lab-row-head">
      <span className="lab-row-name" title={props.value}>
        {props.display ?? props.value}
      </span>
      {props.onRename && (
        <button
          type="button"
          className="lab-small"
          aria-label={`Rename ${props.label}`}
          onClick={() => {
            setDraft(props.value);
            setEditing(true);
          }}
        >
          Rename
        </button>
      )}
      {props.onRemove && (
        <button
          type="button"
          className="lab-small lab-danger"
          aria-label={`Remove ${props.label}`}
          onClick={props.onRemove}
        >
          Remove
        </button>
      )}
    </div>
  );
}

export function ScenarioPanel() {
  const scenario = useScenarioStructure();
  const update = useLabStore((s) => s.updateScenario);
  const addRequest = useLabStore((s) => s.addRequest);
  const selectedKeyArn = useLabStore((s) => s.selectedKeyArn);
  const selectKey = useLabStore((s) => s.selectKey);
  const ids = useId();

  const [accountId, setAccountId] = useState('');
  const [accountName, setAccountName] = useState('');
  const [principalKind, setPrincipalKind] = useState<edit.PrincipalKind>('role');
  const [principalName, setPrincipalName] = useState('');
  const [endpointId, setEndpointId] = useState('');

  const accounts = Object.keys(scenario.accounts ?? {});
  const knownAccounts = [
    ...new Set([
      ...accounts,
      ...Object.keys(scenario.principals ?? {}).map(edit.accountOfArn),
      ...Object.keys(scenario.keys ?? {}).map(edit.accountOfArn),
    ]),
  ].filter(Boolean);
  const defaultAccount = knownAccounts[0] ?? edit.DEFAULT_ACCOUNT;
  const [principalAccount, setPrincipalAccount] = useState('');
  const accountLabel = (id: string) =>
    scenario.accounts?.[id]?.name ? `${scenario.accounts[id].name} (${id})` : id;
  const accountChoices = (knownAccounts.length ? knownAccounts : [edit.DEFAULT_ACCOUNT]).map((id) => ({
    id,
    label: accountLabel(id),
  }));
  const sessionsOf = (roleArn: string) => {
    const prefix = edit.sessionArn(roleArn, '');
    return [
      ...new Set((scenario.requests ?? []).map((r) => r.principal).filter((p) => p.startsWith(prefix))),
    ];
  };

  return (
    <aside className="lab-card lab-scenario" aria-labelledby="lab-scenario-title">
      <h3 id="lab-scenario-title">Scenario</h3>
      <div className="lab-field">
        <label htmlFor={`${ids}-title`}>Title</label>
        <DraftInput
          id={`${ids}-title`}
          value={scenario.title ?? ''}
          onChange={(title) => update((s) => ({ ...s, title }))}
        />
      </div>
      {scenario.description && (
        <Suspense fallback={<p className="lab-description">{scenario.description}</p>}>
          <Markdown className="lab-description" text={scenario.description} />
        </Suspense>
      )}
      <ScenarioWarnings scenario={scenario} />

      <Section title="Accounts" count={accounts.length}>
        <ul className="lab-rows">
          {accounts.map((id) => (
            <li key={id}>
              <EditableName
                label={`account ${id}`}
                value={id}
                display={<code>{id}</code>}
                onRemove={() => update((s) => edit.removeAccount(s, id))}
              />
              <label className="visually-hidden" htmlFor={`${ids}-acct-${id}`}>
                Name of account {id}
              </label>
              <DraftInput
                id={`${ids}-acct-${id}`}
                value={scenario.accounts?.[id]?.name ?? ''}
                placeholder="name"
                onChange={(name) => update((s) => edit.renameAccountLabel(s, id, name))}
              />
            </li>
          ))}
        </ul>
        <AddForm
          label="Add an account"
          onSubmit={() => {
            if (!/^\d{12}$/.test(accountId)) return;
            update((s) => edit.addAccount(s, accountId, accountName || undefined));
            setAccountId('');
            setAccountName('');
          }}
        >
          <input
            aria-label="New account id (12 digits)"
            placeholder="444455556666"
            value={accountId}
            onChange={(e) => setAccountId(e.target.value.trim())}
            size={13}
          />
          <input
            aria-label="New account name"
            placeholder="name"
            value={accountName}
            onChange={(e) => setAccountName(e.target.value)}
            size={8}
          />
        </AddForm>
      </Section>

      <Section title="Principals" count={Object.keys(scenario.principals ?? {}).length} open>
        <ul className="lab-rows">
          {Object.entries(scenario.principals ?? {}).map(([arn, principal]) => {
            const isRole = arn.includes(':role/');
            return (
              <li key={arn}>
                <EditableName
                  label={shortArn(arn)}
                  value={arn}
                  display={
                    <>
                      <span className="lab-kind">
                        {isRole ? 'role' : arn.includes(':user/') ? 'user' : 'principal'}
                      </span>{' '}
                      {shortArn(arn)}
                    </>
                  }
                  onRename={(to) =>
                    update((s) => edit.renamePrincipal(s, arn, to), edit.renamePolicyId('principal', arn, to))
                  }
                  onRemove={() => update((s) => edit.removePrincipal(s, arn))}
                />
                <div className="lab-row-actions">
                  {(principal.policies ?? []).map((policy, index) => {
                    const id = policyId({ layer: 'identity', principalArn: arn, index });
                    const name =
                      'name' in policy && typeof policy.name === 'string'
                        ? policy.name
                        : `policy ${index + 1}`;
                    return (
                      <span key={id} className="lab-chip">
                        <OpenPolicyButton id={id} label={name} />
                        <button
                          type="button"
                          className="lab-small"
                          aria-label={`Remove identity policy ${name} of ${shortArn(arn)}`}
                          onClick={() =>
                            update(
                              (s) => edit.removeIdentityPolicy(s, arn, index),
                              edit.shiftIndexedPolicyIds('identity', arn, index),
                            )
                          }
                        >
                          ×
                        </button>
                      </span>
                    );
                  })}
                  <button
                    type="button"
                    className="lab-small"
                    onClick={() =>
                      update((s) =>
                        edit.addIdentityPolicy(
                          s,
                          arn,
                          edit.uniqueName(
                            'Policy',
                            (principal.policies ?? []).map((p) =>
                              'name' in p && typeof p.name === 'string' ? p.name : '',
                            ),
                          ),
                        ),
                      )
                    }
                  >
                    + policy
                  </button>
                  {principal.permissionsBoundary ? (
                    <span className="lab-chip">
                      <OpenPolicyButton
                        id={policyId({ layer: 'boundary', principalArn: arn })}
                        label="boundary"
                      />
                      <button
                        type="button"
                        className="lab-small"
                        aria-label={`Remove the boundary of ${shortArn(arn)}`}
                        onClick={() => update((s) => edit.setBoundary(s, arn, undefined))}
                      >
                        ×
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="lab-small"
                      onClick={() => update((s) => edit.setBoundary(s, arn, edit.allowAllPolicy(false)))}
                    >
                      + boundary
                    </button>
                  )}
                </div>
                {isRole && (
                  <div className="lab-row-actions">
                    {sessionsOf(arn).map((session) => (
                      <span key={session} className="lab-chip lab-session" title={session}>
                        session {session.split('/').pop()}
                      </span>
                    ))}
                    <button
                      type="button"
                      className="lab-small"
                      onClick={() => {
                        const existing = sessionsOf(arn).map((s) => s.split('/').pop() ?? '');
                        const session = edit.sessionArn(arn, edit.uniqueName('session', existing));
                        const key = selectedKeyArn
                          ? (scenario.keys?.[selectedKeyArn]?.aliases?.[0] ?? selectedKeyArn)
                          : undefined;
                        addRequest({
                          id: `${shortArn(arn).toLowerCase()}-session`,
                          principal: session,
                          action: 'kms:Decrypt',
                          ...(key ? { keyId: key } : {}),
                        });
                      }}
                    >
                      + session (new request)
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        <AddForm
          label="Add a principal"
          onSubmit={() => {
            const name = principalName.trim();
            if (!name) return;
            update((s) =>
              edit.addPrincipal(
                s,
                edit.principalArn(principalAccount || defaultAccount, principalKind, name),
              ),
            );
            setPrincipalName('');
          }}
        >
          <select
            aria-label="Kind of principal"
            value={principalKind}
            onChange={(e) => setPrincipalKind(e.target.value as edit.PrincipalKind)}
          >
            <option value="role">role</option>
            <option value="user">user</option>
          </select>
          <input
            aria-label="Name of the new principal"
            placeholder="Name"
            value={principalName}
            onChange={(e) => setPrincipalName(e.target.value)}
            size={10}
          />
          <AccountSelect
            ariaLabel="Account of the new principal"
            value={principalAccount || defaultAccount}
            choices={accountChoices}
            onChange={setPrincipalAccount}
          />
        </AddForm>
      </Section>

      <Section title="Keys" count={Object.keys(scenario.keys ?? {}).length} open>
        <ul className="lab-rows">
          {Object.entries(scenario.keys ?? {}).map(([arn, key]) => {
            const label = key.aliases?.[0] ?? shortArn(arn);
            return (
              <li key={arn} className={arn === selectedKeyArn ? 'lab-row-selected' : undefined}>
                <EditableName
                  label={`key ${label}`}
                  value={arn}
                  display={label}
                  onRename={(to) =>
                    update((s) => edit.renameKey(s, arn, to), edit.renamePolicyId('key', arn, to))
                  }
                  onRemove={() => update((s) => edit.removeKey(s, arn))}
                />
                <div className="lab-key-grid">
                  <ChoiceField
                    label="State"
                    value={key.state ?? 'Enabled'}
                    choices={KEY_STATES}
                    onChange={(state) => update((s) => edit.updateKey(s, arn, { state }))}
                  />
                  <ChoiceField
                    label="Manager"
                    value={key.manager ?? 'CUSTOMER'}
                    choices={KEY_MANAGERS}
                    onChange={(manager) => update((s) => edit.updateKey(s, arn, { manager }))}
                  />
                  <ChoiceField
                    label="Origin"
                    value={key.origin ?? 'AWS_KMS'}
                    choices={KEY_ORIGINS}
                    onChange={(origin) => update((s) => edit.updateKey(s, arn, { origin }))}
                  />
                  <label>
                    Aliases
                    <DraftInput
                      value={(key.aliases ?? []).join(', ')}
                      onChange={(text) =>
                        update((s) =>
                          edit.updateKey(s, arn, {
                            aliases: text
                              .split(',')
                              .map((a) => a.trim())
                              .filter(Boolean),
                          }),
                        )
                      }
                    />
                  </label>
                </div>
                <div className="lab-row-actions">
                  <OpenPolicyButton id={policyId({ layer: 'key', keyArn: arn })} label="key policy" />
                  {arn !== selectedKeyArn && (
                    <button type="button" className="lab-small" onClick={() => selectKey(arn)}>
                      Use in the matrix
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
        <button
          type="button"
          className="lab-small"
          onClick={() => update((s) => edit.addKey(s, edit.newKeyArn(s, defaultAccount)))}
        >
          + key (default key policy)
        </button>
      </Section>

      <Section title="Grants" count={scenario.grants?.length ?? 0}>
        <ul className="lab-rows">
          {(scenario.grants ?? []).map((grant) => (
            <li key={grant.grantId}>
              <EditableName
                label={`grant ${grant.grantId}`}
                value={grant.grantId}
                onRename={(to) => update((s) => edit.renameGrant(s, grant.grantId, to))}
                onRemove={() => update((s) => edit.removeGrant(s, grant.grantId))}
              />
              <div className="lab-key-grid">
                <label>
                  Grantee
                  <DraftInput
                    value={grant.granteePrincipal}
                    onChange={(granteePrincipal) =>
                      update((s) =>
                        edit.updateGrant(s, grant.grantId, { granteePrincipal: granteePrincipal.trim() }),
                      )
                    }
                  />
                </label>
                <label>
                  Operations
                  <DraftInput
                    value={grant.operations.join(', ')}
                    onChange={(text) =>
                      update((s) =>
                        edit.updateGrant(s, grant.grantId, {
                          operations: text
                            .split(',')
                            .map((o) => o.trim())
                            .filter(Boolean),
                        }),
                      )
                    }
                  />
                </label>
                <label>
                  Context subset (k=v, …)
                  <DraftInput
                    value={Object.entries(grant.constraints?.encryptionContextSubset ?? {})
                      .map(([k, v]) => `${k}=${v}`)
                      .join(', ')}
                    onChange={(text) => {
                      const pairs = text
                        .split(',')
                        .map((p) => p.split('='))
                        .filter(([k]) => k?.trim());
                      const subset = Object.fromEntries(
                        pairs.map(([k, ...v]) => [k.trim(), v.join('=').trim()]),
                      );
                      update((s) =>
                        edit.updateGrant(s, grant.grantId, {
                          constraints: Object.keys(subset).length
                            ? { ...grant.constraints, encryptionContextSubset: subset }
                            : undefined,
                        }),
                      );
                    }}
                  />
                </label>
              </div>
            </li>
          ))}
        </ul>
        {selectedKeyArn && (
          <button
            type="button"
            className="lab-small"
            onClick={() =>
              update((s) =>
                edit.addGrant(s, {
                  keyArn: selectedKeyArn,
                  granteePrincipal: Object.keys(s.principals ?? {})[0] ?? '',
                  operations: ['Decrypt'],
                }),
              )
            }
          >
            + grant on the selected key
          </button>
        )}
      </Section>

      <OrganizationSection />

      <Section title="VPC endpoints" count={Object.keys(scenario.vpcEndpoints ?? {}).length}>
        <ul className="lab-rows">
          {Object.keys(scenario.vpcEndpoints ?? {}).map((vpce) => (
            <li key={vpce}>
              <EditableName
                label={`endpoint ${vpce}`}
                value={vpce}
                onRename={(to) =>
                  update((s) => edit.renameEndpoint(s, vpce, to), edit.renamePolicyId('endpoint', vpce, to))
                }
                onRemove={() => update((s) => edit.removeEndpoint(s, vpce))}
              />
              {scenario.vpcEndpoints?.[vpce]?.policy && (
                <OpenPolicyButton
                  id={policyId({ layer: 'endpoint', vpceId: vpce })}
                  label="endpoint policy"
                />
              )}
            </li>
          ))}
        </ul>
        <AddForm
          label="Add a VPC endpoint"
          onSubmit={() => {
            const id = endpointId.trim();
            if (!id) return;
            update((s) => edit.addEndpoint(s, id));
            setEndpointId('');
          }}
        >
          <input
            aria-label="New VPC endpoint id"
            placeholder="vpce-0abc"
            value={endpointId}
            onChange={(e) => setEndpointId(e.target.value)}
            size={12}
          />
        </AddForm>
      </Section>
      <p className="lab-hint">
        The whole scenario is also editable as JSON:{' '}
        <OpenPolicyButton id={SCENARIO_EDITOR} label="Scenario JSON" />
      </p>
    </aside>
  );
}

/** A labelled drop-down over a fixed list of string values (key state, manager, origin). */
function ChoiceField<T extends string>(props: {
  label: string;
  value: T;
  choices: readonly T[];
  onChange(value: T): void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.choices.map((choice) => (
          <option key={choice}>{choice}</option>
        ))}
      </select>
    </label>
  );
}

/** The account a new principal or guardrail goes into, labelled with the account's name when it has one. */
function AccountSelect(props: {
  ariaLabel: string;
  value: string;
  choices: { id: string; label: string }[];
  onChange(account: string): void;
}) {
  return (
    <select aria-label={props.ariaLabel} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.choices.map((choice) => (
        <option key={choice.id} value={choice.id}>
          {choice.label}
        </option>
      ))}
    </select>
  );
}
