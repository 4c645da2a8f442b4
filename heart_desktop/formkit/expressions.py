"""A small, safe expression language for form rules (``required``, ``relevant``, ``constraint``,
``calculate``), in the spirit of XLSForm.

Definitions are data that anyone may edit, so they are never handed to ``eval()``: this module
tokenises and parses them into a tiny tree and walks it. Only the operators and the functions in
:data:`FUNCTIONS` exist; a name that is not a function, attribute access (``a.b``), indexing and
dunder tricks are syntax errors at load time.

Syntax::

    ${tenure} = 'owner' and ${years_owned} >= 3
    not(${consent}) or selected(${benefits}, 'universal_credit')
    count(${household}) > 0
    . <= 500                   (``.`` is the field's own value, for constraints)
    sum(${findings/cost})      (a repeat's column, from outside the repeat)
    100 - ${class_i} - ${class_ii}

Values: ``None`` (no answer), bools, strings, numbers (as :class:`~decimal.Decimal`), dates and
lists. Numeric-looking strings (a choice value '320', money '12.50') compare and add as numbers.
A missing answer equals ``''``, makes arithmetic ``None`` and every ordering comparison false.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any


class ExpressionError(ValueError):
    """An expression that cannot be parsed or evaluated; the message says where and why."""


# ---------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*)\})
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op><=|>=|!=|==|=|<|>|\+|-|\*|/|\(|\)|,)
  | (?P<dot>\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)

_KEYWORDS = frozenset({"and", "or", "not", "true", "false", "null", "div", "mod"})


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenise(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN_RE.match(source, pos)
        if not match:
            raise ExpressionError(f"unexpected character {source[pos]!r} at position {pos + 1}")
        kind = match.lastgroup or ""
        if kind == "refname":  # pragma: no cover - lastgroup is the outer group
            kind = "ref"
        if kind == "ref":
            tokens.append(_Token("ref", match.group("refname"), pos))
        elif kind != "space":
            text = match.group(kind)
            if kind == "name" and text in _KEYWORDS:
                kind = "keyword"
            tokens.append(_Token(kind, text, pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


# ---------------------------------------------------------------- tree


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Current:
    """``.``: the value of the field the rule belongs to."""


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Literal | Ref | Current | Unary | Binary | Call


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its source, its tree and the fields it refers to."""

    source: str
    tree: Node
    refs: frozenset[str]
    uses_current: bool

    def evaluate(self, resolve: Callable[[str], Any], current: Any = None, today: date | None = None) -> Any:
        return _Evaluator(resolve, current, today or date.today()).run(self.tree)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokenise(source)
        self.index = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def _take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _accept(self, *texts: str) -> _Token | None:
        if self.token.kind in ("op", "keyword") and self.token.text in texts:
            return self._take()
        return None

    def _fail(self, what: str) -> ExpressionError:
        token = self.token
        found = "the end" if token.kind == "end" else repr(token.text)
        return ExpressionError(f"{what} at position {token.pos + 1}, found {found}")

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise ExpressionError("the expression is empty")
        node = self._or()
        if self.token.kind != "end":
            raise self._fail("expected an operator or the end")
        return node

    def _or(self) -> Node:
        node = self._and()
        while self._accept("or"):
            node = Binary("or", node, self._and())
        return node

    def _and(self) -> Node:
        node = self._not()
        while self._accept("and"):
            node = Binary("and", node, self._not())
        return node

    def _not(self) -> Node:
        if self._accept("not"):
            return Unary("not", self._not())
        return self._comparison()

    def _comparison(self) -> Node:
        node = self._sum()
        op = self._accept("=", "==", "!=", "<", "<=", ">", ">=")
        if op:
            node = Binary("=" if op.text == "==" else op.text, node, self._sum())
            if self.token.kind == "op" and self.token.text in ("=", "==", "!=", "<", "<=", ">", ">="):
                raise self._fail("comparisons cannot be chained; use 'and'")
        return node

    def _sum(self) -> Node:
        node = self._product()
        while op := self._accept("+", "-"):
            node = Binary(op.text, node, self._product())
        return node

    def _product(self) -> Node:
        node = self._unary()
        while op := self._accept("*", "/", "div", "mod"):
            node = Binary("/" if op.text == "div" else op.text, node, self._unary())
        return node

    def _unary(self) -> Node:
        if self._accept("-"):
            return Unary("-", self._unary())
        return self._primary()

    def _primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            self._take()
            return Literal(Decimal(token.text))
        if token.kind == "string":
            self._take()
            return Literal(token.text[1:-1])
        if token.kind == "ref":
            self._take()
            return Ref(token.text)
        if token.kind == "dot":
            self._take()
            return Current()
        if token.kind == "keyword" and token.text in ("true", "false", "null"):
            self._take()
            return Literal({"true": True, "false": False, "null": None}[token.text])
        if self._accept("("):
            node = self._or()
            if not self._accept(")"):
                raise self._fail("expected ')'")
            return node
        if token.kind == "name":
            self._take()
            if not self._accept("("):
                raise ExpressionError(
                    f"bare name {token.text!r} at position {token.pos + 1}: refer to a field as ${{{token.text}}}"
                )
            if token.text not in FUNCTIONS:
                raise ExpressionError(
                    f"unknown function {token.text!r} at position {token.pos + 1} "
                    f"(allowed: {', '.join(sorted(FUNCTIONS))})"
                )
            args: list[Node] = []
            if not self._accept(")"):
                args.append(self._or())
                while self._accept(","):
                    args.append(self._or())
                if not self._accept(")"):
                    raise self._fail("expected ',' or ')' in the call")
            low, high = FUNCTIONS[token.text][1]
            if not low <= len(args) <= high:
                expected = str(low) if low == high else f"{low} to {high}"
                raise ExpressionError(f"{token.text}() takes {expected} arguments, given {len(args)}")
            return Call(token.text, tuple(args))
        raise self._fail("expected a value, a ${field}, a function or '('")


