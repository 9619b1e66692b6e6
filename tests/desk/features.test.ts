import { describe, expect, it } from 'vitest';
import { ConfigError, createMemoryStorage, defineCatalog, createServiceDesk, defineAgentLimits, defineEscalationLadders, defineEscalationRules, defineFollowUps, defineKnowledgeBase, defineRouting, defineSlaConfig } from 'omotenashi';

const plain = (options: Record<string, unknown>) => () => createServiceDesk({ storage: createMemoryStorage(), ...options } as never);

describe('desk features come with their definers', () => {
  it('refuses plain data for a feature, naming the option and the definer to call', () => {
    const sla = { policies: [{ id: 'p', name: 'P', metrics: { first_response: { targets: { normal: 'PT1H' } } } }] };
    expect(plain({ sla })).toThrow(ConfigError);
    expect(plain({ sla })).toThrow(/sla: expected what defineSlaConfig\(\{ calendars, policies \}\) returns/);
    expect(() => createServiceDesk({ storage: createMemoryStorage(), sla: defineSlaConfig(sla) })).not.toThrow();
  });

  it('takes escalation rules, agent limits and ladders from their own definers, checked together', () => {
    const rule = { id: 'tag', name: 'Tag', trigger: { on: 'ticket.opened' as const }, actions: [{ type: 'add_tag' as const, tag: 'x' }] };
    expect(plain({ escalation: [rule] })).toThrow(/escalation: expected what defineEscalationRules\(\[\.\.\.\]\) returns/);
    expect(plain({ agentLimits: [{ id: 'a', hostility: 2 }] })).toThrow(/agentLimits: expected what defineAgentLimits/);
    expect(plain({ escalationLadders: defineAgentLimits([{ id: 'a', hostility: 2 }]) })).toThrow(/escalationLadders: expected what defineEscalationLadders/);
    const ladders = defineEscalationLadders([{ id: 'r', metric: 'resolution', levels: [{ at: { percent: 50 }, actions: [{ type: 'add_tag', tag: 'half' }] }] }]);
    expect(plain({ escalationLadders: ladders })).toThrow(/ladders climb SLA clocks/);
    expect(plain({ escalation: defineEscalationRules([{ ...rule, id: 'limit.mine' }]) })).toThrow(/kept for ladders and agent limits/);
    const sla = defineSlaConfig({ policies: [{ id: 'p', name: 'P', metrics: { resolution: { targets: { normal: 'PT8H' } } } }] });
    expect(() => createServiceDesk({ storage: createMemoryStorage(), sla, escalation: defineEscalationRules([rule]), agentLimits: defineAgentLimits([{ id: 'a', hostility: 2 }]), escalationLadders: ladders })).not.toThrow();
    expect(() => defineEscalationRules([{ ...rule, trigger: { on: 'nope' } } as never])).toThrow(ConfigError);
  });

  it('takes follow-up plans from defineFollowUps, checked against the desk\'s notifiers', () => {
    const plans = { plans: [{ id: 'csat', name: 'CSAT', trigger: { on: 'ticket_resolved' as const }, action: { type: 'survey' as const, questions: ['csat' as const] } }] };
    expect(plain({ followUps: plans })).toThrow(/followUps: expected what defineFollowUps/);
    expect(plain({ followUps: defineFollowUps(plans) })).toThrow(/plan "csat" sends messages: pass createServiceDesk\(\{ notifiers/);
  });

  it('takes routing from defineRouting; without it the routing methods say how to turn it on', async () => {
    expect(plain({ routing: { strategy: 'least_loaded' } })).toThrow(/routing: expected what defineRouting/);
    expect(() => createServiceDesk({ storage: createMemoryStorage(), routing: defineRouting({ strategy: 'least_loaded' }) })).not.toThrow();
    const desk = createServiceDesk({ storage: createMemoryStorage() });
    await expect(desk.explainRouting('t_1' as never)).rejects.toThrow(/routing: defineRouting/);
  });

  it('takes the catalog from defineCatalog; suggestion settings need one', async () => {
    const products = [{ sku: 'a', name: 'A', category: 'x', price: { amountMinor: 100, currency: 'JPY' } }];
    expect(plain({ catalog: { kind: 'catalog', products } })).toThrow(/at catalog: pass what defineCatalog\(\.\.\.\) returns/);
    expect(plain({ suggestions: { discounts: { cap: { percent: 15 } } } })).toThrow(/suggestions: .*pass createServiceDesk\(\{ catalog: defineCatalog/);
    const catalog = defineCatalog(products);
    expect(catalog.get('a')?.name).toBe('A');
    const desk = createServiceDesk({ storage: createMemoryStorage(), catalog });
    const c = await desk.registerCustomer({ kind: 'external', displayName: 'C' });
    await expect(desk.suggestOffers({ customerId: c.id })).resolves.toBeDefined();
  });

  it('writes articles on every desk, and searches them with the text engines of defineKnowledgeBase', async () => {
    const bare = createServiceDesk({ storage: createMemoryStorage() });
    const article = await bare.createArticle({ title: 'Router reboots every night', body: 'Update the firmware to 2.1.', locale: 'en' });
    await bare.publishArticle(article.id);
    await expect(bare.suggestArticles({ text: 'my router reboots' })).rejects.toThrow(/at knowledge: .*defineKnowledgeBase\(\)/);
    await expect(bare.recurringProblems()).rejects.toThrow(/at knowledge: .*defineKnowledgeBase\(\)/);
    expect(plain({ knowledge: { kind: 'knowledge-base' } })).toThrow(/at knowledge: pass what defineKnowledgeBase/);
    expect(() => defineKnowledgeBase({ synonyms: [['alone']] })).toThrow(/knowledge\.synonyms\[0\].*at least two words/);
    const storage = createMemoryStorage();
    const first = createServiceDesk({ storage });
    const written = await first.createArticle({ title: 'Router reboots every night', body: 'Update the firmware to 2.1.', locale: 'en' });
    await first.publishArticle(written.id);
    const searching = createServiceDesk({ storage, knowledge: defineKnowledgeBase() });
    expect((await searching.suggestArticles({ text: 'my router reboots at night', locale: 'en' }))[0]?.article.id).toBe(written.id);
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
