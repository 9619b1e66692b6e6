import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { TimeZoneSchema } from '../domain/common.js';
import type { RecurringProblem } from '../knowledge/recurring.js';
import type { MetricsAggregator, MetricRow } from '../metrics/aggregate.js';
import { sketchHistogram } from '../metrics/sketch.js';
import { escapeHtml as esc } from '../notify/templates.js';
import type { SlaEvaluation } from '../sla/evaluate.js';

/** What {@link renderReport} draws. */
export interface ReportInput {
  /** The page title (default "Service report"). */
  readonly title?: string;
  /** When the report was made (also the "now" of the backlog). */
  readonly generatedAt: Date;
  /** The zone times are shown in (default UTC). */
  readonly timeZone?: string;
  /** The metrics to draw from. */
  readonly metrics: MetricsAggregator;
  /** Trend granularity for CSAT and NPS (default `day`). */
  readonly period?: 'day' | 'week' | 'month';
  /** The top recurring problems (from `recurringProblems` or `desk.recurringProblems`). */
  readonly recurring?: ReadonlyArray<RecurringProblem>;
  /** One ticket's SLA clocks with their explanation ledgers (from `desk.explainSla`). */
  readonly slaTimeline?: { readonly ticketId: string; readonly subject?: string; readonly evaluation: SlaEvaluation };
  /**
   * The agents, to chart each one's occupancy: open tickets held now, as a share of their
   * `capacity` when given (routing's capacity), else as a count.
   */
  readonly agents?: ReadonlyArray<{ readonly id: string; readonly name: string; readonly capacity?: number }>;
}

const ReportInputSchema = z.object({
  title: z.string().max(200).optional(),
  generatedAt: z.date({ error: 'expected the Date the report is made' }),
  timeZone: TimeZoneSchema.optional(),
  metrics: z.custom((m) => typeof m === 'object' && m !== null && typeof (m as { report?: unknown }).report === 'function' && typeof (m as { backlog?: unknown }).backlog === 'function', { error: 'expected the metrics (createMetrics() or recomputeMetrics(storage))' }),
  period: z.enum(['day', 'week', 'month']).optional(),
  recurring: z.array(z.object({ label: z.string(), count: z.number(), previousCount: z.number(), trend: z.enum(['new', 'rising', 'steady', 'falling']), terms: z.array(z.string()), tags: z.array(z.string()), ticketIds: z.array(z.string()) }).passthrough()).optional(),
  slaTimeline: z.object({ ticketId: z.string(), subject: z.string().optional(), evaluation: z.object({}).passthrough() }).optional(),
  agents: z.array(z.object({ id: z.string().min(1), name: z.string(), capacity: z.number().int().positive().optional() })).max(1000).optional(),
});

/** Each agent's open tickets now, as a share of their capacity (all agents have one) or as a count. */
function occupancyChart(m: MetricsAggregator, now: number, agents: NonNullable<ReportInput['agents']>): string {
  if (agents.length === 0) return '';
  const open = new Map(m.backlog(now, ['agent']).map((r) => [r.key.agent ?? '-', r.open]));
  const shares = agents.every((a) => a.capacity !== undefined);
  const bars = agents.map((a) => ({ label: a.name, values: [shares ? (open.get(a.id) ?? 0) / (a.capacity as number) : (open.get(a.id) ?? 0)] }));
  return barChart('occupancy-by-agent', shares ? 'Occupancy by agent (open ÷ capacity)' : 'Open tickets by agent', bars, [shares ? 'occupancy' : 'open tickets'], shares ? { max: Math.max(1, ...bars.map((b) => b.values[0] ?? 0)), format: pct } : {});
}

const PALETTE = { ink: '#1f2933', muted: '#7b8794', grid: '#e4e7eb', accent: '#c2410c', good: '#15803d', warn: '#b45309', bad: '#b91c1c', blue: '#1d4ed8', violet: '#7c3aed', sand: '#f5f0e6' };
const SERIES = ['#1d4ed8', '#c2410c', '#15803d', '#7c3aed', '#0e7490', '#be185d'];
const H = 3_600_000;

