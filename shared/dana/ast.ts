// The Dana syntax tree, for the whole HEAD grammar (aitomatic/dana 0.5.6.2).
// The parser (parser.ts) builds it, the emitter (emit.ts) prints it, the builders (build.ts)
// make it by hand. Node shapes follow what Dana's grammar can say, not Python's: e.g. a
// declarative def has pipeline stages instead of a body, a comprehension has one clause,
// `for` targets are plain names. `loc` (0-based UTF-16 offsets, end exclusive) is set by
// the parser and ignored by the emitter; builders leave it out.

export interface Loc {
  start: number;
  end: number;
}

interface Node {
  loc?: Loc;
}

// ---------- types ----------

/** `int`, `list[dict[str, any]]`: a NAME (or `None`) with optional type arguments. */
export interface SingleType extends Node {
  name: string;
  args: TypeRef[];
}

/** A type annotation: one or more alternatives joined by `|`. */
export interface TypeRef extends Node {
  kind: 'type';
  options: SingleType[];
}

// ---------- expressions ----------

export type Scope = 'private' | 'public' | 'local' | 'system';

export interface Name extends Node { kind: 'name'; id: string }
/** `private:x`. */
export interface Scoped extends Node { kind: 'scoped'; scope: Scope; id: string }
/** Number literal, kept as written (`42`, `.5`, `2.5E-3`). Negative numbers are `unary`. */
export interface Num extends Node { kind: 'number'; text: string }
/** String literal, kept as written, quotes and `f`/`r` prefix included. */
export interface Str extends Node { kind: 'string'; raw: string }
/** `True`/`true`/`TRUE` etc.; `text` keeps the spelling. */
export interface Bool extends Node { kind: 'bool'; value: boolean; text: string }
/** `None`/`none`/`NONE`/`null`/`NULL`. */
export interface NoneLit extends Node { kind: 'none'; text: string }
/** `$$`, the pipeline placeholder. */
export interface Placeholder extends Node { kind: 'placeholder' }
export interface ListExpr extends Node { kind: 'list'; items: Expr[] }
/** `()`, `(a,)`, `(a, b)`. */
export interface TupleExpr extends Node { kind: 'tuple'; items: Expr[] }
/** `{a, b}` (never empty: `{}` is a dict). */
export interface SetExpr extends Node { kind: 'set'; items: Expr[] }
export interface DictExpr extends Node { kind: 'dict'; entries: Array<{ key: Expr; value: Expr }> }

/** The single `for ... in ... [if ...]` clause of a comprehension. */
export interface CompClause {
  targets: string[];
  /** `for (a, b) in` rather than `for a, b in`. */
  parenTargets: boolean;
  iter: Expr;
  cond: Expr | null;
}
export interface ListComp extends Node { kind: 'listcomp'; elt: Expr; clause: CompClause }
export interface SetComp extends Node { kind: 'setcomp'; elt: Expr; clause: CompClause }
/** `{(k: v) for k in ks}`: Dana needs the parentheses. */
export interface DictComp extends Node { kind: 'dictcomp'; key: Expr; value: Expr; clause: CompClause }

export interface LambdaParam extends Node { name: string; type: TypeRef | null; default: Expr | null }
/** `lambda [(r: T)] [params] :: body`. */
export interface Lambda extends Node {
  kind: 'lambda';
  receiver: { name: string; type: TypeRef } | null;
  params: LambdaParam[];
  body: Expr;
}

export interface Attribute extends Node { kind: 'attr'; obj: Expr; name: string }
/** One part of `a[...]`: `lower:upper`, `:upper`, `lower:`, `:`, `::step`, `lower:upper:step`. */
export interface Slice extends Node { kind: 'slice'; lower: Expr | null; upper: Expr | null; step: Expr | null }
export interface Index extends Node { kind: 'index'; obj: Expr; items: Array<Expr | Slice> }
/** A call argument; `name` set for `name=value`. `comment` is a trailing `# ...` after it. */
export interface Arg extends Node { name: string | null; value: Expr; comment?: string }
export interface Call extends Node { kind: 'call'; func: Expr; args: Arg[] }

