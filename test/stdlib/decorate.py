"""Marks every module-level function of a Python file with @poet(...), as a user would.

    python3 decorate.py SRC DST CONFIG_JSON [SKIP_NAME ...]

Functions defined directly in the module body, or under module-level if/try blocks, get a
`@_poet.poet(...)` line above their first decorator; `import poet as _poet` (a private name, so `__all__` checks see nothing new) goes after the module
docstring and `from __future__` imports. Prints the decorated names as a JSON list.
"""
import ast
import json
import sys


def module_functions(body):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node
        elif isinstance(node, (ast.If, ast.Try)):
            yield from module_functions(node.body)
            yield from module_functions(node.orelse)
            for h in getattr(node, "handlers", []):
                yield from module_functions(h.body)
            yield from module_functions(getattr(node, "finalbody", []))


def main():
    src, dst, config = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    skip = set(sys.argv[4:])
    text = open(src, encoding="utf-8").read()
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    args = ", ".join("%s=%r" % (k, v) for k, v in config.items())
    inserts = []
    names = []
    seen = set()
    for fn in module_functions(tree.body):
        if fn.name in skip or fn.name in seen:
            continue  # a name defined twice (platform branches) would share one history
        seen.add(fn.name)
        first = min([d.lineno for d in fn.decorator_list] + [fn.lineno])
        indent = lines[first - 1][: len(lines[first - 1]) - len(lines[first - 1].lstrip())]
        inserts.append((first - 1, "%s@_poet.poet(%s)\n" % (indent, args)))
        names.append(fn.name)
    after = 0
    for node in tree.body:
        is_doc = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        is_future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        if (is_doc and after == 0) or is_future:
            after = node.end_lineno
        else:
            break
    if names:
        inserts.append((after, "import poet as _poet\n"))
    for at, line in sorted(inserts, key=lambda x: x[0], reverse=True):
        lines.insert(at, line)
    open(dst, "w", encoding="utf-8").write("".join(lines))
    print(json.dumps(names))


main()
