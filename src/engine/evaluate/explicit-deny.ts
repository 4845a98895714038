/** The `explicit-deny` node (§1.2 step 2): a Deny that applies in any layer decides at once (IAM-EVAL). */
import type { StatementEvaluation } from '../compile';
import { LAYER_WORDS_WITH_ARTICLE } from './explanation';
import { append, markRole, NO_EVALUATIONS, refs, type LayerResult, type Layers } from './layers';
import { step, type PartBase, type PartOutcome, type Run, type StepTable } from './run';

/** §1.2 step 2: the first Deny that applies in any layer (layer order: key, identity, boundary, session, SCP, RCP, endpoint). */
export function explicitDeny(
  steps: StepTable,
  keyLayer: LayerResult[],
  layers: Layers,
): StatementEvaluation[] {
  let denies = NO_EVALUATIONS;
  for (const layer of [
    keyLayer,
    layers.identity,
    layers.boundary,
    layers.session,
    layers.scp,
    layers.rcp,
    layers.endpoint,
  ]) {
    for (const result of layer)
      for (const e of result.evaluations)
        if (e.applies && e.ref.effect === 'Deny') denies = append(denies, e, NO_EVALUATIONS);
  }
  if (!steps.recording) return denies;
  if (denies.length > 0) {
    markRole(denies, 'explicit-deny');
    step(steps, 'explicit-deny', 'deny', `${denies[0].ref.label} denies the request`, refs(denies));
  } else {
    step(steps, 'explicit-deny', 'pass', 'No Deny statement applies');
  }
  return denies;
}

/** The part's outcome when a Deny applied: the first Deny is the one that decided (IAM-EVAL). */
export function denyOutcome(run: Run, part: PartBase, denies: StatementEvaluation[]): PartOutcome {
  const first = denies[0].ref;
  return {
    steps: part.steps,
    resource: part.resource,
    action: part.action,
    decision: 'ExplicitDeny',
    allowedBy: null,
    deniedBy: { layer: first.layer, statement: first },
    deciding: refs(denies),
    decisiveStep: 'explicit-deny',
    explanation: run.trace
      ? `${run.name} is denied explicitly by ${first.label}. An explicit Deny in any policy overrides every Allow (IAM-EVAL).`
      : '',
    denyReason: run.trace ? `with an explicit deny in ${LAYER_WORDS_WITH_ARTICLE[first.layer]}` : undefined,
  };
}
