// Questions asked of a parsed file: which function is at this position, which one has this
// name, and what its @poet decorator says. Pure functions over the model, shared by the
// language server, the extension and the service.
import type { DecoratorModel, FunctionModel, ParsedFile, Position } from './model';

function before(a: Position | { line: number; column: number }, b: { line: number; column: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.column <= b.column);
}

/**
 * The innermost function whose range (decorators to end of body) contains the 1-based
 * `line`/`column`. The end is inclusive, so a cursor just after the last character still
 * counts. Undefined when the position is in no function.
 */
export function functionAt(parsed: ParsedFile, line: number, column: number): FunctionModel | undefined {
  const at = { line, column };
  let best: FunctionModel | undefined;
  for (const fn of parsed.functions) {
    const { start, end } = fn.range;
    if (!before(start, at) || !before(at, end)) continue;
    // Nested functions lie inside their parents' ranges; the later start is the inner one.
    if (!best || before(best.range.start, start)) best = fn;
  }
  return best;
}

/**
 * A function by name. `name` may be qualified with its enclosing defs, structs or classes
 * (`Account.withdraw`, `outer.inner`); an unqualified name prefers a top-level function,
 * then the first one in the file with that name.
 */
export function findFunction(parsed: ParsedFile, name: string): FunctionModel | undefined {
  const exact = parsed.functions.find((fn) => qualifiedName(fn) === name);
  if (exact) return exact;
  if (name.includes('.')) {
    // A Dana receiver method is reached as Type.method too.
    return parsed.functions.find((fn) => fn.receiver?.type && `${fn.receiver.type}.${fn.name}` === name)
      // A partly qualified name: the last segments match.
      ?? parsed.functions.find((fn) => qualifiedName(fn).endsWith('.' + name));
  }
  return parsed.functions.find((fn) => fn.name === name);
}

/** The function's `@poet(...)` (Dana) or `@poet` / `@poet.poet(...)` (Python) decorator. */
export function poetDecorator(fn: FunctionModel): DecoratorModel | undefined {
  // `@poet(...)`, or through a module alias: `@poet.poet(...)`, `@_poet.poet(...)`.
  return fn.decorators.find((d) => d.name === 'poet' || d.name.endsWith('.poet'));
}

/**
 * The function's text without its `@poet(...)` decorator: equal for two texts that differ only
 * in POET's arguments (a `config_changed` version, not `source_changed`).
 */
export function textWithoutPoetDecorator(fn: FunctionModel): string {
  const d = poetDecorator(fn);
  if (!d) return fn.source;
  const from = d.range.start.offset - fn.range.start.offset;
  const to = d.range.end.offset - fn.range.start.offset;
  return fn.source.slice(0, from) + fn.source.slice(to).replace(/^[ \t]*\r?\n/, '');
}

/** Qualified name of a function: its parents and its own name, joined by dots. */
export function qualifiedName(fn: FunctionModel): string {
  return [...fn.parents, fn.name].join('.');
}
