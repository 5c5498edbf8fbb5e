import { ticks } from 'd3-array';
import { line, stack } from 'd3-shape';

/*
 * The trend charts: SVG drawn by React, with d3-shape for the paths and stacks and d3-array for
 * the axis ticks. Chosen over the canvas libraries for size and accessibility (minified + gzip,
 * esbuild, what a chart needs imported): d3-shape + d3-array 6.0 KB; uPlot 1.6 23.5 KB;
 * Chart.js 4 with only line/bar registered 58 KB; d3-scale alone would add ~10 KB (its number
 * and time formatting), so the two linear maps below are plain arithmetic. uPlot and Chart.js
 * paint a <canvas>: nothing inside it reaches assistive technology, and it renders outside
 * React. An SVG here is one `role="img"` with a text alternative, themable with CSS, testable
 * in jsdom; the numbers themselves are in the table beside every chart.
 */

const WIDTH = 640;
const HEIGHT = 220;
const M = { top: 12, right: 16, bottom: 28, left: 44 };
const PLOT_W = WIDTH - M.left - M.right;
const PLOT_H = HEIGHT - M.top - M.bottom;

/** Series are told apart by dash and marker as well as colour (WCAG 1.4.1: not colour alone). */
const SERIES_STYLES = [
  { color: '#0b5cab', dash: undefined, marker: 'circle' },
  { color: '#a34700', dash: '6 3', marker: 'square' },
] as const;
/** Rejection reasons, stacked; adjacent colours differ in lightness too. */
const STACK_COLORS = ['#0b5cab', '#e0a21b', '#5a2a82', '#2e844a', '#c23934', '#7fb3e8', '#6b4c1a', '#e27bb1', '#5c5c5c', '#1b998b'];

export interface ChartSeries {
  id: string;
  label: string;
  /** One value per x label; null: no value (nothing to divide), drawn as a gap. */
  values: Array<number | null>;
}

interface Frame {
  labels: string[];
  yMax: number;
  formatY(v: number): string;
  /** Counts: only whole-number ticks (no "0.5 leads"). */
  integer?: boolean;
  /** The chart's text alternative: what it shows and its extremes; the numbers are in the table. */
  alt: string;
}

const xAt = (i: number, n: number) => M.left + (n <= 1 ? PLOT_W / 2 : (i * PLOT_W) / (n - 1));
const yOf = (v: number, yMax: number) => M.top + PLOT_H - (yMax <= 0 ? 0 : (v / yMax) * PLOT_H);

function Axes({ labels, yMax, formatY, integer, bandX }: Omit<Frame, 'alt'> & { bandX?: boolean }) {
  const n = labels.length;
  // at most ~8 x labels so they never overlap; the table has every one
  const every = Math.max(1, Math.ceil(n / 8));
  const x = (i: number) => (bandX ? M.left + ((i + 0.5) * PLOT_W) / n : xAt(i, n));
  return (
    <g className="sal-chart__axes" aria-hidden="true">
      {(integer ? ticks(0, yMax, Math.min(4, yMax)).filter(Number.isInteger) : ticks(0, yMax, 4)).map((v) => (
        <g key={v}>
          <line x1={M.left} x2={WIDTH - M.right} y1={yOf(v, yMax)} y2={yOf(v, yMax)} className="sal-chart__grid" />
          <text x={M.left - 6} y={yOf(v, yMax)} dy="0.32em" textAnchor="end">
            {formatY(v)}
          </text>
        </g>
      ))}
      {labels.map((l, i) =>
        i % every === 0 || i === n - 1 ? (
          <text key={`${l}-${i}`} x={x(i)} y={HEIGHT - 8} textAnchor="middle">
            {l}
          </text>
        ) : null,
      )}
    </g>
  );
}

function Marker({ kind, x, y, color }: { kind: 'circle' | 'square'; x: number; y: number; color: string }) {
  return kind === 'circle' ? <circle cx={x} cy={y} r={3.5} fill={color} /> : <rect x={x - 3.5} y={y - 3.5} width={7} height={7} fill={color} />;
}

function Legend({ items }: { items: Array<{ label: string; color: string; dash?: string; marker?: 'circle' | 'square' }> }) {
  return (
    <ul className="sal-chart__legend" aria-hidden="true">
      {items.map((it) => (
        <li key={it.label}>
          <svg width="22" height="10" viewBox="0 0 22 10">
            <line x1="1" x2="21" y1="5" y2="5" stroke={it.color} strokeWidth={it.marker ? 2 : 8} strokeDasharray={it.dash} />
            {it.marker && <Marker kind={it.marker} x={11} y={5} color={it.color} />}
          </svg>
          {it.label}
        </li>
      ))}
    </ul>
  );
}

