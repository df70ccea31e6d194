// The generator interface: one implementation per language, looked up in a registry.
// The service calls `generate` on a cache miss; the result is stored as version vN.
import type { PoetConfig } from '../../shared/config';
import type { FunctionModel, Language } from '../../shared/source/model';
import type { RuntimeFile } from './runtime-files';

export interface GenerateRequest {
  fn: FunctionModel;
  /** The whole file the function was taken from (the generator may need its imports). */
  fileText: string;
  /** Workspace-relative POSIX path of that file, or null when the code came without one. */
  sourceFile: string | null;
  /** The storage key the version is kept under (the function's name, or module-qualified). */
  key: string;
  config: PoetConfig;
  /** The version being generated, e.g. "v3" (it appears in the header comment). */
  version: string;
  /** The source hash of this generation (it appears in the header comment). */
  sourceHash: string;
  /** Absolute path of the workspace root (user-defined domains live under .dana/poet/domains). */
  workspace: string;
}

export interface GenerateResult {
  /** The enhanced source (enhanced.na / enhanced.py). */
  code: string;
  /** Optional training companion, or null. */
  trainCode: string | null;
  /** File name inside the version folder: "enhanced.na" or "enhanced.py". */
  fileName: string;
  /** Which phases the code implements, with what rules: recorded in metadata.json. */
  phases: Record<string, unknown>;
  /** Extra facts for metadata.json (e.g. the LLM rules taken, or why they were not). */
  metadata: Record<string, unknown>;
  /** The runtime files the code imports; the store writes each under `.dana/poet/` if missing. */
  runtime: RuntimeFile[];
}

export interface Generator {
  readonly language: Language;
  readonly name: string;
  /** Part of every source hash: bump it whenever the output for the same input changes. */
  readonly version: string;
  generate(req: GenerateRequest): Promise<GenerateResult>;
}
