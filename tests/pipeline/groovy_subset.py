"""A strict reader for the small part of Groovy that the pipeline's modules and
configs use, so tests can render a module's `script:` exactly as Nextflow would
without Nextflow.

It tokenizes and parses whole config files and process definitions, and
evaluates expressions lazily: an operator, method or name it does not know is an
error (`GroovyError`), never a guess, so a module that starts using something new
fails the test instead of silently rendering differently.

Supported: string literals ('...', "..." and triple-quoted, with `${expr}` and
`$name.prop` interpolation and the escapes \\ \\$ \\" \\' \\n \\t), numbers,
true/false/null, lists, maps, closures `{ [a ->] expr }`, property access,
method calls (tokenize, toLowerCase, findAll, join, collect), indexing, the
operators `?:`, `? :`, `==`, `!=`, `!`, `&&`, `||`, `+`, `*` (parsed; evaluated
for strings/numbers), `in`, `..` and `as` (parsed only). Config files are read
as nested scopes of `name = expr`, `name { ... }`, `withName: 'X' { ... }`,
`withLabel: 'x' { ... }` and `includeConfig 'file'` statements.
"""

import re


class GroovyError(Exception):
    """Something the strict renderer does not understand or cannot evaluate."""


# ---------------------------------------------------------------- tokenizer

_PUNCT = ["?:", "?.", "..", "==", "!=", "<=", ">=", "&&", "||", "->",
          "{", "}", "[", "]", "(", ")", ",", ":", ".", "?", "=", "!", "+", "-", "*", "/", "<", ">"]


class Token:
    __slots__ = ("kind", "value", "line")

    def __init__(self, kind, value, line):
        self.kind, self.value, self.line = kind, value, line

    def __repr__(self):
        return f"{self.kind}:{self.value!r}@{self.line}"


def tokenize(text, origin="<text>"):
    tokens, i, line = [], 0, 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r;":
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise GroovyError(f"{origin}:{line}: unterminated comment")
            line += text.count("\n", i, end)
            i = end + 2
        elif text.startswith("#!", i) and i == 0:
            while i < n and text[i] != "\n":
                i += 1
        elif c in "'\"":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while True:
                if j >= n:
                    raise GroovyError(f"{origin}:{line}: unterminated string")
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    break
                if len(quote) == 1 and text[j] == "\n":
                    raise GroovyError(f"{origin}:{line}: newline in a one-line string")
                j += 1
            raw = text[i + len(quote):j]
            kind = "GSTR" if c == '"' else "STR"
            value = _parse_gstring(raw, origin, line) if kind == "GSTR" else _unescape(raw, origin, line)
            tokens.append(Token(kind, value, line))
            line += raw.count("\n")
            i = j + len(quote)
        elif c.isdigit():
            m = re.compile(r"\d+(\.\d+)?").match(text, i)
            s = m.group(0)
            tokens.append(Token("NUM", float(s) if "." in s else int(s), line))
            i = m.end()
        elif c.isalpha() or c == "_":
            m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(text, i)
            tokens.append(Token("ID", m.group(0), line))
            i = m.end()
        else:
            for p in _PUNCT:
                if text.startswith(p, i):
                    tokens.append(Token("OP", p, line))
                    i += len(p)
                    break
            else:
                raise GroovyError(f"{origin}:{line}: unexpected character {c!r}")
    tokens.append(Token("EOF", None, line))
    return tokens


_ESCAPES = {"\\": "\\", "$": "$", '"': '"', "'": "'", "n": "\n", "t": "\t"}