const fmtDuration = (ms: number): string => {
  if (ms <= 0) return '–';
  if (ms < H) return `${Math.round(ms / 60_000)} min`;
  if (ms < 48 * H) return `${(ms / H).toFixed(ms < 10 * H ? 1 : 0)} h`;
  return `${(ms / (24 * H)).toFixed(1)} d`;
};
const pct = (x: number): string => `${Math.round(x * 100)}%`;
const num = (x: number, digits = 0): string => x.toFixed(digits);

interface Bar {
  readonly label: string;
  /** One value per series; null where there is nothing to measure (no bar is drawn). */
  readonly values: ReadonlyArray<number | null>;
}

/** A vertical bar chart (grouped when there are several series). */
function barChart(id: string, title: string, bars: ReadonlyArray<Bar>, series: ReadonlyArray<string>, options: { max?: number; format?: (v: number) => string; width?: number } = {}): string {
  const width = options.width ?? 520;
  const height = 240;
  const left = 44;
  const bottom = 36;
  const top = 16;
  const plotW = width - left - 12;
  const plotH = height - top - bottom;
  // Counts get a maximum divisible by four, so every grid line falls on a whole number.
  const max = options.max ?? Math.ceil(Math.max(1, ...bars.flatMap((b) => b.values.map((v) => v ?? 0))) / 4) * 4;
  const format = options.format ?? ((v: number) => num(v));
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.max(2, (slot * 0.72) / Math.max(1, series.length));
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const y = top + plotH - f * plotH;
      return `<line x1="${left}" x2="${width - 12}" y1="${y}" y2="${y}" stroke="${PALETTE.grid}"/><text x="${left - 6}" y="${y + 4}" text-anchor="end" class="axis">${esc(format(max * f))}</text>`;
    })
    .join('');
  const shapes = bars
    .map((b, i) => {
      const x0 = left + i * slot + (slot - barW * series.length) / 2;
      const rects = b.values
        .map((v, k) => {
          const name = `${b.label}${series.length > 1 ? ` · ${series[k]}` : ''}`;
          if (v === null) return '';
          // A zero is drawn as a red sliver on the axis: 0 % attainment must not look like no bar at all.
          const zero = v <= 0;
          const h = zero ? 3 : (v / max) * plotH;
          const fill = zero && options.max !== undefined ? PALETTE.bad : (SERIES[k % SERIES.length] as string);
          return `<rect class="bar${zero ? ' zero' : ''}" x="${(x0 + k * barW).toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"><title>${esc(`${name}: ${format(v)}`)}</title></rect>`;
        })
        .join('');
      const showLabel = bars.length <= 12 || i % Math.ceil(bars.length / 12) === 0;
      return `${rects}${showLabel ? `<text x="${(left + i * slot + slot / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" class="axis">${esc(b.label)}</text>` : ''}`;
    })
    .join('');
  const legend = series.length > 1 ? `<div class="legend">${series.map((s, k) => `<span><i style="background:${SERIES[k % SERIES.length]}"></i>${esc(s)}</span>`).join('')}</div>` : '';
  return `<figure class="card"><figcaption>${esc(title)}</figcaption><svg data-chart="${id}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">${grid}${shapes}</svg>${legend}</figure>`;
}

