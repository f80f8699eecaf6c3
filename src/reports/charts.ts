/**
 * Charts as SVG rendered on the server with Apache ECharts (ADR 0022): no client script is needed
 * to see them. The SVG is served as an image of its own (ECharts writes style attributes, which
 * the pages' CSP forbids inline); every chart has a table of the same figures beside it.
 *
 * Colours: the Okabe–Ito palette, distinguishable with the common colour-vision deficiencies;
 * series also differ by line dash and symbol, so no reading depends on colour alone.
 */
import * as echarts from 'echarts';

export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'] as const;
const DASHES = ['solid', 'dashed', 'dotted'] as const;
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow'] as const;

export interface ChartSeries { readonly name: string; readonly values: readonly (number | null)[] }

export interface ChartSpec {
  readonly kind: 'line' | 'bar';
  readonly title: string;
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly width?: number;
  readonly height?: number;
  /** Bars laid horizontally (long category labels such as course titles). */
  readonly horizontal?: boolean;
}

/** Renders a chart to an SVG document. */
export function renderChartSvg(spec: ChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? (spec.horizontal ? Math.max(200, 60 + spec.categories.length * 26) : 320);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    const categoryAxis = { type: 'category' as const, data: [...spec.categories], axisLabel: { color: '#222', fontSize: 12, hideOverlap: true } };
    const valueAxis = { type: 'value' as const, axisLabel: { color: '#222', fontSize: 12 } };
    chart.setOption({
      animation: false,
      color: [...PALETTE],
      backgroundColor: '#ffffff',
      aria: { enabled: true, decal: { show: spec.kind === 'bar' && spec.series.length > 1 } },
      title: { text: spec.title, left: 8, top: 4, textStyle: { fontSize: 14, color: '#111' } },
      legend: { top: 28, textStyle: { color: '#222' } },
      grid: { left: spec.horizontal ? 200 : 56, right: 24, top: 64, bottom: 40, containLabel: false },
      xAxis: spec.horizontal ? valueAxis : categoryAxis,
      yAxis: spec.horizontal ? { ...categoryAxis, inverse: true, axisLabel: { ...categoryAxis.axisLabel, width: 180, overflow: 'truncate' } } : valueAxis,
      series: spec.series.map((s, i) => ({
        name: s.name,
        type: spec.kind,
        data: [...s.values],
        ...(spec.kind === 'line'
          ? { symbol: SYMBOLS[i % SYMBOLS.length], symbolSize: 7, lineStyle: { width: 2, type: DASHES[i % DASHES.length] } }
          : {}),
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
