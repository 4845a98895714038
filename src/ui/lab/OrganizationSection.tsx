/**
 * The organization in the scenario panel, drawn as a learner thinks of it: the root, the OUs nested, the
 * accounts in them (the management account marked), and under each the SCPs and RCPs attached to it by name.
 * A written policy opens its editor; an AWS managed one (FullAWSAccess, RCPFullAWSAccess) shows its document
 * read-only, since nobody can edit it. Attach, detach, add and remove OUs, place accounts, mark the management
 * account: every change goes through the pure edits of lab-scenario-edit.ts. A nested list of labelled
 * controls, so Tab reaches everything in reading order.
 */
import { useId, useMemo, useState } from 'react';
import type { OrgPolicyKind } from '../../scenario/organization';
import {
  flattenOrganization,
  organizationView,
  orgNodeLabel,
  type OrgAttachmentView,
  type OrgNodeView,
} from '../../state/lab-organization';
import * as edit from '../../state/lab-scenario-edit';
import { labStore, useLabStore } from '../../state/lab-store';
import type { Organization, Scenario } from '../../scenario/types';
import { AddForm, OpenPolicyButton, Section } from './scenario-parts';
import { useScenarioStructure } from './scenario-structure';
import './organization.css';

const LAYER_WORDS: Record<OrgPolicyKind, string> = { scp: 'SCPs', rcp: 'RCPs' };

