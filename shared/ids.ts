// Every identifier the manifest (package.json `contributes`) and the code share: command ids,
// view ids, context keys and setting names. One place, so a rename cannot leave a stale
// `when` clause or menu entry behind (test/extension/manifest.test.ts checks the manifest
// against this file). No `vscode` import: the server, the CLI and plain-Node tests read it too.

export const EXTENSION_ID = 'poet-dev.poet';
export const LANGUAGE_ID = 'dana';
export const CATEGORY = 'POET';

export const Commands = {
  enhanceFunction: 'poet.enhanceFunction',
  enhanceFile: 'poet.enhanceFile',
  openEnhanced: 'poet.openEnhancedCode',
  compareWithPrevious: 'poet.compareWithPreviousVersion',
  compareWithOriginal: 'poet.compareWithOriginal',
  setCurrentVersion: 'poet.setCurrentVersion',
  revealSource: 'poet.revealSource',
  openStoredFile: 'poet.openStoredFile',
  showLog: 'poet.showServiceLog',
  restartService: 'poet.restartService',
  copyServiceUrl: 'poet.copyServiceUrlAndToken',
  setRemoteApiKey: 'poet.setRemoteServiceApiKey',
  refresh: 'poet.refresh',
  runFile: 'poet.runFileWithEnhancements',
  // Implemented by the learning part (extension/learning/commands.ts), loaded on first use.
  giveFeedback: 'poet.giveFeedback',
  trainNow: 'poet.trainNow',
  showMetrics: 'poet.showMetrics',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'poet',
  functions: 'poet.functions',
} as const;

/** Context keys set with `setContext` and read by `when` clauses in package.json. */
export const ContextKeys = {
  /** The active editor's cursor is inside a function POET can enhance. */
  cursorInFunction: 'poet:cursorInFunction',
  /** A backend (local or remote) answered and commands that need the service can run. */
  serviceReady: 'poet:serviceReady',
  /** At least one function has been enhanced in some workspace folder (hides the welcome view). */
  hasFunctions: 'poet:hasFunctions',
  /** The extension finished loading its tree at least once (the welcome view waits for it). */
  treeLoaded: 'poet:treeLoaded',
} as const;

/** Tree item contextValues (matched by `viewItem == …` in view/item/context menus). */
export const TreeContext = {
  folder: 'poetFolder',
  function: 'poetFunction',
  version: 'poetVersion',
  currentVersion: 'poetVersion.current',
  file: 'poetFile',
  execution: 'poetExecution',
  message: 'poetMessage',
} as const;

/** Setting names, relative to the `poet` section. */
export const Settings = {
  section: 'poet',
  servicePort: 'service.port',
  serviceUrl: 'service.url',
  defaultDomain: 'defaultDomain',
  retries: 'retries',
  timeout: 'timeout',
  codeLens: 'codeLens',
  autoTrain: 'autoTrain',
  llmProvider: 'llm.provider',
  llmModel: 'llm.model',
  llmEndpoint: 'llm.endpoint',
  danaPath: 'dana.path',
} as const;

/** Settings whose change only takes effect after the backend restarts. */
export const RESTART_SETTINGS: readonly string[] = [
  Settings.servicePort,
  Settings.serviceUrl,
  Settings.llmProvider,
  Settings.llmModel,
  Settings.llmEndpoint,
];

/** SecretStorage key of the remote service's API key. */
export const REMOTE_API_KEY_SECRET = 'poet.remoteService.apiKey';
