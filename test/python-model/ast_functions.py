# Test oracle: prints, per file, the functions CPython's own `ast` sees, in the fields of
# `poet functions` (params with the `/` and `*` markers as our model lists them), so the
# Python model can be compared with the real parser. Usage: python3 ast_functions.py FILE...
import ast, json, re, sys


class Segments:
    """ast.get_source_segment, without re-splitting the whole file on every call."""

    def __init__(self, src):
        # Only \n, \r\n and \r end lines for the tokenizer (str.splitlines also splits at \f etc.).
        self.lines = [l.encode("utf-8") for l in re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", src)]

    def __call__(self, node):
        l1, l2 = node.lineno - 1, node.end_lineno - 1
        if l1 == l2:
            return self.lines[l1][node.col_offset:node.end_col_offset].decode("utf-8")
        parts = [self.lines[l1][node.col_offset:]] + self.lines[l1 + 1:l2] + [self.lines[l2][:node.end_col_offset]]
        return b"".join(parts).decode("utf-8")


def walk(node, parents, out, seg):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = child.args
            params = []
            posonly = a.posonlyargs
            defaults = [None] * (len(posonly) + len(a.args) - len(a.defaults)) + list(a.defaults)
            allpos = posonly + a.args
            for i, p in enumerate(allpos):
                params.append({"name": p.arg, "type": seg(p.annotation) if p.annotation else None,
                               "default": seg(defaults[i]) if defaults[i] is not None else None})
                if posonly and i == len(posonly) - 1:
                    params.append({"name": "/", "type": None, "default": None})
            if a.vararg:
                params.append({"name": "*" + a.vararg.arg, "type": seg(a.vararg.annotation) if a.vararg.annotation else None, "default": None})
            elif a.kwonlyargs:
                params.append({"name": "*", "type": None, "default": None})
            for p, d in zip(a.kwonlyargs, a.kw_defaults):
                params.append({"name": p.arg, "type": seg(p.annotation) if p.annotation else None,
                               "default": seg(d) if d is not None else None})
            if a.kwarg:
                params.append({"name": "**" + a.kwarg.arg, "type": seg(a.kwarg.annotation) if a.kwarg.annotation else None, "default": None})
            decos = []
            for d in child.decorator_list:
                fn = d.func if isinstance(d, ast.Call) else d
                decos.append({"name": seg(fn).replace(" ", ""), "line": d.lineno})
            doc = None
            if child.body and isinstance(child.body[0], ast.Expr) and isinstance(child.body[0].value, ast.Constant) and isinstance(child.body[0].value.value, str):
                doc = seg(child.body[0].value)
            out.append({"name": child.name, "kind": "async def" if isinstance(child, ast.AsyncFunctionDef) else "def",
                        "line": child.lineno, "start_line": min([child.lineno] + [d.lineno for d in child.decorator_list]),
                        "end_line": child.end_lineno, "params": params,
                        "return_type": seg(child.returns) if child.returns else None,
                        "decorators": decos, "docstring": doc, "parents": parents})
            walk(child, parents + [child.name], out, seg)
        elif isinstance(child, ast.ClassDef):
            walk(child, parents + [child.name], out, seg)
        else:
            walk(child, parents, out, seg)

for path in sys.argv[1:]:
    try:
        src = open(path, encoding="utf-8").read()
        tree = ast.parse(src)
    except Exception as e:
        print(json.dumps({"file": path, "error": str(e)}))
        continue
    out = []
    walk(tree, [], out, Segments(src))
    out.sort(key=lambda f: (f["line"]))
    print(json.dumps({"file": path, "functions": out}))
