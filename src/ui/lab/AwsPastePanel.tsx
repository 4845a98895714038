/**
 * "Paste AWS JSON": the output of `aws kms get-key-policy`, an IAM policy document (or get-policy-version,
 * get-role-policy output), an Organizations SCP/RCP, or a CloudTrail event. The scenario module recognises
 * it (importAwsJson); this panel asks where it goes and puts it there: a key policy replaces the chosen key's
 * policy, an identity policy is added to the chosen principal, an SCP/RCP is attached to the chosen root, OU or
 * account of the organization. A CloudTrail
 * event builds a scenario of its own (its key, with a placeholder policy, its caller's role and the request), or
 * is added to the current scenario with what that lacks. Key and IAM policies pasted next go by default to the
 * selected request's key and its caller's role, so a real AccessDenied is explained in three pastes.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { policyId } from '../../engine/policy-ids';
import {
  importAwsJson,
  principalOfCaller,
  scenarioFromEvent,
  withEventWorld,
} from '../../scenario/import-aws';
import { shortArn } from '../../state/lab-policies';
import * as edit from '../../state/lab-scenario-edit';
import { labStore, useLabStore } from '../../state/lab-store';
import { guardrailTargets } from '../../state/lab-organization';
import { openScenario } from './scenario-files';

export function AwsPastePanel({ onClose }: { onClose(): void }) {
  const scenario = useLabStore((s) => s.scenario);
  const selectedKeyArn = useLabStore((s) => s.selectedKeyArn);
  const selectedCaller = useLabStore(
    (s) => s.scenario.requests?.find((r) => r.id === s.selectedRequestId)?.principal,
  );
  const [text, setText] = useState('');
  const textArea = useRef<HTMLTextAreaElement>(null);
  // Opening the panel is asking to paste: the box takes the focus, so Ctrl+V works straight away.
  useEffect(() => textArea.current?.focus(), []);
  const [target, setTarget] = useState('');
  const ids = useId();
  const recognised = useMemo(() => (text.trim() ? importAwsJson(text) : null), [text]);

  const keys = Object.keys(scenario.keys ?? {});
  const principals = Object.keys(scenario.principals ?? {});
  let targets: { value: string; label: string }[] = [];
  if (recognised?.ok && recognised.kind === 'key-policy') {
    // Alias and ARN: several keys may share a short id, and the ARN is what get-key-policy was asked about.
    targets = keys.map((k) => {
      const alias = scenario.keys?.[k]?.aliases?.[0];
      return { value: k, label: alias ? `Key ${alias} (${k})` : `Key ${k}` };
    });
  } else if (recognised?.ok && recognised.kind === 'identity-policy') {
    targets = principals.map((p) => ({ value: p, label: shortArn(p) }));
  } else if (recognised?.ok && (recognised.kind === 'scp' || recognised.kind === 'rcp')) {
    targets = guardrailTargets(scenario);
  }
  const attachedName =
    recognised?.ok && recognised.kind === 'identity-policy' ? recognised.attachedTo?.name : undefined;
  const defaultTarget =
    (recognised?.ok && recognised.kind === 'key-policy' && selectedKeyArn) ||
    (attachedName && principals.find((p) => p.endsWith(`/${attachedName}`))) ||
    (recognised?.ok &&
      recognised.kind === 'identity-policy' &&
      selectedCaller &&
      principalOfCaller(scenario, selectedCaller)) ||
    targets[0]?.value ||
    '';
  const chosen = targets.some((t) => t.value === target) ? target : defaultTarget;

  const buildScenario = () => {
    if (!recognised?.ok || recognised.kind !== 'request') return;
    const built = scenarioFromEvent(recognised);
    openScenario(
      built,
      `Built “${built.title}” from the event. Next: paste the key policy (aws kms get-key-policy), then the role's IAM policies.`,
    );
    labStore().getState().setView('evaluate');
    onClose();
  };

  const apply = () => {
    if (!recognised?.ok) return;
    const store = labStore();
    const state = store.getState();
    if (recognised.kind === 'request') {
      const { scenario: withWorld, added } = withEventWorld(state.scenario, recognised.world);
      state.updateScenario(() => withWorld);
      store.getState().addRequest({ ...recognised.request, id: recognised.request.id || 'cloudtrail' });
      store.getState().setNotice({
        tone: 'info',
        message: `${recognised.message}${added.length ? ` Added ${added.join(', ')}.` : ''}`,
      });
    } else if (recognised.kind === 'key-policy') {
      if (!chosen) return;
      state.setPolicyText(policyId({ layer: 'key', keyArn: chosen }), recognised.text);
      state.setActiveEditor(policyId({ layer: 'key', keyArn: chosen }));
      state.setNotice({ tone: 'info', message: recognised.message });
    } else if (recognised.kind === 'identity-policy') {
      if (!chosen) return;
      const index = state.scenario.principals?.[chosen]?.policies?.length ?? 0;
      state.updateScenario((s) =>
        edit.addIdentityPolicy(s, chosen, recognised.name ?? `Imported-${index + 1}`, recognised.policy),
      );
      const id = policyId({ layer: 'identity', principalArn: chosen, index });
      store.getState().setPolicyText(id, recognised.text);
      store.getState().setActiveEditor(id);
      store.getState().setNotice({ tone: 'info', message: recognised.message });
    } else {
      const target = chosen || 'root';
      const layer = recognised.kind;
      const policy = recognised.name
        ? { name: recognised.name, document: recognised.policy }
        : recognised.policy;
      state.updateScenario((s) => edit.addGuardrail(s, layer, target, policy));
      const id = edit.lastGuardrailId(store.getState().scenario, layer, target);
      if (id) {
        store.getState().setPolicyText(id, recognised.text);
        store.getState().setActiveEditor(id);
      }
      const where = targets.find((t) => t.value === target)?.label ?? target;
      store.getState().setNotice({
        tone: 'info',
        message: `Attached the ${layer.toUpperCase()}${recognised.name ? ` "${recognised.name}"` : ''} to ${where}.`,
      });
    }
    store.getState().setView('evaluate');
    onClose();
  };

  return (
    <section className="lab-card lab-paste" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Paste JSON from AWS</h3>
      <p className="lab-hint">
        The output of <code>aws kms get-key-policy</code>, an IAM policy (or <code>get-policy-version</code>,{' '}
        <code>get-role-policy</code> output), an SCP or RCP from <code>describe-policy</code>, or a CloudTrail
        event (for example an AccessDenied one).
      </p>
      <p className="lab-hint">
        <strong>Explaining a real AccessDenied:</strong> paste the CloudTrail event (or{' '}
        <code>aws cloudtrail lookup-events</code> output) and build a scenario from it; then paste{' '}
        <code>aws kms get-key-policy</code> output (it goes to the event's key) and the caller's IAM policies
        (they go to its role).
      </p>
      <label htmlFor={`${ids}-text`} className="visually-hidden">
        JSON copied from AWS
      </label>
      <textarea
        ref={textArea}
        id={`${ids}-text`}
        className="lab-textarea"
        rows={8}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
      />
      {recognised && (
        <p className={recognised.ok ? 'lab-ok' : 'lab-error'} role="status">
          {recognised.message}
        </p>
      )}
      <div className="lab-row-actions">
        {recognised?.ok && recognised.kind === 'request' && (
          <button type="button" onClick={buildScenario}>
            Build a scenario from this event
          </button>
        )}
        {targets.length > 0 && (
          <>
            <label htmlFor={`${ids}-target`}>Put it into</label>
            <select id={`${ids}-target`} value={chosen} onChange={(e) => setTarget(e.target.value)}>
              {targets.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </>
        )}
        <button
          type="button"
          onClick={apply}
          disabled={
            !recognised?.ok ||
            (recognised.kind !== 'request' &&
              targets.length === 0 &&
              recognised.kind !== 'scp' &&
              recognised.kind !== 'rcp')
          }
        >
          {recognised?.ok && recognised.kind === 'request' ? 'Add to this scenario' : 'Apply'}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </section>
  );
}
