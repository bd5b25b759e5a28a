"""Writing new Nix code in nixfmt (RFC 166) style.

Build an expression from the small classes below and ``render`` it::

    render(Lambda(["config", "pkgs"], Attrs({"imports": List([Path("./hardware.nix")])}), ellipsis=True))

gives::

    { config, pkgs, ... }:
    {
      imports = [ ./hardware.nix ];
    }

Layout follows nixfmt: two-space steps, one binding per line in a multi-line
set, lists of more than one element one element per line, a function's last
set or list argument kept on the function's line, ``let``/``in`` on their own
lines.  ``Raw`` inserts source taken from a user's file, re-indented to fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence, Union

import pynix_parser

WIDTH = 100
STEP = "  "
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_'-]*\Z")
_KEYWORDS = frozenset({"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"})
_PATH = re.compile(r"(?:\.{1,2}|~)?(?:/[A-Za-z0-9._+-]+)+/?\Z|\.{1,2}/?\Z|(?:\.\./)+\.\.?\Z|\./\.\Z")
_SEARCH_PATH = re.compile(r"<[A-Za-z0-9._+-]+(?:/[A-Za-z0-9._+-]+)*>\Z")


class Expr:
    """Base of the expression builders."""


@dataclass
class Raw(Expr):
    """Source text used as is, except that continuation lines are re-indented."""

    text: str


@dataclass
class Ident(Expr):
    """A variable, or a selection written with dots: ``Ident("inputs.nixpkgs.lib")``."""

    name: str


@dataclass
class Str(Expr):
    value: str


@dataclass
class Path(Expr):
    """A path: ``./x.nix``, ``../x``, ``/etc/x``, ``~/x`` or ``<nixpkgs>``; ``x.nix`` means ``./x.nix``."""

    path: str


@dataclass
class Comment(Expr):
    """A comment line (or lines) inside a set or list."""

    text: str


@dataclass
class Inherit(Expr):
    names: Sequence[str]
    source: Optional[Expr] = None


Key = Union[str, Raw, tuple]
Entry = Union[tuple, Inherit, Comment, Raw]


@dataclass
class Attrs(Expr):
    """An attribute set.

    ``entries`` is a dict or a list of ``(key, value)`` pairs, ``Inherit``,
    ``Comment`` and ``Raw`` bindings.  A key is one attribute name, a tuple
    for a dotted path, or ``Raw`` for a dynamic key such as ``"${user}"``.
    ``expand`` forces (True) or forbids (False) the multi-line layout.
    """

    entries: Union[dict, list] = field(default_factory=list)
    rec: bool = False
    expand: Optional[bool] = None


@dataclass
class List(Expr):
    items: list = field(default_factory=list)
    expand: Optional[bool] = None


@dataclass
class Lambda(Expr):
    """``x: body`` when ``args`` is a string, else ``{ a, b ? default, ... }@at: body``.

    Pattern entries are names or ``(name, default)`` pairs.
    """

    args: Union[str, Sequence]
    body: Expr
    ellipsis: bool = False
    at: Optional[str] = None


@dataclass
class Let(Expr):
    bindings: Union[dict, list]
    body: Expr


@dataclass
class Apply(Expr):
    function: Expr
    args: list

    def __init__(self, function, *args):
        self.function = _as_expr(function)
        self.args = [_as_expr(arg) for arg in args]


@dataclass
class BinOp(Expr):
    """``left op right`` for ``++``, ``//``, ``+``, ``==``, ``&&`` and friends."""

    left: Expr
    op: str
    right: Expr


