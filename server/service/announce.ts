// A running service announces itself in a service file (shared/contract/service-file.ts), so
// that `poet run` can report a program's executions to it without being told the URL and token.
// Written atomically with mode 0600 in a 0700 directory; removed when the service closes or the
// process exits (after a SIGKILL it stays behind, and readers skip it: its pid is gone).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { serviceFileDir, serviceFilePrefix, type ServiceFile } from '../../shared/contract/service-file';

export interface Announcement {
  path: string;
  remove(): void;
}

/** Writes the service file; a failure is logged, never fatal (the service works without it). */
export function announce(service: { url: string; workspace: string; token: string }, logger: Logger): Announcement | undefined {
  const dir = serviceFileDir();
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A directory others can read would expose tokens: tighten it if it is ours, else refuse.
    const st = statSync(dir);
    if ((st.mode & 0o077) !== 0) {
      if (typeof process.getuid === 'function' && st.uid !== process.getuid()) throw new Error(`${dir} belongs to another user`);
      chmodSync(dir, 0o700);
    }
    const workspace = realpathSync(service.workspace);
    const record: ServiceFile = { url: service.url, workspace, pid: process.pid, token: service.token, started_at: new Date().toISOString() };
    const path = join(dir, `${serviceFilePrefix(workspace)}${process.pid}.json`);
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
    const remove = () => rmSync(path, { force: true });
    process.once('exit', remove);
    return {
      path,
      remove() {
        process.off('exit', remove);
        remove();
      },
    };
  } catch (e) {
    logger.warn({ err: (e as Error).message, dir }, 'could not write the service file; `poet run` will not find this service');
    return undefined;
  }
}
