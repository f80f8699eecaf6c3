import * as echarts from 'echarts';
import type { GoalPoint } from '../../careers/goal-trend';

/**
 * The trend of a goal as an SVG drawn on the server by ECharts (no script in the page). The page
 * shows it as an <img> from a data: URL — the app's CSP allows data: images, while inline SVG
 * would need inline styles — with a text alternative and the same numbers as a table.
 */
export function goalTrendSvg(points: readonly GoalPoint[], targetPercent: number, dueDate: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 280 });
  try {
    const days = points.map((p) => p.day);
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 24, top: 24, bottom: 40 },
      xAxis: { type: 'category', data: days.length > 0 ? days : [dueDate], name: 'Day', nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', min: 0, max: 100, name: '% done' },
      series: [
        {
          type: 'line', name: 'Done', symbolSize: 6, lineStyle: { color: '#1f5f99', width: 2 }, itemStyle: { color: '#1f5f99' },
          data: points.map((p) => (p.total === 0 ? 0 : Math.round((p.done / p.total) * 1000) / 10)),
          markLine: { silent: true, symbol: 'none', label: { formatter: `Target ${targetPercent}%` }, lineStyle: { color: '#8a4b00', type: 'dashed' }, data: [{ yAxis: targetPercent }] },
        },
        {
          // The straight line from the day the goal was set to its target on its due date (none before it was set).
          type: 'line', name: 'On track', symbol: 'none', lineStyle: { color: '#5b5b5b', width: 1, type: 'dotted' },
          data: points.map((p) => (p.onTrack === undefined ? null : p.total === 0 ? 0 : Math.round((p.onTrack / p.total) * 1000) / 10)),
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as a data: URL for an <img>. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
