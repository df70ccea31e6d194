// Finds a POET service that runs for a workspace, from the service files services write
// (server/service/announce.ts), so `poet run` can pass its URL and token to the program.
import { readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HealthResponseSchema } from '../../../shared/contract/api';
import { serviceFileDir, serviceFilePrefix, ServiceFileSchema, type ServiceFile } from '../../../shared/contract/service-file';
import { pidAlive } from '../../storage/atomic';

/** Does the service answer, with the token, for this workspace? (A pid can be reused.) */
async function answers(s: ServiceFile): Promise<boolean> {
  try {
    const res = await fetch(new URL('/poet/health', s.url), { headers: { authorization: `Bearer ${s.token}` }, signal: AbortSignal.timeout(2000) });
    if (!res.ok) return false;
    const body = HealthResponseSchema.safeParse(await res.json());
    return body.success && body.data.workspace === s.workspace;
  } catch {
    return false;
  }
}

/** The newest live service for `workspace`, or undefined. Files of dead services are removed. */
export async function findService(workspace: string, env: NodeJS.ProcessEnv = process.env): Promise<ServiceFile | undefined> {
  let real: string;
  try {
    real = realpathSync(workspace);
  } catch {
    return undefined;
  }
  const dir = serviceFileDir(env);
  const prefix = serviceFilePrefix(real);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(prefix) && n.endsWith('.json'));
  } catch {
    return undefined;
  }
  const live: ServiceFile[] = [];
  for (const n of names) {
    let s: ServiceFile;
    try {
      s = ServiceFileSchema.parse(JSON.parse(readFileSync(join(dir, n), 'utf8')));
    } catch {
      continue;
    }
    if (s.workspace !== real) continue;
    if (!pidAlive(s.pid)) {
      rmSync(join(dir, n), { force: true });
      continue;
    }
    live.push(s);
  }
  live.sort((a, b) => (a.started_at < b.started_at ? 1 : -1));
  for (const s of live) if (await answers(s)) return s;
  return undefined;
}
