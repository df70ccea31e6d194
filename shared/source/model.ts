// The function model: what POET knows about one function in a Dana or Python file.
// Both parsers (shared/dana, shared/python) produce it; the service, the generator,
// the language server, the extension and the CLI consume it. Field names follow the
// CLI's JSON output (`poet functions FILE`), which is compared against Dana's own grammar.

export type Language = 'dana' | 'python';

/** A place in the text. `line` and `column` are 1-based; `offset` is a 0-based UTF-16 index. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Range {
  start: Position;
  /** Exclusive. */
  end: Position;
}

/** A literal decorator argument parsed to its value; anything else stays as source text. */
export type LiteralValue =
  | string
  | number
  | boolean
  | null
  | LiteralValue[]
  | { [key: string]: LiteralValue };

export interface DecoratorArg {
  /** Source text of the argument expression. */
  source: string;
  /** True when `value` holds the parsed literal. */
  literal: boolean;
  value?: LiteralValue;
  range: Range;
}

export interface DecoratorModel {
  name: string;
  /** Source text between the parentheses ('' when there are none). */
  args: string;
  positional: DecoratorArg[];
  /** Keyword arguments in source order. */
  keywords: Array<DecoratorArg & { name: string; nameRange: Range }>;
  /** Literal keyword values only, as the CLI prints them. */
  kwargs: Record<string, LiteralValue>;
  /** 1-based line of the `@`. */
  line: number;
  range: Range;
}

export interface ParamModel {
  name: string;
  /** Source text of the annotation, or null. */
  type: string | null;
  /** Source text of the default expression, or null. */
  default: string | null;
  range: Range;
}

export type FunctionKind = 'def' | 'sync def' | 'declarative' | 'async def';

export interface FunctionModel {
  language: Language;
  name: string;
  kind: FunctionKind;
  /** 1-based line of the `def` keyword (for `sync def`, of `sync`). */
  line: number;
  /** First decorator's line, else `line`. */
  start_line: number;
  /** Last line of the body (last non-blank line). */
  end_line: number;
  receiver: { name: string; type: string | null } | null;
  params: ParamModel[];
  return_type: string | null;
  decorators: DecoratorModel[];
  /** Raw docstring literal as written (quotes included), or null. */
  docstring: string | null;
  /** Names of enclosing defs / structs / classes, outermost first. */
  parents: string[];
  /** Declarative Dana defs: the composition's source text. */
  composition: string | null;
  /** From the first decorator (or `def`) to the end of the body. */
  range: Range;
  /** The header: from `def` (or `sync`) to the `:` / `=` that ends it. */
  header_range: Range;
  /** The body; empty (start = end) for declarative defs. */
  body_range: Range;
  /** Range of the function's name token. */
  name_range: Range;
  /** Exact source text of `range`. */
  source: string;
}

export interface SyntaxIssue {
  line: number;
  column: number;
  /** Exclusive end, when known. */
  end_line?: number;
  end_column?: number;
  message: string;
  /** What the parser would have accepted there, when it knows. */
  expected?: string[];
}

export interface ParsedFile {
  language: Language;
  functions: FunctionModel[];
  errors: SyntaxIssue[];
}

export function languageOfPath(path: string): Language | null {
  if (path.endsWith('.na')) return 'dana';
  if (path.endsWith('.py')) return 'python';
  return null;
}
