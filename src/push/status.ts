/**
 * Destination status for `socd push status` (and the dashboard): configuration, checkpoint,
 * what is still to deliver (count and age of the oldest pending version: the lag), the last
 * run's outcome and the delivery totals.
 */
import type { PushConfig, PushDestination } from './config.js';
import { DestinationsRepository, type DestinationState } from './destinations-repository.js';
import { headVersion, oldestPending, pendingCount } from './source.js';
import type { Store } from '../store/store.js';

export interface DestinationStatus {
  name: string;
  type: string;
  /** In the push config (false: only its stored state is left). */
  configured: boolean;
  enabled: boolean;
  url: string | null;
  schedule: string | null;
  /** Why it cannot run as configured (e.g. its token variable is unset). */
  unavailable: string | null;
  checkpoint: number;
  checkpoint_at: string | null;
  /** The store's last version. */
  head: number;
  /** Versions matching the destination's filter still to deliver. */
  pending: number;
  /** Seconds since the oldest pending version was written (0 when nothing is pending). */
  lag_seconds: number;
  /** A process holds the destination's lease now. */
  running: boolean;
  last_run_at: string | null;
  last_status: string | null;
  last_success_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  last_skip: string | null;
  delivered: number;
  skipped: number;
  resent: number;
  retries: number;
}

function statusOf(dest: PushDestination | null, name: string, state: DestinationState | null, head: number, pending: number, lag: number, now: Date): DestinationStatus {
  return {
    name,
    type: dest?.type ?? state?.type ?? 'unknown',
    configured: dest !== null,
    enabled: dest?.enabled ?? false,
    url: dest?.url ?? null,
    schedule: dest?.schedule ?? null,
    unavailable: dest?.unavailable ?? null,
    checkpoint: state?.checkpoint ?? 0,
    checkpoint_at: state?.checkpoint_at ?? null,
    head,
    pending,
    lag_seconds: lag,
    running: Boolean(state?.lease_owner && state.lease_until && state.lease_until > now.toISOString()),
    last_run_at: state?.last_run_at ?? null,
    last_status: state?.last_status ?? null,
    last_success_at: state?.last_success_at ?? null,
    last_error_at: state?.last_error_at ?? null,
    last_error: state?.last_error ?? null,
    last_skip: state?.last_skip ?? null,
    delivered: state?.delivered ?? 0,
    skipped: state?.skipped ?? 0,
    resent: state?.resent ?? 0,
    retries: state?.retries ?? 0,
  };
}

/** Every configured destination, then any destination with stored state no longer configured. */
export async function pushStatus(store: Store, config: PushConfig, now = new Date()): Promise<DestinationStatus[]> {
  const repo = new DestinationsRepository(store);
  const states = new Map((await repo.list()).map((s) => [s.name, s]));
  const head = await headVersion(store);
  const out: DestinationStatus[] = [];
  for (const dest of config.destinations) {
    const state = states.get(dest.name) ?? null;
    states.delete(dest.name);
    // A destination that never ran starts at 0, or at the head with start: now.
    const checkpoint = state?.checkpoint ?? (dest.start === 'now' ? head : 0);
    const pending = await pendingCount(store, dest.filter, checkpoint);
    const oldest = pending > 0 ? await oldestPending(store, dest.filter, checkpoint) : null;
    const lag = oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest)) / 1000)) : 0;
    const s = statusOf(dest, dest.name, state, head, pending, lag, now);
    s.checkpoint = checkpoint;
    out.push(s);
  }
  for (const [name, state] of states) out.push(statusOf(null, name, state, head, Math.max(0, head - state.checkpoint), 0, now));
  return out;
}

function ago(iso: string | null, now: Date): string {
  if (!iso) return 'never';
  const s = Math.round((now.getTime() - Date.parse(iso)) / 1000);
  const span = s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : s < 172_800 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86_400)}d`;
  return `${iso} (${span} ago)`;
}

/** Human-readable status lines. */
export function formatPushStatus(statuses: readonly DestinationStatus[], now = new Date()): string {
  if (statuses.length === 0) return 'no push destinations (see config/push.example.yaml and README.md, section "Splunk and SIEM delivery")\n';
  let out = '';
  for (const s of statuses) {
    const flags = [s.type, s.enabled ? `every ${s.schedule ?? '?'}` : s.configured ? 'disabled' : 'not in the push config', s.running ? 'running now' : null]
      .filter(Boolean)
      .join(', ');
    out += `${s.name} [${flags}]${s.url ? `\n  ${s.url}` : ''}\n`;
    if (s.unavailable) out += `  UNAVAILABLE: ${s.unavailable}\n`;
    out += `  checkpoint version ${s.checkpoint} of ${s.head}; pending ${s.pending}; lag ${s.lag_seconds}s\n`;
    out += `  last run ${ago(s.last_run_at, now)}: ${s.last_status ?? '-'}\n`;
    out += `  last success ${ago(s.last_success_at, now)}\n`;
    if (s.last_error) out += `  last error ${ago(s.last_error_at, now)}: ${s.last_error}\n`;
    if (s.last_skip) out += `  last skipped: ${s.last_skip}\n`;
    out += `  totals: delivered ${s.delivered}, skipped ${s.skipped}, resent ${s.resent} (possible duplicates), retries ${s.retries}\n`;
  }
  return out;
}
