import { CALL_OUTCOMES, CALL_STATUSES } from '@callbridge/contracts';
import type { FormEvent } from 'react';
import { type CallFilterForm, EMPTY_CALL_FILTERS } from '../../lib/call-filters.ts';

export function CallFiltersForm({
  value,
  onChange,
}: {
  value: CallFilterForm;
  onChange: (filters: CallFilterForm) => void;
}) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    onChange({
      status: String(data.get('status') ?? ''),
      outcome: String(data.get('outcome') ?? ''),
      phone: String(data.get('phone') ?? ''),
      since: String(data.get('since') ?? ''),
      until: String(data.get('until') ?? ''),
    });
  }

  // Keyed on the value so a reset or back/forward refills the fields.
  return (
    <form className="filters" onSubmit={submit} key={JSON.stringify(value)} aria-label="Filter calls">
      <label>
        Status
        <select name="status" defaultValue={value.status}>
          <option value="">any</option>
          {CALL_STATUSES.map((status) => (
            <option key={status}>{status}</option>
          ))}
        </select>
      </label>
      <label>
        Outcome
        <select name="outcome" defaultValue={value.outcome}>
          <option value="">any</option>
          {CALL_OUTCOMES.map((outcome) => (
            <option key={outcome}>{outcome}</option>
          ))}
        </select>
      </label>
      <label>
        Phone
        <input name="phone" type="tel" defaultValue={value.phone} placeholder="+1 555 555 0100" />
      </label>
      <label>
        From
        <input name="since" type="datetime-local" defaultValue={value.since} />
      </label>
      <label>
        To
        <input name="until" type="datetime-local" defaultValue={value.until} />
      </label>
      <div className="filter-actions">
        <button type="submit">Apply</button>
        <button type="button" className="secondary" onClick={() => onChange(EMPTY_CALL_FILTERS)}>
          Clear
        </button>
      </div>
    </form>
  );
}
