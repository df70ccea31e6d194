// The runtimes enhanced code imports. Each is written once into `.dana/poet/runtime/LANG/` under a
// name that carries a hash of its text, so the file is immutable: a version keeps working with the
// runtime it was generated with after POET (and its runtime) is upgraded, and the version's own
// file holds only its plan and wrapper.
//   python: python/poet/runtime.py
//   dana:   server/generator/dana/poet_runtime.na, its Python helper poet_dana.py, and the Python
//           runtime the helper shares its rules with (each file names the next by its hashed name).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RuntimeFile {
  /** Path inside `.dana/poet/`, POSIX, e.g. `runtime/python/poet_runtime_0123456789ab.py`. */
  path: string;
  /** The file name without its extension (Python module name / Dana module name). */
  module: string;
  text: string;
}

/** Walks up from this module (dist/ when bundled, server/generator/ under tsx) to `rel`. */
function read(rel: string): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, rel);
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`POET runtime source ${rel} not found above ${__dirname}`);
    dir = parent;
  }
}

function named(folder: string, prefix: string, ext: string, text: string): RuntimeFile {
  const module = `${prefix}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  return { path: `runtime/${folder}/${module}.${ext}`, module, text };
}

let python: RuntimeFile | undefined;
let dana: { module: RuntimeFile; files: RuntimeFile[] } | undefined;

/** The Python runtime (python/poet/runtime.py). */
export function pythonRuntimeFile(): RuntimeFile {
  return (python ??= named('python', 'poet_runtime', 'py', read('python/poet/runtime.py')));
}

/** The Dana runtime module, and every file it needs (itself, its helper, the Python runtime). */
export function danaRuntimeFiles(): { module: RuntimeFile; files: RuntimeFile[] } {
  if (!dana) {
    const py = pythonRuntimeFile();
    const helper = named('dana', 'poet_dana', 'py', read('server/generator/dana/poet_dana.py').replaceAll('POET_PYTHON_RUNTIME', py.module));
    const module = named('dana', 'poet_runtime', 'na', read('server/generator/dana/poet_runtime.na').replaceAll('POET_DANA_HELPER', helper.module));
    dana = { module, files: [module, helper, py] };
  }
  return dana;
}
