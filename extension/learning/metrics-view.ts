// The Show Metrics webview: one panel per function, charts drawn by the bundled script
// (dist/webview/metrics.js, chart.js inside). Data goes in by postMessage only, and the
// page's CSP allows nothing but that script (nonce) and nonce'd styles.
import * as vscode from 'vscode';
import type { StoredFunction } from '../commands/resolve';
import type { PoetServices } from '../services';
import { makeNonce, metricsHtml } from './metrics-html';

interface Panel {
  panel: vscode.WebviewPanel;
  s: StoredFunction;
}

export class MetricsPanels implements vscode.Disposable {
  private readonly panels = new Map<string, Panel>();

  constructor(private readonly services: PoetServices) {}

  private id(folderUri: string, key: string): string {
    return `${folderUri}#${key}`;
  }

  async show(s: StoredFunction): Promise<void> {
    const id = this.id(s.h.folder.uri, s.key);
    const existing = this.panels.get(id);
    if (existing) {
      existing.s = s;
      existing.panel.reveal();
      await this.post(existing);
      return;
    }
    const root = vscode.Uri.joinPath(this.services.context.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel('poet.metrics', `POET Metrics: ${s.name}`, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [root],
      retainContextWhenHidden: false,
    });
    const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'metrics.js'));
    panel.webview.html = metricsHtml({ cspSource: panel.webview.cspSource, scriptUri: script.toString(), nonce: makeNonce(), title: `POET metrics: ${s.name}` });
    const entry: Panel = { panel, s };
    this.panels.set(id, entry);
    panel.onDidDispose(() => this.panels.delete(id));
    panel.webview.onDidReceiveMessage((m: { type?: string }) => {
      if (m?.type === 'ready' || m?.type === 'refresh') void this.post(entry);
    });
  }

  /** Re-sends the metrics to an open panel (after feedback or Train). */
  refresh(folderUri: string, key: string): void {
    const p = this.panels.get(this.id(folderUri, key));
    if (p) void this.post(p);
  }

  private async post(p: Panel): Promise<void> {
    try {
      const metrics = await p.s.h.client.functionMetrics(p.s.key);
      await p.panel.webview.postMessage({ type: 'metrics', metrics });
    } catch (err) {
      this.services.log.warn(`Metrics for ${p.s.key}: ${(err as Error).message}`);
      await p.panel.webview.postMessage({ type: 'error', error: `Could not load the metrics: ${(err as Error).message}` });
    }
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
  }
}
