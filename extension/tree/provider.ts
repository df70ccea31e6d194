// The "Functions" view: turns the pure tree model into TreeItems, loads each level from the
// folder's service on demand, and refreshes on request (watcher, server notification,
// commands). Function details are cached per refresh, so expanding is one request per function.
import * as vscode from 'vscode';
import type { FunctionDetailResponse, FunctionSummary } from '../../shared/contract/api';
import type { FunctionMetrics } from '../../shared/contract/learning';
import { ContextKeys } from '../../shared/ids';
import type { FolderClients } from '../folder-clients';
import { executionNodes, fileNodes, folderNode, functionNodes, messageNode, snapshotOf, versionNodes, type FolderRef, type TreeNode, type TreeSnapshot } from './model';
import { Commands } from '../../shared/ids';
import { lazy } from '../lazy/load';

const describeError: typeof import('../client/errors').describeError = (err, ctx) =>
  lazy().clientErrors.describeError(err, ctx);

/** Executions listed under a version; the metrics view shows them all. */
const EXECUTIONS_SHOWN = 20;

interface FolderData {
  functions: FunctionSummary[];
  metrics: Map<string, FunctionMetrics>;
  error?: string;
}

export class FunctionsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly _onDidLoad = new vscode.EventEmitter<void>();
  /** Fires after the root level has been (re)loaded: tests and the API wait on it. */
  readonly onDidLoad = this._onDidLoad.event;
  private folderData = new Map<string, Promise<FolderData>>();
  private details = new Map<string, Promise<FunctionDetailResponse>>();
  private readonly parents = new Map<string, TreeNode>();
  private generation = 0;
  loadedGeneration = -1;

  constructor(private readonly services: FolderClients) {}

  /** Whether the view is showing (extension.ts keeps it current). */
  visible = false;

  refresh(): void {
    this.folderData.clear();
    this.details.clear();
    this.generation++;
    this._onDidChangeTreeData.fire();
    if (!this.visible) void this.updateHasFunctions();
  }

  /**
   * VS Code asks a hidden view for nothing, yet the palette shows Train Now, Show Metrics,
   * Compare… only under poet:hasFunctions: keep the key right from a plain function list
   * while the view is hidden (never starting the backend for it).
   */
  private async updateHasFunctions(): Promise<void> {
    if (!vscode.workspace.isTrusted || (this.services.backend.current.state !== 'ready' && !this.services.isRemote())) return;
    const counts = await Promise.all(
      this.services.folders().map((f) =>
        this.services.handle(f).then((h) => h.client.listFunctions()).then((l) => l.length, () => 0),
      ),
    );
    void vscode.commands.executeCommand('setContext', ContextKeys.hasFunctions, counts.some((n) => n > 0));
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    const state =
      n.collapsible === 'none'
        ? vscode.TreeItemCollapsibleState.None
        : n.collapsible === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(n.label, state);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.contextValue = n.contextValue;
    if (n.icon) item.iconPath = new vscode.ThemeIcon(n.icon.id, n.icon.color ? new vscode.ThemeColor(n.icon.color) : undefined);
    if (n.command) item.command = n.command;
    if (n.kind === 'file' && n.filePath) item.resourceUri = vscode.Uri.joinPath(vscode.Uri.parse(n.folder.uri), ...n.filePath.split('/'));
    return item;
  }

  getParent(n: TreeNode): TreeNode | undefined {
    return this.parents.get(n.id);
  }

  async getChildren(n?: TreeNode): Promise<TreeNode[]> {
    const children = await this.children(n);
    for (const c of children) if (n) this.parents.set(c.id, n);
    return children;
  }

  private async children(n?: TreeNode): Promise<TreeNode[]> {
    if (!n) return this.root();
    switch (n.kind) {
      case 'folder':
        return this.functionsOf(n.folder);
      case 'function': {
        const d = await this.detail(n.folder, n.key!).catch((err) => err as Error);
        if (d instanceof Error) return [messageNode(n.folder, `err:${n.key}`, describeError(d, { remote: this.services.isRemote() }).message, undefined, 'error')];
        const data = await this.data(n.folder);
        return versionNodes(n.folder, d, data.metrics.get(n.key!), new Date().getTimezoneOffset());
      }
      case 'version': {
        const d = await this.detail(n.folder, n.key!).catch(() => undefined);
        const v = d?.versions.find((x) => x.version === n.version);
        if (!d || !v) return [];
        return [...fileNodes(n.folder, d, v), ...(await this.executions(n.folder, d, v.version))];
      }
      default:
        return [];
    }
  }

  private async root(): Promise<TreeNode[]> {
    const gen = this.generation;
    const folders = this.services.folders();
    let nodes: TreeNode[] = [];
    let any = false;
    if (!vscode.workspace.isTrusted) {
      nodes = folders.length ? [messageNode(folders[0]!, 'untrusted', 'POET runs only in a trusted workspace', { command: 'workbench.trust.manage', title: 'Manage Workspace Trust', arguments: [] }, 'shield')] : [];
    } else if (folders.length === 1) {
      nodes = await this.functionsOf(folders[0]!);
      any = nodes.some((x) => x.kind === 'function');
    } else if (folders.length > 1) {
      const per = await Promise.all(folders.map(async (f) => ({ f, fns: await this.functionsOf(f) })));
      any = per.some((p) => p.fns.some((x) => x.kind === 'function'));
      // A folder with nothing enhanced still shows, so multi-root users see where things go.
      nodes = any ? per.map((p) => folderNode(p.f)) : per.flatMap((p) => p.fns);
    }
    void vscode.commands.executeCommand('setContext', ContextKeys.hasFunctions, any);
    void vscode.commands.executeCommand('setContext', ContextKeys.treeLoaded, true);
    if (gen === this.generation) {
      this.loadedGeneration = gen;
      this._onDidLoad.fire();
    }
    return nodes;
  }

  private async functionsOf(folder: FolderRef): Promise<TreeNode[]> {
    const data = await this.data(folder);
    if (data.error) {
      return [messageNode(folder, 'error', data.error, { command: Commands.showLog, title: 'Show Log', arguments: [] }, 'error')];
    }
    return functionNodes(folder, data.functions, data.metrics);
  }

  private data(folder: FolderRef): Promise<FolderData> {
    let p = this.folderData.get(folder.uri);
    if (!p) {
      p = this.load(folder);
      this.folderData.set(folder.uri, p);
    }
    return p;
  }

  private async load(folder: FolderRef): Promise<FolderData> {
    try {
      const h = await this.services.handle(folder);
      const functions = await h.client.listFunctions();
      const metrics = new Map<string, FunctionMetrics>();
      // Metrics exist once executions are recorded (the learning endpoints); a function
      // without any, or a service without the endpoint, just shows its version.
      await mapLimit(functions.filter((f) => f.current_version), 8, async (f) => {
        try {
          metrics.set(f.key, await h.client.functionMetrics(f.key, { timeoutMs: 5000 }));
        } catch {
          /* no metrics */
        }
      });
      return { functions, metrics };
    } catch (err) {
      const msg = err instanceof Error && !('info' in err) ? err.message : describeError(err, { remote: this.services.isRemote() }).message;
      this.services.log.warn(`Functions view (${folder.name}): ${msg}`);
      return { functions: [], metrics: new Map(), error: msg };
    }
  }

  /** The newest recorded runs of a version; none when the service has no learning endpoints. */
  private async executions(folder: FolderRef, fn: FunctionDetailResponse, version: string): Promise<TreeNode[]> {
    try {
      const h = await this.services.handle(folder);
      const { LearningEndpoints } = lazy().learningContract;
      const query = { version, limit: String(EXECUTIONS_SHOWN) };
      const list = await h.client.send(LearningEndpoints.functionExecutions, { name: fn.key }, undefined, { timeoutMs: 5000, query });
      return executionNodes(folder, fn, version, list.executions, new Date().getTimezoneOffset());
    } catch {
      return [];
    }
  }

  detail(folder: FolderRef, key: string): Promise<FunctionDetailResponse> {
    const k = `${folder.uri}#${key}`;
    let p = this.details.get(k);
    if (!p) {
      p = this.services.handle(folder).then((h) => h.client.getFunction(key));
      p.catch(() => this.details.delete(k));
      this.details.set(k, p);
    }
    return p;
  }

  /** The whole tree as plain data (expanding everything), for the test API. */
  async snapshot(): Promise<TreeSnapshot[]> {
    const walk = async (n?: TreeNode): Promise<TreeSnapshot[]> => {
      const kids = await this.getChildren(n);
      return Promise.all(kids.map(async (k) => snapshotOf(k, k.collapsible === 'none' ? [] : await walk(k))));
    };
    return walk();
  }

  dispose(): void {
    this._onDidChangeTreeData.dispose();
    this._onDidLoad.dispose();
  }
}

async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) await fn(items[i++]!);
  });
  await Promise.all(workers);
}
