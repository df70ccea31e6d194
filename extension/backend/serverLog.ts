// The backend's stderr carries the service's structured JSON log lines (pino). The language
// client would log every stderr line as an error; this maps each line to its real level and
// a readable text instead. Pure (no `vscode`).
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  text: string;
}

const PINO_LEVELS: Array<[number, LogLevel]> = [
  [50, 'error'],
  [40, 'warn'],
  [30, 'info'],
  [20, 'debug'],
  [0, 'trace'],
];
const OMIT = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name', 'v']);

function show(v: unknown): string {
  if (typeof v === 'string') return /\s/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

/** One stderr line → level and text. Lines that are not JSON log records stay errors. */
export function parseServerLogLine(line: string): LogEntry {
  const t = line.trim();
  if (t.startsWith('{') && t.endsWith('}')) {
    try {
      const rec = JSON.parse(t) as Record<string, unknown>;
      if (typeof rec.level === 'number' && typeof rec.msg === 'string') {
        const level = PINO_LEVELS.find(([n]) => (rec.level as number) >= n)![1];
        const fields = Object.entries(rec)
          .filter(([k, v]) => !OMIT.has(k) && v !== undefined && k !== 'err')
          .map(([k, v]) => `${k}=${show(v)}`);
        const err = rec.err && typeof rec.err === 'object' ? (rec.err as { stack?: string; message?: string }) : undefined;
        const prefix = typeof rec.name === 'string' ? `[${rec.name}] ` : '';
        const text = `${prefix}${rec.msg}${fields.length ? ` ${fields.join(' ')}` : ''}${err ? `\n${err.stack ?? err.message ?? ''}` : ''}`;
        return { level, text };
      }
    } catch {
      /* not JSON after all */
    }
  }
  return { level: 'error', text: line };
}
