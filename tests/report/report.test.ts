import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMetrics, renderReport, type TicketState } from 'omotenashi';
import { runDay } from '../../examples/day-at-the-desk/main.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
// CI installs Chromium and sets REQUIRE_CHROMIUM=1, so there a missing browser fails the run; a
// fresh machine without it skips only the browser check.
const browserTest = CHROMIUM === undefined && process.env['REQUIRE_CHROMIUM'] !== '1' ? it.skip : it;

describe('renderReport', () => {
  it('is one self-contained page: no external assets, every chart present, customer text escaped', async () => {
    const { report } = await runDay(() => undefined);
    for (const chart of ['sla-by-priority', 'volume-by-channel', 'volume-by-hour', 'resolution-distribution', 'satisfaction-trend', 'sla-timeline', 'occupancy-by-agent']) {
      expect(report).toContain(`data-chart="${chart}"`);
    }
    expect(report).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(report).not.toMatch(/@import|url\(/);
    // The example day has no problem reported twice: the card says so rather than listing one-offs.
    expect(report).toContain('No problem was reported twice in this period.');
    expect(report).toContain('Occupancy by agent (open ÷ capacity)');
    expect(report).toContain('segment-counting');
    expect(report).toContain('segment-paused');
    const m = createMetrics();
    const s: TicketState = { id: 't1', version: 1, at: 0, status: 'new', priority: 'normal', type: 'support', channel: 'email', requesterKind: 'external', requesterId: 'c', createdAt: 0, escalationLevel: 0, counters: { holds: 0, transfers: 0, reopens: 0, contacts: 1 }, sla: {} };
    m.observe(s);
    const hostile = renderReport({ title: '<script>alert(1)</script>', generatedAt: new Date(0), metrics: m, recurring: [{ label: '<img src=x onerror=alert(1)>', terms: [], tags: ['<b>'], count: 3, previousCount: 0, trend: 'new', ticketIds: ['t1'], firstSeen: new Date(0), lastSeen: new Date(0) }] });
    expect(hostile).not.toContain('<script>alert(1)</script>');
    expect(hostile).not.toContain('<img src=x');
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  const dir = mkdtempSync(join(tmpdir(), 'omotenashi-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  browserTest('renders its charts in headless Chromium (DOM and screenshot)', async () => {
    const { report } = await runDay(() => undefined);
    const file = join(dir, 'report.html');
    writeFileSync(file, report);
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1240,2400', '--virtual-time-budget=2000'];
    const dom = execFileSync(CHROMIUM as string, [...flags, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(dom).toContain('data-charts-rendered="7"');
    for (const m of dom.matchAll(/data-chart="([^"]+)"[^>]*data-rendered-shapes="(\d+)"/g)) expect(Number(m[2]), m[1]).toBeGreaterThan(0);
    expect([...dom.matchAll(/data-rendered-shapes="(\d+)"/g)]).toHaveLength(7);
    const png = join(dir, 'report.png');
    execFileSync(CHROMIUM as string, [...flags, `--screenshot=${png}`, `file://${file}`], { timeout: 60_000, stdio: 'ignore' });
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1240, 2400]);
    // A blank page compresses to a few kilobytes; charts, text and colours do not.
    expect(statSync(png).size).toBeGreaterThan(40_000);
  }, 120_000);
});

describe('renderReport: caller-built input', () => {
  it('refuses a recurring problem whose trend is markup, and odd input, with a ConfigError', () => {
    const metrics = createMetrics();
    const generatedAt = new Date('2026-04-01T00:00:00Z');
    const bad = { label: 'x', terms: [], tags: [], count: 2, previousCount: 1, trend: '<img src=x onerror=alert(1)>', ticketIds: [] };
    expect(() => renderReport({ generatedAt, metrics, recurring: [bad as never] })).toThrow(/report\.recurring\[0\]\.trend/);
    expect(() => renderReport({ generatedAt: 'yesterday' as never, metrics })).toThrow(/generatedAt/);
    expect(() => renderReport(null as never)).toThrow(/report/);
  });
});

describe('renderReport: honest about breaches', () => {
  const base = (id: string, priority: string, sla: Record<string, string>): TicketState => ({ id, version: 1, at: 0, status: 'open', priority, type: 'support', channel: 'email', requesterKind: 'external', requesterId: 'c', createdAt: 0, escalationLevel: 0, counters: { holds: 0, transfers: 0, reopens: 0, contacts: 1 }, sla });
  const H = 3_600_000;

  it('draws 0 % attainment as a visible red bar, leaves no bar where nothing was measured, and labels a breached clock breached', () => {
    const m = createMetrics();
    m.observe(base('t1', 'high', { 'std.first_response': 'std:breached#1' }));
    m.observe(base('t2', 'normal', { 'std.first_response': 'std:fulfilled#1', 'std.resolution': 'std:fulfilled#1' }));
    const evaluation = {
      metrics: [
        { metric: 'next_response', state: 'cancelled', breachedAt: new Date(2 * H), dueAt: new Date(2 * H), ledger: [{ from: new Date(0), to: new Date(3 * H), kind: 'counting', countedMs: 3 * H }] },
        { metric: 'resolution', state: 'active', ledger: [{ from: new Date(0), to: new Date(5 * H), kind: 'counting', countedMs: 5 * H }] },
      ],
    };
    const html = renderReport({ generatedAt: new Date(5 * H), metrics: m, slaTimeline: { ticketId: 't1', evaluation: evaluation as never }, recurring: [
      { label: 'Router drops', terms: [], tags: [], count: 4, previousCount: 1, trend: 'rising', ticketIds: [], firstSeen: new Date(0), lastSeen: new Date(0) },
      { label: 'A one-off question', terms: [], tags: [], count: 1, previousCount: 0, trend: 'new', ticketIds: [], firstSeen: new Date(0), lastSeen: new Date(0) },
    ] });
    const sla = /data-chart="sla-by-priority"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(sla).toMatch(/class="bar zero"[^>]*fill="#b91c1c"><title>high · first response: 0%<\/title>/);
    // high has no resolution clock at all: no bar rather than a 0 % one.
    expect(sla).not.toContain('high · resolution');
    expect(html).toContain('next response (breached, then cancelled)');
    expect(html).toContain('class="axis clock-breached"');
    expect(html).toMatch(/text-anchor="end" class="axis">[^<]+<\/text><\/svg>/);
    expect(html).toContain('Router drops');
    expect(html).not.toContain('A one-off question');
  });
});
