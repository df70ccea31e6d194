// The `poet.*` settings, defined once: each key's schema, default and what a bad value falls
// back to. The extension and the language server both read them through `readSettings`, and
// `settingsConfigLayer` is the one way settings become POETConfig. package.json's
// `contributes.configuration` is checked against this table (test/extension/manifest.test.ts).
import { z } from 'zod';
import { CoreConfigShape, DEFAULT_CONFIG, type ConfigIssue, type PoetConfigInput } from './config';
import { RESTART_SETTINGS, Settings } from './ids';
import type { LiteralValue } from './source/model';

export const CODELENS_MODES = ['decorated', 'all', 'off'] as const;
export type CodeLensMode = (typeof CODELENS_MODES)[number];

/** An http(s) URL or '' (package.json declares the same pattern, so the Settings editor agrees). */
const HTTP_URL = /^(https?:\/\/\S+)?$/;
const httpUrl = z
  .string()
  .trim()
  .regex(HTTP_URL)
  .refine((u) => u === '' || URL.canParse(u));

interface SettingSpec {
  schema: z.ZodType;
  default: unknown;
  /** The issue for a bad value of setting `name` (its full name): the rule and what is used instead. */
  invalid: (name: string, zodMessage: string) => string;
}

const text = (): SettingSpec => ({ schema: z.string().trim(), default: '', invalid: (n) => `"${n}" must be a string; ignored.` });

/** Every setting, by its name relative to `poet.` (the keys of `Settings` in shared/ids.ts). */
export const SETTINGS: Record<Exclude<(typeof Settings)[keyof typeof Settings], 'poet'>, SettingSpec> = {
  [Settings.servicePort]: { schema: z.number().int().min(0).max(65535), default: 0, invalid: (n) => `"${n}" must be an integer from 0 to 65535 (0 = a free port); using 0.` },
  [Settings.serviceUrl]: {
    // A trailing slash would double up in the paths the client builds.
    schema: httpUrl.transform((u) => u.replace(/\/+$/, '')),
    default: '',
    invalid: (n) => `"${n}" must be an http(s) URL such as https://poet.example.com; using the bundled service.`,
  },
  [Settings.defaultDomain]: text(),
  // retries and timeout are POETConfig keys: exactly the decorator's rules.
  [Settings.retries]: { schema: CoreConfigShape.retries, default: DEFAULT_CONFIG.retries, invalid: (n, m) => `"${n}": ${m}; using ${DEFAULT_CONFIG.retries}.` },
  [Settings.timeout]: { schema: CoreConfigShape.timeout, default: DEFAULT_CONFIG.timeout, invalid: (n, m) => `"${n}": ${m}; using ${DEFAULT_CONFIG.timeout}.` },
  [Settings.codeLens]: { schema: z.enum(CODELENS_MODES), default: 'decorated', invalid: (n) => `"${n}" must be one of ${CODELENS_MODES.join(', ')}; using decorated.` },
  [Settings.autoTrain]: { schema: z.boolean(), default: false, invalid: (n) => `"${n}" must be true or false; using false.` },
  [Settings.llmProvider]: text(),
  [Settings.llmModel]: text(),
  [Settings.llmEndpoint]: { schema: httpUrl, default: '', invalid: (n) => `"${n}" must be an http(s) URL such as https://api.openai.com/v1; ignored.` },
  [Settings.danaPath]: text(),
};

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

/** Reads a setting by its name relative to `poet.` (e.g. `service.port`). */
export type SettingGetter = (key: string) => unknown;

/** A getter over the `poet` section as workspace/configuration returns it (nested objects). */
export function sectionGetter(section: unknown): SettingGetter {
  return (key) => key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), section);
}

/** Every setting's value; a missing one is its default, a bad one its default plus an issue. */
export function readSettings(get: SettingGetter): SettingsResult {
  const issues: ConfigIssue[] = [];
  const value = <T>(key: keyof typeof SETTINGS): T => {
    const spec = SETTINGS[key];
    const raw = get(key);
    if (raw === undefined || raw === null) return spec.default as T;
    const r = spec.schema.safeParse(raw);
    if (r.success) return r.data as T;
    const full = `${Settings.section}.${key}`;
    issues.push({ key: full, message: spec.invalid(full, r.error.issues[0]?.message ?? 'invalid') });
    return spec.default as T;
  };
  const settings: PoetSettings = {
    servicePort: value(Settings.servicePort),
    serviceUrl: value(Settings.serviceUrl),
    defaultDomain: value(Settings.defaultDomain),
    retries: value(Settings.retries),
    timeout: value(Settings.timeout),
    codeLens: value(Settings.codeLens),
    autoTrain: value(Settings.autoTrain),
    llm: { provider: value(Settings.llmProvider), model: value(Settings.llmModel), endpoint: value(Settings.llmEndpoint) },
    danaPath: value(Settings.danaPath),
  };
  return { settings, issues };
}

/**
 * The settings layer of POETConfig (defaults < settings < @poet(...) < request): the keys whose
 * setting differs from the built-in default. A request's `config` overrides the decorator, so a
 * client that sends this layer as `config` passes the decorator's arguments to leave those keys out.
 */
export function settingsConfigLayer(settings: PoetSettings, decoratorKwargs: Record<string, LiteralValue> = {}): PoetConfigInput {
  const layer: PoetConfigInput = {};
  if (settings.defaultDomain && !('domain' in decoratorKwargs)) layer.domain = settings.defaultDomain;
  if (settings.retries !== DEFAULT_CONFIG.retries && !('retries' in decoratorKwargs)) layer.retries = settings.retries;
  if (settings.timeout !== DEFAULT_CONFIG.timeout && !('timeout' in decoratorKwargs)) layer.timeout = settings.timeout;
  if (settings.autoTrain && !('enable_training' in decoratorKwargs)) layer.enable_training = true;
  return layer;
}

/** The changed settings that need a backend restart (from an `affectsConfiguration` test). */
export function restartNeeded(affects: (fullKey: string) => boolean): string[] {
  return RESTART_SETTINGS.map((k) => `${Settings.section}.${k}`).filter((k) => affects(k));
}

/** The `poet` section as workspace/configuration returns it, from a getter (initializationOptions). */
export function settingsSection(get: SettingGetter): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  for (const key of Object.keys(SETTINGS)) {
    const v = get(key);
    if (v === undefined) continue;
    const path = key.split('.');
    let o = section;
    for (const p of path.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[path[path.length - 1]!] = v;
  }
  return section;
}
