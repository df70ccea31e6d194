// The bearer token: POET_API_KEY from the environment, else 32 random bytes per start.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TOKEN_ENV } from '../../shared/contract/api';

export function resolveToken(env: NodeJS.ProcessEnv = process.env): { token: string; generated: boolean } {
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv && fromEnv.length > 0) return { token: fromEnv, generated: false };
  return { token: randomBytes(32).toString('base64url'), generated: true };
}

/** Constant-time comparison; hashing first makes the lengths equal and hides the token's length. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === '127.0.0.1' || h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
