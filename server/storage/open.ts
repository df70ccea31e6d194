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

/**
 * Refuses a store URL with a password given on the command line: every user of the machine can
 * read a process's arguments (`ps`, /proc). The environment and ~/.pgpass are not shown that way.
 */
export function refusePasswordInArgs(flag: string, spec: string | undefined): void {
  if (!spec || !/^postgres(ql)?:\/\//.test(spec.trim())) return;
  let password: string;
  try {
    password = new URL(spec.trim()).password;
  } catch {
    return; // not a URL the driver reads either; parseStoreSpec and the driver say what is wrong
  }
  if (password) {
    throw new Error(
      `${flag} carries a password, and command-line arguments are visible to every user of this machine. ` +
        `Give the URL in ${STORE_ENV} instead, or leave the password out of it and put it in PGPASSWORD or ~/.pgpass`,
    );
  }
}

/** Opens the store (PostgreSQL: connects and runs pending migrations first). */
export async function openStore(opts: { workspace: string; store?: string; logger?: Logger }): Promise<PoetStore> {
  const spec = parseStoreSpec(opts.store);
  if (spec.kind === 'file') return new FileStore(opts.workspace, opts.logger);
  // Loaded only when used: the extension's backend never needs the driver.
  const { PgStore } = await import('./postgres/pg-store');
  return PgStore.open({ url: spec.url, workspace: opts.workspace, logger: opts.logger });
}
