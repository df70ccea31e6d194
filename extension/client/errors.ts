// Turns anything the HTTP client throws into a sentence a person can act on, plus the
// buttons that help. Pure (no `vscode`, no `got`): the client classifies its failures into
// PoetClientError, and this file decides what to say.
import { ErrorBodySchema, type ErrorCode } from '../../shared/contract/errors';
import { FieldIssueSchema, KeyConflictDetailsSchema, SyntaxErrorDetailsSchema } from '../../shared/contract/api';
import { z } from 'zod';

export type FailureKind = 'http' | 'network' | 'timeout' | 'contract' | 'cancelled';

/** What the client throws. `status`/`body` for http; `code` (ECONNREFUSED…) for network. */
export class PoetClientError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly info: {
      method: string;
      url: string;
      status?: number;
      /** Parsed JSON body, or the raw text when it was not JSON. */
      body?: unknown;
      code?: string;
      timeoutMs?: number;
      /** For contract failures: the zod issues, already formatted. */
      issues?: string[];
    },
  ) {
    super(message);
    this.name = 'PoetClientError';
  }
  /** The service's error code when the body had the standard shape. */
  get errorCode(): ErrorCode | undefined {
    const b = ErrorBodySchema.safeParse(this.info.body);
    return b.success ? b.data.error.code : undefined;
  }
}

export type ErrorAction = 'showLog' | 'restartService' | 'setApiKey' | 'openSettings' | 'retry';

export interface UserFacingError {
  message: string;
  actions: ErrorAction[];
}

export interface DescribeContext {
  /** True when the service is a remote one (poet.service.url), false for the bundled one. */
  remote: boolean;
}

const NETWORK_HINTS: Record<string, string> = {
  ECONNREFUSED: 'nothing is listening there',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved right now',
  EHOSTUNREACH: 'the host is unreachable',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the connection closed while sending',
};

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function seconds(ms: number): string {
  return ms < 10_000 ? String(Math.round(ms / 100) / 10) : String(Math.round(ms / 1000));
}

function listFieldIssues(details: unknown): string {
  const r = z.array(FieldIssueSchema).safeParse(details);
  if (!r.success || r.data.length === 0) return '';
  const parts = r.data.slice(0, 5).map((i) => `${i.field}: ${i.message}${i.suggestion && !i.message.includes(i.suggestion) ? ` (did you mean "${i.suggestion}"?)` : ''}`);
  const more = r.data.length > 5 ? `; and ${r.data.length - 5} more` : '';
  return ` ${parts.join('; ')}${more}.`;
}

function endSentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** The message and actions for one failure. Never includes a token. */
export function describeError(err: unknown, ctx: DescribeContext): UserFacingError {
  if (!(err instanceof PoetClientError)) {
    const msg = err instanceof Error ? err.message : String(err);
    return { message: `POET failed: ${endSentence(msg)} See the POET log for details.`, actions: ['showLog'] };
  }
  const where = origin(err.info.url);
  const svc = ctx.remote ? `The remote POET service at ${where}` : 'The POET service';

  switch (err.kind) {
    case 'cancelled':
      return { message: 'The POET request was cancelled.', actions: [] };
    case 'timeout':
      return {
        message: `${svc} did not answer within ${seconds(err.info.timeoutMs ?? 0)} s (${err.info.method} ${new URL(err.info.url).pathname}). It may be busy; try again, or check the log.`,
        actions: ['retry', 'showLog'],
      };
    case 'network': {
      const code = err.info.code ?? 'network error';
      const hint = NETWORK_HINTS[code] ? `: ${NETWORK_HINTS[code]}` : '';
      if (ctx.remote) {
        return {
          message: `${svc} is not reachable (${code}${hint}). Check the "poet.service.url" setting and your network.`,
          actions: ['openSettings', 'retry'],
        };
      }
      return {
        message: `The bundled POET service at ${where} is not reachable (${code}${hint}). Restart it with "POET: Restart Service".`,
        actions: ['restartService', 'showLog'],
      };
    }
    case 'contract':
      return {
        message: `${svc} answered ${err.info.method} ${new URL(err.info.url).pathname} with a response this extension does not understand (${(err.info.issues ?? []).slice(0, 3).join('; ')}). The extension and the service versions probably differ.`,
        actions: ['showLog'],
      };
    case 'http':
      break;
  }

  const status = err.info.status ?? 0;
  const parsed = ErrorBodySchema.safeParse(err.info.body);
  if (!parsed.success) {
    const text = typeof err.info.body === 'string' ? err.info.body.trim().slice(0, 200) : '';
    if (status === 401 || status === 403) return authError(status, svc, ctx, '');
    return {
      message: `${svc} answered HTTP ${status}${text ? `: ${text}` : ''}. ${ctx.remote ? 'Check that "poet.service.url" points to a POET service.' : 'See the service log.'}`,
      actions: ctx.remote ? ['openSettings', 'showLog'] : ['showLog'],
    };
  }
  const { code, message, details } = parsed.data.error;
  switch (code) {
    case 'unauthorized':
    case 'forbidden':
      return authError(status, svc, ctx, message);
    case 'invalid_request':
      return { message: `POET rejected the request: ${endSentence(message)}${listFieldIssues(details)}`, actions: [] };
    case 'syntax_error': {
      const d = SyntaxErrorDetailsSchema.safeParse(details);
      const at = d.success ? ` (line ${d.data.line}, column ${d.data.column})` : '';
      return { message: `The code does not parse${at}: ${endSentence(d.success ? d.data.message : message)} Fix the syntax error and enhance again.`, actions: [] };
    }
    case 'not_found':
      return { message: `${endSentence(message)} Refresh the POET view, or enhance the function first.`, actions: [] };
    case 'conflict': {
      const d = KeyConflictDetailsSchema.safeParse(details);
      if (d.success) {
        return {
          message: `Another file (${d.data.existing_source_file ?? 'unknown'}) already has a POET history for "${d.data.key}". POET keeps this one separately as "${d.data.suggested_key}" when you enhance again.`,
          actions: [],
        };
      }
      return { message: `${endSentence(message)} Try again in a moment.`, actions: ['retry'] };
    }
    case 'symlink_refused':
      return { message: `${endSentence(message)} Then try again.`, actions: ['retry'] };
    case 'payload_too_large':
      return { message: `${endSentence(message)} Enhance a single function instead of the whole file.`, actions: [] };
    case 'headers_too_large':
      return { message: `${endSentence(message)} ${ctx.remote ? 'Check the API key set with "POET: Set Remote Service API Key".' : 'This is a bug in the extension; please report it with the log.'}`, actions: ctx.remote ? ['setApiKey', 'showLog'] : ['showLog'] };
    case 'unsupported_media_type':
      return { message: `${svc} refused the request's format (${message}). This is a bug in the extension; please report it with the log.`, actions: ['showLog'] };
    case 'internal':
      return { message: `${svc} failed: ${endSentence(message)} See the service log for the request id.`, actions: ctx.remote ? ['showLog'] : ['showLog', 'restartService'] };
  }
}

function authError(status: number, svc: string, ctx: DescribeContext, message: string): UserFacingError {
  const why = message ? ` (${message.replace(/\.$/, '')})` : '';
  if (ctx.remote) {
    return {
      message: `${svc} refused the API key${why}, HTTP ${status}. Set the right key with "POET: Set Remote Service API Key".`,
      actions: ['setApiKey'],
    };
  }
  return {
    message: `${svc} refused the extension's credentials${why}, HTTP ${status}. Restart it with "POET: Restart Service".`,
    actions: ['restartService', 'showLog'],
  };
}
