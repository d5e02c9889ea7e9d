import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { IOC_TYPES } from '../../../src/domain/vocabulary.js';
import { ApiFailure, get, withQuery } from '../api.js';
import { CopyBox } from '../components/CopyBox.js';
import { SafeLink } from '../components/SafeLink.js';
import { Badge, ErrorBox, Stat } from '../components/Status.js';
import { fmtTime } from '../format.js';
import { Link, navigate, useLocation } from '../router.js';
import type { LookupBody } from '../types.js';

/** Paste an observable (defanged or not) and see what GET /api/v1/lookup knows about it. */
export function LookupPage(): ReactNode {
  const { query } = useLocation();
  const asked = query.get('ioc') ?? '';
  const askedType = query.get('type') ?? '';
  const [input, setInput] = useState(asked);
  const [type, setType] = useState(askedType);
  const [result, setResult] = useState<LookupBody | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (asked.trim() === '') return;
    let live = true;
    setBusy(true);
    get<LookupBody>(withQuery('/api/dashboard/lookup', { ioc: asked, type: askedType }))
      .then((r) => {
        if (live) {
          setResult(r);
          setError(null);
        }
      })
      .catch((e: unknown) => {
        if (live) {
          setResult(null);
          setError(e instanceof ApiFailure ? e : new ApiFailure(0, 'error', String(e)));
        }
      })
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [asked, askedType]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    navigate(withQuery('/lookup', { ioc: input.trim(), type }));
  };

  const d = result?.data;
  return (
    <section>
      <h1>IOC lookup</h1>
      <form className="row" onSubmit={submit}>
        <input
          className="grow"
          placeholder="IP, domain, URL, hash, CVE, e-mail or ATT&CK id; defanged is fine (hxxp://evil[.]com)"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          maxLength={2048}
          aria-label="Observable"
          data-testid="lookup-input"
        />
        <select value={type} onChange={(e) => setType(e.target.value)} aria-label="Type">
          <option value="">auto-detect</option>
          {IOC_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy || input.trim() === ''} data-testid="lookup-submit">
          Look up
        </button>
      </form>
      <ErrorBox error={error} />
      {d ? (
        <div data-testid="lookup-result">
          <h2 className="value-heading">
            <span className="ioc-value" data-testid="lookup-value">
              {d.ioc_value}
            </span>{' '}
            <Badge value={d.ioc_type} />
          </h2>
          {d.found ? (
            <>
              <div className="stats">
                <Stat label="Risk score" value={d.risk ? `${d.risk.score} / 100` : '—'} hint={<Badge value={d.risk?.level ?? null} />} testId="risk" />
                <Stat label="Confidence" value={<Badge value={d.confidence} />} />
                <Stat label="Status" value={<Badge value={d.status} />} />
                <Stat label="Sources" value={String(d.reporting_sources)} />
                <Stat label="First seen" value={fmtTime(d.first_seen)} />
                <Stat label="Last seen" value={fmtTime(d.last_seen)} />
              </div>
              {d.id ? (
                <p>
                  <Link to={`/iocs/${d.id}`} data-testid="lookup-ioc-link">
                    Open the IOC page
                  </Link>
                </p>
              ) : null}
              {d.threat_type || d.malware_family ? (
                <p>
                  {d.threat_type ? <>Threat: {d.threat_type}. </> : null}
                  {d.malware_family ? <>Malware: {d.malware_family}.</> : null}
                </p>
              ) : null}
              <h3>ATT&amp;CK techniques</h3>
              {result.mitre_techniques.length === 0 ? (
                <p className="muted">None mapped.</p>
              ) : (
                <ul data-testid="techniques">
                  {result.mitre_techniques.map((t) => (
                    <li key={t.id}>
                      <code>{t.id}</code> {t.name ?? ''}
                    </li>
                  ))}
                </ul>
              )}
              <h3>Sources</h3>
              <table className="data" data-testid="lookup-sources">
                <thead>
                  <tr>
                    <th>Feed</th>
                    <th>Category</th>
                    <th>Confidence</th>
                    <th>First seen</th>
                    <th>Last seen</th>
                    <th>Reference</th>
                    <th>Context</th>
                  </tr>
                </thead>
                <tbody>
                  {d.sources.map((s) => (
                    <tr key={s.source_feed}>
                      <td>{s.source_feed}</td>
                      <td>{s.source_category}</td>
                      <td>{s.confidence}</td>
                      <td>{fmtTime(s.first_seen)}</td>
                      <td>{fmtTime(s.last_seen)}</td>
                      <td className="wrap">
                        <SafeLink url={s.reference_url} />
                      </td>
                      <td className="wrap">{s.context ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p className="notice" data-testid="not-found">
              Not in the database. That is not a verdict of safety: hunt for it anyway.
            </p>
          )}
          <h3>Hunting queries</h3>
          <CopyBox label="Splunk (SPL)" text={d.hunting.splunk_query} testId="splunk-query" />
          <CopyBox label="Microsoft Sentinel / Defender (KQL)" text={d.hunting.kql_query} testId="kql-query" />
          <p className="muted small-print">{d.hunting.detection_guidance}</p>
        </div>
      ) : null}
    </section>
  );
}
