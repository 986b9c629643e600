/**
 * Hand-written SVG charts: a latency CDF with one line per series, and a
 * grouped bar chart. Plain strings, no clock and no randomness, so the same
 * data always gives the same bytes (golden-testable, fit for a paper).
 */

export interface CdfSeries {
  readonly name: string;
  /** Latencies, ms. */
  readonly samples: readonly number[];
}

export interface BarGroup {
  readonly label: string;
  /** One value per series, in series order (ms). */
  readonly values: readonly (number | undefined)[];
}

const PALETTE = ['#1b6ca8', '#d1495b', '#2e933c', '#edae49', '#6c4f9e', '#00798c', '#8d6a3f', '#444444'];
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Round tick values covering [0, max]. */
export function ticks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? magnitude * 10;
  const result: number[] = [];
  for (let value = 0; value <= max + step * 1e-9; value += step) result.push(Math.round(value * 1e6) / 1e6);
  if ((result[result.length - 1] as number) < max) result.push(Math.round((result.length * step) * 1e6) / 1e6);
  return result;
}

interface Frame {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function axes(frame: Frame, xTicks: number[], yTicks: number[], xLabel: string, yLabel: string, xFormat: (v: number) => string, yFormat: (v: number) => string): string[] {
  const xMax = xTicks[xTicks.length - 1] as number;
  const yMax = yTicks[yTicks.length - 1] as number;
  const out: string[] = [];
  const px = (v: number) => frame.x + (v / xMax) * frame.width;
  const py = (v: number) => frame.y + frame.height - (v / yMax) * frame.height;
  for (const t of yTicks) {
    out.push(`<line x1="${fmt(frame.x)}" y1="${fmt(py(t))}" x2="${fmt(frame.x + frame.width)}" y2="${fmt(py(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${fmt(frame.x - 8)}" y="${fmt(py(t) + 4)}" text-anchor="end" font-size="11" ${FONT}>${escape(yFormat(t))}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${fmt(px(t))}" y1="${fmt(frame.y + frame.height)}" x2="${fmt(px(t))}" y2="${fmt(frame.y + frame.height + 5)}" stroke="#555"/>`);
    out.push(`<text x="${fmt(px(t))}" y="${fmt(frame.y + frame.height + 18)}" text-anchor="middle" font-size="11" ${FONT}>${escape(xFormat(t))}</text>`);
  }
  out.push(`<rect x="${fmt(frame.x)}" y="${fmt(frame.y)}" width="${fmt(frame.width)}" height="${fmt(frame.height)}" fill="none" stroke="#555"/>`);
  out.push(`<text x="${fmt(frame.x + frame.width / 2)}" y="${fmt(frame.y + frame.height + 36)}" text-anchor="middle" font-size="12" ${FONT}>${escape(xLabel)}</text>`);
  out.push(`<text x="${fmt(frame.x - 46)}" y="${fmt(frame.y + frame.height / 2)}" text-anchor="middle" font-size="12" ${FONT} transform="rotate(-90 ${fmt(frame.x - 46)} ${fmt(frame.y + frame.height / 2)})">${escape(yLabel)}</text>`);
  return out;
}

function legend(names: readonly string[], x: number, y: number): string[] {
  return names.flatMap((name, i) => [
    `<rect x="${fmt(x)}" y="${fmt(y + i * 18 - 9)}" width="14" height="10" fill="${PALETTE[i % PALETTE.length]}"/>`,
    `<text x="${fmt(x + 20)}" y="${fmt(y + i * 18)}" font-size="12" ${FONT}>${escape(name)}</text>`,
  ]);
}

/** The CDF chart's body, placed at (0, top); returns its elements and height. */
function cdfChart(title: string, series: readonly CdfSeries[], top: number, width: number): { elements: string[]; height: number } {
  const height = 400;
  const frame: Frame = { x: 70, y: top + 40, width: width - 70 - 190, height: height - 100 };
  const all = series.flatMap((s) => s.samples);
  const sorted = all.length > 0 ? [...all].sort((a, b) => a - b) : [1];
  // Show up to the 99.5th percentile of everything, so one outlier does not squash the chart.
  const xCap = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.995))] as number;
  const xTicks = ticks(xCap > 0 ? xCap : 1);
  const xMax = xTicks[xTicks.length - 1] as number;
  const yTicks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const elements = [`<text x="${fmt(frame.x)}" y="${fmt(top + 24)}" font-size="15" font-weight="bold" ${FONT}>${escape(title)}</text>`];
  elements.push(...axes(frame, xTicks, yTicks, 'client-observed latency (ms)', 'fraction of requests', (v) => fmt(v), (v) => `${Math.round(v * 100)}%`));
  series.forEach((s, i) => {
    const values = [...s.samples].sort((a, b) => a - b);
    if (values.length === 0) return;
    const stride = Math.max(1, Math.floor(values.length / 600));
    const points: string[] = [`${fmt(frame.x + (Math.min(values[0] as number, xMax) / xMax) * frame.width)},${fmt(frame.y + frame.height)}`];
    for (let k = 0; k < values.length; k += stride) {
      const x = frame.x + (Math.min(values[k] as number, xMax) / xMax) * frame.width;
      const yBefore = frame.y + frame.height - (k / values.length) * frame.height;
      const yAfter = frame.y + frame.height - (Math.min(values.length, k + stride) / values.length) * frame.height;
      points.push(`${fmt(x)},${fmt(yBefore)}`, `${fmt(x)},${fmt(yAfter)}`);
    }
    elements.push(`<polyline fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2" points="${points.join(' ')}"/>`);
  });
  elements.push(...legend(series.map((s) => `${s.name} (${s.samples.length} requests)`), frame.x + frame.width + 20, frame.y + 12));
  return { elements, height };
}