/** A line chart of one or more series over labelled points (gaps where a value is null). */
function lineChart(id: string, title: string, labels: ReadonlyArray<string>, series: ReadonlyArray<{ name: string; values: ReadonlyArray<number | null>; min: number; max: number; format: (v: number) => string }>): string {
  const width = 520;
  const height = 240;
  const left = 44;
  const top = 16;
  const bottom = 36;
  const plotW = width - left - 44;
  const plotH = height - top - bottom;
  const x = (i: number): number => left + (labels.length <= 1 ? plotW / 2 : (i / (labels.length - 1)) * plotW);
  const lines = series
    .map((s, k) => {
      const y = (v: number): number => top + plotH - ((v - s.min) / Math.max(1e-9, s.max - s.min)) * plotH;
      const points = s.values.map((v, i) => (v === null ? null : { x: x(i), y: y(v), v, i }));
      const path = points.reduce((d, p, i) => (p === null ? d : `${d}${i === 0 || points[i - 1] === null ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`), '');
      const dots = points.map((p) => (p === null ? '' : `<circle class="point" cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="3.5" fill="${SERIES[k % SERIES.length]}"><title>${esc(`${labels[p.i]} · ${s.name}: ${s.format(p.v)}`)}</title></circle>`)).join('');
      const axisX = k === 0 ? left - 6 : width - 38;
      const anchor = k === 0 ? 'end' : 'start';
      const ticks = [0, 0.5, 1].map((f) => `<text x="${axisX}" y="${(top + plotH - f * plotH + 4).toFixed(1)}" text-anchor="${anchor}" class="axis" fill="${SERIES[k % SERIES.length]}">${esc(s.format(s.min + f * (s.max - s.min)))}</text>`).join('');
      return `<path class="line" d="${path}" fill="none" stroke="${SERIES[k % SERIES.length]}" stroke-width="2.5"/>${dots}${ticks}`;
    })
    .join('');
  const grid = [0, 0.5, 1].map((f) => `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH - f * plotH}" y2="${top + plotH - f * plotH}" stroke="${PALETTE.grid}"/>`).join('');
  const xLabels = labels.map((l, i) => (labels.length <= 8 || i % Math.ceil(labels.length / 8) === 0 ? `<text x="${x(i).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" class="axis">${esc(l)}</text>` : '')).join('');
  const legend = `<div class="legend">${series.map((s, k) => `<span><i style="background:${SERIES[k % SERIES.length]}"></i>${esc(s.name)}</span>`).join('')}</div>`;
  return `<figure class="card"><figcaption>${esc(title)}</figcaption><svg data-chart="${id}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">${grid}${lines}${xLabels}</svg>${legend}</figure>`;
}

const SEGMENT_COLOURS: Readonly<Record<string, string>> = { counting: PALETTE.good, paused: PALETTE.warn, outside_hours: '#cbd2d9', holiday: PALETTE.violet };
const SEGMENT_NAMES: Readonly<Record<string, string>> = { counting: 'counting', paused: 'paused', outside_hours: 'outside business hours', holiday: 'holiday' };

/** One ticket's SLA clocks as rows of ledger intervals on a shared time axis. */
function slaTimeline(input: NonNullable<ReportInput['slaTimeline']>, zone: string): string {
  const clocks = input.evaluation.metrics.filter((m) => m.ledger.length > 0);
  if (clocks.length === 0) return '';
  const start = Math.min(...clocks.map((c) => (c.ledger[0] as { from: Date }).from.getTime()));
  const end = Math.max(...clocks.map((c) => (c.ledger[c.ledger.length - 1] as { to: Date }).to.getTime()));
  const width = 1080;
  const left = 170;
  const rowH = 30;
  const top = 10;
  const height = top + clocks.length * rowH + 40;
  const x = (t: number): number => left + ((t - start) / Math.max(1, end - start)) * (width - left - 16);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const rows = clocks
    .map((c, r) => {
      const y = top + r * rowH;
      const segs = c.ledger
        .map((e) => {
          const x1 = x(e.from.getTime());
          const w = Math.max(0.5, x(e.to.getTime()) - x1);
          return `<rect class="segment segment-${e.kind}" x="${x1.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 10}" fill="${SEGMENT_COLOURS[e.kind] ?? PALETTE.muted}"><title>${esc(`${SEGMENT_NAMES[e.kind] ?? e.kind}${e.reason ? ` (${e.reason})` : ''}: ${time.format(e.from)} → ${time.format(e.to)}${e.kind === 'counting' ? `, ${fmtDuration(e.countedMs)}` : ''}`)}</title></rect>`;
        })
        .join('');
      const due = c.dueAt === undefined || c.dueAt.getTime() > end ? '' : `<line x1="${x(c.dueAt.getTime()).toFixed(1)}" x2="${x(c.dueAt.getTime()).toFixed(1)}" y1="${y + 1}" y2="${y + rowH - 3}" stroke="${PALETTE.bad}" stroke-width="2"><title>${esc(`due ${time.format(c.dueAt)}`)}</title></line>`;
      // A clock that breached says so, whatever came after (an answer stops the clock, late).
      const state = c.breachedAt !== undefined && c.state !== 'breached' ? `breached, then ${c.state}` : c.state;
      return `<text x="${left - 8}" y="${y + rowH / 2 + 4}" text-anchor="end" class="axis clock-${c.breachedAt !== undefined ? 'breached' : esc(c.state)}">${esc(`${c.metric.replace(/_/g, ' ')} (${state})`)}</text>${segs}${due}`;
    })
    .join('');
  const ticks = Array.from({ length: 5 }, (_, i) => start + ((end - start) * i) / 4)
    .map((t, i) => `<text x="${x(t).toFixed(1)}" y="${height - 14}" text-anchor="${i === 4 ? 'end' : 'middle'}" class="axis">${esc(time.format(new Date(t)))}</text>`)
    .join('');
  const legend = `<div class="legend">${Object.entries(SEGMENT_NAMES)
    .map(([k, n]) => `<span><i style="background:${SEGMENT_COLOURS[k]}"></i>${esc(n)}</span>`)
    .join('')}<span><i style="background:${PALETTE.bad}"></i>due</span></div>`;
  const caption = `SLA timeline of ${input.ticketId}${input.subject ? ` “${input.subject}”` : ''}`;
  return `<figure class="card wide"><figcaption>${esc(caption)}</figcaption><svg data-chart="sla-timeline" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(caption)}">${rows}${ticks}</svg>${legend}</figure>`;
}

