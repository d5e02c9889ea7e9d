/**
 * Test dependencies that live outside the project (../shared/data, PostgreSQL, Python tools,
 * Chromium). Locally a missing one skips its suite with a notice; under CI=true it fails,
 * so CI can never pass by skipping.
 */
export const inCI = process.env.CI === 'true' || process.env.CI === '1';

/** Returns true when the dependency is present; throws under CI when it is not. */
export function requireDependency(name: string, present: boolean, hint: string): boolean {
  if (present) return true;
  const msg = `missing test dependency ${name}: ${hint}`;
  if (inCI) throw new Error(msg);
  console.warn(`[skip] ${msg}`);
  return false;
}
