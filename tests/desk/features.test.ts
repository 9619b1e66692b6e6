import { describe, expect, it } from 'vitest';
import { ConfigError, createMemoryStorage, createServiceDesk, defineSlaConfig } from 'omotenashi';

const plain = (options: Record<string, unknown>) => () => createServiceDesk({ storage: createMemoryStorage(), ...options } as never);

describe('desk features come with their definers', () => {
  it('refuses plain data for a feature, naming the option and the definer to call', () => {
    const sla = { policies: [{ id: 'p', name: 'P', metrics: { first_response: { targets: { normal: 'PT1H' } } } }] };
    expect(plain({ sla })).toThrow(ConfigError);
    expect(plain({ sla })).toThrow(/at sla: pass what defineSlaConfig\(\.\.\.\) returns/);
    expect(() => createServiceDesk({ storage: createMemoryStorage(), sla: defineSlaConfig(sla) })).not.toThrow();
  });

  it('keeps what the definer made usable on its own, and its desk code out of JSON and spreads', () => {
    const sla = defineSlaConfig({ policies: [{ id: 'p', name: 'P', metrics: { first_response: { targets: { normal: 'PT1H' } } } }] });
    expect(sla.kind).toBe('sla-config');
    expect(Object.keys(sla)).not.toContain('~desk');
    expect(plain({ sla: { ...sla } })).toThrow(/defineSlaConfig/);
  });

  it('answers the methods of a feature the desk was not given with a ConfigError naming the option', async () => {
    const desk = createServiceDesk({ storage: createMemoryStorage() });
    await expect(desk.explainSla('t_1' as never)).rejects.toThrow(/at sla: .*defineSlaConfig/);
    await expect(desk.whatIfSla({ policies: [] })).rejects.toBeInstanceOf(ConfigError);
    await expect(desk.listSlaPolicyVersions()).resolves.toMatchObject({ items: [] });
  });
});
