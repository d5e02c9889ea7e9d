import type { ParseProblem, ParseSkip } from './types.js';

/** A record the parser could not read (counted and reported by the runner with its line). */
export function problem(line: number, message: string): ParseProblem {
  return { kind: 'problem', line, message };
}

/** A record understood and skipped on purpose (not an IOC type of ours, not for detection...). */
export function skip(line: number, message: string): ParseSkip {
  return { kind: 'skip', line, message };
}
