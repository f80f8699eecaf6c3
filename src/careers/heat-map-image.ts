/**
 * The gap heat map as a picture (issue 15: "CSV/PNG export"): an SVG drawn here from the same
 * HeatMap the page and the CSV show, rasterized to PNG by resvg (ADR 0030). Each cell carries its
 * numbers as text, so the picture does not rest on color alone; the colors are the page's.
 */
import { Resvg } from '@resvg/resvg-js';
import { badRequest } from '../errors';
import type { HeatCell, HeatMap } from './heat-map';

/** Beyond this many rows or columns a picture is unreadable; the CSV (or a narrower query) serves. */
export const MAX_IMAGE_ROWS = 400;
export const MAX_IMAGE_COLUMNS = 200;

const CELL_W = 48;
const CELL_H = 22;
const LABEL_W = 240;
const HEAD_H = 130;
const TITLE_H = 34;
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
/** The page's colors (src/web/static/style.css, table.heat). */
const FILL = ['#fbe3e3', '#fcebd6', '#fdf6d3', '#e6f4dc', '#cfeccb'];

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function fill(c: HeatCell): string {
  if (c.required === 0) return '#ffffff';
  return FILL[Math.min(4, Math.floor((c.met / c.required) * 5))] as string;
}

function text(c: HeatCell, by: HeatMap['by']): string {
  if (c.required === 0) return '–';
  return by === 'people' ? `${c.level ?? 0}/${c.target ?? 0}` : `${c.met}/${c.required}`;
}

/** The SVG of a heat map (rows, then the "Everyone" totals). 400 when it is too large to draw. */
export function heatMapSvg(m: HeatMap, title: string): string {
  if (m.rows.length > MAX_IMAGE_ROWS || m.columns.length > MAX_IMAGE_COLUMNS) {
    throw badRequest(`a picture shows at most ${MAX_IMAGE_ROWS} rows and ${MAX_IMAGE_COLUMNS} competencies: choose a unit or role, or download the CSV`);
  }
  const rows = [...m.rows, { id: '', label: 'Everyone', cells: m.totals }];
  const width = LABEL_W + Math.max(1, m.columns.length) * CELL_W + 10;
  const height = TITLE_H + HEAD_H + rows.length * CELL_H + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="22" font-size="16" font-weight="bold" fill="#1a1a1a">${esc(clip(title, 120))}</text>`,
  ];
  m.columns.forEach((c, i) => {
    const x = LABEL_W + i * CELL_W + CELL_W / 2;
    const y = TITLE_H + HEAD_H - 6;
    out.push(`<text x="${x}" y="${y}" font-size="11" fill="#1a1a1a" transform="rotate(-60 ${x} ${y})">${esc(clip(c.code ?? c.name, 24))}</text>`);
  });
  rows.forEach((r, j) => {
    const y = TITLE_H + HEAD_H + j * CELL_H;
    const bold = r.id === '' ? ' font-weight="bold"' : '';
    out.push(`<text x="8" y="${y + 15}" font-size="12" fill="#1a1a1a"${bold}>${esc(clip(r.label, 34))}</text>`);
    r.cells.forEach((c, i) => {
      const x = LABEL_W + i * CELL_W;
      out.push(`<rect x="${x}" y="${y}" width="${CELL_W}" height="${CELL_H}" fill="${fill(c)}" stroke="#c8c8c8" stroke-width="1"/>`);
      out.push(`<text x="${x + CELL_W / 2}" y="${y + 15}" font-size="11" text-anchor="middle" fill="${c.required === 0 ? '#6b6b6b' : '#1a1a1a'}">${esc(text(c, m.by))}</text>`);
    });
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The PNG of a heat map (system fonts; nothing is fetched). */
export function heatMapPng(m: HeatMap, title: string): Buffer {
  const svg = heatMapSvg(m, title);
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}
