// Structured JSON logs on stderr (stdout carries the CLI's one-line "listening" message).
import pino, { type Logger } from 'pino';

export function createLogger(level = process.env.POET_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      name: 'poet-service',
      level,
      // Belt and braces: no code path logs headers, but if one ever does, the token stays out.
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token'], censor: '[redacted]' },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}