def _walk(node: Node) -> list[Node]:
    out: list[Node] = [node]
    if isinstance(node, Unary):
        out += _walk(node.operand)
    elif isinstance(node, Binary):
        out += _walk(node.left) + _walk(node.right)
    elif isinstance(node, Call):
        for arg in node.args:
            out += _walk(arg)
    return out


@lru_cache(maxsize=4096)
def parse(source: str) -> Expression:
    """Parse ``source`` (raises :class:`ExpressionError`); results are cached, so rules parse once."""
    if not isinstance(source, str):
        raise ExpressionError(f"an expression must be text, not {type(source).__name__}")
    tree = _Parser(source).parse()
    nodes = _walk(tree)
    refs = frozenset(n.name for n in nodes if isinstance(n, Ref))
    return Expression(source, tree, refs, any(isinstance(n, Current) for n in nodes))


def evaluate(
    source: str, values: dict[str, Any] | Callable[[str], Any], current: Any = None, today: date | None = None
) -> Any:
    """Parse and evaluate in one step; ``values`` is a dict of answers or a resolver function."""
    resolve = values if callable(values) else values.get
    return parse(source).evaluate(resolve, current, today)


# ---------------------------------------------------------------- values


def to_number(value: Any) -> Decimal | None:
    """A number for arithmetic, or None when the value is not numeric (no answer, text)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def truthy(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal | int | float):
        return value != 0
    if isinstance(value, str | list | tuple | dict):
        return len(value) > 0
    return True


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _equal(left: Any, right: Any) -> bool:
    if _blank(left) or _blank(right):
        return _blank(left) and _blank(right)
    if isinstance(left, bool) or isinstance(right, bool):
        return truthy(left) == truthy(right) if isinstance(left, bool) and isinstance(right, bool) else False
    if isinstance(left, date) or isinstance(right, date):
        return str(left) == str(right)
    a, b = to_number(left), to_number(right)
    if a is not None and b is not None:
        return a == b
    return str(left) == str(right)


def _order(op: str, left: Any, right: Any) -> bool:
    if _blank(left) or _blank(right):
        return False
    a: Any
    b: Any
    if isinstance(left, date) and isinstance(right, date):
        a, b = left, right
    elif isinstance(left, date) or isinstance(right, date):
        a, b = str(left), str(right)  # ISO text orders like the date
    else:
        a, b = to_number(left), to_number(right)
        if a is None or b is None:
            a, b = str(left), str(right)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _arith(op: str, left: Any, right: Any) -> Any:
    if isinstance(left, date) and isinstance(right, date) and op == "-":
        return Decimal((left - right).days)
    a, b = to_number(left), to_number(right)
    if a is None or b is None:
        return None
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return None
    return a / b if op == "/" else a % b


def _flatten(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        out: list[Any] = []
        for item in value:
            out += _flatten(item)
        return out
    return [value]


def _fn_selected(values: Sequence[Any], today: date) -> bool:
    answer, wanted = values
    if isinstance(answer, list | tuple):
        return any(_equal(item, wanted) for item in answer)
    return _equal(answer, wanted)


def _fn_count(values: Sequence[Any], today: date) -> Decimal:
    value = values[0]
    if value is None:
        return Decimal(0)
    return Decimal(len(value)) if isinstance(value, list | tuple | dict) else Decimal(1)


def _fn_count_if_true(values: Sequence[Any], today: date) -> Decimal:
    return Decimal(sum(1 for item in _flatten(values[0]) if truthy(item)))


def _fn_sum(values: Sequence[Any], today: date) -> Decimal:
    total = Decimal(0)
    for item in _flatten(list(values)):
        number = to_number(item)
        if number is not None:
            total += number
    return total


def _fn_if(values: Sequence[Any], today: date) -> Any:
    return values[1] if truthy(values[0]) else values[2]


def _fn_coalesce(values: Sequence[Any], today: date) -> Any:
    return next((value for value in values if not _blank(value)), None)


def _fn_today(values: Sequence[Any], today: date) -> date:
    return today


def _fn_age(values: Sequence[Any], today: date) -> Decimal | None:
    born = values[0]
    at = values[1] if len(values) > 1 else today
    if isinstance(born, str):
        born = _iso_date(born)
    if isinstance(at, str):
        at = _iso_date(at)
    if not isinstance(born, date) or not isinstance(at, date):
        return None
    years = at.year - born.year - ((at.month, at.day) < (born.month, born.day))
    return Decimal(years)


def _fn_length(values: Sequence[Any], today: date) -> Decimal:
    value = values[0]
    return Decimal(0) if value is None else Decimal(len(str(value)) if not isinstance(value, list) else len(value))


def _fn_number(values: Sequence[Any], today: date) -> Decimal | None:
    return to_number(values[0])


def _fn_min(values: Sequence[Any], today: date) -> Decimal | None:
    numbers = [n for n in (to_number(v) for v in _flatten(list(values))) if n is not None]
    return min(numbers) if numbers else None


def _fn_max(values: Sequence[Any], today: date) -> Decimal | None:
    numbers = [n for n in (to_number(v) for v in _flatten(list(values))) if n is not None]
    return max(numbers) if numbers else None


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# name -> (implementation, (min args, max args))
FUNCTIONS: dict[str, tuple[Callable[[Sequence[Any], date], Any], tuple[int, int]]] = {
    "selected": (_fn_selected, (2, 2)),
    "count": (_fn_count, (1, 1)),
    "count_true": (_fn_count_if_true, (1, 1)),
    "sum": (_fn_sum, (1, 20)),
    "min": (_fn_min, (1, 20)),
    "max": (_fn_max, (1, 20)),
    "if": (_fn_if, (3, 3)),
    "coalesce": (_fn_coalesce, (1, 10)),
    "today": (_fn_today, (0, 0)),
    "age": (_fn_age, (1, 2)),
    "length": (_fn_length, (1, 1)),
    "number": (_fn_number, (1, 1)),
}


class _Evaluator:
    def __init__(self, resolve: Callable[[str], Any], current: Any, today: date) -> None:
        self.resolve = resolve
        self.current = current
        self.today = today

    def run(self, node: Node) -> Any:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Ref):
            return self.resolve(node.name)
        if isinstance(node, Current):
            return self.current
        if isinstance(node, Unary):
            value = self.run(node.operand)
            if node.op == "not":
                return not truthy(value)
            number = to_number(value)
            return None if number is None else -number
        if isinstance(node, Binary):
            if node.op == "and":
                return truthy(self.run(node.left)) and truthy(self.run(node.right))
            if node.op == "or":
                return truthy(self.run(node.left)) or truthy(self.run(node.right))
            left, right = self.run(node.left), self.run(node.right)
            if node.op == "=":
                return _equal(left, right)
            if node.op == "!=":
                return not _equal(left, right)
            if node.op in ("<", "<=", ">", ">="):
                return _order(node.op, left, right)
            return _arith(node.op, left, right)
        if isinstance(node, Call):
            implementation = FUNCTIONS[node.name][0]
            return implementation([self.run(arg) for arg in node.args], self.today)
        raise ExpressionError(f"cannot evaluate {node!r}")  # pragma: no cover
