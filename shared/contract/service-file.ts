// The service file: how a running POET service tells tools on the same machine (`poet run`)
// where it listens for a workspace. One JSON file per service, in a directory only its user can
// read (it holds the bearer token, which the service's own environment holds already).
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export const ServiceFileSchema = z.object({
  /** Base URL on a loopback address, e.g. http://127.0.0.1:41233. */
  url: z.url(),
  /** Absolute, real path of the workspace the service writes `.dana/poet/` into. */
  workspace: z.string().min(1),
  pid: z.number().int().positive(),
  token: z.string().min(1),
  started_at: z.string(),
});
export type ServiceFile = z.infer<typeof ServiceFileSchema>;

/**
 * Where service files live: $POET_RUNTIME_DIR, else $XDG_RUNTIME_DIR/poet (a per-user tmpfs on
 * Linux), else %LOCALAPPDATA%\poet\services on Windows, else ~/.cache/poet/services.
 */
export function serviceFileDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POET_RUNTIME_DIR) return env.POET_RUNTIME_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'poet');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'poet', 'services');
  return join(homedir(), '.cache', 'poet', 'services');
}

/** The file-name prefix of a workspace's service files (a hash of its real path, then `-PID.json`). */
export function serviceFilePrefix(realWorkspace: string): string {
  return createHash('sha256').update(realWorkspace).digest('hex').slice(0, 16) + '-';
}
