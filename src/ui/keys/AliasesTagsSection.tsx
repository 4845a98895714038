import { useState } from 'react';
import type { KeyRecord } from '../../kms/kms-state';
import { useKmsAction } from './use-action';

/** CreateAlias, UpdateAlias (point an alias at this key), DeleteAlias; TagResource, UntagResource. */
export function AliasesTagsSection({ keyRecord: key, aliases }: { keyRecord: KeyRecord; aliases: string[] }) {
  const alias = useKmsAction();
  const tag = useKmsAction();
  const [aliasName, setAliasName] = useState('alias/');
  const [tagKey, setTagKey] = useState('');
  const [tagValue, setTagValue] = useState('');
  const KeyId = key.keyId;
  return (
    <section className="keys-section" aria-labelledby="aliases-title">
      <h3 id="aliases-title">Aliases and tags</h3>
      <ul className="keys-chips" aria-label="Aliases">
        {aliases.map((a) => (
          <li key={a}>
            <code>{a}</code>{' '}
            <button
              type="button"
              aria-label={`Delete alias ${a}`}
              onClick={() => void alias.run('DeleteAlias', { AliasName: a })}
            >
              Delete
            </button>
          </li>
        ))}
        {aliases.length === 0 && <li>No aliases.</li>}
      </ul>
      <div className="keys-actions">
        <label>
          Alias name
          <input value={aliasName} onChange={(e) => setAliasName(e.target.value)} />
        </label>
        <button
          type="button"
          onClick={() => void alias.run('CreateAlias', { AliasName: aliasName, TargetKeyId: KeyId })}
        >
          Create alias
        </button>
        <button
          type="button"
          onClick={() => void alias.run('UpdateAlias', { AliasName: aliasName, TargetKeyId: KeyId })}
        >
          Point alias at this key
        </button>
      </div>
      {alias.result}
      <ul className="keys-chips" aria-label="Tags">
        {key.tags.map((t) => (
          <li key={t.TagKey}>
            <code>
              {t.TagKey}={t.TagValue}
            </code>{' '}
            <button
              type="button"
              aria-label={`Remove tag ${t.TagKey}`}
              onClick={() => void tag.run('UntagResource', { KeyId, TagKeys: [t.TagKey] })}
            >
              Remove
            </button>
          </li>
        ))}
        {key.tags.length === 0 && <li>No tags.</li>}
      </ul>
      <div className="keys-actions">
        <label>
          Tag key
          <input value={tagKey} onChange={(e) => setTagKey(e.target.value)} />
        </label>
        <label>
          Tag value
          <input value={tagValue} onChange={(e) => setTagValue(e.target.value)} />
        </label>
        <button
          type="button"
          onClick={() =>
            void tag.run('TagResource', { KeyId, Tags: [{ TagKey: tagKey, TagValue: tagValue }] })
          }
        >
          Add tag
        </button>
      </div>
      {tag.result}
    </section>
  );
}
