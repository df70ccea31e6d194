// The `poet.*` settings the language features depend on. Pulled per resource through
// workspace/configuration when the client supports it (VS Code does), otherwise taken
// from initializationOptions; cached until didChangeConfiguration.
import type { Connection } from 'vscode-languageserver/node';
import type { CodeLensMode, PoetServerSettings } from '../../shared/lsp-protocol';
import type { PoetConfigInput } from '../../shared/config';

export interface EffectiveSettings {
  codeLens: CodeLensMode;
  defaultDomain: string | null;
  retries: number | undefined;
  timeout: number | undefined;
}

const CODELENS_MODES: readonly CodeLensMode[] = ['decorated', 'all', 'off'];

/** Normalises whatever the client sent; unknown or ill-typed values fall back to defaults. */
export function normalizeSettings(raw: unknown): EffectiveSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as PoetServerSettings & Record<string, unknown>;
  const codeLens = CODELENS_MODES.includes(s.codeLens as CodeLensMode) ? (s.codeLens as CodeLensMode) : 'decorated';
  const defaultDomain = typeof s.defaultDomain === 'string' && s.defaultDomain.trim() ? s.defaultDomain.trim() : null;
  return {
    codeLens,
    defaultDomain,
    retries: typeof s.retries === 'number' ? s.retries : undefined,
    timeout: typeof s.timeout === 'number' ? s.timeout : undefined,
  };
}

/** The settings layer of resolveConfig (defaults < settings < decorator). */
export function settingsLayer(s: EffectiveSettings): PoetConfigInput {
  const layer: PoetConfigInput = {};
  if (s.defaultDomain) layer.domain = s.defaultDomain;
  if (s.retries !== undefined) layer.retries = s.retries;
  if (s.timeout !== undefined) layer.timeout = s.timeout;
  return layer;
}

export class SettingsStore {
  private readonly cache = new Map<string, Promise<EffectiveSettings>>();
  private fallback: EffectiveSettings;

  constructor(
    private readonly connection: Connection,
    private pull: boolean,
    initial: unknown,
  ) {
    this.fallback = normalizeSettings(initial);
  }

  /** Settings for a document (resource-scoped, so a folder can override them). */
  get(resource: string): Promise<EffectiveSettings> {
    if (!this.pull) return Promise.resolve(this.fallback);
    let p = this.cache.get(resource);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: resource, section: 'poet' })
        .then((raw: unknown) => (raw == null ? this.fallback : normalizeSettings(raw)))
        .catch(() => this.fallback);
      this.cache.set(resource, p);
    }
    return p;
  }

  /** didChangeConfiguration: drop the cache; a push-style client sends the new values. */
  changed(pushed: unknown): void {
    this.cache.clear();
    const poet = pushed && typeof pushed === 'object' ? (pushed as Record<string, unknown>).poet : undefined;
    if (poet !== undefined) this.fallback = normalizeSettings(poet);
  }

  forget(resource: string): void {
    this.cache.delete(resource);
  }
}
