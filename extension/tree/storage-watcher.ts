// Watches each workspace folder's `.dana/poet/` (another tool, a git checkout or the CLI may
// write there) and calls `changed` once a burst of events has settled.
import * as vscode from 'vscode';

const SETTLE_MS = 300;

export class StorageWatcher implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private readonly folderChanges: vscode.Disposable;

  constructor(private readonly changed: () => void) {
    this.watch();
    this.folderChanges = vscode.workspace.onDidChangeWorkspaceFolders(() => this.watch());
  }

  /** Calls `changed` after the burst this event belongs to. */
  soon(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(this.changed, SETTLE_MS);
  }

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(f, '.dana/poet/**'));
        w.onDidCreate(() => this.soon());
        w.onDidChange(() => this.soon());
        w.onDidDelete(() => this.soon());
        return w;
      });
  }

  dispose(): void {
    clearTimeout(this.debounce);
    this.folderChanges.dispose();
    for (const w of this.watchers) w.dispose();
  }
}
