// The window's `poet.*` settings, read through shared/settings.ts (the one definition). That
// module pulls in zod, which costs tens of ms to load: it is required on first use through
// lazy(), not when the extension activates.
import * as vscode from 'vscode';
import type { PoetSettings, SettingsResult } from '../../shared/settings';
import { Settings } from '../../shared/ids';
import { lazy } from '../lazy/load';

const get = (): ((key: string) => unknown) => {
  const cfg = vscode.workspace.getConfiguration(Settings.section);
  return (k) => cfg.get(k);
};

/** The settings now, with each bad value named (and replaced by its default). */
export function readCurrentSettings(): SettingsResult {
  return lazy().settings.readSettings(get());
}

/** The settings now (bad values already replaced by their defaults). */
export function currentSettings(): PoetSettings {
  return readCurrentSettings().settings;
}

/** The `poet` section as the language server reads it through workspace/configuration. */
export function currentSection(): Record<string, unknown> {
  return lazy().settings.settingsSection(get());
}
