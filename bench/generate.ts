/**
 * Deterministic generated IOCs for benchmarks: `count` distinct values of mixed types, each
 * valid and public, written one per line (the `list` feed format, types detected on ingest).
 */
import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { prng } from '../src/ingest/demo.js';

const TLDS = ['com', 'net', 'org', 'xyz', 'top', 'info', 'ru', 'io'];

function hex(rnd: () => number, n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(rnd() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, n);
}

/** The i-th generated IOC: unique by construction (i is encoded in every value). */
export function generatedIoc(i: number, rnd: () => number): string {
  switch (i % 10) {
    case 0:
    case 1: {
      // 45.0.0.0/8 .. 60.x: public unicast; i spread over three octets keeps values unique.
      const n = Math.floor(i / 10) * 2 + (i % 10);
      return `${45 + ((n >>> 16) % 15)}.${(n >>> 8) & 255}.${n & 255}.${1 + (Math.floor(n / 3) % 254)}`;
    }
    case 2:
      return `2a0${1 + (i % 8)}:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::${(1 + (i % 4000)).toString(16)}`;
    case 3:
    case 4:
      return `host-${i.toString(36)}.example-${(i % 997).toString(36)}.${TLDS[i % TLDS.length]}`;
    case 5:
      return `https://cdn-${i.toString(36)}.${TLDS[i % TLDS.length]}/payload/${hex(rnd, 8)}.bin?id=${i}`;
    case 6:
      return hex(rnd, 24) + i.toString(16).padStart(8, '0');
    case 7:
      return hex(rnd, 56) + i.toString(16).padStart(8, '0');
    case 8:
      return hex(rnd, 32) + i.toString(16).padStart(8, '0');
    default:
      return i % 20 === 9 ? `CVE-2024-${100000 + i}` : `user${i}@mail-${(i % 991).toString(36)}.com`;
  }
}

export async function generateListFile(path: string, count: number): Promise<void> {
  if (existsSync(path)) return;
  const rnd = prng(42);
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  let buf = '';
  for (let i = 0; i < count; i++) {
    buf += `${generatedIoc(i, rnd)}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  renameSync(tmp, path);
}
