// The metrics webview's script (bundled with chart.js into dist/webview/metrics.js).
// It receives FunctionMetrics from the extension by postMessage and draws four charts,
// coloured from VS Code's theme variables; a theme change redraws them.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { FunctionMetrics } from '../../../shared/contract/learning';
import { chartsFor, type ChartSeries } from '../chart-data';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; setState(s: unknown): void; getState(): unknown };
const vscode = acquireVsCodeApi();

function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function palette() {
  return {
    fg: themeColor('--vscode-foreground', '#888'),
    grid: themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)'),
    series: [
      themeColor('--vscode-charts-blue', '#3794ff'),
      themeColor('--vscode-charts-orange', '#d18616'),
      themeColor('--vscode-charts-green', '#89d185'),
      themeColor('--vscode-charts-purple', '#b180d7'),
      themeColor('--vscode-charts-yellow', '#cca700'),
    ],
    red: themeColor('--vscode-charts-red', '#f14c4c'),
    green: themeColor('--vscode-charts-green', '#89d185'),
  };
}

const charts = new Map<string, Chart>();
let last: FunctionMetrics | null = (vscode.getState() as FunctionMetrics | null) ?? null;

function draw(id: string, type: 'bar' | 'line', s: ChartSeries, opts: { yMax?: number; stacked?: boolean; colors?: string[] } = {}): void {
  const p = palette();
  const canvas = document.getElementById(id) as HTMLCanvasElement | null;
  if (!canvas) return;
  charts.get(id)?.destroy();
  const colors = opts.colors ?? p.series;
  const config: ChartConfiguration = {
    type,
    data: {
      labels: s.labels,
      datasets: s.datasets.map((d, i) => ({
        label: d.label,
        data: d.data,
        ...(d.stack ? { stack: d.stack } : {}),
        backgroundColor: colors[i % colors.length],
        borderColor: colors[i % colors.length],
        spanGaps: type === 'line',
        pointRadius: 3,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      color: p.fg,
      scales: {
        x: { stacked: !!opts.stacked, ticks: { color: p.fg, maxRotation: 0, autoSkip: true }, grid: { color: p.grid } },
        y: { stacked: !!opts.stacked, beginAtZero: true, ...(opts.yMax !== undefined ? { max: opts.yMax } : {}), ticks: { color: p.fg }, grid: { color: p.grid } },
      },
      plugins: { legend: { labels: { color: p.fg } } },
    },
  };
  charts.set(id, new Chart(canvas, config));
}

function render(m: FunctionMetrics): void {
  last = m;
  vscode.setState(m);
  const c = chartsFor(m);
  document.getElementById('title')!.textContent = c.title;
  document.getElementById('summary')!.textContent = c.summary;
  document.getElementById('empty')!.style.display = c.empty ? 'block' : 'none';
  document.getElementById('grid')!.style.display = c.empty ? 'none' : 'grid';
  if (c.empty) return;
  const p = palette();
  draw('successRate', 'bar', c.successRate, { yMax: 100 });
  draw('p95', 'bar', c.p95);
  draw('feedback', 'line', c.feedback, { yMax: 1 });
  draw('executions', 'bar', c.executions, { stacked: true, colors: [p.green, p.red] });
}

window.addEventListener('message', (e: MessageEvent) => {
  const msg = e.data as { type?: string; metrics?: FunctionMetrics; error?: string };
  if (msg?.type === 'metrics' && msg.metrics) render(msg.metrics);
  if (msg?.type === 'error') document.getElementById('summary')!.textContent = msg.error ?? 'Could not load the metrics.';
});
document.getElementById('refresh')!.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
// VS Code swaps the body's theme class (vscode-dark / vscode-light / vscode-high-contrast).
new MutationObserver(() => last && render(last)).observe(document.body, { attributes: true, attributeFilter: ['class'] });
if (last) render(last);
vscode.postMessage({ type: 'ready' });
