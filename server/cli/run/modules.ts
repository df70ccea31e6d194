// Which workspace files a Dana program runs: the program, and every Dana module it imports
// (transitively) that lies in the workspace, found as Dana's loader finds it (the program's
// folder, then the current directory and ./dana, then DANAPATH; `pkg.mod` is pkg/mod.na or
// pkg/mod/__init__.na; `from .x import y` is relative to the importing module's package).
// Modules outside the workspace (Dana's own libraries, ~/.dana/libs) are left alone.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type * as A from '../../../shared/dana/ast';
import { parseDana, parseDanaProgram } from '../../../shared/dana/index';
import type { FunctionModel, SyntaxIssue } from '../../../shared/source/model';

export interface DanaModule {
  /** Absolute path of the source file. */
  path: string;
  /** Workspace-relative POSIX path. */
  rel: string;
  /**
   * Where the module goes in the build, relative to the program's folder: its path there when it
   * lives under that folder, else its import name as a path (`pkg/mod.na`), which is where the
   * program's folder, searched first, would have it.
   */
  place: string;
  text: string;
  functions: FunctionModel[];
  /** Folders of `.py` modules it imports that lie next to it (its folder, for Python's sys.path). */
  pythonDirs: string[];
}

export class ModuleSyntaxError extends Error {
  constructor(
    readonly path: string,
    readonly errors: SyntaxIssue[],
  ) {
    super(`${path} does not parse`);
  }
}

function imports(node: unknown, out: Array<A.Import | A.FromImport>): void {
  if (Array.isArray(node)) {
    for (const n of node) imports(n, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const k = (node as { kind?: string }).kind;
  if (k === 'import' || k === 'from') {
    out.push(node as A.Import | A.FromImport);
    return;
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'loc' && value && typeof value === 'object') imports(value, out);
}

/** A module name under one folder: `a.b` → a/b.na or a/b/__init__.na. */
function moduleFile(dir: string, name: string): string | undefined {
  const base = join(dir, ...name.split('.'));
  for (const f of [`${base}.na`, join(base, '__init__.na')]) {
    if (existsSync(f) && statSync(f).isFile()) return f;
  }
  return undefined;
}

function pythonFileIn(dir: string, name: string): boolean {
  const base = join(dir, ...name.split('.'));
  return existsSync(`${base}.py`) || existsSync(join(base, '__init__.py'));
}

export interface CollectOptions {
  workspace: string;
  /** The program file (absolute). */
  entry: string;
  /** The interpreter's current directory. */
  cwd: string;
  /** DANAPATH entries (absolute). */
  danapath: string[];
}

export function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** The program and the workspace modules it imports, program first. Throws ModuleSyntaxError. */
export function collectModules(opts: CollectOptions): DanaModule[] {
  const ws = resolve(opts.workspace);
  const entryDir = dirname(opts.entry);
  const poetDir = join(ws, '.dana');
  const roots = [entryDir, opts.cwd, join(opts.cwd, 'dana'), ...opts.danapath];
  const seen = new Map<string, DanaModule>();
  const queue: Array<{ path: string; place: string }> = [{ path: opts.entry, place: relative(entryDir, opts.entry) }];
  while (queue.length) {
    const { path, place } = queue.shift()!;
    if (seen.has(path)) continue;
    const text = readFileSync(path, 'utf8');
    const parsed = parseDana(text);
    if (parsed.errors.length) throw new ModuleSyntaxError(path, parsed.errors);
    const tree = parseDanaProgram(text).program;
    const found: Array<A.Import | A.FromImport> = [];
    imports(tree?.body ?? [], found);
    const here = dirname(path);
    const mod: DanaModule = { path, rel: relative(ws, path).split(sep).join('/'), place, text, functions: parsed.functions, pythonDirs: [] };
    seen.set(path, mod);

    const want = (name: string, dir?: string) => {
      const file = dir ? moduleFile(dir, name) : roots.map((r) => moduleFile(r, name)).find(Boolean);
      if (!file || !inside(ws, file) || inside(poetDir, file)) return;
      const under = inside(entryDir, file) ? relative(entryDir, file) : undefined;
      const named = join(...name.split('.')) + (file.endsWith('__init__.na') ? `${sep}__init__.na` : '.na');
      // A relative import keeps its position next to the importing module.
      queue.push({ path: file, place: under ?? (dir ? join(dirname(place), relative(here, file)) : named) });
    };
    for (const imp of found) {
      if (imp.kind === 'import') {
        if (imp.module.endsWith('.py')) {
          if (pythonFileIn(here, imp.module.slice(0, -3))) mod.pythonDirs.push(here);
        } else {
          want(imp.module);
        }
        continue;
      }
      const module = imp.module ?? '';
      if (module.endsWith('.py')) {
        if (pythonFileIn(here, module.slice(0, -3))) mod.pythonDirs.push(here);
        continue;
      }
      // `from .x import y`: relative to this module's package (its folder, then up one per extra dot).
      const base = imp.level > 0 ? resolve(here, ...Array<string>(imp.level - 1).fill('..')) : undefined;
      if (module) want(module, base);
      // `from pkg import mod` may name a submodule.
      if (imp.names !== '*') for (const n of imp.names) want(module ? `${module}.${n.name}` : n.name, base);
    }
    mod.pythonDirs = [...new Set(mod.pythonDirs)];
  }
  return [...seen.values()];
}