export function OrganizationSection() {
  const scenario = useScenarioStructure();
  const update = useLabStore((s) => s.updateScenario);
  const view = useMemo(() => organizationView(scenario), [scenario]);
  const ids = useId();
  const [unitName, setUnitName] = useState('');
  const [unitParent, setUnitParent] = useState('root');

  const written = view
    ? flattenOrganization(view.root).reduce(
        (n, node) => n + [...node.scps, ...node.rcps].filter((policy) => !policy.implied).length,
        0,
      )
    : 0;

  if (!view) {
    return (
      <Section title="Organization (SCPs, RCPs)" count={0}>
        <p className="lab-hint">
          No AWS Organization: no SCP or RCP applies to any account of this scenario.
        </p>
        <button type="button" className="lab-small" onClick={() => update((s) => edit.withOrganization(s))}>
          + organization
        </button>
      </Section>
    );
  }

  const org = scenario.organization as Organization;
  const units = flattenOrganization(view.root).filter((node) => node.kind === 'unit');
  const members = flattenOrganization(view.root).filter((node) => node.kind === 'account');
  const parent = unitParent === 'root' || org.units?.[unitParent] ? unitParent : 'root';

  return (
    <Section title="Organization (SCPs, RCPs)" count={written} open>
      <p className="lab-hint">
        Organization <code>{view.id ?? '(no id)'}</code>. SCPs limit the <strong>caller’s</strong> account,
        RCPs the <strong>key’s</strong> account: every level from the root down to the account must allow, and
        any Deny denies. AWS attaches FullAWSAccess where no other SCP is attached (detaching the last SCP
        brings it back) and RCPFullAWSAccess everywhere.
      </p>
      <ul className="lab-org-tree" aria-label="Organization tree">
        <OrgNode node={view.root} scenario={scenario} />
      </ul>

      {view.outside.length > 0 && (
        <div className="lab-org-outside">
          <p className="lab-hint">Outside the organization (no SCP or RCP applies):</p>
          <ul className="lab-rows">
            {view.outside.map((account) => (
              <li key={account} className="lab-row-actions">
                <code>{account}</code>
                {scenario.accounts?.[account]?.name && <span>{scenario.accounts[account].name}</span>}
                <AccountPlaceSelect account={account} scenario={scenario} label={`account ${account}`} />
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="lab-row-actions">
        <label htmlFor={`${ids}-management`}>Management account</label>
        <select
          id={`${ids}-management`}
          value={org.managementAccount ?? ''}
          onChange={(e) => update((s) => edit.setManagementAccount(s, e.target.value || undefined))}
        >
          <option value="">none in this scenario</option>
          {[...members.map((node) => node.id), ...view.outside].map((account) => (
            <option key={account} value={account}>
              {account}
              {scenario.accounts?.[account]?.name ? ` (${scenario.accounts[account].name})` : ''}
            </option>
          ))}
        </select>
      </div>

      <AddForm
        label="Add an OU"
        submitLabel="Add OU"
        onSubmit={() => {
          const name = unitName.trim();
          if (!name) return;
          update((s) => edit.addOrgUnit(s, name, parent === 'root' ? undefined : parent).scenario);
          setUnitName('');
        }}
      >
        <input
          aria-label="Name of the new OU"
          placeholder="OU name"
          value={unitName}
          onChange={(e) => setUnitName(e.target.value)}
          size={10}
        />
        <select
          aria-label="Parent of the new OU"
          value={parent}
          onChange={(e) => setUnitParent(e.target.value)}
        >
          <option value="root">under the root</option>
          {units.map((unit) => (
            <option key={unit.id} value={unit.id}>
              under OU {unit.name}
            </option>
          ))}
        </select>
      </AddForm>
    </Section>
  );
}

/** One root, OU or account: its name, what is attached to it, its controls, and what it holds. */
function OrgNode({ node, scenario }: { node: OrgNodeView; scenario: Scenario }) {
  const update = useLabStore((s) => s.updateScenario);
  const [shown, setShown] = useState<OrgAttachmentView | null>(null);
  const label = orgNodeLabel(node);
  const org = scenario.organization as Organization;
  const detailsId = useId();

  return (
    <li className={`lab-org-node lab-org-${node.kind}`}>
      <div className="lab-row-head">
        {node.kind !== 'root' && <span className="lab-kind">{node.kind === 'unit' ? 'OU' : 'account'}</span>}
        <span className="lab-row-name lab-org-node-name" title={node.id}>
          {node.name}
        </span>
        {node.name !== node.id && <code className="lab-org-id">{node.id}</code>}
        {node.management && <span className="lab-badge lab-org-management">management account</span>}
        {node.kind === 'unit' && edit.isEmptyOrgUnit(org, node.id) && (
          <button
            type="button"
            className="lab-small lab-danger"
            aria-label={`Remove ${label}`}
            onClick={() => update((s) => edit.removeOrgUnit(s, node.id))}
          >
            Remove
          </button>
        )}
      </div>
      {node.management && (
        <p className="lab-hint">SCPs do not apply to its principals, nor RCPs to its resources.</p>
      )}
      {(['scp', 'rcp'] as const).map((layer) => (
        <Attachments
          key={layer}
          layer={layer}
          node={node}
          label={label}
          shown={shown}
          detailsId={detailsId}
          onShow={(policy) => setShown(shown && sameAttachment(shown, policy) ? null : policy)}
        />
      ))}
      {shown && (
        <div id={detailsId} className="lab-org-managed">
          <p className="lab-hint">
            {shown.name}: an AWS managed policy. It cannot be edited.{' '}
            {shown.layer === 'scp'
              ? 'AWS attaches it to every new root, OU and account; it stays until another SCP is attached and it is detached.'
              : 'AWS attaches it to every root, OU and account, and it cannot be detached: an RCP can only take access away.'}
          </p>
          <pre aria-label={`${shown.name} (read-only)`} tabIndex={0}>
            {JSON.stringify(shown.document, null, 2)}
          </pre>
        </div>
      )}
      {node.kind === 'unit' && <UnitControls node={node} org={org} label={label} />}
      {node.kind === 'account' && (
        <div className="lab-row-actions">
          <AccountPlaceSelect account={node.id} scenario={scenario} label={label} />
        </div>
      )}
      {node.children.length > 0 && (
        <ul aria-label={`In ${label}`}>
          {node.children.map((child) => (
            <OrgNode key={child.target} node={child} scenario={scenario} />
          ))}
        </ul>
      )}
    </li>
  );
}

function sameAttachment(a: OrgAttachmentView, b: OrgAttachmentView): boolean {
  return a.layer === b.layer && a.index === b.index && a.name === b.name;
}

/** The SCPs or RCPs of one node as chips: open (or show) each, detach each, attach a new one. */
function Attachments(props: {
  layer: OrgPolicyKind;
  node: OrgNodeView;
  label: string;
  shown: OrgAttachmentView | null;
  detailsId: string;
  onShow(policy: OrgAttachmentView): void;
}) {
  const { layer, node, label } = props;
  const update = useLabStore((s) => s.updateScenario);
  const kind = layer.toUpperCase();
  const policies = layer === 'scp' ? node.scps : node.rcps;
  return (
    <div
      className="lab-row-actions lab-org-attached"
      role="group"
      aria-label={`${LAYER_WORDS[layer]} attached to ${label}`}
    >
      <span className="lab-kind lab-org-layer" aria-hidden="true">
        {LAYER_WORDS[layer]}
      </span>
      {policies.map((policy) => (
        <span
          key={`${policy.index ?? 'implied'}-${policy.name}`}
          className={`lab-chip${policy.awsManaged ? ' lab-org-aws' : ''}${policy.implied ? ' lab-org-implied' : ''}`}
        >
          {policy.editorId ? (
            <OpenPolicyButton
              id={policy.editorId}
              label={policy.name}
              ariaLabel={`${policy.name}, ${kind} attached to ${label}: open in the editor`}
            />
          ) : (
            <button
              type="button"
              className="lab-small lab-link"
              aria-expanded={!!props.shown && sameAttachment(props.shown, policy)}
              aria-controls={props.shown && sameAttachment(props.shown, policy) ? props.detailsId : undefined}
              aria-label={`${policy.name}, AWS managed ${kind} ${policy.implied ? 'that AWS attaches' : 'attached'} to ${label}: show its document`}
              onClick={() => props.onShow(policy)}
            >
              {policy.name}
            </button>
          )}
          {policy.awsManaged && (
            <span className="lab-org-tag" aria-hidden="true">
              {policy.implied ? (layer === 'scp' ? 'AWS default' : 'always attached') : 'AWS managed'}
            </span>
          )}
          {policy.index !== undefined && (
            <button
              type="button"
              className="lab-small"
              aria-label={`Detach ${kind} ${policy.name} from ${label}`}
              title="Detach"
              onClick={() =>
                update(
                  (s) => edit.removeGuardrail(s, layer, node.target, policy.index!),
                  edit.shiftIndexedPolicyIds(layer, node.target, policy.index!),
                )
              }
            >
              ×
            </button>
          )}
        </span>
      ))}
      <button
        type="button"
        className="lab-small"
        aria-label={`Attach a new ${kind} to ${label}`}
        onClick={() => {
          const store = labStore();
          store.getState().updateScenario((s) => edit.addGuardrail(s, layer, node.target));
          const id = edit.lastGuardrailId(store.getState().scenario, layer, node.target);
          if (id) store.getState().setActiveEditor(id);
        }}
      >
        + {kind}
      </button>
    </div>
  );
}

/** An OU's parent (moving it), and a Rename button that opens a small form. */
function UnitControls({ node, org, label }: { node: OrgNodeView; org: Organization; label: string }) {
  const update = useLabStore((s) => s.updateScenario);
  const [draft, setDraft] = useState<string | null>(null);
  const ids = useId();
  const parents = edit.possibleParents(org, node.id);
  const current = org.units?.[node.id]?.parent ?? 'root';
  if (draft !== null) {
    return (
      <form
        className="lab-rename"
        onSubmit={(event) => {
          event.preventDefault();
          update((s) => edit.renameOrgUnit(s, node.id, draft.trim()));
          setDraft(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setDraft(null);
        }}
      >
        <label htmlFor={`${ids}-name`} className="visually-hidden">
          New name for {label}
        </label>
        <input
          id={`${ids}-name`}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          spellCheck={false}
          autoFocus
        />
        <button type="submit">OK</button>
        <button type="button" onClick={() => setDraft(null)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <div className="lab-row-actions">
      <select
        aria-label={`Parent of ${label}`}
        value={parents.includes(current) ? current : 'root'}
        onChange={(e) =>
          update((s) => edit.moveOrgUnit(s, node.id, e.target.value === 'root' ? undefined : e.target.value))
        }
      >
        <option value="root">under the root</option>
        {parents.map((unit) => (
          <option key={unit} value={unit}>
            under OU {org.units?.[unit]?.name || unit}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="lab-small"
        aria-label={`Rename ${label}`}
        onClick={() => setDraft(org.units?.[node.id]?.name ?? '')}
      >
        Rename
      </button>
    </div>
  );
}

/** Where an account is: under the root, in an OU, or outside the organization (not for the management account). */
function AccountPlaceSelect({
  account,
  scenario,
  label,
}: {
  account: string;
  scenario: Scenario;
  label: string;
}) {
  const update = useLabStore((s) => s.updateScenario);
  const org = scenario.organization;
  const place = edit.accountPlace(org, account);
  return (
    <select
      aria-label={`Place of ${label}`}
      value={place ?? ''}
      onChange={(e) => update((s) => edit.placeAccount(s, account, e.target.value || null))}
    >
      {org?.managementAccount !== account && <option value="">outside the organization</option>}
      <option value="root">under the root</option>
      {Object.entries(org?.units ?? {}).map(([unit, spec]) => (
        <option key={unit} value={unit}>
          in OU {spec.name || unit}
        </option>
      ))}
    </select>
  );
}