def _unescape(raw, origin, line):
    out, i = [], 0
    while i < len(raw):
        if raw[i] == "\\":
            nxt = raw[i + 1:i + 2]
            if nxt not in _ESCAPES:
                raise GroovyError(f"{origin}:{line}: unsupported escape \\{nxt!r} in a string")
            out.append(_ESCAPES[nxt])
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _parse_gstring(raw, origin, line):
    """A GString as a list of parts: str literals and parsed expressions."""
    parts, buf, i = [], [], 0
    while i < len(raw):
        c = raw[i]
        if c == "\\":
            nxt = raw[i + 1:i + 2]
            if nxt not in _ESCAPES:
                here = line + raw.count("\n", 0, i)
                raise GroovyError(f"{origin}:{here}: unsupported escape \\{nxt!r} in a GString")
            buf.append(_ESCAPES[nxt])
            i += 2
        elif c == "$":
            here = line + raw.count("\n", 0, i)
            if raw.startswith("{", i + 1):
                depth, j = 1, i + 2
                while j < len(raw) and depth:
                    depth += {"{": 1, "}": -1}.get(raw[j], 0)
                    j += 1
                if depth:
                    raise GroovyError(f"{origin}:{here}: unterminated ${{...}}")
                source = raw[i + 2:j - 1]
                i = j
            else:
                m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*").match(raw, i + 1)
                if not m:
                    raise GroovyError(f"{origin}:{here}: `$` not followed by a name or {{ (escape it as \\$)")
                source = m.group(0)
                i = m.end()
            if buf:
                parts.append("".join(buf))
                buf = []
            parts.append(Parser(tokenize(source, origin), origin).expression_only())
        else:
            buf.append(c)
            i += 1
    if buf:
        parts.append("".join(buf))
    return parts


# ------------------------------------------------------------------- parser

_BINARY = {"||": 2, "&&": 3, "==": 4, "!=": 4, "in": 4, "<": 5, ">": 5, "<=": 5, ">=": 5,
           "..": 6, "+": 7, "-": 7, "*": 8, "/": 8}


