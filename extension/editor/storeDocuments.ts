// Read-only documents for what is stored in a version but is not a file of its own (the
// original source kept in metadata.json), and for every stored file when the service is
// remote. URI: poet-store:/<key>/<version>/<part>?<folder URI>, part = original | enhanced | metadata.
import * as vscode from 'vscode';
import type { PoetServices } from '../services';

export const STORE_SCHEME = 'poet-store';
export type StorePart = 'original' | 'enhanced' | 'metadata';

export function storeUri(folderUri: string, key: string, version: string, part: StorePart, ext: string): vscode.Uri {
  const name = part === 'metadata' ? 'metadata.json' : `${part}${ext}`;
  return vscode.Uri.from({ scheme: STORE_SCHEME, path: `/${key}/${version}/${name}`, query: folderUri });
}

export class StoreDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly services: PoetServices) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const [, key, version, name] = uri.path.split('/');
    const folder = this.services.folderByUri(uri.query) ?? this.services.folders()[0];
    if (!key || !version || !name || !folder) throw new Error(`Not a POET store address: ${uri.toString()}`);
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    const h = await this.services.handle(folder);
    const v = await h.client.getVersion(key, version, { signal: ac.signal });
    if (name.startsWith('original')) return v.metadata.original_source;
    if (name === 'metadata.json') return JSON.stringify(v.metadata, null, 2) + '\n';
    return v.enhanced_code;
  }
}
