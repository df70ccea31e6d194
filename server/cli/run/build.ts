// `poet build` and `poet run`: a Dana program composed with the current version of every enhanced
// function it defines or imports from the workspace, written under .dana/poet/build/ (which
// mirrors the program's folder; Dana searches the running file's folder first, so the composed
// modules there shadow the originals). Each module: originals renamed in place, @poet removed, the
// generated part after each enhanced original (composeDana). Where line numbers come from is kept,
// so the interpreter's messages can be mapped back to the user's files.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { composeDana } from '../../generator/dana/load';
import type { EnhancePipeline } from '../../service/pipeline';
import type { FileStore } from '../../storage/file-store';
import { writeFileAtomic } from '../../storage/atomic';
import { collectModules, inside, type DanaModule } from './modules';
import { chooseVersions } from './versions';

/** Where a line of a built file came from. */
export interface LineOrigin {
  /** 1-based line in the source file (for generated code: the enhanced function's `def` line). */
  line: number;
  /** Set for POET's generated lines: the function they enhance ('' for the import-path line). */
  poet?: string;
}

export interface BuiltModule {
  /** Absolute paths. */
  source: string;
  built: string;
  /** origins[i] is where line i + 1 of the built file came from. */
  origins: LineOrigin[];
  /** Functions that run enhanced, as "name vN". */
  enhanced: string[];
}

export interface BuildResult {
  entry: BuiltModule;
  modules: BuiltModule[];
  warnings: string[];
  /** Versions created by --enhance. */
  created: string[];
  /** `.dana/poet/runtime/dana`, which must be on DANAPATH. */
  runtimeDir: string;
}

export interface BuildOptions {
  workspace: string;
  /** The program (absolute). */
  file: string;
  cwd: string;
  /** DANAPATH entries the interpreter will search (absolute). */
  danapath: string[];
  store: FileStore;
  /** With --enhance: functions without a matching version are enhanced first. */
  pipeline?: EnhancePipeline;
  display: (path: string) => string;
}

/** A Python module that puts the folders of the program's own `.py` modules on sys.path. */
function pathModule(dirs: string[]): { name: string; text: string } {
  const text = [
    '# Written by `poet build`: the folders of the Python modules this Dana program imports. Dana',
    '# looks for them next to the running file, which is a composed copy under .dana/poet/build/;',
    '# they stay where they are, so their folders go on sys.path, searched in this order.',
    'import sys',
    `for _folder in reversed(${JSON.stringify(dirs)}):`,
    '    if _folder not in sys.path:',
    '        sys.path.insert(0, _folder)',
    '',
  ].join('\n');
  return { name: `poet_paths_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`, text };
}

function origins(lineMap: number[], mod: DanaModule, enhanced: Set<string>): LineOrigin[] {
  // composeDana puts each generated part right after the last line of the original it enhances.
  const byEnd = new Map(mod.functions.filter((f) => enhanced.has(f.name) && !f.parents.length).map((f) => [f.range.end.line, f]));
  let owner: { line: number; poet: string } | undefined;
  return lineMap.map((src) => {
    if (src > 0) {
      const f = byEnd.get(src);
      owner = f ? { line: f.line, poet: f.name } : undefined;
      return { line: src };
    }
    return owner ?? { line: 1, poet: '' };
  });
}

async function writeIfChanged(path: string, text: string): Promise<void> {
  let old: string | undefined;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old !== text) await writeFileAtomic(path, text);
}

/** Composed files left from an earlier build whose source file is gone (they would shadow nothing real). */
function removeStale(mirror: string, sourceDir: string, written: Set<string>): void {
  let entries;
  try {
    entries = readdirSync(mirror, { withFileTypes: true, recursive: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.na')) continue;
    const built = join(e.parentPath, e.name);
    if (written.has(built)) continue;
    if (!existsSync(join(sourceDir, relative(mirror, built)))) rmSync(built, { force: true });
  }
}

export async function buildProgram(opts: BuildOptions): Promise<BuildResult> {
  const ws = resolve(opts.workspace);
  const entryDir = dirname(opts.file);
  const mirror = join(opts.store.paths.root, 'build', relative(ws, entryDir));
  const modules = collectModules({ workspace: ws, entry: opts.file, cwd: opts.cwd, danapath: opts.danapath });
  const choice = await chooseVersions(modules, { store: opts.store, pipeline: opts.pipeline, display: opts.display });

  const pythonDirs = [...new Set(modules.flatMap((m) => m.pythonDirs))];
  const paths = pythonDirs.length ? pathModule(pythonDirs) : undefined;
  const built: BuiltModule[] = [];
  const written = new Set<string>();
  for (const [i, mod] of modules.entries()) {
    const versions = choice.enhanced.get(mod.path)!;
    const composed = composeDana(mod.text, mod.functions, new Map([...versions].map(([name, v]) => [name, v.code])));
    let text = composed.text;
    let lineOrigins = origins(composed.lineMap, mod, new Set(versions.keys()));
    if (i === 0 && paths) {
      // First line of the program, before its own imports of those modules.
      text = `import ${paths.name}.py\n${text}`;
      lineOrigins = [{ line: 1, poet: '' }, ...lineOrigins];
    }
    const target = join(mirror, mod.place);
    if (!inside(join(opts.store.paths.root, 'build'), target)) throw new Error(`refusing to write ${target} outside .dana/poet/build`);
    await writeIfChanged(target, text);
    written.add(target);
    built.push({ source: mod.path, built: target, origins: lineOrigins, enhanced: [...versions.values()].map((v) => `${v.name} ${v.version}`) });
  }
  if (paths) await writeIfChanged(join(mirror, `${paths.name}.py`), paths.text);
  removeStale(mirror, entryDir, written);
  return {
    entry: built[0]!,
    modules: built,
    warnings: choice.warnings,
    created: choice.created,
    runtimeDir: join(opts.store.paths.root, 'runtime', 'dana').split('/').join(sep),
  };
}