function barChart(title: string, seriesNames: readonly string[], groups: readonly BarGroup[], top: number, width: number): { elements: string[]; height: number } {
  const height = 380;
  const frame: Frame = { x: 70, y: top + 40, width: width - 70 - 190, height: height - 100 };
  const max = Math.max(1, ...groups.flatMap((g) => g.values.filter((v): v is number => v !== undefined)));
  const yTicks = ticks(max);
  const yMax = yTicks[yTicks.length - 1] as number;
  const elements = [`<text x="${fmt(frame.x)}" y="${fmt(top + 24)}" font-size="15" font-weight="bold" ${FONT}>${escape(title)}</text>`];
  for (const t of yTicks) {
    const y = frame.y + frame.height - (t / yMax) * frame.height;
    elements.push(`<line x1="${fmt(frame.x)}" y1="${fmt(y)}" x2="${fmt(frame.x + frame.width)}" y2="${fmt(y)}" stroke="#e5e5e5"/>`);
    elements.push(`<text x="${fmt(frame.x - 8)}" y="${fmt(y + 4)}" text-anchor="end" font-size="11" ${FONT}>${fmt(t)}</text>`);
  }
  elements.push(`<rect x="${fmt(frame.x)}" y="${fmt(frame.y)}" width="${fmt(frame.width)}" height="${fmt(frame.height)}" fill="none" stroke="#555"/>`);
  const groupWidth = frame.width / Math.max(1, groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, seriesNames.length);
  groups.forEach((group, g) => {
    const left = frame.x + g * groupWidth + groupWidth * 0.1;
    group.values.forEach((value, i) => {
      if (value === undefined) return;
      const h = (value / yMax) * frame.height;
      elements.push(`<rect x="${fmt(left + i * barWidth)}" y="${fmt(frame.y + frame.height - h)}" width="${fmt(barWidth * 0.92)}" height="${fmt(h)}" fill="${PALETTE[i % PALETTE.length]}"><title>${escape(`${seriesNames[i]} at ${group.label}: ${fmt(value)} ms`)}</title></rect>`);
    });
    elements.push(`<text x="${fmt(left + groupWidth * 0.4)}" y="${fmt(frame.y + frame.height + 18)}" text-anchor="middle" font-size="11" ${FONT}>${escape(group.label)}</text>`);
  });
  const yLabelX = frame.x - 46;
  const yLabelY = frame.y + frame.height / 2;
  elements.push(`<text x="${fmt(yLabelX)}" y="${fmt(yLabelY)}" text-anchor="middle" font-size="12" ${FONT} transform="rotate(-90 ${fmt(yLabelX)} ${fmt(yLabelY)})">mean latency (ms)</text>`);
  elements.push(`<text x="${fmt(frame.x + frame.width / 2)}" y="${fmt(frame.y + frame.height + 36)}" text-anchor="middle" font-size="12" ${FONT}>client site</text>`);
  elements.push(...legend(seriesNames, frame.x + frame.width + 20, frame.y + 12));
  return { elements, height };
}

/** One SVG document: the CDF, and below it a per-site bar chart when there are sites. */
export function comparisonSvg(title: string, series: readonly CdfSeries[], sites?: { readonly groups: readonly BarGroup[] }): string {
  const width = 900;
  const cdf = cdfChart(`${title}: latency CDF`, series, 0, width);
  const parts = [...cdf.elements];
  let height = cdf.height;
  if (sites !== undefined && sites.groups.length > 1) {
    const bars = barChart(`${title}: mean latency by client site`, series.map((s) => s.name), sites.groups, height, width);
    parts.push(...bars.elements);
    height += bars.height;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
