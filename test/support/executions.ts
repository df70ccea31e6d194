// A recorded execution of PY_ADD as the reporters send it: 3 calls in 10 fail transiently
// (i % 10 < 3), durations spread over 100–490 ms, one second apart. Shared by the storage tests.
export const execution = (i: number, over: Record<string, unknown> = {}) => ({
  function_name: 'add',
  version: 'v1',
  inputs: { a: i, b: 1 },
  ...(i % 10 < 3 ? { error: { type: 'ConnectionError', message: 'reset', phase: 'operate' } } : { output: i + 1 }),
  duration_ms: 100 + (i % 40) * 10,
  attempts: 1,
  started_at: new Date(Date.UTC(2026, 10, 26, 10) + i * 1000).toISOString(),
  ...over,
});
