// Which version each @poet function of a program runs: its current version, when that version was
// generated from the function's current text (the rule the Python runtime hook applies); else the
// original, with a warning that says why and how to enhance it (or, with --enhance, a new version).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PoetError } from '../../../shared/contract/errors';
import { functionTextHash } from '../../../shared/source/hash';
import { poetDecorator } from '../../../shared/source/locate';
import type { FunctionModel } from '../../../shared/source/model';
import { danaRuntimeFiles } from '../../generator/runtime-files';
import type { EnhancePipeline } from '../../service/pipeline';
import type { FileStore } from '../../storage/file-store';
import type { DanaModule } from './modules';

export interface ChosenVersion {
  name: string;
  key: string;
  version: string;
  /** The enhanced.na text. */
  code: string;
}

export interface Choice {
  /** Per module path: function name → the version it runs. */
  enhanced: Map<string, Map<string, ChosenVersion>>;
  warnings: string[];
  /** Functions enhanced by this run (--enhance), as "name vN". */
  created: string[];
}

export interface ChooseOptions {
  store: FileStore;
  /** Given with --enhance: functions without a matching version are enhanced first. */
  pipeline?: EnhancePipeline;
  /** How a file is named in messages (relative to the current directory). */
  display: (path: string) => string;
}

const RUNTIME_IMPORT = /^import (poet_runtime_[0-9a-f]{12}) as /m;

export async function chooseVersions(modules: DanaModule[], opts: ChooseOptions): Promise<Choice> {
  const { store } = opts;
  const summaries = (await store.listFunctions()).filter((s) => s.language === 'dana' && s.current_version);
  const out: Choice = { enhanced: new Map(), warnings: [], created: [] };
  const runtime = danaRuntimeFiles();
  let runtimeChecked = false;

  for (const mod of modules) {
    const chosen = new Map<string, ChosenVersion>();
    out.enhanced.set(mod.path, chosen);
    const where = (fn: FunctionModel) => `${opts.display(mod.path)}:${fn.line}`;
    for (const fn of mod.functions.filter((f) => poetDecorator(f))) {
      if (fn.parents.length || fn.receiver) {
        out.warnings.push(`${where(fn)}: ${fn.name} runs as its original: POET enhances top-level Dana functions, not ${fn.receiver ? 'receiver methods' : 'nested functions'}.`);
        continue;
      }
      const hash = functionTextHash(fn.source);
      let stale: string | undefined;
      let pick: ChosenVersion | undefined;
      for (const s of summaries.filter((x) => x.name === fn.name && (x.source_file === mod.rel || x.source_file === null))) {
        const v = await store.readVersion(s.key, s.current_version!);
        if (!v) continue;
        if (v.metadata.function_hash === hash) {
          pick = { name: fn.name, key: s.key, version: s.current_version!, code: v.enhanced_code };
          break;
        }
        stale = s.current_version!;
      }
      if (!pick && opts.pipeline) {
        try {
          const made = await enhanceNow(opts.pipeline, mod, fn);
          pick = made.version;
          out.created.push(`${fn.name} ${pick.version}`);
          for (const w of made.warnings) out.warnings.push(`${where(fn)}: ${fn.name}: ${w}`);
        } catch (e) {
          out.warnings.push(`${where(fn)}: ${fn.name} runs as its original: enhancing it failed: ${(e as Error).message}`);
          continue;
        }
      }
      if (!pick) {
        const why = stale ? `it changed since its current version ${stale} was generated` : 'it has no enhanced version yet';
        out.warnings.push(`${where(fn)}: ${fn.name} runs as its original: ${why}. Enhance it with \`poet enhance ${opts.display(mod.path)} --function ${fn.name}\`, or run with --enhance.`);
        continue;
      }
      // The version imports the runtime it was generated with; put the current one back if it
      // was deleted. An older one cannot be rebuilt: that version then runs as its original.
      const module = RUNTIME_IMPORT.exec(pick.code)?.[1];
      if (module === runtime.module.module) {
        if (!runtimeChecked) for (const f of runtime.files) await store.ensureRuntimeFile(f);
        runtimeChecked = true;
      } else if (!module || !existsSync(join(store.paths.root, 'runtime', 'dana', `${module}.na`))) {
        out.warnings.push(`${where(fn)}: ${fn.name} runs as its original: its version ${pick.version} needs the runtime ${module ?? '(none named)'}, which is not in .dana/poet/runtime/dana. Enhance it again: \`poet enhance ${opts.display(mod.path)} --function ${fn.name} --force\`.`);
        continue;
      }
      chosen.set(fn.name, pick);
    }
  }
  return out;
}

/** --enhance: a new version from the function's current text; a name another file already uses gets the key the service suggests. */
async function enhanceNow(pipeline: EnhancePipeline, mod: DanaModule, fn: FunctionModel): Promise<{ version: ChosenVersion; warnings: string[] }> {
  const request = { code: mod.text, language: 'dana' as const, functionName: fn.name, contextFile: mod.rel };
  let res;
  try {
    res = await pipeline.enhance(request);
  } catch (e) {
    const suggested = e instanceof PoetError && e.code === 'conflict' ? (e.details as { suggested_key?: string } | undefined)?.suggested_key : undefined;
    if (!suggested) throw e;
    res = await pipeline.enhance({ ...request, key: suggested });
  }
  return { version: { name: fn.name, key: res.key, version: res.version, code: res.poet_implementation.code }, warnings: (res.warnings ?? []).map((w) => w.message) };
}
