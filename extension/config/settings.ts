// The `poet.*` settings as typed values, and how they feed POET's config layers
// (defaults < settings < @poet(...) arguments < request). Validation of the POETConfig keys is
// shared/config.ts's `resolveConfig`; this file only maps names and reports its issues.
// Pure (no `vscode`): the extension passes a getter over `workspace.getConfiguration('poet')`.
import type { ConfigContext, ConfigIssue, PoetConfigInput } from '../../shared/config';
import type { CodeLensMode, PoetServerSettings } from '../../shared/lsp-protocol';
import type { LiteralValue } from '../../shared/source/model';
import { RESTART_SETTINGS, Settings } from '../../shared/ids';
import { lazy } from '../lazy/load';

export interface PoetSettings {
  servicePort: number;
  /** '' = use the bundled service. */
  serviceUrl: string;
  /** '' = no default domain. */
  defaultDomain: string;
  retries: number;
  timeout: number;
  codeLens: CodeLensMode;
  autoTrain: boolean;
  llm: { provider: string; model: string; endpoint: string };
  /** The Dana interpreter Run File with Enhancements starts; '' = $POET_DANA, else `dana` on PATH. */
  danaPath: string;
}

export interface SettingsResult {
  settings: PoetSettings;
  /** Each bad value, named by its full setting name, with what was used instead. */
  issues: ConfigIssue[];
}

/** Reads a setting relative to `poet.` (e.g. `service.port`). */
export type SettingGetter = (key: string) => unknown;

const CODELENS: readonly CodeLensMode[] = ['decorated', 'all', 'off'];

// shared/config.ts pulls in zod, which costs tens of ms to load: it is required on first use,
// not when the extension activates.
const sharedConfig = () => lazy().sharedConfig;

// Domain names are the service's business (it knows the registry); here any name passes and
// only the core keys' types and ranges are checked.
const ANY_DOMAIN: ConfigContext = { domain: () => ({ params: {} }), domainNames: () => [] };

export function readSettings(get: SettingGetter): SettingsResult {
  const issues: ConfigIssue[] = [];
  const full = (k: string) => `${Settings.section}.${k}`;

  const str = (k: string): string => {
    const v = get(k);
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') {
      issues.push({ key: full(k), message: `"${full(k)}" must be a string; ignored.` });
      return '';
    }
    return v.trim();
  };

  let servicePort = 0;
  const port = get(Settings.servicePort);
  if (port !== undefined && port !== null) {
    if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535) servicePort = port;
    else issues.push({ key: full(Settings.servicePort), message: `"${full(Settings.servicePort)}" must be an integer from 0 to 65535 (0 = a free port); using 0.` });
  }

  let serviceUrl = str(Settings.serviceUrl);
  if (serviceUrl) {
    try {
      const u = new URL(serviceUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      serviceUrl = serviceUrl.replace(/\/+$/, '');
    } catch {
      issues.push({ key: full(Settings.serviceUrl), message: `"${full(Settings.serviceUrl)}" must be an http(s) URL such as https://poet.example.com; using the bundled service.` });
      serviceUrl = '';
    }
  }

  const defaultDomain = str(Settings.defaultDomain);

  // retries/timeout: exactly the POETConfig rules, through the shared resolver.
  const layer: PoetConfigInput = {};
  const retries = get(Settings.retries);
  const timeout = get(Settings.timeout);
  if (retries !== undefined && retries !== null) layer.retries = retries;
  if (timeout !== undefined && timeout !== null) layer.timeout = timeout;
  const { resolveConfig, DEFAULT_CONFIG } = sharedConfig();
  const checked = resolveConfig([layer], ANY_DOMAIN);
  const settingsRetries = checked.ok || !checked.issues.some((i) => i.key === 'retries') ? (layer.retries as number | undefined) ?? DEFAULT_CONFIG.retries : DEFAULT_CONFIG.retries;
  const settingsTimeout = checked.ok || !checked.issues.some((i) => i.key === 'timeout') ? (layer.timeout as number | undefined) ?? DEFAULT_CONFIG.timeout : DEFAULT_CONFIG.timeout;
  if (!checked.ok) {
    for (const i of checked.issues) {
      const fallback = i.key === 'retries' ? DEFAULT_CONFIG.retries : DEFAULT_CONFIG.timeout;
      issues.push({ key: full(i.key), message: `"${full(i.key)}": ${i.message.replace(/^[a-z_.]+: /, '')}; using ${fallback}.` });
    }
  }

  let codeLens: CodeLensMode = 'decorated';
  const cl = get(Settings.codeLens);
  if (cl !== undefined && cl !== null) {
    if (typeof cl === 'string' && (CODELENS as readonly string[]).includes(cl)) codeLens = cl as CodeLensMode;
    else issues.push({ key: full(Settings.codeLens), message: `"${full(Settings.codeLens)}" must be one of ${CODELENS.join(', ')}; using decorated.` });
  }

  const at = get(Settings.autoTrain);
  const autoTrain = at === true;
  if (at !== undefined && at !== null && typeof at !== 'boolean') issues.push({ key: full(Settings.autoTrain), message: `"${full(Settings.autoTrain)}" must be true or false; using false.` });

  return {
    settings: {
      servicePort,
      serviceUrl,
      defaultDomain,
      retries: settingsRetries,
      timeout: settingsTimeout,
      codeLens,
      autoTrain,
      llm: { provider: str(Settings.llmProvider), model: str(Settings.llmModel), endpoint: str(Settings.llmEndpoint) },
      danaPath: str(Settings.danaPath),
    },
    issues,
  };
}