const RESOLUTION_EDGES = [H, 4 * H, 8 * H, 24 * H, 72 * H];
const RESOLUTION_LABELS = ['< 1 h', '1–4 h', '4–8 h', '8–24 h', '1–3 d', '> 3 d'];
const PRIORITY_ORDER = ['urgent', 'high', 'normal', 'low'];

/** The customer-value tiles: retention over the last month with a base, and the mean lifetime value in the main currency. */
function valueTiles(m: MetricsAggregator): Array<[string, string]> {
  const last = m.retention().filter((r) => r.base > 0).at(-1);
  const ltv = m.lifetimeValue()[0];
  const currency = ltv === undefined ? undefined : Object.entries(ltv.total).sort((a, b) => b[1] - a[1])[0]?.[0];
  return [
    [`Customer retention${last === undefined ? '' : ` (${last.period})`}`, last === undefined ? '–' : `${pct(last.rate)} · ${last.retained} of ${last.base}`],
    ['Lifetime value (mean)', ltv === undefined || currency === undefined ? '–' : `${num(ltv.mean[currency] ?? 0)} ${currency} (minor units) · ${ltv.customers} buying customers`],
  ];
}

/** The headline tiles: volumes, medians (assignment, response, resolution), satisfaction, first-contact resolution, reopens, backlog. */
function headline(total: MetricRow | undefined, backlog: ReturnType<MetricsAggregator['backlog']>[number] | undefined): Array<[string, string]> {
  return [
    ['Opened', num(total?.opened ?? 0)],
    ['Resolved', num(total?.resolved ?? 0)],
    ['Time to assignment (median)', total === undefined || total.timeToAssignment.count === 0 ? '–' : `${fmtDuration(total.timeToAssignment.median)}${total.reassignments > 0 ? ` · ${num(total.reassignments)} reassigned` : ''}`],
    ['First response (median)', fmtDuration(total?.firstResponse.median ?? 0)],
    ['Resolution (median)', fmtDuration(total?.resolution.median ?? 0)],
    ['Handle time per ticket (median)', total === undefined || total.handleTimePerTicket.count === 0 ? '–' : fmtDuration(total.handleTimePerTicket.median)],
    ['CSAT', total === undefined || total.csat.count === 0 ? '–' : `${num(total.csat.average, 1)} / 5`],
    ['NPS', total === undefined || total.nps.count === 0 ? '–' : num(total.nps.score)],
    ['First-contact resolution', pct(total?.firstContactResolutionRate ?? 0)],
    ['Reopen rate', pct(total?.reopenRate ?? 0)],
    ['Backlog', `${backlog?.open ?? 0}${backlog === undefined ? '' : ` · median age ${fmtDuration(backlog.age.median)}`}`],
  ];
}

/** Attainment of one metric in a row: met ÷ (met + breached); null with no clocks of it (no bar rather than 0 %). */
function attainment(r: MetricRow, metric: string): number | null {
  const rows = r.sla.filter((s) => s.metric === metric);
  const total = rows.reduce((p, s) => p + s.met + s.breaches, 0);
  return total === 0 ? null : rows.reduce((p, s) => p + s.met, 0) / total;
}

