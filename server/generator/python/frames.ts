// Functions whose answers depend on the call stack cannot be wrapped without changing them: a
// wrapper adds one frame between the function and its caller, so `sys._getframe(1)` or
// `inspect.stack()[1]` names POET instead of the caller (typing's _caller, gettext's _as_int).
// POET refuses those, and functions in the same file that call them by name (their depth counts
// then shift too), instead of shipping a version that answers differently.
import type { FunctionModel } from '../../../shared/source/model';
import { parseSource } from '../../../shared/source/parse';

const FRAME_ACCESS = /\b(?:_getframe|currentframe|f_back|extract_stack|getouterframes|getinnerframes)\b|\binspect\s*\.\s*(?:stack|trace)\s*\(/;

/** Strings and comments out, so that a docstring mentioning sys._getframe does not count. */
function codeOnly(source: string): string {
  return source.replace(/("""|''')[\s\S]*?\1|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*/g, ' ');
}

/** Why `fn` depends on its callers' frames, or null. */
export function frameDependence(fn: FunctionModel, fileText: string): string | null {
  const own = FRAME_ACCESS.exec(codeOnly(fn.source));
  if (own) return `it reads the call stack (${own[0].replace(/\s+/g, '')})`;
  if (!/_getframe|currentframe|f_back|extract_stack|outerframes|innerframes|stack|trace/.test(fileText)) return null;
  // Same-file callers of stack readers: follow calls by bare name to a fixed point.
  const fns = parseSource(fileText, 'python').functions.filter((f) => f.parents.length === 0);
  const code = new Map(fns.map((f) => [f.name, codeOnly(f.source)]));
  const reason = new Map<string, string>();
  for (const [name, text] of code) {
    const m = FRAME_ACCESS.exec(text);
    if (m) reason.set(name, m[0].replace(/\s+/g, ''));
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, text] of code) {
      if (reason.has(name)) continue;
      for (const [callee] of reason) {
        if (new RegExp(`(?<![.\\w])${callee}\\s*\\(`).test(text)) {
          reason.set(name, `${callee}(), which ${reason.get(callee)!.endsWith(')') ? 'reads the call stack' : `reads the call stack (${reason.get(callee)})`}`);
          changed = true;
          break;
        }
      }
    }
  }
  const r = reason.get(fn.name);
  if (!r) return null;
  return r.includes('()') ? `it calls ${r}` : `it reads the call stack (${r})`;
}
