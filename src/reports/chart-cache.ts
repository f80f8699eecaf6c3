/**
 * Rendered chart SVG of recent chart specs. Rendering a long line chart with ECharts costs far more
 * than building its figures (hundreds of points, axis layout), and a spec fully decides its SVG,
 * so the same spec (the same figures) is rendered once. Keyed by the spec's JSON: different figures
 * are a different key, so an answer is never stale.
 */
import { renderChartSvg, type ChartSpec } from './charts';

const MAX_ENTRIES = 32;
const rendered = new Map<string, string>();

/** renderChartSvg, memoized over the last MAX_ENTRIES specs. */
export function renderChartSvgCached(spec: ChartSpec): string {
  const key = JSON.stringify(spec);
  const hit = rendered.get(key);
  if (hit !== undefined) {
    rendered.delete(key);
    rendered.set(key, hit);
    return hit;
  }
  const svg = renderChartSvg(spec);
  rendered.set(key, svg);
  while (rendered.size > MAX_ENTRIES) {
    const oldest = rendered.keys().next().value;
    if (oldest === undefined) break;
    rendered.delete(oldest);
  }
  return svg;
}