const ARROWS: Readonly<Record<RecurringProblem['trend'], string>> = { new: '● new', rising: '▲ rising', steady: '■ steady', falling: '▼ falling' };

/** The table of problems reported at least twice; one ticket is not a recurring problem. */
function recurringCard(given: ReadonlyArray<RecurringProblem> | undefined): string {
  if (given === undefined) return '';
  const problems = given.filter((p) => p.count >= 2);
  if (problems.length === 0) return '<figure class="card wide"><figcaption>Top recurring problems</figcaption><p class="empty">No problem was reported twice in this period.</p></figure>';
  const most = Math.max(1, ...problems.map((q) => q.count));
  const rows = problems
    .map((p) => {
      const barW = Math.round((p.count / most) * 120);
      return `<tr><td>${esc(p.label)}</td><td><svg class="spark" width="130" height="14"><rect class="bar" x="0" y="2" width="${barW}" height="10" fill="${PALETTE.accent}"/></svg> ${p.count}</td><td>${p.previousCount}</td><td class="trend-${esc(p.trend)}">${ARROWS[p.trend] ?? esc(p.trend)}</td><td>${esc(p.tags.join(', '))}</td><td>${esc(p.ticketIds.slice(0, 3).join(', '))}</td></tr>`;
    })
    .join('');
  return `<figure class="card wide"><figcaption>Top recurring problems</figcaption><table data-chart="recurring"><thead><tr><th>Problem</th><th>Tickets</th><th>Before</th><th>Trend</th><th>Tags</th><th>Latest</th></tr></thead><tbody>${rows}</tbody></table></figure>`;
}

/**
 * One self-contained HTML page people would rather look at than read: headline KPIs, SLA
 * attainment by priority, volume by channel and by hour, the resolution-time distribution, the
 * CSAT and NPS trend, the top recurring problems, and one ticket's SLA timeline (counting,
 * paused, out-of-hours and holiday intervals). Inline SVG and CSS only: no scripts from
 * elsewhere, no fonts, no network. Every text from the data is HTML-escaped.
 *
 * @example
 * ```ts
 * const html = renderReport({ generatedAt: new Date(clock.now()), metrics, recurring: await desk.recurringProblems(), slaTimeline: { ticketId, evaluation: await desk.explainSla(ticketId) } });
 * ```
 */
