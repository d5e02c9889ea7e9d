import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { CATEGORIES, CONFIDENCES, IOC_TYPES, SECTORS, STATUSES } from '../../../src/domain/vocabulary.js';
import { withQuery } from '../api.js';
import { Badge, ErrorBox, Loading } from '../components/Status.js';
import { fmtNumber, fmtTime } from '../format.js';
import { useData } from '../hooks.js';
import { Link, navigate, useLocation } from '../router.js';
import type { ExplorerBody } from '../types.js';

const FILTERS = ['type', 'confidence', 'category', 'industry', 'status', 'since'] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Record<Filter, string>;

function Select({ label, value, options, onChange, any = 'any' }: { label: string; value: string; options: readonly string[]; onChange: (v: string) => void; any?: string }): ReactNode {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={`filter-${label.toLowerCase()}`}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The IOC explorer: the API's filters, newest first, paged by keyset. */
export function ExplorerPage(): ReactNode {
  const { query } = useLocation();
  const fromUrl = (): Filters => Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Filters;
  const [form, setForm] = useState<Filters>(fromUrl);
  const key = query.toString();
  useEffect(() => setForm(fromUrl()), [key]);
  const before = query.get('before') ?? '';
  const { data, error, loading } = useData<ExplorerBody>(withQuery('/api/dashboard/iocs', { ...fromUrl(), before, limit: 50 }));

  const set = (f: Filter) => (v: string) => setForm((s) => ({ ...s, [f]: v }));
  const apply = (e: FormEvent): void => {
    e.preventDefault();
    navigate(withQuery('/iocs', form));
  };

  return (
    <section>
      <h1>IOC explorer</h1>
      <form className="filters" onSubmit={apply}>
        <Select label="Type" value={form.type} options={IOC_TYPES} onChange={set('type')} />
        <Select label="Confidence" value={form.confidence} options={CONFIDENCES} onChange={set('confidence')} />
        <Select label="Category" value={form.category} options={CATEGORIES} onChange={set('category')} />
        <Select label="Industry" value={form.industry} options={SECTORS} onChange={set('industry')} />
        <Select label="Status" value={form.status} options={[...STATUSES, 'all']} onChange={set('status')} any="active" />
        <label>
          Changed since
          <input value={form.since} onChange={(e) => set('since')(e.target.value)} placeholder="2026-01-31 or ISO date-time" data-testid="filter-since" />
        </label>
        <button type="submit" data-testid="filter-apply">
          Apply
        </button>
        <button type="button" className="secondary" onClick={() => navigate('/iocs')}>
          Reset
        </button>
      </form>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <p className="muted" data-testid="explorer-total">
            {fmtNumber(data.meta.total)}
            {data.meta.total_capped ? '+' : ''} IOCs match, newest first (changed since {fmtTime(data.meta.since)}; your plan looks back{' '}
            {data.meta.lookback_days} day{data.meta.lookback_days === 1 ? '' : 's'}).
          </p>
          <table className="data" data-testid="explorer-table">
            <thead>
              <tr>
                <th>Value</th>
                <th>Type</th>
                <th>Confidence</th>
                <th>Status</th>
                <th>Source</th>
                <th>Last seen</th>
                <th>Tags</th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((ioc) => (
                <tr key={ioc.id}>
                  <td className="wrap">
                    <Link to={`/iocs/${ioc.id}`} className="ioc-value" data-testid="ioc-link">
                      {ioc.value}
                    </Link>
                  </td>
                  <td>{ioc.type}</td>
                  <td>
                    <Badge value={ioc.confidence} />
                  </td>
                  <td>
                    <Badge value={ioc.status} />
                  </td>
                  <td className="wrap">{ioc.source.feed_name}</td>
                  <td>{fmtTime(ioc.last_seen)}</td>
                  <td className="wrap">{ioc.tags.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.data.length === 0 ? <p className="muted">Nothing matches these filters.</p> : null}
          <div className="row">
            {before !== '' ? (
              <button type="button" className="secondary" onClick={() => navigate(withQuery('/iocs', fromUrl()))}>
                First page
              </button>
            ) : null}
            {data.meta.next_before !== null ? (
              <button type="button" onClick={() => navigate(withQuery('/iocs', { ...fromUrl(), before: data.meta.next_before }))} data-testid="next-page">
                Next page
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
