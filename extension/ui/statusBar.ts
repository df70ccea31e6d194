// The backend's status bar item: `POET: starting…`, `POET ✓` (ports in the tooltip) or
// `POET ✗`. A click shows the log, where the reason is.
import * as vscode from 'vscode';
import { Commands } from '../../shared/ids';
import type { BackendStatus } from '../backend/backend';

export interface StatusView {
  status: BackendStatus;
  remoteUrl?: string;
  services: Array<{ workspace: string; url: string; port: number }>;
  restricted: boolean;
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('poet.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'POET Service';
    this.item.command = Commands.showLog;
  }

  update(v: StatusView): void {
    const md = new vscode.MarkdownString(undefined, true);
    this.item.backgroundColor = undefined;
    if (v.restricted) {
      this.item.text = '$(shield) POET';
      md.appendMarkdown('**POET is off in Restricted Mode.** It writes `.dana/poet/` into the workspace, which needs workspace trust.');
      this.item.command = 'workbench.trust.manage';
    } else {
      this.item.command = Commands.showLog;
      switch (v.status.state) {
        case 'stopped':
          this.item.hide();
          return;
        case 'starting':
          this.item.text = 'POET: starting…';
          md.appendMarkdown(`Starting the POET service…${v.status.message ? `\n\n${v.status.message}` : ''}`);
          break;
        case 'ready':
          this.item.text = 'POET ✓';
          if (v.remoteUrl) md.appendMarkdown(`POET uses the remote service at ${v.remoteUrl}`);
          else if (v.services.length === 0) md.appendMarkdown('POET language features are running. Open a folder to use the service.');
          else {
            md.appendMarkdown('POET service ready\n\n');
            for (const s of v.services) md.appendMarkdown(`- port **${s.port}** — \`${s.workspace}\`\n`);
          }
          break;
        case 'error':
          this.item.text = 'POET ✗';
          this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
          md.appendMarkdown(`**POET service failed.** ${v.status.message ?? ''}\n\nClick to show the log; run "POET: Restart Service" to try again.`);
          break;
      }
    }
    md.appendMarkdown('\n\n_Click to show the log._');
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: this.item.text.replace('✓', 'ready').replace('✗', 'failed') };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