/**
 * The settings layer of a transpile request's `config`. The request's `config` overrides the
 * function's own `@poet(...)` arguments, so a setting is only sent for keys the decorator does
 * not give, and only when it differs from the built-in default: that keeps
 * defaults < settings < decorator.
 */
export function settingsConfigLayer(settings: PoetSettings, decoratorKwargs: Record<string, LiteralValue> = {}): PoetConfigInput {
  const { DEFAULT_CONFIG } = sharedConfig();
  const layer: PoetConfigInput = {};
  if (settings.defaultDomain && !('domain' in decoratorKwargs)) layer.domain = settings.defaultDomain;
  if (settings.retries !== DEFAULT_CONFIG.retries && !('retries' in decoratorKwargs)) layer.retries = settings.retries;
  if (settings.timeout !== DEFAULT_CONFIG.timeout && !('timeout' in decoratorKwargs)) layer.timeout = settings.timeout;
  if (settings.autoTrain && !('enable_training' in decoratorKwargs)) layer.enable_training = true;
  return layer;
}

/** What the language server reads (CodeLens mode, hover defaults). */
export function serverSettings(settings: PoetSettings): PoetServerSettings {
  return {
    codeLens: settings.codeLens,
    defaultDomain: settings.defaultDomain || null,
    retries: settings.retries,
    timeout: settings.timeout,
  };
}

/** The changed settings that need a backend restart (from a `affectsConfiguration` test). */
export function restartNeeded(affects: (fullKey: string) => boolean): string[] {
  return RESTART_SETTINGS.map((k) => `${Settings.section}.${k}`).filter((k) => affects(k));
}

/** Environment for the backend process from the settings (never the token: the caller adds it). */
export function backendEnv(settings: PoetSettings): Record<string, string> {
  const env: Record<string, string> = {};
  if (settings.servicePort) env.POET_PORT = String(settings.servicePort);
  if (settings.llm.provider) env.POET_LLM_PROVIDER = settings.llm.provider;
  if (settings.llm.model) env.POET_LLM_MODEL = settings.llm.model;
  if (settings.llm.endpoint) env.POET_LLM_ENDPOINT = settings.llm.endpoint;
  return env;
}
