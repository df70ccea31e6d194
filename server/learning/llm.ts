// Optional LLM feedback analysis, on when POET_LLM_URL and POET_LLM_MODEL are set (the
// generator's settings; POET_LLM_API_KEY optional). The endpoint is OpenAI-compatible
// chat completions. Its answer must pass LlmAnalysisSchema; anything else (network error,
// timeout, bad JSON, wrong shape) falls back to the deterministic analysis, and the
// result says why. The API key goes in a header only, never into logs.
import { LlmAnalysisSchema, type Analysis } from '../../shared/contract/learning';

export interface LlmSettings {
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
}

export function llmSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): LlmSettings | null {
  const url = env.POET_LLM_URL?.trim();
  const model = env.POET_LLM_MODEL?.trim();
  if (!url || !model) return null;
  return { url, model, ...(env.POET_LLM_API_KEY ? { apiKey: env.POET_LLM_API_KEY } : {}), timeoutMs: Number(env.POET_LLM_TIMEOUT_MS) || 15_000 };
}

function endpoint(url: string): string {
  const u = url.replace(/\/+$/, '');
  return /\/chat\/completions$/.test(u) ? u : `${u}/chat/completions`;
}

const SYSTEM = [
  'You analyse user feedback about one run of a function. Reply with one JSON object only, with keys:',
  'sentiment ("positive"|"negative"|"neutral"), feedback_type ("rating"|"thumbs"|"text"|"structured"|"correction"|"performance"|"accuracy"|"error"|"suggestion"|"usability"|"general"),',
  'confidence (0..1), key_issues (string[]), suggestions (string[]), learning_priority ("high"|"medium"|"low"), score (0..1, 1 = best, or null).',
].join(' ');

/** Asks the LLM; returns its analysis, or the reason it could not be used. */
export async function llmAnalysis(
  settings: LlmSettings,
  input: { functionName: string; feedback: unknown; output?: unknown; error?: unknown },
): Promise<{ ok: true; analysis: Analysis } | { ok: false; reason: string }> {
  const body = {
    model: settings.model,
    temperature: 0,
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: SYSTEM },
      {
        role: 'user',
        content: JSON.stringify({ function: input.functionName, result: input.error ? { error: input.error } : { output: input.output }, feedback: input.feedback }).slice(0, 8000),
      },
    ],
  };
  let text: string;
  try {
    const res = await fetch(endpoint(settings.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!res.ok) return { ok: false, reason: `LLM endpoint answered HTTP ${res.status}` };
    const json = (await res.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
    const content = json.choices?.[0]?.message?.content;
    if (typeof content !== 'string') return { ok: false, reason: 'LLM reply has no choices[0].message.content' };
    text = content;
  } catch (e) {
    const err = e as Error;
    return { ok: false, reason: err.name === 'TimeoutError' ? `LLM did not answer within ${settings.timeoutMs} ms` : `LLM request failed: ${err.message}` };
  }
  let parsed: unknown;
  try {
    // Tolerate a fenced block around the JSON.
    parsed = JSON.parse(text.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ''));
  } catch {
    return { ok: false, reason: 'LLM reply is not JSON' };
  }
  const r = LlmAnalysisSchema.safeParse(parsed);
  if (!r.success) return { ok: false, reason: `LLM reply does not match the analysis schema (${r.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')})` };
  return { ok: true, analysis: { ...r.data, method: 'llm' } };
}
