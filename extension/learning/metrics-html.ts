// The metrics webview's HTML: no inline script or style without the per-render nonce, and a
// CSP that allows only the bundled script from the extension. Pure, so tests check the CSP.
import { randomBytes } from 'node:crypto';

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function metricsHtml(o: { cspSource: string; scriptUri: string; nonce: string; title: string }): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource} data:`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  // Colours come from VS Code's theme variables, so dark, light and high contrast follow the editor.
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(o.title)}</title>
<style nonce="${o.nonce}">
  body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px 16px; }
  h1 { font-size: 1.3em; font-weight: 600; margin: 12px 0 4px; }
  #summary { color: var(--vscode-descriptionForeground); margin-bottom: 12px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 16px; }
  .card { border: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); border-radius: 4px; padding: 8px 12px 12px; background: var(--vscode-editorWidget-background); }
  .card h2 { font-size: 1em; font-weight: 600; margin: 4px 0 8px; }
  .chart { position: relative; height: 240px; }
  #empty { display: none; padding: 24px; color: var(--vscode-descriptionForeground); }
  button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 12px; border-radius: 2px; cursor: pointer; }
  button:hover { background: var(--vscode-button-hoverBackground); }
  .bar { display: flex; align-items: center; justify-content: space-between; }
</style>
</head>
<body>
<div class="bar"><h1 id="title">${esc(o.title)}</h1><button id="refresh" type="button">Refresh</button></div>
<div id="summary">Loading…</div>
<div id="empty">No executions or feedback recorded yet. Run the enhanced function with POET_API_URL and POET_API_KEY set, then refresh.</div>
<div class="grid" id="grid">
  <div class="card"><h2>Success rate per version</h2><div class="chart"><canvas id="successRate" aria-label="Success rate per version" role="img"></canvas></div></div>
  <div class="card"><h2>Latency per version</h2><div class="chart"><canvas id="p95" aria-label="p95 and p50 latency per version" role="img"></canvas></div></div>
  <div class="card"><h2>Feedback score over time</h2><div class="chart"><canvas id="feedback" aria-label="Feedback score over time" role="img"></canvas></div></div>
  <div class="card"><h2>Executions over time</h2><div class="chart"><canvas id="executions" aria-label="Executions over time" role="img"></canvas></div></div>
</div>
<script nonce="${o.nonce}" src="${esc(o.scriptUri)}"></script>
</body>
</html>`;
}
