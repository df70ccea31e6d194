// The checks every request passes before any route: Host allowlist (against DNS rebinding),
// no browser Origin (against drive-by requests from web pages), bearer token, no empty path
// segment, and JSON-only bodies. Written against node:http's IncomingMessage so that the
// Express app and the transpile fast path (fast-path.ts) run the very same checks.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PoetError } from '../../shared/contract/errors';
import { tokenMatches } from './token';

export interface GuardOptions {
  token: string;
  /** The address the server is bound to (its name is accepted in Host too). */
  host: string;
  /** The bound port; a function because `--port 0` is known only after listen. */
  port: () => number;
  /**
   * Names a remote client uses for this machine (POET_ALLOWED_HOSTS), for a service bound
   * beyond loopback. Accepted with the port, like the loopback names.
   */
  allowedHosts?: readonly string[];
}

/** Returns the reason to refuse the request, or undefined to let it through. `path` excludes the query. */
export type Guard = (req: IncomingMessage, path: string) => PoetError | undefined;

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** The caller's X-Request-Id when it is a sane token, else a fresh UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  const semi = contentType?.indexOf(';') ?? -1;
  return (semi < 0 ? (contentType ?? '') : contentType!.slice(0, semi)).trim().toLowerCase();
}

/** The charset parameter of a Content-Type header, lower-cased, or undefined. */
export function charset(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
}

function hasBody(req: IncomingMessage): boolean {
  const len = req.headers['content-length'];
  return (len !== undefined && len !== '0') || req.headers['transfer-encoding'] !== undefined;
}

export function createGuard(opts: GuardOptions): Guard {
  // The allowed `host:port` set, built once per port (port 0 is resolved after listen).
  let allowed: { port: number; names: Set<string> } | undefined;
  const allowedFor = (port: number): Set<string> => {
    if (allowed?.port === port) return allowed.names;
    const names = new Set(['127.0.0.1', 'localhost', '[::1]', ...(opts.allowedHosts ?? []).map((h) => h.toLowerCase())]);
    const b = opts.host;
    const bound = b.includes(':') && !b.startsWith('[') ? `[${b}]` : b;
    // An explicit non-wildcard bind address is reachable by its own name too.
    if (bound !== '0.0.0.0' && bound !== '[::]') names.add(bound.toLowerCase());
    const set = new Set<string>();
    for (const n of names) {
      set.add(`${n}:${port}`);
      if (port === 80) set.add(n);
    }
    allowed = { port, names: set };
    return set;
  };

  return (req, path) => {
    const port = opts.port();
    const hosts = allowedFor(port);
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) {
      return new PoetError('forbidden', `Host "${req.headers.host ?? ''}" is not allowed. Use http://127.0.0.1:${port} (or localhost:${port}).`, {
        allowed_hosts: [...hosts],
      });
    }
    if (req.headers.origin !== undefined) {
      return new PoetError('forbidden', 'Requests from web pages (with an Origin header) are refused. Call the service from a tool, not a browser.');
    }
    // Every path except GET /health needs `Authorization: Bearer TOKEN`.
    if (!(path === '/health' && (req.method === 'GET' || req.method === 'HEAD'))) {
      const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      if (!m || !tokenMatches(m[1]!.trim(), opts.token)) {
        return new PoetError(
          'unauthorized',
          m ? 'The bearer token is wrong.' : 'Missing "Authorization: Bearer TOKEN" header. The token is POET_API_KEY, or the one printed at start.',
        );
      }
    }
    // `/poet/functions//versions/v1`, `/poet/cache/`: an empty name is a 400, not a route to something else.
    if (path.startsWith('/poet/') && /\/\/|\/$/.test(path)) {
      return new PoetError('invalid_request', `Empty name in path "${path}".`, [{ field: 'name', message: 'must not be empty' }]);
    }
    if (hasBody(req)) {
      const type = req.headers['content-type'];
      if (mediaType(type) !== 'application/json') {
        return new PoetError('unsupported_media_type', `Request bodies must be JSON (Content-Type: application/json), not "${type ?? 'none'}".`);
      }
      // JSON between systems is UTF-8 (RFC 8259, 8.1); the body checks (body.ts) rely on it.
      const cs = charset(type);
      if (cs !== undefined && cs !== 'utf-8' && cs !== 'utf8') {
        return new PoetError('unsupported_media_type', `Request bodies must be UTF-8 JSON, not charset "${cs}". Send the body in UTF-8 (or leave out the charset parameter).`);
      }
    }
    return undefined;
  };
}