export interface LineChartProps extends Frame {
  series: ChartSeries[];
  /** Shaded ranges of y, `[from, to)`, each with its label (the acceptance band's alarm zones). */
  zones?: Array<{ from: number; to: number; label: string }>;
  /** Alarm values drawn as a line across the plot (an alarm at exactly 100 %). */
  marks?: Array<{ at: number; label: string }>;
}

/** Up to two series over the buckets, y from 0 to `yMax`; a `role="img"` with `alt`. */
export function LineChart({ labels, yMax, formatY, integer, alt, series, zones = [], marks = [] }: LineChartProps) {
  const n = labels.length;
  return (
    <div className="sal-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={alt} className="sal-chart__svg">
        {zones.map((z) => (
          <g key={z.label} aria-hidden="true" className="sal-chart__zone">
            <rect x={M.left} y={yOf(z.to, yMax)} width={PLOT_W} height={yOf(z.from, yMax) - yOf(z.to, yMax)} />
            <text x={WIDTH - M.right - 4} y={(yOf(z.from, yMax) + yOf(z.to, yMax)) / 2} dy="0.32em" textAnchor="end">
              {z.label}
            </text>
          </g>
        ))}
        {marks.map((m) => (
          <g key={m.label} aria-hidden="true" className="sal-chart__mark">
            <line x1={M.left} x2={WIDTH - M.right} y1={yOf(m.at, yMax)} y2={yOf(m.at, yMax)} />
            <text x={WIDTH - M.right - 4} y={yOf(m.at, yMax) + 12} textAnchor="end">
              {m.label}
            </text>
          </g>
        ))}
        <Axes labels={labels} yMax={yMax} formatY={formatY} integer={integer} />
        {series.slice(0, SERIES_STYLES.length).map((s, si) => {
          const style = SERIES_STYLES[si]!;
          const path = line<number | null>()
            .defined((v) => v !== null)
            .x((_, i) => xAt(i, n))
            .y((v) => yOf(v ?? 0, yMax))(s.values);
          return (
            <g key={s.id} aria-hidden="true">
              {path && <path d={path} fill="none" stroke={style.color} strokeWidth={2} strokeDasharray={style.dash} />}
              {s.values.map((v, i) => (v === null ? null : <Marker key={i} kind={style.marker} x={xAt(i, n)} y={yOf(v, yMax)} color={style.color} />))}
            </g>
          );
        })}
      </svg>
      <Legend items={series.slice(0, SERIES_STYLES.length).map((s, i) => ({ label: s.label, ...SERIES_STYLES[i]! }))} />
    </div>
  );
}

export interface StackedBarChartProps extends Frame {
  /** The stacked keys (bottom first) and their labels. */
  keys: Array<{ id: string; label: string }>;
  /** One row per x label: count per key id. */
  rows: Array<Record<string, number>>;
}

/** Counts per key stacked per bucket (rejection reasons); a `role="img"` with `alt`. */
export function StackedBarChart({ labels, yMax, formatY, integer, alt, keys, rows }: StackedBarChartProps) {
  const n = labels.length;
  const band = PLOT_W / Math.max(n, 1);
  const layers = stack<Record<string, number>>()
    .keys(keys.map((k) => k.id))
    .value((row, k) => row[k] ?? 0)(rows);
  const color = (i: number) => STACK_COLORS[i % STACK_COLORS.length]!;
  return (
    <div className="sal-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={alt} className="sal-chart__svg">
        <Axes labels={labels} yMax={yMax} formatY={formatY} integer={integer} bandX />
        {layers.map((layer, li) => (
          <g key={layer.key} fill={color(li)} aria-hidden="true">
            {layer.map(([y0, y1], i) =>
              y1 > y0 ? <rect key={i} x={M.left + i * band + band * 0.15} width={band * 0.7} y={yOf(y1, yMax)} height={yOf(y0, yMax) - yOf(y1, yMax)} stroke="#fff" strokeWidth={0.5} /> : null,
            )}
          </g>
        ))}
      </svg>
      <Legend items={keys.map((k, i) => ({ label: k.label, color: color(i) }))} />
    </div>
  );
}
