import type { ReactNode } from 'react';
import { CopyBox } from '../components/CopyBox.js';
import { SafeLink } from '../components/SafeLink.js';
import { Badge, ErrorBox, Loading, Stat } from '../components/Status.js';
import { fmtTime } from '../format.js';
import { useData } from '../hooks.js';
import { Link } from '../router.js';
import type { IocPage, Page } from '../types.js';

/** One IOC: its sources and sightings, and ready-to-copy renderings (STIX, Sigma, curl, hunting). */
export function IocDetailPage({ id }: { id: string }): ReactNode {
  const { data, error } = useData<Page<IocPage>>(`/api/dashboard/iocs/${encodeURIComponent(id)}`);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const { ioc, risk, renderings } = data.data;
  return (
    <section data-testid="ioc-page">
      <p>
        <Link to="/iocs">← IOC explorer</Link>
      </p>
      <h1 className="value-heading">
        <span className="ioc-value" data-testid="ioc-value">
          {ioc.value}
        </span>{' '}
        <Badge value={ioc.type} />
      </h1>
      <div className="stats">
        <Stat label="Status" value={<Badge value={ioc.status} />} />
        <Stat label="Confidence" value={<Badge value={ioc.confidence} />} />
        <Stat label="Risk" value={`${risk.score} / 100`} hint={<Badge value={risk.level} />} />
        <Stat label="First seen" value={fmtTime(ioc.first_seen)} testId="first-seen" />
        <Stat label="Last seen" value={fmtTime(ioc.last_seen)} testId="last-seen" />
        <Stat label="Expires" value={fmtTime(ioc.expires_at)} testId="expires" />
        <Stat label="TLP" value={ioc.tlp} />
      </div>
      <dl className="facts">
        <dt>Threat type</dt>
        <dd>{ioc.threat_type ?? '—'}</dd>
        <dt>Malware</dt>
        <dd>{ioc.malware ?? '—'}</dd>
        <dt>Tags</dt>
        <dd>{ioc.tags.length > 0 ? ioc.tags.join(', ') : '—'}</dd>
        <dt>ATT&amp;CK</dt>
        <dd>{ioc.mitre_techniques.length > 0 ? ioc.mitre_techniques.join(', ') : '—'}</dd>
        <dt>Industries</dt>
        <dd>{ioc.industries.length > 0 ? ioc.industries.join(', ') : '—'}</dd>
        <dt>Context</dt>
        <dd className="wrap" data-testid="ioc-context">
          {ioc.context ?? '—'}
        </dd>
        <dt>Updated</dt>
        <dd>
          {fmtTime(ioc.updated_at)} (version {ioc.version})
        </dd>
      </dl>
      <h2>Sources</h2>
      <table className="data" data-testid="ioc-sources">
        <thead>
          <tr>
            <th>Feed</th>
            <th>Category</th>
            <th>Origin</th>
            <th>Confidence</th>
            <th>First seen</th>
            <th>Last seen</th>
            <th>Reference</th>
            <th>Article</th>
            <th>Context</th>
          </tr>
        </thead>
        <tbody>
          {ioc.sources.map((s) => (
            <tr key={s.feed_name}>
              <td>{s.feed_name}</td>
              <td>{s.category}</td>
              <td>{s.origin}</td>
              <td>{s.confidence}</td>
              <td>{fmtTime(s.first_seen)}</td>
              <td>{fmtTime(s.last_seen)}</td>
              <td className="wrap">
                <SafeLink url={s.reference_url} />
              </td>
              <td className="wrap">{s.article_url || s.article_title ? <SafeLink url={s.article_url}>{s.article_title ?? s.article_url}</SafeLink> : '—'}</td>
              <td className="wrap">{s.context ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Use it</h2>
      <CopyBox label="curl: this IOC from the API" text={renderings.curl.by_id} testId="curl-by-id" multiline={false} />
      <CopyBox label="curl: look it up" text={renderings.curl.lookup} testId="curl-lookup" multiline={false} />
      <CopyBox label="STIX 2.1 object" text={renderings.stix} testId="stix" />
      {renderings.sigma !== null ? (
        <CopyBox label="Sigma rule" text={renderings.sigma} testId="sigma" />
      ) : (
        <p className="muted" data-testid="sigma">
          No Sigma rule: no log source records this type of observable.
        </p>
      )}
      <CopyBox label="Splunk (SPL)" text={renderings.splunk} testId="ioc-splunk" />
      <CopyBox label="Microsoft Sentinel / Defender (KQL)" text={renderings.kql} testId="ioc-kql" />
    </section>
  );
}
