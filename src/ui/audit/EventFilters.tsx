/** The event-history filters: time range (UTC), event name, user, key, error. Values offered come from the trail. */
import { useId } from 'react';
import type { AuditFacets } from '../../kms/trail-audit';
import { keyIdOfArn } from '../../kms/trail-audit';
import {
  ANY_ERROR,
  EMPTY_FILTER,
  filterProblems,
  NO_ERROR,
  type AuditFilterForm,
} from '../../state/audit-filter';
import { replaceFilter, setFilter } from '../../state/audit-store';
import { TimeField } from './TimeField';

export function EventFilters({ form, facets }: { form: AuditFilterForm; facets: AuditFacets | null }) {
  const id = useId();
  const problems = filterProblems(form);
  const listOf = (name: string, values: string[], label: (v: string) => string = (v) => v) => (
    <datalist id={`${id}-${name}`}>
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </datalist>
  );
  const time = (field: 'from' | 'to', label: string) => (
    <TimeField
      label={label}
      value={form[field]}
      problem={problems[field]}
      onChange={(value) => setFilter({ [field]: value })}
    />
  );
  return (
    <form
      className="audit-filters"
      role="search"
      aria-label="Filter events"
      onSubmit={(e) => e.preventDefault()}
    >
      {time('from', 'From (UTC)')}
      {time('to', 'To (UTC)')}
      <div className="audit-field">
        <label htmlFor={`${id}-event`}>Event name</label>
        <select
          id={`${id}-event`}
          value={form.eventName}
          onChange={(e) => setFilter({ eventName: e.target.value })}
        >
          <option value="">Any</option>
          {facets?.eventNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="audit-field">
        <label htmlFor={`${id}-user`}>User name</label>
        <input
          id={`${id}-user`}
          list={`${id}-users`}
          value={form.user}
          placeholder="Any"
          spellCheck={false}
          onChange={(e) => setFilter({ user: e.target.value })}
        />
        {listOf('users', facets?.users ?? [])}
      </div>
      <div className="audit-field">
        <label htmlFor={`${id}-key`}>Key</label>
        <input
          id={`${id}-key`}
          list={`${id}-keys`}
          value={form.key}
          placeholder="Any key id or ARN"
          spellCheck={false}
          onChange={(e) => setFilter({ key: e.target.value })}
        />
        {listOf('keys', (facets?.keys ?? []).map(keyIdOfArn))}
      </div>
      <div className="audit-field">
        <label htmlFor={`${id}-error`}>Error</label>
        <select id={`${id}-error`} value={form.error} onChange={(e) => setFilter({ error: e.target.value })}>
          <option value="">Any outcome</option>
          <option value={ANY_ERROR}>Only errors</option>
          <option value={NO_ERROR}>Only successes</option>
          {facets?.errorCodes.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </select>
      </div>
      <button type="button" onClick={() => replaceFilter(EMPTY_FILTER)}>
        Clear filters
      </button>
    </form>
  );
}