export interface Unary extends Node { kind: 'unary'; op: '+' | '-'; operand: Expr }
export interface Not extends Node { kind: 'not'; operand: Expr }
export type BinOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';
export interface Binary extends Node { kind: 'binary'; op: BinOp; left: Expr; right: Expr }
export type CmpOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in' | 'is' | 'is not';
/** A comparison chain `a < b <= c`: `ops.length === rights.length`. */
export interface Compare extends Node { kind: 'compare'; left: Expr; ops: CmpOp[]; rights: Expr[] }
export interface BoolOp extends Node { kind: 'boolop'; op: 'and' | 'or'; values: Expr[] }
/** `body if test else orelse`. */
export interface Cond extends Node { kind: 'cond'; body: Expr; test: Expr; orelse: Expr }
/** `a | b | c` in an ordinary expression (grammar-valid; Dana's runtime only allows pipes in declarative defs). */
export interface Pipe extends Node { kind: 'pipe', stages: Expr[] }
/** Parentheses as written. The emitter adds its own where precedence needs them. */
export interface Paren extends Node { kind: 'paren'; expr: Expr }

export type Expr =
  | Name | Scoped | Num | Str | Bool | NoneLit | Placeholder
  | ListExpr | TupleExpr | SetExpr | DictExpr | ListComp | SetComp | DictComp
  | Lambda | Attribute | Index | Call | Unary | Not | Binary | Compare | BoolOp | Cond | Pipe | Paren;

// ---------- statements ----------

/** Simple statements may carry a trailing `# comment` (text includes the `#`). */
interface Simple extends Node { comment?: string }
/** Compound statements may carry a comment after the header's `:`. */
interface Header { headerComment?: string }

/** A comment line; `text` includes the `#`. */
export interface Comment extends Node { kind: 'comment'; text: string }
export interface ExprStmt extends Simple { kind: 'expr'; expr: Expr }
/** `target [: type] = value`. Dana allows any atom as target, including `(a, b)`. */
export interface Assign extends Simple { kind: 'assign'; target: Expr; type: TypeRef | null; value: Expr }
export interface AugAssign extends Simple { kind: 'augassign'; target: Expr; op: '+=' | '-=' | '*=' | '/='; value: Expr }
export interface Return extends Simple { kind: 'return'; value: Expr | null }
export interface Break extends Simple { kind: 'break' }
export interface Continue extends Simple { kind: 'continue' }
export interface Pass extends Simple { kind: 'pass' }
export interface Raise extends Simple { kind: 'raise'; exc: Expr | null; cause: Expr | null }
export interface Assert extends Simple { kind: 'assert'; test: Expr; msg: Expr | null }
/** `import a.b.c [as d]` (`a.py` style module paths are just dotted names). */
export interface Import extends Simple { kind: 'import'; module: string; alias: string | null }
/** `from [.. ]a.b import x [as y], z` or `import *`; `level` counts leading dots. */
export interface FromImport extends Simple {
  kind: 'from';
  level: number;
  module: string | null;
  names: Array<{ name: string; alias: string | null }> | '*';
}
/** `agent Name(Base)`. */
export interface AgentAlias extends Simple { kind: 'agent_alias'; name: string; base: string }
/** `agent Name`. */
export interface AgentBase extends Simple { kind: 'agent_base'; name: string }

export interface IfBranch extends Header { test: Expr; body: Stmt[] }
export interface If extends Node, Header {
  kind: 'if';
  test: Expr;
  body: Stmt[];
  elifs: IfBranch[];
  orelse: Stmt[] | null;
  elseComment?: string;
}
export interface While extends Node, Header { kind: 'while'; test: Expr; body: Stmt[] }
export interface For extends Node, Header {
  kind: 'for';
  targets: string[];
  parenTargets: boolean;
  iter: Expr;
  body: Stmt[];
}
/** `except [Type] [as name]:`; `type` null for a bare `except:` or `except as e:`. */
export interface ExceptHandler extends Node, Header { type: Expr | null; name: string | null; body: Stmt[] }
/** Dana needs at least one `except`; `finally` is optional. */
export interface Try extends Node, Header {
  kind: 'try';
  body: Stmt[];
  handlers: ExceptHandler[];
  finalbody: Stmt[] | null;
  finallyComment?: string;
}
export interface With extends Node, Header { kind: 'with'; context: Expr; name: string; body: Stmt[] }

export interface Param extends Node {
  name: string;
  type: TypeRef | null;
  default: Expr | null;
  /** Trailing `# comment` after the parameter (or after its comma). */
  comment?: string;
}

