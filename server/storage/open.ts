// Which store a service runs on: the file store in the workspace (the default), or PostgreSQL
// when `--store` / POET_STORE names a postgres:// URL.
import type { Logger } from 'pino';
import { FileStore } from './file-store';
import { redactUrl } from './redact-url';
import type { PoetStore } from './store';

export const STORE_ENV = 'POET_STORE';

/** `file` (or nothing) or a `postgres://` / `postgresql://` URL; anything else is refused with what to give. */
export function parseStoreSpec(spec: string | undefined): { kind: 'file' } | { kind: 'postgres'; url: string } {
  const s = (spec ?? '').trim();
  if (s === '' || s === 'file') return { kind: 'file' };
  if (/^postgres(ql)?:\/\//.test(s)) return { kind: 'postgres', url: s };
  throw new Error(`unknown store '${redactUrl(s)}': give "file" (the default: .dana/poet/ in the workspace) or a PostgreSQL URL, postgres://USER:PASSWORD@HOST:PORT/DATABASE`);
}

/** Opens the store (PostgreSQL: connects and runs pending migrations first). */
export async function openStore(opts: { workspace: string; store?: string; logger?: Logger }): Promise<PoetStore> {
  const spec = parseStoreSpec(opts.store);
  if (spec.kind === 'file') return new FileStore(opts.workspace, opts.logger);
  // Loaded only when used: the extension's backend never needs the driver.
  const { PgStore } = await import('./postgres/pg-store');
  return PgStore.open({ url: spec.url, workspace: opts.workspace, logger: opts.logger });
}
