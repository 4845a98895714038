import { auditLinkForKey } from '../../state/audit-filter';
import type { KmsSession } from '../../state/kms-session';
import { AliasesTagsSection } from './AliasesTagsSection';
import { GrantsSection } from './GrantsSection';
import { ImportSection } from './ImportSection';
import { aliasesOf, day, findKey } from './key-view';
import { LifecycleSection } from './LifecycleSection';
import { PolicySection } from './PolicySection';
import { RotationSection } from './RotationSection';
import { TryIt } from './TryIt';

/** One key: its metadata, and a section per thing the API does with it; AWS managed keys are read-only. */
export function KeyPage({ session, keyId }: { session: KmsSession; keyId: string }) {
  const state = session.kms.view();
  const key = findKey(state, keyId);
  if (!key)
    return (
      <section className="keys-section">
        <p role="alert">
          There is no key <code>{keyId}</code> in the simulated KMS (it may have been deleted).
        </p>
        <a href="#/keys">Back to the keys</a>
      </section>
    );
  const aliases = aliasesOf(state, key.arn);
  const customer = key.manager === 'CUSTOMER';
  const facts: [string, string][] = [
    ['ARN', key.arn],
    ['Description', key.description || '—'],
    ['Created', `${day(key.creationDate)} UTC`],
    ['Manager', customer ? 'Customer managed' : 'AWS managed (read-only)'],
    ['Key spec', key.keySpec],
    ['Key usage', key.keyUsage],
    ['Origin', key.origin],
    ['Current key material', key.currentMaterialId ?? '—'],
  ];
  // An AWS managed key has no state or rotation sections (the learner cannot change them), so its page says
  // both here: AWS rotates it every year and it cannot be turned off (developer guide "AWS managed keys").
  if (!customer)
    facts.push(
      ['Key state', key.state],
      [
        'Automatic rotation',
        key.rotation.enabled
          ? `every ${key.rotation.periodInDays} days, by AWS; next on ${day(key.rotation.nextRotation)} UTC`
          : 'off',
      ],
    );
  return (
    <div className="key-page" data-testid="key-page" data-key-id={key.keyId}>
      <p className="key-page__links">
        <a href="#/keys">← All keys</a>
        <a href={auditLinkForKey(key.keyId)}>Who used this key (Audit)</a>
      </p>
      <h2>
        {aliases[0] ?? 'Key'} <code className="key-page__id">{key.keyId}</code>
      </h2>
      <dl className="keys-facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{term === 'ARN' || term === 'Current key material' ? <code>{value}</code> : value}</dd>
          </div>
        ))}
      </dl>
      <TryIt keyRecord={key} session={session} />
      {customer && <LifecycleSection keyRecord={key} now={state.now} />}
      {customer && key.keySpec === 'SYMMETRIC_DEFAULT' && <RotationSection keyRecord={key} />}
      {customer && key.origin === 'EXTERNAL' && <ImportSection keyRecord={key} />}
      <PolicySection keyRecord={key} />
      {customer && <GrantsSection keyRecord={key} state={state} principals={session.kms.principals()} />}
      {customer && <AliasesTagsSection keyRecord={key} aliases={aliases} />}
    </div>
  );
}
