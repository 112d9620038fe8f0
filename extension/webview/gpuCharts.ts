/**
 * A GPU run's charts in the panel's header: utilisation and memory of each device over the last
 * samples, drawn on canvases in the theme's colours.
 */
import type { GpuSeries } from '../src/output/runHeader';

function cssVar(name: string, fallback: string) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function showMetrics(box: HTMLElement, series: readonly GpuSeries[] | undefined): void {
  if (!series || series.length === 0) { box.hidden = true; return; }
  box.hidden = false;
  while (box.children.length > series.length && box.lastChild) box.removeChild(box.lastChild);
  series.forEach((s, i) => {
    let card = box.children[i] as HTMLElement | undefined;
    if (!card) {
      card = document.createElement('div');
      card.className = 'chart';
      const label = document.createElement('div');
      label.className = 'chart-label';
      const canvas = document.createElement('canvas');
      canvas.width = 180;
      canvas.height = 44;
      card.appendChild(label);
      card.appendChild(canvas);
      box.appendChild(card);
    }
    const label = card.firstChild as HTMLElement;
    const canvas = card.lastChild as HTMLCanvasElement;
    const util = s.utilization;
    const mem = s.memoryUsedMB;
    const lastUtil = util.length ? util[util.length - 1] : undefined;
    const lastMem = mem.length ? mem[mem.length - 1] : undefined;
    const gib = (mb: number) => (mb / 1024).toFixed(1);
    label.textContent = `GPU ${s.device}` +
      (lastUtil !== undefined ? ` · ${Math.round(lastUtil)}%` : '') +
      (lastMem !== undefined ? ` · ${gib(lastMem)}${s.memoryTotalMB ? `/${gib(s.memoryTotalMB)}` : ''} GiB` : '');
    drawChart(canvas, util, mem, s.memoryTotalMB);
  });
}

function drawChart(canvas: HTMLCanvasElement, util: readonly number[], mem: readonly number[], memTotal: number | undefined) {
  const ratio = window.devicePixelRatio || 1;
  const w = 180;
  const h = 44;
  if (canvas.width !== w * ratio) { canvas.width = w * ratio; canvas.height = h * ratio; canvas.style.width = `${w}px`; canvas.style.height = `${h}px`; }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = cssVar('--vscode-panel-border', '#80808040');
  ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
  const memMax = memTotal || Math.max(1, ...mem);
  line(ctx, mem.map((v) => (v / memMax) * 100), w, h, cssVar('--vscode-charts-orange', '#d18616'));
  line(ctx, util, w, h, cssVar('--vscode-charts-blue', '#3794ff'));
}

function line(ctx: CanvasRenderingContext2D, values: readonly number[], w: number, h: number, colour: string) {
  if (values.length === 0) return;
  const max = 120; // samples across the chart (GpuMetrics keeps 120)
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  values.forEach((v, i) => {
    const x = w - 2 - (values.length - 1 - i) * ((w - 4) / (max - 1));
    const y = h - 2 - (Math.max(0, Math.min(100, v)) / 100) * (h - 4);
    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.stroke();
}
