import { describe, expect, it } from 'vitest';
import { DEFAULT_PLANS, FEATURES, PlanConfigError, defaultScopes, planOffering, resolvePlans } from '../../src/domain/plans.js';

describe('DEFAULT_PLANS', () => {
  it('match the documented hosted tiers (DESIGN.md §6)', () => {
    expect(DEFAULT_PLANS.free).toMatchObject({
      resultsPerRequest: 100,
      perMinute: 10,
      perDay: 1000,
      lookbackDays: 1,
      keysPerUser: 3,
      features: ['json', 'search', 'lookup'],
    });
    expect(DEFAULT_PLANS.pro).toMatchObject({
      resultsPerRequest: 10_000,
      perMinute: 1000,
      perDay: 1_000_000,
      lookbackDays: 365,
      keysPerUser: 50,
    });
    expect([...(DEFAULT_PLANS.pro?.features ?? [])].sort()).toEqual([...FEATURES].sort());
  });

  it('name the cheapest plan offering a feature', () => {
    expect(planOffering(DEFAULT_PLANS, 'json')).toBe('free');
    expect(planOffering(DEFAULT_PLANS, 'csv')).toBe('pro');
  });

  it('give free keys read:iocs only and pro keys the export scopes', () => {
    expect(defaultScopes(DEFAULT_PLANS.free!)).toEqual(['read:iocs']);
    expect(defaultScopes(DEFAULT_PLANS.pro!)).toEqual(['read:cef', 'read:iocs', 'read:misp', 'read:openioc', 'read:stix']);
  });
});

describe('resolvePlans', () => {
  it('merges overrides over the defaults without touching them', () => {
    const plans = resolvePlans({ free: { per_day: 5000, features: ['json', 'csv'] }, pro: { per_minute: '2000' } });
    expect(plans.free).toMatchObject({ perDay: 5000, perMinute: 10, features: ['json', 'csv'] });
    expect(plans.pro?.perMinute).toBe(2000);
    expect(DEFAULT_PLANS.free?.perDay).toBe(1000);
  });

  it('adds new plans starting from free', () => {
    const plans = resolvePlans({ enterprise: { per_minute: 5000, features: 'all', results_per_request: 50_000 } });
    expect(plans.enterprise).toMatchObject({ name: 'enterprise', perMinute: 5000, perDay: 1000, resultsPerRequest: 50_000 });
    expect(plans.enterprise?.features).toEqual(FEATURES);
  });

  const bad: Array<[string, Record<string, Record<string, unknown>>, string]> = [
    ['unknown key', { free: { per_hour: 5 } }, 'plans.free.per_hour'],
    ['negative number', { free: { per_day: -1 } }, 'plans.free.per_day'],
    ['fraction', { free: { per_day: 1.5 } }, 'plans.free.per_day'],
    ['unknown feature', { free: { features: ['json', 'pdf'] } }, 'plans.free.features'],
    ['zero results', { free: { results_per_request: 0 } }, 'plans.free.results_per_request'],
    ['bad name', { 'Big Plan': {} }, 'plans.Big Plan'],
  ];
  it.each(bad)('rejects %s', (_label, overrides, field) => {
    expect(() => resolvePlans(overrides)).toThrow(PlanConfigError);
    expect(() => resolvePlans(overrides)).toThrow(field);
  });
});
