/**
 * The two question types that run on the engine: "predict the decision" (the learner's prediction against the
 * real evaluation, whose trace and flowchart the feedback shows) and "fix the policy" (the learner's policy in
 * the lab's editor, graded case by case; a failing case shows its trace).
 */
import { Suspense, lazy, useEffect, useId, useMemo, useState } from 'react';
import type { Decision, EvaluationResult } from '../../engine/types';
import { parsePolicyId } from '../../engine/policy-ids';
import {
  DECISIONS,
  gradeFix,
  gradePredict,
  runPredict,
  starterText,
  statementName,
  type FixGrade,
  type FixQuestion,
  type PredictQuestion,
  type PredictRun,
} from '../../lessons/index';
import { encodeShareLink } from '../../scenario/share-link';
import type { Scenario } from '../../scenario/types';
import { LazyPolicyEditor } from '../editor/LazyPolicyEditor';
import type { EditorKind } from '../editor/types';
import { useLessonsStore } from '../../state/lessons-store';
import { Html } from '../markdown/Html';
import { Verdict, type AnswerProps } from './answers';
import { loadLessonScenario } from './lesson-content';

const Flowchart = lazy(() => import('../flow/Flowchart'));
const DecisionPanel = lazy(() => import('../decision/DecisionPanel'));

