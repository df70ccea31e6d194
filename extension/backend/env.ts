import type { PoetSettings } from '../../shared/settings';

/** Environment for the backend process from the settings (never the token: the caller adds it). */
export function backendEnv(settings: PoetSettings): Record<string, string> {
  const env: Record<string, string> = {};
  if (settings.servicePort) env.POET_PORT = String(settings.servicePort);
  if (settings.llm.provider) env.POET_LLM_PROVIDER = settings.llm.provider;
  if (settings.llm.model) env.POET_LLM_MODEL = settings.llm.model;
  if (settings.llm.endpoint) env.POET_LLM_ENDPOINT = settings.llm.endpoint;
  return env;
}
