// Optional LLM assistance: when POET_LLM_URL, POET_LLM_MODEL and POET_LLM_API_KEY are all set,
// ask an OpenAI-compatible chat-completions endpoint for extra Perceive/Enforce rules in the
// declarative-domain schema — data, never code. The answer is validated (zod, strict), rules
// that match no parameter are dropped, the rest are merged after the domain's rules. Any
// failure, timeout or invalid answer leaves the deterministic output and says why in metadata.
// Nothing is sent anywhere unless all three variables are set.
import { sha256 } from '../../../shared/source/hash';
import { matchesPattern, RuleSetSchema, tagRules, type RuleSet } from '../rules/schema';
import type { GenerateRequest, GenerateResult } from '../types';
import { buildPrompt } from './prompt';

export interface LlmSettings {
  url: string;
  model: string;
  apiKey: string;
  timeoutMs: number;
}

export function llmSettings(env: NodeJS.ProcessEnv = process.env): LlmSettings | null {
  const url = env.POET_LLM_URL?.trim();
  const model = env.POET_LLM_MODEL?.trim();
  const apiKey = env.POET_LLM_API_KEY?.trim();
  if (!url || !model || !apiKey) return null;
  const t = Number(env.POET_LLM_TIMEOUT_MS);
  return { url, model, apiKey, timeoutMs: Number.isFinite(t) && t > 0 ? Math.min(t, 120_000) : 15_000 };
}

/** `…/chat/completions` as given, or appended to a base URL such as `http://host/v1`. */
export function completionsUrl(url: string): string {
  return /\/chat\/completions\/?$/.test(url) ? url : url.replace(/\/+$/, '') + '/chat/completions';
}

/** The JSON object inside an answer (code fences and surrounding prose tolerated). */
function extractJson(content: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content);
  const text = (fenced ? fenced[1]! : content).trim();
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('no JSON object in the answer');
  return JSON.parse(text.slice(start, end + 1));
}

export type LlmOutcome =
  | { used: true; model: string; prompt_hash: string; rules_taken: RuleSet; rules_dropped: number }
  | { used: false; reason: string; model?: string; prompt_hash?: string };

export async function askForRules(req: GenerateRequest, settings: LlmSettings): Promise<{ rules: RuleSet | undefined; outcome: LlmOutcome }> {
  const { system, user } = buildPrompt(req);
  const promptHash = sha256(`${system}\n\n${user}`);
  const base = { model: settings.model, prompt_hash: promptHash };
  const fail = (reason: string) => ({ rules: undefined, outcome: { used: false as const, reason, ...base } });
  let content: string;
  try {
    const res = await fetch(completionsUrl(settings.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.apiKey}` },
      body: JSON.stringify({
        model: settings.model,
        temperature: 0,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
      }),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!res.ok) return fail(`the model endpoint answered HTTP ${res.status}`);
    const body = (await res.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
    const c = body.choices?.[0]?.message?.content;
    if (typeof c !== 'string') return fail('the answer has no choices[0].message.content');
    content = c;
  } catch (e) {
    const err = e as Error;
    return fail(err.name === 'TimeoutError' || err.name === 'AbortError' ? `no answer within ${settings.timeoutMs} ms` : `request failed: ${err.message}`);
  }
  let json: unknown;
  try {
    json = extractJson(content);
  } catch (e) {
    return fail(`invalid answer: ${(e as Error).message}`);
  }
  const parsed = RuleSetSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return fail(`invalid answer: ${i.path.join('.') || '(top level)'}: ${i.message}`);
  }
  const names = req.fn.params.map((p) => p.name.replace(/^\*+/, ''));
  const inputs = parsed.data.inputs.filter((r) => r.params.some((pat) => names.some((n) => matchesPattern(pat, n))));
  const outputs = parsed.data.outputs;
  const taken: RuleSet = { inputs, outputs };
  return {
    rules: tagRules(taken, 'llm'),
    outcome: { used: true, ...base, rules_taken: taken, rules_dropped: parsed.data.inputs.length - inputs.length },
  };
}

/** Runs the generator with LLM rules when configured; records what happened in `metadata.llm`. */
export async function withLlmRules(req: GenerateRequest, gen: (extra?: RuleSet) => GenerateResult, env: NodeJS.ProcessEnv = process.env): Promise<GenerateResult> {
  const settings = llmSettings(env);
  if (!settings) {
    const r = gen();
    return { ...r, metadata: { ...r.metadata, llm: { used: false, reason: 'not configured (POET_LLM_URL, POET_LLM_MODEL and POET_LLM_API_KEY)' } } };
  }
  const { rules, outcome } = await askForRules(req, settings);
  if (rules) {
    try {
      const r = gen(rules);
      return { ...r, metadata: { ...r.metadata, llm: outcome } };
    } catch (e) {
      const r = gen();
      return { ...r, metadata: { ...r.metadata, llm: { used: false, reason: `suggested rules could not be applied: ${(e as Error).message}`, model: settings.model } } };
    }
  }
  const r = gen();
  return { ...r, metadata: { ...r.metadata, llm: { ...outcome, fallback: 'deterministic rules only' } } };
}
