// The `poet.*` settings the language features depend on, per resource. Pulled through
// workspace/configuration when the client supports it (VS Code does), otherwise taken from
// initializationOptions; cached until didChangeConfiguration. Parsed by shared/settings.ts,
// the same rules the extension reads them with.
import type { Connection } from 'vscode-languageserver/node';
import { readSettings, sectionGetter, type PoetSettings } from '../../shared/settings';

const parse = (section: unknown): PoetSettings => readSettings(sectionGetter(section)).settings;

export class SettingsStore {
  private readonly cache = new Map<string, Promise<PoetSettings>>();
  private fallback: PoetSettings;

  constructor(
    private readonly connection: Connection,
    private pull: boolean,
    initial: unknown,
  ) {
    this.fallback = parse(initial);
  }

  /** Settings for a document (resource-scoped, so a folder can override them). */
  get(resource: string): Promise<PoetSettings> {
    if (!this.pull) return Promise.resolve(this.fallback);
    let p = this.cache.get(resource);
    if (!p) {
      p = this.connection.workspace
        .getConfiguration({ scopeUri: resource, section: 'poet' })
        .then((raw: unknown) => (raw == null ? this.fallback : parse(raw)))
        .catch(() => this.fallback);
      this.cache.set(resource, p);
    }
    return p;
  }

  /** didChangeConfiguration: drop the cache; a push-style client sends the new values. */
  changed(pushed: unknown): void {
    this.cache.clear();
    const poet = pushed && typeof pushed === 'object' ? (pushed as Record<string, unknown>).poet : undefined;
    if (poet !== undefined) this.fallback = parse(poet);
  }

  forget(resource: string): void {
    this.cache.delete(resource);
  }
}
