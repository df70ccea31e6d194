// The one error shape every non-2xx response uses, and its status codes.
import { z } from 'zod';

export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** A symbolic link inside .dana/poet/ (server/storage/links.ts). */
  symlink_refused: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** Headers over Node's limit (16 KiB); answered by server/service/client-error.ts. */
  headers_too_large: 431,
  syntax_error: 422,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Thrown anywhere in the service; the HTTP layer turns it into an ErrorBody. */
export class PoetError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PoetError';
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) } };
  }
}
