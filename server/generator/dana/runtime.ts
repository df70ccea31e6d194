// The runtime section every enhanced.na carries (Dana source, checked with Dana's own grammar
// and interpreter). It interprets the plan literals the generator writes, as the Python runtime
// does. Written for what the interpreter really does (see docs/generator.md): `and`/`or` do not
// short-circuit (so guards are nested ifs and dict reads use .get), slices must stay in bounds,
// there is no ord/repr/format spec, and raising a string is how a Dana function signals an error.
// Loading several enhanced.na files into one module redefines these helpers with the same text.
export const DANA_RUNTIME_IMPORTS = ['time', 'random', 'unicodedata'] as const;

export const DANA_RUNTIME = String.raw`# ===================== POET runtime for Dana =====================
def __poet_is_number(v) -> bool:
    t = type(v)
    return t == "int" or t == "float"

def __poet_kind_ok(v, kind: str) -> bool:
    t = type(v)
    if kind == "float":
        return t == "float" or t == "int"
    if kind == "set":
        return t == "set" or t == "frozenset"
    return t == kind

def __poet_type_ok(v, kinds: list) -> bool:
    for k in kinds:
        if __poet_kind_ok(v, k):
            return True
    return False

def __poet_rule_type_ok(v, t: str) -> bool:
    if t == "number":
        return __poet_is_number(v)
    if t == "integer":
        return type(v) == "int"
    if t == "string":
        return type(v) == "str"
    if t == "boolean":
        return type(v) == "bool"
    if t == "list":
        return type(v) == "list" or type(v) == "tuple"
    return type(v) == "dict"

def __poet_split_number(s: str) -> dict:
    digits = "0123456789"
    chars = list(s.strip())
    n = len(chars)
    i = 0
    text = ""
    if n > 0:
        if chars[0] == "-" or chars[0] == "+":
            text = chars[0]
            i = 1
    seen = False
    stop = False
    while i < n and not stop:
        ch = chars[i]
        if ch in digits:
            seen = True
            text = text + ch
            i += 1
        elif ch == "." or ch == "," or ch == "_":
            if ch == ".":
                text = text + ch
            i += 1
        else:
            stop = True
    if not seen or text.count(".") > 1:
        return {"ok": False, "value": 0.0, "unit": "", "integral": False}
    rest = ""
    while i < n:
        rest = rest + chars[i]
        i += 1
    return {"ok": True, "value": float(text), "unit": rest.strip(), "integral": "." not in text}

def __poet_normalize(kind: str, v):
    if kind == "ratio" and __poet_is_number(v):
        if v > 1:
            return v / 100.0
        return v
    if type(v) != "str":
        return v
    s = v.strip()
    if kind == "strip":
        return s
    if kind == "lower":
        return v.lower()
    if kind == "bool":
        low = s.lower()
        if low in ["true", "yes", "y", "on", "1", "occupied"]:
            return True
        if low in ["false", "no", "n", "off", "0", "unoccupied", "vacant"]:
            return False
        return v
    if kind == "credit_score":
        low = " ".join(s.lower().replace("_", " ").split())
        words = {"exceptional": 800, "excellent": 780, "very good": 740, "good": 720, "fair": 650, "average": 650, "poor": 580, "bad": 560, "very poor": 520}
        if low in words:
            return words[low]
        p = __poet_split_number(low.replace("score", "").replace(":", ""))
        if p["ok"] and p["unit"] == "":
            return int(p["value"])
        return v
    if kind == "money":
        p = __poet_split_number(s.replace("$", "").replace("USD", "").replace("usd", ""))
        if not p["ok"]:
            return v
        scales = {"": 1, "k": 1000, "m": 1000000, "mm": 1000000, "b": 1000000000, "bn": 1000000000}
        u = p["unit"].lower()
        if u in scales:
            return p["value"] * scales[u]
        return v
    if kind == "ratio":
        p = __poet_split_number(s)
        if not p["ok"]:
            return v
        if p["unit"] == "%" or p["value"] > 1:
            return p["value"] / 100.0
        if p["unit"] == "":
            return p["value"]
        return v
    if kind == "duration_years":
        p = __poet_split_number(s)
        if not p["ok"]:
            return v
        u = p["unit"].lower()
        if u.startswith("month") or u == "mo":
            return p["value"] / 12.0
        if u.startswith("week"):
            return p["value"] / 52.0
        if u == "" or u == "y" or u == "yr" or u == "yrs" or u.startswith("year"):
            return p["value"]
        return v
    if kind == "temperature_f" or kind == "temperature_c":
        p = __poet_split_number(s.replace("°", "").replace("º", ""))
        if not p["ok"]:
            return v
        u = p["unit"].upper().replace("DEG", "").strip()
        n = p["value"]
        if u == "":
            return n
        f = n
        if u == "C" or u == "CELSIUS":
            f = n * 9.0 / 5.0 + 32
        elif u == "K" or u == "KELVIN":
            f = (n - 273.15) * 9.0 / 5.0 + 32
        elif u != "F" and u != "FAHRENHEIT":
            return v
        if kind == "temperature_f":
            return round(f, 6)
        return round((f - 32) * 5.0 / 9.0, 6)
    if kind == "number":
        p = __poet_split_number(s)
        if not p["ok"]:
            return v
        if p["integral"]:
            return int(p["value"])
        return p["value"]
    return v

def __poet_has_control(s: str) -> bool:
    for ch in s:
        if __poet_unicodedata.category(ch) == "Cc" and not ch in ["\t", "\n", "\r"]:
            return True
    return False

def __poet_len(v) -> int:
    if type(v) == "str":
        return len(v.strip())
    return len(v)

def __poet_violation(check: dict, v, whole) -> str:
    t = check.get("type")
    if t != None and v != None:
        if not __poet_rule_type_ok(v, t):
            return "expected " + t + ", got " + str(type(v))
    if __poet_is_number(v):
        if check.get("finite"):
            if v != v or v == float("inf") or v == float("-inf"):
                return "must be a finite number"
        if check.get("max_abs") != None and v == v:
            if abs(v) > check["max_abs"]:
                return "magnitude must be at most " + str(check["max_abs"])
        if check.get("non_zero"):
            if v == 0:
                return "must not be zero"
        if check.get("gt") != None:
            if not v > check["gt"]:
                return "must be greater than " + str(check["gt"])
        if check.get("min") != None:
            if v < check["min"]:
                return "must be at least " + str(check["min"])
        if check.get("max") != None:
            if v > check["max"]:
                return "must be at most " + str(check["max"])
    if check.get("enum") != None:
        if not v in check["enum"]:
            return "must be one of " + str(check["enum"])
    if type(v) == "str" and check.get("no_control_chars"):
        if __poet_has_control(v):
            return "must not contain control characters"
    sized = type(v) == "str" or type(v) == "list" or type(v) == "dict" or type(v) == "tuple"
    if check.get("non_empty"):
        if v == None:
            return "must not be empty"
        if sized:
            if __poet_len(v) == 0:
                return "must not be empty"
    if sized:
        n = __poet_len(v)
        if check.get("min_length") != None:
            if n < check["min_length"]:
                return "length " + str(n) + " is below the minimum " + str(check["min_length"])
        if check.get("max_length") != None:
            if n > check["max_length"]:
                return "length " + str(n) + " exceeds the maximum " + str(check["max_length"])
    if type(v) == "list" or type(v) == "tuple":
        if check.get("items_finite"):
            for x in v:
                if not __poet_is_number(x):
                    return "item " + str(x) + " must be a finite number"
                if x != x or x == float("inf") or x == float("-inf"):
                    return "item " + str(x) + " must be a finite number"
        if check.get("mean_min") != None or check.get("mean_max") != None:
            mean = __poet_mean(v)
            if mean != None:
                if check.get("mean_min") != None:
                    if mean < check["mean_min"]:
                        return "mean " + str(mean) + " drifted below " + str(check["mean_min"])
                if check.get("mean_max") != None:
                    if mean > check["mean_max"]:
                        return "mean " + str(mean) + " drifted above " + str(check["mean_max"])
    if check.get("exclusive") != None and type(whole) == "dict":
        a = whole.get(check["exclusive"][0])
        b = whole.get(check["exclusive"][1])
        limit = check.get("threshold", 0)
        if __poet_is_number(a) and __poet_is_number(b):
            if a > limit and b > limit:
                return check["exclusive"][0] + " and " + check["exclusive"][1] + " must not both exceed " + str(limit)
    if check.get("interlock") != None and type(whole) == "dict":
        lk = check["interlock"]
        w = whole.get(lk["when"])
        r = whole.get(lk["require"])
        if __poet_is_number(w) and __poet_is_number(r):
            if w > lk["above"] and r < lk["at_least"]:
                return lk["when"] + " above " + str(lk["above"]) + " needs " + lk["require"] + " of at least " + str(lk["at_least"])
    return ""

def __poet_mean(v):
    if len(v) == 0:
        return None
    total = 0.0
    for x in v:
        if not __poet_is_number(x):
            return None
        total = total + x
    return total / len(v)

def __poet_perceive(fname: str, name: str, value, spec: dict):
    v = value
    for kind in spec["normalize"]:
        v = __poet_normalize(kind, v)
    t = spec["type"]
    if t != None:
        if v == None:
            if not t["nullable"]:
                raise "PerceiveError: [perceive] " + fname + ": parameter '" + name + "' = None: must not be None (annotation " + t["text"] + ")"
            return v
        if len(t["kinds"]) > 0 and not __poet_type_ok(v, t["kinds"]):
            raise "PerceiveError: [perceive] " + fname + ": parameter '" + name + "' = " + str(value) + ": expected " + t["text"] + ", got " + str(type(v))
        if t["kinds"] == ["int"] and type(v) == "float" and type(value) == "str":
            if v == v and v != float("inf") and v != float("-inf"):
                if v == int(v):
                    v = int(v)
    for check in spec["checks"]:
        problem = __poet_violation(check, v, v)
        if problem != "":
            raise "PerceiveError: [perceive] " + fname + ": parameter '" + name + "' = " + str(value) + ": " + problem + " (" + check["rule"] + ")"
    return v

def __poet_enforce(fname: str, result, spec: dict):
    t = spec["type"]
    if t != None and len(t["kinds"]) > 0:
        if result == None and not t["nullable"]:
            raise "EnforceError: [enforce] " + fname + ": result is None, expected " + t["text"]
        if result != None and not __poet_type_ok(result, t["kinds"]):
            raise "EnforceError: [enforce] " + fname + ": result " + str(result) + ": expected " + t["text"] + ", got " + str(type(result))
    for check in spec["checks"]:
        value = result
        where = "result " + str(result)
        if "field" in check:
            value = null
            if type(result) == "dict":
                value = result.get(check["field"])
            where = "result field '" + check["field"] + "' = " + str(value)
        if value != None:
            problem = __poet_violation(check, value, result)
            if problem != "":
                raise "EnforceError: [enforce] " + fname + ": " + where + ": " + problem + " (" + check["rule"] + ")"
    return result

def __poet_permanent(message: str) -> bool:
    for marker in ["PerceiveError", "EnforceError", "division by zero", "TypeError", "ValueError", "KeyError", "IndexError", "AttributeError", "NameError", "not defined", "AssertionError"]:
        if marker in message:
            return True
    return False

def __poet_backoff(operate: dict, attempt: int) -> float:
    b = operate["backoff"]
    delay = min(b["max_s"], b["initial_s"] * (b["multiplier"] ** attempt))
    return max(0.0, delay * (1 + b["jitter"] * (2 * __poet_random.random() - 1)))
# =================================================================
`;
