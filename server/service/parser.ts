// Parsing off the event loop. A Python text of 1 MB takes seconds to parse (2.5 s for real
// code here, more for a long chain of operators), and on the event loop every other request,
// /health included, would wait that long. Texts from OFF_LOOP_CHARS up are parsed in a worker
// thread (parse-worker.ts), one at a time; smaller ones, a few milliseconds at most, inline.
// The worker has its own heap limit and time budget, so a text that would take the service
// down (a 1 MB chain of `+` needs 200 MB to parse) costs the request a 413 instead, and the
// worker stops when idle so that its heap is returned.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PoetError } from '../../shared/contract/errors';
import type { Language, ParsedFile } from '../../shared/source/model';
import { parseSource } from '../../shared/source/parse';

/** Texts this long or longer are parsed in the worker. */
export const OFF_LOOP_CHARS = 8 * 1024;
/** The worker's heap limit (its old generation); realistic 1 MB files need ~40 MB. */
export const WORKER_HEAP_MB = 128;
/** A parse that takes longer is stopped (the worker is terminated) and refused. */
export const PARSE_BUDGET_MS = 30_000;
const IDLE_STOP_MS = 30_000;

interface Job {
  code: string;
  language: Language;
  ok: (p: ParsedFile) => void;
  fail: (e: Error) => void;
}

/** How to start the worker: the bundle next to this one, or the TypeScript source under tsx (tests). */
function workerScript(): { script: string; eval: boolean } {
  const built = join(__dirname, 'parse-worker.js');
  if (existsSync(built)) return { script: built, eval: false };
  const loader = require.resolve('tsx/cjs');
  return { script: `require(${JSON.stringify(loader)}); require(${JSON.stringify(join(__dirname, 'parse-worker.ts'))});`, eval: true };
}

function tooBig(code: string, why: string): PoetError {
  return new PoetError('payload_too_large', `The code (${code.length} characters) is too large to parse: ${why}. Send the one function to enhance, or a smaller file.`, {
    chars: code.length,
  });
}

export class SourceParser {
  private worker?: Worker;
  /** Waiting parses; the first one is in the worker. */
  private readonly queue: Job[] = [];
  private budget?: NodeJS.Timeout;
  private idle?: NodeJS.Timeout;

  parse(code: string, language: Language): Promise<ParsedFile> {
    if (code.length < OFF_LOOP_CHARS) return Promise.resolve(parseSource(code, language));
    return new Promise((ok, fail) => {
      this.queue.push({ code, language, ok, fail });
      if (this.queue.length === 1) this.next();
    });
  }

  /** For /poet/health: whether the worker runs and how many parses it has to do. */
  status(): { ok: boolean; worker: 'running' | 'stopped'; in_flight: number; off_loop_from_chars: number } {
    return { ok: true, worker: this.worker ? 'running' : 'stopped', in_flight: this.queue.length, off_loop_from_chars: OFF_LOOP_CHARS };
  }

  /** Stops the worker (the service's close). */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    for (const job of this.queue.splice(0)) job.fail(new PoetError('internal', 'The service is shutting down.'));
    await this.stop();
  }

  private next(): void {
    clearTimeout(this.budget);
    const job = this.queue[0];
    if (!job) {
      this.worker?.unref();
      clearTimeout(this.idle);
      this.idle = setTimeout(() => void this.stop(), IDLE_STOP_MS).unref();
      return;
    }
    clearTimeout(this.idle);
    let w: Worker;
    try {
      w = this.worker ??= this.start();
    } catch (e) {
      this.queue.shift();
      job.fail(e as Error);
      this.next();
      return;
    }
    w.ref(); // a CLI run waiting for this parse must not exit
    this.budget = setTimeout(() => this.abort(tooBig(job.code, `parsing took longer than ${PARSE_BUDGET_MS / 1000} s`)), PARSE_BUDGET_MS);
    w.postMessage({ code: job.code, language: job.language });
  }

  private start(): Worker {
    const { script, eval: isEval } = workerScript();
    const w = new Worker(script, { eval: isEval, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }, stdout: false, stderr: false });
    w.on('message', (m: { parsed?: ParsedFile; error?: string }) => {
      if (this.worker !== w) return; // an answer that lost the race with a stop
      const job = this.queue.shift();
      if (m.parsed) job?.ok(m.parsed);
      else job?.fail(new Error(`parse worker: ${m.error}`));
      this.next();
    });
    w.on('error', (e: Error & { code?: string }) => {
      if (this.worker !== w) return;
      const job = this.queue[0];
      this.abort(
        job && e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooBig(job.code, `parsing it needs more than the parser's ${WORKER_HEAP_MB} MB`) : new Error(`parse worker failed: ${e.message}`),
      );
    });
    w.on('exit', () => {
      if (this.worker !== w) return;
      // Exited on its own (not stopped by us): fail what it had and start afresh for the rest.
      this.worker = undefined;
      if (this.queue.length) this.abort(new Error('parse worker exited'));
    });
    return w;
  }

  /** Fails the parse in the worker, replaces the worker, and goes on with the queue. */
  private abort(err: Error): void {
    const job = this.queue.shift();
    void this.stop();
    job?.fail(err);
    this.next();
  }

  private async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