/** `@name` or `@name(args)`; `args` null when there are no parentheses. Names are single NAMEs. */
export interface Decorator extends Node { name: string; args: Arg[] | null }

/** `[decorators] [sync] def [(receiver)] name(params) [-> T]: body`. */
export interface FunctionDef extends Node, Header {
  kind: 'def';
  name: string;
  sync: boolean;
  receiver: Param | null;
  params: Param[];
  returns: TypeRef | null;
  decorators: Decorator[];
  body: Stmt[];
  /** Parser-only ranges: the name token, header (`def`/`sync` .. `:`) and body. */
  nameLoc?: Loc;
  headerLoc?: Loc;
  bodyLoc?: Loc;
}

/** A pipeline stage function: `f`, `f(args)` or the parallel list `[f, g(x)]`. */
export type StageFn =
  | { kind: 'fname'; name: string; loc?: Loc }
  | { kind: 'fcall'; name: string; args: Arg[]; loc?: Loc }
  | { kind: 'flist'; items: StageFn[]; loc?: Loc };
export interface Stage extends Node { fn: StageFn; as: string | null }

/** Body-less `def name(params) [-> T] = f | g as x | [h, k]` (cannot be decorated). */
export interface Declarative extends Simple {
  kind: 'declarative';
  name: string;
  params: Param[];
  returns: TypeRef | null;
  stages: Stage[];
  nameLoc?: Loc;
  headerLoc?: Loc;
  compositionLoc?: Loc;
}

export type DefinitionKeyword = 'struct' | 'resource' | 'agent_blueprint' | 'interface' | 'workflow';

/** `name: type [= default]` in a struct-like body. */
export interface Field extends Node { kind: 'field'; name: string; type: TypeRef; default: Expr | null; comment?: string }
/** `name(params) [-> T]` in an interface body (no `def`). */
export interface InterfaceMethod extends Node {
  kind: 'imethod';
  name: string;
  params: Param[];
  returns: TypeRef | null;
  comment?: string;
}
/** A bare `Name` line in an interface body (embedding). */
export interface Embedded extends Node { kind: 'embed'; name: string; comment?: string }

/**
 * `struct|resource|agent_blueprint|workflow|interface Name:` and its body. The body shape is
 * not fixed by the keyword: a struct body holds fields and defs (no comment lines, no `pass`);
 * an interface body holds signatures, embedded names and comment lines.
 */
export interface Definition extends Node, Header {
  kind: 'definition';
  keyword: DefinitionKeyword;
  name: string;
  /** Raw `"""..."""` literal, or null. */
  docstring: string | null;
  members: Array<Field | FunctionDef | InterfaceMethod | Embedded | Comment>;
}

/** `agent [Name](Base):` followed by `name = expr` lines. */
export interface SingletonAgent extends Node, Header {
  kind: 'agent_def';
  name: string | null;
  base: string;
  docstring: string | null;
  fields: Array<{ name: string; value: Expr; comment?: string; loc?: Loc }>;
}

export type Stmt =
  | Comment | ExprStmt | Assign | AugAssign | Return | Break | Continue | Pass | Raise | Assert
  | Import | FromImport | AgentAlias | AgentBase | Declarative
  | If | While | For | Try | With | FunctionDef | Definition | SingletonAgent;

export interface Program extends Node {
  kind: 'program';
  body: Stmt[];
}

/** Words Dana's NAME token refuses (grammar at HEAD): never usable as identifiers, attributes or keyword names. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'True', 'true', 'TRUE', 'False', 'false', 'FALSE', 'None', 'none', 'NONE', 'null', 'NULL',
  'private', 'public', 'local', 'system', 'break', 'continue', 'pass', 'return', 'deliver', 'sync',
  'if', 'else', 'elif', 'while', 'for', 'def', 'struct', 'resource', 'workflow', 'interface', 'try',
  'except', 'finally', 'raise', 'assert', 'import', 'from', 'with', 'agent', 'agent_blueprint',
  'lambda', 'yield', 'global', 'nonlocal', 'del', 'and', 'or', 'not', 'in', 'is', 'export', 'as',
]);

/** True for an ASCII identifier that is not reserved. */
export function isValidName(s: string): boolean {
  if (s.length === 0 || RESERVED_WORDS.has(s)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!alpha && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}
