// Read-only documents for everything stored in a version: the enhanced code, Train's code, the
// metadata, and the original source kept in metadata.json. Stored versions are history, so
// they never open as editable files (typing would dirty them, a save or a diff editor's revert
// arrow would change a version in place). Served over HTTP by the folder's service, local or
// remote alike. URI: poet-store:/<key>/<version>/<part><ext>?<folder URI>.
import * as vscode from 'vscode';
import type { FolderClients } from '../folder-clients';

export const STORE_SCHEME = 'poet-store';
export type StorePart = 'original' | 'enhanced' | 'train' | 'metadata';

export function storeUri(folderUri: string, key: string, version: string, part: StorePart, ext: string): vscode.Uri {
  const name = part === 'metadata' ? 'metadata.json' : `${part}${ext}`;
  return vscode.Uri.from({ scheme: STORE_SCHEME, path: `/${key}/${version}/${name}`, query: folderUri });
}

/** The store URI of a stored file, from its path in the version folder (`…/v3/enhanced.na`). */
export function storeUriOf(folderUri: string, key: string, version: string, relPath: string): vscode.Uri {
  const base = relPath.split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot) : '';
  const part: StorePart = base === 'metadata.json' ? 'metadata' : base.startsWith('train.') ? 'train' : 'enhanced';
  return storeUri(folderUri, key, version, part, ext);
}

/** What a store URI addresses; undefined for anything else. */
export function parseStoreUri(uri: vscode.Uri): { folderUri: string; key: string; version: string; name: string } | undefined {
  if (uri.scheme !== STORE_SCHEME) return undefined;
  const [, key, version, name] = uri.path.split('/');
  return key && version && name ? { folderUri: uri.query, key, version, name } : undefined;
}

export class StoreDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly services: FolderClients) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const ref = parseStoreUri(uri);
    const folder = ref && (this.services.folderByUri(ref.folderUri) ?? this.services.folders()[0]);
    if (!ref || !folder) throw new Error(`Not a POET store address: ${uri.toString()}`);
    const { key, version, name } = ref;
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    const h = await this.services.handle(folder);
    const v = await h.client.getVersion(key, version, { signal: ac.signal });
    if (name.startsWith('original')) return v.metadata.original_source;
    if (name === 'metadata.json') return JSON.stringify(v.metadata, null, 2) + '\n';
    if (name.startsWith('train')) return v.train_code ?? '';
    return v.enhanced_code;
  }
}