@dataclass
class If(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass
class With(Expr):
    scope: Expr
    body: Expr


# --------------------------------------------------------------------------
# Literals usable on their own


def attr_key(name: str) -> str:
    """An attribute name as written in a binding: bare when it is an identifier, else quoted."""
    if _IDENTIFIER.match(name) and name not in _KEYWORDS:
        return name
    return string_literal(name)


def attr_path(path: Union[str, Raw, Sequence]) -> str:
    if isinstance(path, (str, Raw)):
        path = (path,)
    return ".".join(part.text if isinstance(part, Raw) else attr_key(part) for part in path)


def string_literal(value: str) -> str:
    """A double-quoted Nix string whose value is exactly ``value``."""
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${")
               .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def scalar_literal(value) -> str:
    """null, a boolean, a string or a number as Nix source."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return string_literal(value)
    return repr(value)


def path_literal(path: str) -> str:
    """Source for a path; repo-relative ``a/b.nix`` becomes ``./a/b.nix``.

    Paths with characters a path literal cannot hold become
    ``(./. + "/a b/c")``, which Nix resolves to the same file.
    """
    if _SEARCH_PATH.match(path):
        return path
    if not path.startswith(("/", "./", "../", "~/")) and path not in (".", ".."):
        path = "./" + path
    if _PATH.match(path):
        return path
    match = re.match(r"((?:\.\.?/)+)(.*)\Z", path, flags=re.S)
    if not match:
        raise ValueError(f"cannot write {path!r} as a Nix path")
    base = match.group(1) + "."
    return f"({base} + {string_literal('/' + match.group(2))})"


def binding(path: Union[str, tuple], value, indent: str = "") -> str:
    """One ``path = value;`` line (more lines if the value needs them)."""
    return _binding(path, _as_expr(value), indent)


def render(expr, indent: int = 0) -> str:
    """Source for ``expr``; continuation lines start at ``indent`` steps of two spaces.

    The first line carries no indentation, so the result can follow an ``=``.
    """
    return _render(_as_expr(expr), STEP * indent)


def render_file(expr) -> str:
    """A whole ``.nix`` file: the expression and a final newline."""
    return render(expr) + "\n"


# --------------------------------------------------------------------------
# Rendering


def _as_expr(value) -> Expr:
    if isinstance(value, Expr):
        return value
    if value is None:
        return Raw("null")
    if isinstance(value, bool):
        return Raw("true" if value else "false")
    if isinstance(value, int):
        return Raw(str(value))
    if isinstance(value, float):
        return Raw(repr(value))
    if isinstance(value, str):
        return Str(value)
    if isinstance(value, (list, tuple)):
        return List(list(value))
    if isinstance(value, dict):
        return Attrs(value)
    raise TypeError(f"cannot write {type(value).__name__} as Nix")


def _render(expr: Expr, indent: str) -> str:
    renderer = _RENDERERS.get(type(expr))
    if renderer is None:
        raise TypeError(f"cannot render {type(expr).__name__}")
    return renderer(expr, indent)


def _fits(text: str, indent: str, extra: int = 0) -> bool:
    return "\n" not in text and len(indent) + len(text) + extra <= WIDTH


def _render_raw(expr: Raw, indent: str) -> str:
    return reindent(expr.text, indent)


def _render_ident(expr: Ident, indent: str) -> str:
    head, *rest = expr.name.split(".")
    if not _IDENTIFIER.match(head):
        raise ValueError(f"not a variable name: {head!r}")
    return ".".join([head] + [attr_key(part) for part in rest])


def _render_str(expr: Str, indent: str) -> str:
    value = expr.value
    if _suits_indented_string(value):
        inner = indent + STEP
        lines = value[:-1].replace("''", "'''").split("\n")
        body = "\n".join(inner + line if line else "" for line in lines)
        return f"''\n{body}\n{indent}''"
    return string_literal(value)


def _suits_indented_string(value: str) -> bool:
    """Whether ``''...''`` reproduces ``value`` exactly.

    Nix strips the common indentation of such a string and drops its first
    line when blank, so only text of several lines, ending in a newline, with
    some line at column 0 and no whitespace-only line, comes back unchanged.
    Text with a dollar sign stays in "...": each way of escaping it in an
    indented string misreads next to a `'` or `$` (`'''${`, `$${`).
    """
    if not value.endswith("\n") or "\n" not in value[:-1] or "\r" in value or value.startswith("\n"):
        return False
    if "$" in value:
        return False
    lines = value[:-1].split("\n")
    if any(line and not line.strip(" ") for line in lines):
        return False
    return any(line and not line.startswith(" ") for line in lines)


def _render_path(expr: Path, indent: str) -> str:
    return path_literal(expr.path)


def _render_comment(expr: Comment, indent: str) -> str:
    return ("\n" + indent).join(("# " + line).rstrip() for line in expr.text.split("\n"))


def _entries(entries) -> list:
    return list(entries.items()) if isinstance(entries, dict) else list(entries)


def _render_entry(entry, indent: str) -> str:
    if isinstance(entry, Comment):
        return _render_comment(entry, indent)
    if isinstance(entry, Inherit):
        source = f" ({_render(entry.source, indent)})" if entry.source is not None else ""
        names = " ".join(attr_key(name) for name in entry.names)
        return f"inherit{source} {names};"
    if isinstance(entry, Raw):
        return reindent(entry.text, indent)
    key, value = entry
    return _binding(key, _as_expr(value), indent)


def _binding(key, value: Expr, indent: str) -> str:
    head = attr_path(key) + " ="
    rendered = _render(value, indent)
    if "\n" in rendered and isinstance(value, (Lambda, If)):
        # nixfmt moves a multi-line function or conditional below its name.
        deeper = indent + STEP
        return f"{head}\n{deeper}{_render(value, deeper)};"
    return f"{head} {rendered};"


def _render_attrs(expr: Attrs, indent: str) -> str:
    entries = _entries(expr.entries)
    prefix = "rec " if expr.rec else ""
    if not entries:
        return prefix + "{ }"
    if expr.expand is not True and len(entries) == 1 and not isinstance(entries[0], Comment):
        single = _render_entry(entries[0], indent)
        if expr.expand is False or _fits(single, indent, len(prefix) + 4):
            return f"{prefix}{{ {single} }}"
    inner = indent + STEP
    lines = [inner + _render_entry(entry, inner) for entry in entries]
    return prefix + "{\n" + "\n".join(lines) + "\n" + indent + "}"


def _render_list(expr: List, indent: str) -> str:
    items = [_as_expr(item) for item in expr.items]
    if not items:
        return "[ ]"
    if expr.expand is not True and len(items) == 1 and not isinstance(items[0], Comment):
        single = _operand(items[0], indent)
        if expr.expand is False or _fits(single, indent, 4):
            return f"[ {single} ]"
    inner = indent + STEP
    lines = [inner + (_render_comment(item, inner) if isinstance(item, Comment) else _operand(item, inner))
             for item in items]
    return "[\n" + "\n".join(lines) + "\n" + indent + "]"


def _render_lambda(expr: Lambda, indent: str) -> str:
    header = _lambda_header(expr, indent)
    body_expr = _as_expr(expr.body)
    if not isinstance(expr.args, str) and isinstance(body_expr, Attrs) and body_expr.expand is None:
        # A module: `{ pkgs, ... }:` above its set, written one binding per line.
        body_expr = Attrs(body_expr.entries, body_expr.rec, expand=True)
    body = _render(body_expr, indent)
    if "\n" not in body and not isinstance(body_expr, Let) and _fits(header + " " + body, indent):
        return f"{header} {body}"
    if isinstance(expr.args, str) and isinstance(expr.body, (Attrs, List, Apply, Lambda)):
        # `name: {` keeps a set, list or call on the argument's line, as nixfmt does.
        return f"{header} {body}"
    return f"{header}\n{indent}{body}"


def _lambda_header(expr: Lambda, indent: str) -> str:
    if isinstance(expr.args, str):
        if not _IDENTIFIER.match(expr.args):
            raise ValueError(f"not an argument name: {expr.args!r}")
        return expr.args + ":"
    formals = []
    for arg in expr.args:
        if isinstance(arg, tuple):
            name, default = arg
            formals.append(f"{_formal_name(name)} ? {_render(_as_expr(default), indent + STEP)}")
        else:
            formals.append(_formal_name(arg))
    if expr.ellipsis:
        formals.append("...")
    at = f"@{_formal_name(expr.at)}" if expr.at else ""
    if not formals:
        return "{ }" + at + ":"
    one_line = "{ " + ", ".join(formals) + " }" + at + ":"
    if _fits(one_line, indent):
        return one_line
    inner = indent + STEP
    # Nix rejects a comma after `...`.
    lines = [f"{inner}{formal}{'' if formal == '...' else ','}\n" for formal in formals]
    return "{\n" + "".join(lines) + indent + "}" + at + ":"


def _formal_name(name: str) -> str:
    if not _IDENTIFIER.match(name) or name in _KEYWORDS:
        raise ValueError(f"not an argument name: {name!r}")
    return name


def _render_let(expr: Let, indent: str) -> str:
    inner = indent + STEP
    lines = [inner + _render_entry(entry, inner) for entry in _entries(expr.bindings)]
    body = _render(_as_expr(expr.body), indent)
    return "let\n" + "\n".join(lines) + f"\n{indent}in\n{indent}{body}"


# Expressions that can stand as a function argument or list element unwrapped.
_ATOMS = (Ident, Str, Path, Attrs, List)
_ATOM_KINDS = frozenset({"NODE_IDENT", "NODE_SELECT", "NODE_STRING", "NODE_LITERAL", "NODE_ATTR_SET",
                         "NODE_LIST", "NODE_PAREN", "NODE_PATH_REL", "NODE_PATH_ABS",
                         "NODE_PATH_HOME", "NODE_PATH_SEARCH"})


def _is_atom(expr: Expr) -> bool:
    if isinstance(expr, Path):
        return not path_literal(expr.path).startswith("(")
    if isinstance(expr, _ATOMS):
        return True
    if isinstance(expr, Raw):
        return _raw_kind(expr.text) in _ATOM_KINDS
    return False


def _raw_kind(text: str) -> Optional[str]:
    try:
        node = pynix_parser.parse(text).first_child()
    except ValueError:
        return None
    return node.kind() if node is not None else None


def _operand(expr: Expr, indent: str) -> str:
    """``expr`` as a list element or argument: parenthesised unless it is atomic."""
    rendered = _render(expr, indent)
    if _is_atom(expr):
        return rendered
    if isinstance(expr, Path):
        return rendered  # path_literal already parenthesised the sum
    return f"({rendered})"


def _render_apply(expr: Apply, indent: str) -> str:
    function = _render(expr.function, indent)
    if not isinstance(expr.function, (Ident, Raw, Apply)) or (
            isinstance(expr.function, Raw) and _raw_kind(expr.function.text) not in _ATOM_KINDS | {"NODE_APPLY"}):
        function = f"({function})"
    args = [_operand(arg, indent) for arg in expr.args]
    if all("\n" not in arg for arg in args[:-1]):
        line = " ".join([function] + args)
        if "\n" not in function and ("\n" not in line or "\n" in args[-1]):
            # A set or list as last argument stays on the function's line.
            return line
    inner = indent + STEP
    return function + "".join(f"\n{inner}{_operand(arg, inner)}" for arg in expr.args)


def _render_binop(expr: BinOp, indent: str) -> str:
    left = _binop_operand(_as_expr(expr.left), indent)
    right = _binop_operand(_as_expr(expr.right), indent)
    line = f"{left} {expr.op} {right}"
    if _fits(line, indent):
        return line
    return f"{left}\n{indent}{expr.op} {right}"


def _binop_operand(expr: Expr, indent: str) -> str:
    rendered = _render(expr, indent)
    if _is_atom(expr) or isinstance(expr, Apply):
        return rendered
    if isinstance(expr, Raw) and _raw_kind(expr.text) == "NODE_APPLY":
        return rendered
    return f"({rendered})"


def _render_if(expr: If, indent: str) -> str:
    condition = _render(_as_expr(expr.condition), indent)
    then = _render(_as_expr(expr.then), indent + STEP)
    otherwise = _render(_as_expr(expr.otherwise), indent + STEP)
    line = f"if {condition} then {then} else {otherwise}"
    if _fits(line, indent):
        return line
    inner = indent + STEP
    return f"if {condition} then\n{inner}{then}\n{indent}else\n{inner}{otherwise}"


def _render_with(expr: With, indent: str) -> str:
    return f"with {_render(_as_expr(expr.scope), indent)}; {_render(_as_expr(expr.body), indent)}"


_RENDERERS = {
    Raw: _render_raw, Ident: _render_ident, Str: _render_str, Path: _render_path,
    Comment: _render_comment, Attrs: _render_attrs, List: _render_list, Lambda: _render_lambda,
    Let: _render_let, Apply: _render_apply, BinOp: _render_binop, If: _render_if, With: _render_with,
}


# --------------------------------------------------------------------------
# Re-indenting source text


def reindent(text: str, indent: str) -> str:
    """Move source to a new indentation: the first line stays put, the others
    lose their common indentation and get ``indent`` instead.

    Lines that begin inside a double-quoted string are left alone, since
    their leading spaces are part of the string's value; lines of an
    indented (``''``) string all move together, which keeps its value.
    """
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    frozen = _lines_inside_quoted_strings(text)
    movable = [i for i in range(1, len(lines)) if i not in frozen and lines[i].strip()]
    common = _common_prefix([re.match(r"[ \t]*", lines[i]).group(0) for i in movable])
    result = [lines[0]]
    for i in range(1, len(lines)):
        line = lines[i]
        if i in frozen:
            result.append(line)
        elif not line.strip():
            result.append("")
        else:
            result.append(indent + line[len(common):])
    return "\n".join(result)


def _common_prefix(prefixes: list[str]) -> str:
    if not prefixes:
        return ""
    shortest = min(prefixes, key=len)
    for length in range(len(shortest), -1, -1):
        if all(prefix.startswith(shortest[:length]) for prefix in prefixes):
            return shortest[:length]
    return ""


def _lines_inside_quoted_strings(text: str) -> set[int]:
    """Indexes of lines whose start lies inside a ``"..."`` string of ``text``."""
    if '"' not in text:
        return set()
    root = None
    for wrapped, offset in ((text, 0), ("{" + text + "}", 1), ("[" + text + "]", 1)):
        try:
            root = pynix_parser.parse(wrapped)
            break
        except ValueError:
            continue
    if root is None:
        raise ValueError(f"Raw text is not Nix source:\n{text}")
    data = text.encode("utf-8")
    line_starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]
    frozen = set()
    for string in root.find_by_kind("NODE_STRING"):
        start, end = string.text_range()
        start -= offset
        end -= offset
        if data[start:start + 1] != b'"':
            continue
        for index, line_start in enumerate(line_starts):
            if start < line_start < end:
                frozen.add(index)
    return frozen
