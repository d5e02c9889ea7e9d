/** Shared benchmark reporting: one line per figure, with its target and PASS/MISS. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** `>=` or `<=` a target, when the issue sets one. */
  target?: { op: '>=' | '<='; value: number };
}

export function report(figures: Figure[]): boolean {
  let ok = true;
  const width = Math.max(...figures.map((f) => f.name.length));
  for (const f of figures) {
    let verdict = '';
    if (f.target) {
      const pass = f.target.op === '>=' ? f.value >= f.target.value : f.value <= f.target.value;
      ok &&= pass;
      verdict = `  (target ${f.target.op} ${fmt(f.target.value)} ${f.unit}: ${pass ? 'PASS' : 'MISS'})`;
    }
    process.stdout.write(`${f.name.padEnd(width)}  ${fmt(f.value).padStart(12)} ${f.unit}${verdict}\n`);
  }
  return ok;
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