class Parser:
    def __init__(self, tokens, origin):
        self.toks, self.pos, self.origin = tokens, 0, origin

    # helpers
    def peek(self, offset=0):
        return self.toks[min(self.pos + offset, len(self.toks) - 1)]

    def at(self, kind, value=None, offset=0):
        t = self.peek(offset)
        return t.kind == kind and (value is None or t.value == value)

    def take(self, kind=None, value=None):
        t = self.peek()
        if kind and (t.kind != kind or (value is not None and t.value != value)):
            want = value if value is not None else kind
            raise GroovyError(f"{self.origin}:{t.line}: expected {want}, found {t.value!r}")
        self.pos += 1
        return t

    def fail(self, what):
        t = self.peek()
        raise GroovyError(f"{self.origin}:{t.line}: {what} (at {t.value!r})")

    def expression_only(self):
        e = self.expression()
        if not self.at("EOF"):
            self.fail("unexpected text after the expression")
        return e

    # expressions
    def expression(self, min_prec=0):
        left = self.unary()
        while True:
            t = self.peek()
            op = t.value if t.kind in ("OP", "ID") else None
            if op == "?" and min_prec <= 1:
                self.take()
                then = self.expression(1)
                self.take("OP", ":")
                other = self.expression(1)
                left = ("tern", left, then, other)
            elif op == "?:" and min_prec <= 1:
                self.take()
                left = ("elvis", left, self.expression(1))
            elif op == "as" and t.kind == "ID":
                self.take()
                left = ("as", left, self.take("ID").value)
            elif op in _BINARY and (t.kind == "OP" or op == "in") and _BINARY[op] > min_prec:
                self.take()
                left = ("bin", op, left, self.expression(_BINARY[op]))
            else:
                return left

    def unary(self):
        if self.at("OP", "!") or self.at("OP", "-"):
            op = self.take().value
            return ("un", op, self.unary())
        return self.postfix(self.primary())

    def postfix(self, e):
        while True:
            if self.at("OP", ".") or self.at("OP", "?."):
                self.take()
                name = self.take("ID").value
                if self.at("OP", "("):
                    args = self.arguments()
                    closure = self.closure() if self.at("OP", "{") else None
                    e = ("call", e, name, args, closure)
                elif self.at("OP", "{"):
                    e = ("call", e, name, [], self.closure())
                else:
                    e = ("prop", e, name)
            elif self.at("OP", "["):
                self.take()
                idx = self.expression()
                self.take("OP", "]")
                e = ("index", e, idx)
            else:
                return e

    def arguments(self):
        self.take("OP", "(")
        args = []
        while not self.at("OP", ")"):
            if self.at("ID") and self.at("OP", ":", 1):
                name = self.take().value
                self.take()
                args.append(("named", name, self.expression()))
            else:
                args.append(self.expression())
            if not self.at("OP", ")"):
                self.take("OP", ",")
        self.take("OP", ")")
        return args

    def closure(self):
        self.take("OP", "{")
        params = []
        if self.at("ID") and (self.at("OP", "->", 1) or self.at("OP", ",", 1)):
            while not self.at("OP", "->"):
                params.append(self.take("ID").value)
                if self.at("OP", ","):
                    self.take()
            self.take("OP", "->")
        body = self.expression()
        self.take("OP", "}")
        return ("closure", params, body)

    def primary(self):
        t = self.peek()
        if t.kind in ("STR", "NUM"):
            self.take()
            return ("lit", t.value)
        if t.kind == "GSTR":
            self.take()
            return ("gstr", t.value)
        if t.kind == "ID":
            self.take()
            if t.value in ("true", "false"):
                return ("lit", t.value == "true")
            if t.value == "null":
                return ("lit", None)
            if self.at("OP", "("):
                return ("fcall", t.value, self.arguments())
            return ("id", t.value)
        if t.kind == "OP" and t.value == "(":
            self.take()
            e = self.expression()
            self.take("OP", ")")
            return e
        if t.kind == "OP" and t.value == "{":
            return self.closure()
        if t.kind == "OP" and t.value == "[":
            return self.collection()
        self.fail("expected an expression")

    def collection(self):
        self.take("OP", "[")
        if self.at("OP", ":") and self.at("OP", "]", 1):
            self.take()
            self.take()
            return ("map", [])
        items, is_map = [], None
        while not self.at("OP", "]"):
            if (self.at("ID") or self.at("STR")) and self.at("OP", ":", 1):
                if is_map is False:
                    self.fail("mixed list and map literal")
                is_map = True
                key = self.take().value
                self.take()
                items.append((key, self.expression()))
            else:
                if is_map:
                    self.fail("mixed list and map literal")
                is_map = False
                items.append(self.expression())
            if not self.at("OP", "]"):
                self.take("OP", ",")
        self.take("OP", "]")
        return ("map", items) if is_map else ("list", items)

    # config files
    def config_block(self, end="EOF"):
        """Statements until `}` (or EOF) as a list of (kind, ...) tuples."""
        stmts = []
        while not (self.at("EOF") if end == "EOF" else self.at("OP", "}")):
            t = self.take("ID")
            if self.at("OP", ":") and self.peek(1).kind == "STR" and self.at("OP", "{", 2):
                self.take()
                selector = self.take().value
                self.take("OP", "{")
                stmts.append(("select", t.value, selector, self.config_block("}")))
                self.take("OP", "}")
                continue
            name = [t.value]
            while self.at("OP", "."):
                self.take()
                name.append(self.take("ID").value)
            if self.at("OP", "="):
                self.take()
                stmts.append(("set", ".".join(name), self.expression()))
            elif self.at("OP", "{"):
                self.take()
                stmts.append(("scope", ".".join(name), self.config_block("}")))
                self.take("OP", "}")
            elif len(name) == 1 and self.peek().kind in ("STR", "GSTR"):
                stmts.append(("command", name[0], self.expression()))
            else:
                self.fail(f"unexpected config statement after {'.'.join(name)}")
        return stmts


def parse_config(path):
    text = open(path).read()
    return Parser(tokenize(text, str(path)), str(path)).config_block()


# --------------------------------------------------------------- evaluation

class MapValue(dict):
    """A Groovy map: a missing key reads as null (meta.tumour_type, task.ext.prefix)."""


class Closure:
    def __init__(self, params, body, env):
        self.params, self.body, self.env = params, body, env

    def __call__(self, *args):
        if len(args) > max(1, len(self.params)):
            raise GroovyError(f"closure called with {len(args)} arguments")
        names = self.params or (["it"] if args else [])
        return evaluate(self.body, {**self.env, **dict(zip(names, args))})


