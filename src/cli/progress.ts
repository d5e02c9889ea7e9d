import cliProgress from 'cli-progress';

export interface ProgressSnapshot {
  bytes: number;
  lines: number;
  accepted: number;
  rejected: number;
}

export interface Progress {
  update(p: ProgressSnapshot): void;
  stop(): void;
}

/**
 * Progress for long work: a bar on a TTY (bytes of the input when its size is known), plain
 * progress lines otherwise (at most one every 2 s), so logs of scheduled runs stay readable.
 */
export function createProgress(label: string, totalBytes: number | null, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY && totalBytes) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {percentage}% | {lines} lines | {accepted} accepted | {rejected} rejected`,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(totalBytes, 0, { lines: 0, accepted: 0, rejected: 0 });
    return {
      update: (p) => bar.update(Math.min(p.bytes, totalBytes), { lines: p.lines, accepted: p.accepted, rejected: p.rejected }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 2000) return;
      last = now;
      stream.write(`${label}: ${p.lines} lines, ${p.accepted} accepted, ${p.rejected} rejected\n`);
    },
    stop: () => undefined,
  };
}
