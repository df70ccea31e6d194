// Infrastructure failures name the step that broke, so a red CI run says where to look.
export type Step = 'install' | 'package' | 'bundle' | 'start' | 'browser' | 'extension' | 'suite';

export class StepError extends Error {
  constructor(
    readonly step: Step,
    message: string,
  ) {
    super(`step ${step} failed: ${message}`);
  }
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; never a blind sleep. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (true) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${(lastError as Error).message ?? lastError})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