function useScenario(name: string): { scenario?: Scenario; error?: string } {
  const [state, setState] = useState<{ scenario?: Scenario; error?: string }>({});
  useEffect(() => {
    let live = true;
    loadLessonScenario(name).then(
      (scenario) => live && setState({ scenario }),
      (error: Error) => live && setState({ error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [name]);
  return state;
}

/** Opens the scenario in the Lab through its share link (the Lab keeps the learner's current work saved). */
export function OpenInLab({
  scenario,
  requestId,
  label = 'Open in the Lab',
}: {
  scenario?: Scenario;
  requestId?: string;
  label?: string;
}) {
  return (
    <button
      type="button"
      disabled={!scenario}
      onClick={() => scenario && (window.location.hash = encodeShareLink(scenario, requestId))}
    >
      {label}
    </button>
  );
}

export function ScenarioCard({ name, label }: { name: string; label: string }) {
  const { scenario, error } = useScenario(name);
  return (
    <aside className="scenario-card" aria-label={`Scenario: ${scenario?.title ?? name}`}>
      <p className="scenario-card__title">
        {scenario?.title ?? (error ? 'Scenario unavailable' : 'Loading the scenario…')}
      </p>
      {error && <p role="alert">{error}</p>}
      <OpenInLab scenario={scenario} label={label} />
    </aside>
  );
}

/** The decision panel and the flowchart of one evaluation. */
export function Trace({ result }: { result: EvaluationResult }) {
  return (
    <div className="learn-trace">
      <Suspense fallback={<p role="status">Loading the trace…</p>}>
        <DecisionPanel result={result} />
        <div className="learn-trace__flow">
          <Flowchart result={result} />
        </div>
      </Suspense>
    </div>
  );
}

function RequestSummary({ scenario, requestId }: { scenario: Scenario; requestId: string }) {
  const request = scenario.requests?.find((candidate) => candidate.id === requestId);
  if (!request) return null;
  const extras = [
    request.viaService && `through ${request.viaService}`,
    request.vpcEndpoint && `through VPC endpoint ${request.vpcEndpoint}`,
    request.sourceIp && `from ${request.sourceIp}`,
    request.encryptionContext && `encryption context ${JSON.stringify(request.encryptionContext)}`,
    request.grantTokens?.length && 'with a grant token',
  ].filter(Boolean);
  return (
    <dl className="request-summary">
      <dt>Caller</dt>
      <dd>
        <code>{request.principal}</code>
      </dd>
      <dt>Action</dt>
      <dd>
        <code>{request.action}</code>
      </dd>
      {request.keyId && (
        <>
          <dt>Key</dt>
          <dd>
            <code>{request.keyId}</code>
          </dd>
        </>
      )}
      {extras.length > 0 && (
        <>
          <dt>Also</dt>
          <dd>{extras.join('; ')}</dd>
        </>
      )}
    </dl>
  );
}

const NO_STATEMENT = '';

export function PredictAnswer({ question, glossary, initial, onChecked }: AnswerProps<PredictQuestion>) {
  const { scenario, error } = useScenario(question.scenario);
  const run: PredictRun | undefined = useMemo(
    () => scenario && runPredict(scenario, question),
    [scenario, question],
  );
  const name = useId();
  const statementId = useId();
  const [decision, setDecision] = useState<Decision | null>(
    initial?.kind === 'predict' ? initial.decision : null,
  );
  const [statement, setStatement] = useState<string>(
    initial?.kind === 'predict' ? (initial.statement ?? NO_STATEMENT) : NO_STATEMENT,
  );
  const [checked, setChecked] = useState(initial?.kind === 'predict');
  if (error) return <p role="alert">{error}</p>;
  if (!scenario || !run) return <p role="status">Loading the scenario…</p>;
  if (!run.ok) return <p role="alert">{run.message}</p>;
  const statements = [...new Set(run.result.statements.map((match) => statementName(match.ref)))];
  const answer = { decision: decision ?? 'Allow', statement: statement === NO_STATEMENT ? null : statement };
  const grade =
    checked && decision ? gradePredict(question, answer, run.decidedBy, run.result.decision) : null;
  const check = () => {
    if (!decision) return;
    setChecked(true);
    onChecked(
      { kind: 'predict', ...answer },
      gradePredict(question, answer, run.decidedBy, run.result.decision).correct,
    );
  };
  return (
    <div className="question__answer">
      <RequestSummary scenario={scenario} requestId={question.requestId} />
      <OpenInLab scenario={scenario} requestId={question.requestId} label="Open this request in the Lab" />
      <fieldset>
        <legend>The decision</legend>
        {DECISIONS.map((option) => (
          <label key={option} className="option">
            <input
              type="radio"
              name={name}
              checked={decision === option}
              onChange={() => {
                setDecision(option);
                setChecked(false);
              }}
            />
            {option}
          </label>
        ))}
      </fieldset>
      <label htmlFor={statementId}>The statement that decided</label>
      <select
        id={statementId}
        value={statement}
        onChange={(event) => {
          setStatement(event.target.value);
          setChecked(false);
        }}
      >
        <option value={NO_STATEMENT}>No statement (nothing allowed it, or a grant did)</option>
        {statements.map((candidate) => (
          <option key={candidate} value={candidate}>
            {candidate}
          </option>
        ))}
      </select>
      <button type="button" className="learn-primary" onClick={check} disabled={!decision}>
        Check
      </button>
      <Verdict correct={grade ? grade.correct : null}>
        {grade &&
          `The engine decides ${run.result.decision}${run.result.outcome === 'Success' ? '' : ` (the call fails with ${run.result.outcome})`}, decided by ${run.decidedBy.join(' and ') || 'no statement'}.${grade.decisionCorrect && !grade.statementCorrect ? ' The decision is right; the statement is not.' : ''}`}
      </Verdict>
      {grade?.feedbackHtml && !grade.decisionCorrect && (
        <Html className="option__feedback" html={grade.feedbackHtml} glossary={glossary} />
      )}
      {grade && <Trace result={run.result} />}
    </div>
  );
}

export function FixAnswer({
  question,
  lessonId,
  onChecked,
}: AnswerProps<FixQuestion> & { lessonId: string }) {
  const { scenario, error } = useScenario(question.scenario);
  const draft = useLessonsStore((state) => state.progress.lessons[lessonId]?.drafts[question.id]);
  const saveDraft = useLessonsStore((state) => state.saveDraft);
  const [grade, setGrade] = useState<FixGrade | null>(null);
  const [shownCase, setShownCase] = useState<string | null>(null);
  if (error) return <p role="alert">{error}</p>;
  if (!scenario) return <p role="status">Loading the exercise…</p>;
  const text = draft ?? starterText(scenario, question);
  const kind = (
    question.policyId === 'key' ? 'key' : (parsePolicyId(question.policyId)?.layer ?? 'key')
  ) as EditorKind;
  const check = () => {
    const result = gradeFix(scenario, question, text);
    setGrade(result);
    if (result.ok) {
      const failing = result.cases.find((c) => !c.pass && !c.hidden);
      setShownCase(failing?.requestId ?? null);
      onChecked({ kind: 'fix', text }, result.passed);
    }
  };
  const visible = grade?.ok ? grade.cases.filter((c) => !c.hidden || grade.passed) : [];
  const hidden = grade?.ok && !grade.passed ? grade.cases.filter((c) => c.hidden) : [];
  const shown = grade?.ok ? grade.cases.find((c) => c.requestId === shownCase) : undefined;
  const description = (id: string) => scenario.requests?.find((r) => r.id === id)?.description ?? '';
  return (
    <div className="question__answer">
      <LazyPolicyEditor
        uri={`inmemory://lesson/${question.id}.json`}
        kind={kind}
        value={text}
        onChange={(next) => {
          saveDraft(lessonId, question.id, next);
          setGrade(null);
        }}
        ariaLabel={`Policy for "${question.title}"`}
        height={320}
      />
      <p className="learn-row">
        <button type="button" className="learn-primary" onClick={check}>
          Run the checks
        </button>
        <button
          type="button"
          onClick={() => saveDraft(lessonId, question.id, starterText(scenario, question))}
        >
          Start over
        </button>
        <OpenInLab scenario={scenario} label="Open the scenario in the Lab" />
      </p>
      {grade && !grade.ok && (
        <p role="alert" className="verdict verdict--wrong">
          {grade.message}
        </p>
      )}
      <Verdict correct={grade?.ok ? grade.passed : null}>
        {grade?.ok &&
          `${grade.cases.filter((c) => c.pass).length} of ${grade.cases.length} checks pass${hidden.length > 0 ? ` (${hidden.filter((c) => c.pass).length} of ${hidden.length} hidden checks)` : ''}.`}
      </Verdict>
      {visible.length > 0 && (
        <table className="fix-cases">
          <caption className="visually-hidden">Checks of your policy</caption>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Expected</th>
              <th scope="col">Your policy</th>
              <th scope="col">Trace</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((c) => (
              <tr
                key={c.requestId}
                className={c.pass ? 'option--right' : 'option--wrong'}
                data-testid={`fix-case-${c.requestId}`}
              >
                <td>
                  <code>{c.requestId}</code> <span className="muted">{description(c.requestId)}</span>
                </td>
                <td>{c.expected}</td>
                <td>
                  {c.pass ? '✓' : '✕'} {c.actual}
                </td>
                <td>
                  <button
                    type="button"
                    aria-pressed={shownCase === c.requestId}
                    onClick={() => setShownCase(shownCase === c.requestId ? null : c.requestId)}
                  >
                    {shownCase === c.requestId ? 'Hide trace' : 'Show trace'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown && (
        <section aria-label={`Trace of ${shown.requestId}`}>
          <h4>
            Why <code>{shown.requestId}</code> gets {shown.actual}
          </h4>
          <Trace result={shown.result} />
        </section>
      )}
    </div>
  );
}