class StagedPath:
    """A staged input file: renders as its name in the task directory."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name


class StagedPaths(list):
    """Several staged files in one input: render space-separated, as Nextflow does."""

    def __str__(self):
        return " ".join(str(p) for p in self)


def truthy(v):
    if v is None or v is False:
        return False
    if isinstance(v, (int, float, str, list, dict)) and not isinstance(v, bool):
        return bool(v)
    return True


def to_text(v):
    if v is None:
        return "null"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (int, str, StagedPath, StagedPaths)):
        return str(v)
    raise GroovyError(f"cannot interpolate a {type(v).__name__} value {v!r}")


def _method(obj, name, args, closure):
    if name == "tokenize" and isinstance(obj, str) and len(args) == 1 and closure is None:
        return [s for s in re.split("[" + re.escape(args[0]) + "]", obj) if s]
    if name == "toLowerCase" and isinstance(obj, str) and not args and closure is None:
        return obj.lower()
    if name == "findAll" and isinstance(obj, list) and not args and closure is not None:
        return [x for x in obj if truthy(closure(x))]
    if name == "collect" and isinstance(obj, list) and not args and closure is not None:
        return [closure(x) for x in obj]
    if name == "join" and isinstance(obj, list) and len(args) == 1 and closure is None:
        return args[0].join(to_text(x) for x in obj)
    raise GroovyError(f"unsupported method .{name}() on {type(obj).__name__}")


def evaluate(node, env):
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "gstr":
        return "".join(p if isinstance(p, str) else to_text(evaluate(p, env)) for p in node[1])
    if kind == "id":
        if node[1] not in env:
            raise GroovyError(f"unknown name `{node[1]}`")
        return env[node[1]]
    if kind == "prop":
        obj = evaluate(node[1], env)
        name = node[2]
        if isinstance(obj, MapValue):
            return obj.get(name)
        if isinstance(obj, dict):
            if name not in obj:
                raise GroovyError(f"unknown property `.{name}`")
            return obj[name]
        if isinstance(obj, StagedPath) and name == "name":
            return obj.name
        raise GroovyError(f"unsupported property `.{name}` on {type(obj).__name__}")
    if kind == "index":
        obj, idx = evaluate(node[1], env), evaluate(node[2], env)
        if isinstance(obj, list) and isinstance(idx, int):
            return obj[idx]
        raise GroovyError("unsupported indexing")
    if kind == "call":
        obj = evaluate(node[1], env)
        args = [evaluate(a, env) for a in node[3]]
        closure = evaluate(node[4], env) if node[4] else None
        return _method(obj, node[2], args, closure)
    if kind == "list":
        return [evaluate(x, env) for x in node[1]]
    if kind == "map":
        return MapValue((k, evaluate(v, env)) for k, v in node[1])
    if kind == "closure":
        return Closure(node[1], node[2], env)
    if kind == "tern":
        return evaluate(node[2] if truthy(evaluate(node[1], env)) else node[3], env)
    if kind == "elvis":
        v = evaluate(node[1], env)
        return v if truthy(v) else evaluate(node[2], env)
    if kind == "un" and node[1] == "!":
        return not truthy(evaluate(node[2], env))
    if kind == "un" and node[1] == "-":
        v = evaluate(node[2], env)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return -v
    if kind == "bin" and node[1] in ("==", "!="):
        eq = evaluate(node[2], env) == evaluate(node[3], env)
        return eq if node[1] == "==" else not eq
    if kind == "bin" and node[1] in ("&&", "||"):
        left = truthy(evaluate(node[2], env))
        if node[1] == "&&":
            return left and truthy(evaluate(node[3], env))
        return left or truthy(evaluate(node[3], env))
    if kind == "bin" and node[1] in ("+", "*"):
        a, b = evaluate(node[2], env), evaluate(node[3], env)
        if node[1] == "+" and isinstance(a, str):
            return a + to_text(b)
        if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b)):
            return a + b if node[1] == "+" else a * b
    raise GroovyError(f"unsupported expression {kind} {node[1] if len(node) > 1 else ''}")
