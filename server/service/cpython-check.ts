// A second opinion on Python syntax. POET's Python parser (@lezer/python) rejects a few
// constructs CPython accepts (an empty class pattern, `case ast.BinOp():`); refusing a whole
// module for that would refuse real code. When it reports errors, CPython's own compiler, if
// python3 is installed, decides; it only compiles (PyCF_ONLY_AST), nothing is executed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { BoundedMemo } from '../memo';

const verdicts = new BoundedMemo<boolean | null>(64, 64);
const SCRIPT = 'import sys\ncompile(sys.stdin.buffer.read(), "<poet>", "exec", 0x400, dont_inherit=True)';

/** True when CPython compiles `code`, false when it does not, null when python3 is not available. */
export function cpythonAccepts(code: string): Promise<boolean | null> {
  const id = createHash('sha256').update(code).digest('base64');
  const known = verdicts.get(id);
  if (known !== undefined) return Promise.resolve(known);
  return new Promise((resolve) => {
    const done = (v: boolean | null) => {
      verdicts.set(id, v, 1);
      resolve(v);
    };
    let child;
    try {
      child = spawn(process.env.POET_PYTHON ?? 'python3', ['-I', '-c', SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], timeout: 20_000 });
    } catch {
      done(null);
      return;
    }
    child.on('error', () => done(null));
    child.on('close', (status) => done(status === 0 ? true : status === 1 ? false : null));
    child.stdin.on('error', () => undefined);
    child.stdin.end(code);
  });
}