export function renderReport(input: ReportInput): string {
  const shape = ReportInputSchema.safeParse(input);
  if (!shape.success) throw ConfigError.fromZod('report', shape.error);
  const zone = input.timeZone ?? 'UTC';
  const m = input.metrics;
  const total: MetricRow | undefined = m.report()[0];
  const tiles = [...headline(total, m.backlog(input.generatedAt.getTime())[0]), ...valueTiles(m)];

  const byPriority = m.report({ groupBy: ['priority'] }).sort((a, b) => PRIORITY_ORDER.indexOf(a.key.priority ?? '') - PRIORITY_ORDER.indexOf(b.key.priority ?? ''));
  const slaMetrics = [...new Set(byPriority.flatMap((r) => r.sla.map((s) => s.metric)))].sort();
  const slaBars = byPriority.map((r) => ({ label: r.key.priority ?? '-', values: slaMetrics.map((metric) => attainment(r, metric)) }));
  const byChannel = m.report({ groupBy: ['channel'] }).sort((a, b) => b.opened - a.opened);
  const hours = total?.openedByHour ?? Array.from({ length: 24 }, () => 0);
  const histogram = total === undefined ? RESOLUTION_LABELS.map(() => 0) : sketchHistogram(total.resolutionSketch, RESOLUTION_EDGES);
  const trend = m.report({ period: input.period ?? 'day' }).filter((r) => r.csat.count > 0 || r.nps.count > 0);

  const charts = [
    slaMetrics.length === 0 ? '' : barChart('sla-by-priority', 'SLA attainment by priority', slaBars, slaMetrics.map((s) => s.replace(/_/g, ' ')), { max: 1, format: pct }),
    barChart('volume-by-channel', 'Tickets by channel', byChannel.map((r) => ({ label: r.key.channel ?? '-', values: [r.opened] })), ['tickets']),
    barChart('volume-by-hour', `Tickets by hour of day (${zone})`, hours.map((n, h) => ({ label: String(h).padStart(2, '0'), values: [n] })), ['tickets']),
    barChart('resolution-distribution', 'Resolution time', histogram.map((n, i) => ({ label: RESOLUTION_LABELS[i] ?? '', values: [n] })), ['tickets']),
    trend.length === 0
      ? ''
      : lineChart(
          'satisfaction-trend',
          'CSAT and NPS',
          trend.map((r) => r.key.period ?? ''),
          [
            { name: 'CSAT (1–5)', values: trend.map((r) => (r.csat.count === 0 ? null : r.csat.average)), min: 1, max: 5, format: (v) => num(v, 1) },
            { name: 'NPS (−100–100)', values: trend.map((r) => (r.nps.count === 0 ? null : r.nps.score)), min: -100, max: 100, format: (v) => num(v) },
          ],
        ),
  ].join('');

  const occupancy = input.agents === undefined ? '' : occupancyChart(m, input.generatedAt.getTime(), input.agents);
  const recurring = recurringCard(input.recurring);

  const title = input.title ?? 'Service report';
  const generated = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(input.generatedAt);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  :root { color: ${PALETTE.ink}; background: ${PALETTE.sand}; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", sans-serif; }
  body { margin: 0 auto; padding: 28px; max-width: 1180px; }
  header h1 { margin: 0; font-size: 26px; letter-spacing: .01em; }
  header p { margin: 4px 0 18px; color: ${PALETTE.muted}; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin-bottom: 18px; }
  .tile { background: #fff; border-radius: 10px; padding: 12px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
  .tile b { display: block; font-size: 22px; color: ${PALETTE.accent}; }
  .tile span { color: ${PALETTE.muted}; font-size: 13px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 14px; }
  .card { margin: 0; background: #fff; border-radius: 12px; padding: 14px 16px 10px; box-shadow: 0 1px 3px rgba(0,0,0,.07); }
  .empty { color: #7b8794; margin: 6px 0 8px; }
  .card.wide { grid-column: 1 / -1; margin-top: 14px; }
  figcaption { font-weight: 600; margin-bottom: 8px; }
  svg { width: 100%; height: auto; display: block; }
  svg.spark { display: inline-block; width: 130px; vertical-align: middle; }
  .axis { font-size: 11px; fill: ${PALETTE.muted}; }
  .legend { display: flex; flex-wrap: wrap; gap: 12px; font-size: 12px; color: ${PALETTE.muted}; margin-top: 6px; }
  .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
  table { width: 100%; border-collapse: collapse; font-size: 14px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid ${PALETTE.grid}; }
  th { color: ${PALETTE.muted}; font-weight: 500; }
  .trend-rising { color: ${PALETTE.bad}; } .trend-new { color: ${PALETTE.blue}; } .trend-falling { color: ${PALETTE.good}; } .trend-steady { color: ${PALETTE.muted}; }
  footer { margin-top: 20px; color: ${PALETTE.muted}; font-size: 12px; }
</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p>Generated ${esc(generated)} (${esc(zone)})</p></header>
<section class="tiles">${tiles.map(([label, value]) => `<div class="tile"><b>${esc(value)}</b><span>${esc(label)}</span></div>`).join('')}</section>
<section class="grid">${charts}${occupancy}</section>
${recurring}
${input.slaTimeline === undefined ? '' : slaTimeline(input.slaTimeline, zone)}
<footer>omotenashi · one self-contained page: inline SVG, no external assets.</footer>
<script>
  // Record what the browser actually laid out, so a headless check can read it from the DOM.
  addEventListener('load', () => {
    const charts = [...document.querySelectorAll('[data-chart]')];
    for (const c of charts) {
      const shapes = [...c.querySelectorAll('rect, path, circle')].filter((s) => { const b = s.getBoundingClientRect(); return b.width > 0 || b.height > 0; });
      c.setAttribute('data-rendered-shapes', String(shapes.length));
    }
    document.body.setAttribute('data-charts-rendered', String(charts.filter((c) => Number(c.getAttribute('data-rendered-shapes')) > 0).length));
  });
</script>
</body>
</html>
`;
}
