"""Pre-binding ``$this`` in a SHACL-SPARQL query, as SHACL 1.0 defines it, by substitution.

SHACL (section 5.3.1 and appendix "Pre-binding of Variables") evaluates a constraint's query with
``$this`` (and ``$currentShape``) bound *in every basic graph pattern of the query*: a FILTER in a
nested group, a BIND, ``bound($this)`` all see the focus node. pyoxigraph's ``substitutions``
binds the variable at the start of evaluation, but its optimizer does not know it, and folds
``bound($this)`` in a nested group to false and drops ``BIND ($this AS ?that)`` (the W3C tests
pre-binding-003, -004 and -005 "conform" there). So kg does not use it: it writes the focus node
into the query text in place of the variable, which gives the same solutions, and keeps the
variable itself only where SPARQL needs a variable:

- a bare ``$this`` projected by a SELECT (the query's or a subquery's) stays, unbound: kg knows
  its value (the focus node) and puts it back in each solution;
- a bare ``$this`` in GROUP BY or ORDER BY stays (grouping or ordering by a variable that has
  one value everywhere is grouping or ordering by that value);
- ``bound($this)`` becomes ``(true)``;
- every other occurrence (triple patterns, paths, expressions, EXISTS, subqueries) becomes the
  focus node's term.

A blank node cannot be written into a query (``_:b`` there is a fresh variable), nor a term that
needs ``\\u`` escapes: :meth:`Template.fill` refuses those, and the shapes go to pySHACL.

The same pass reads the query for what SHACL forbids where variables are pre-bound (5.3.1):
MINUS, VALUES, SERVICE, ``AS ?this`` (or ``?currentShape``, ``?shapesGraph``), and a subquery that
does not return ``$this`` (``SELECT *`` counts as not returning it, as in the W3C test
pre-binding-006): the shapes are invalid (:class:`~kg.shapes.terms.InvalidShapes`). ``$PATH`` is
replaced by the property shape's path. What kg does not compile (``$shapesGraph``, ``FROM``,
``\\u`` escapes) raises :class:`~kg.shapes.terms.Unsupported`.

The reading is lexical, with SPARQL 1.1's own terminals (strings, IRIs, comments, prefixed names
with their escapes, variables), so ``$this`` in a string, an IRI, a comment or ``ex:a\\$this`` is
left alone. It is written here because neither rdflib nor pyoxigraph exposes a SPARQL token
stream or a way to write a parsed query back to text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.shapes.terms import InvalidShapes, Unsupported

__all__ = ["PREBOUND", "Template", "prebind", "sparql_term", "tokens"]

#: The variables a SPARQL constraint may find pre-bound (SHACL 1.0, 5.3.1).
PREBOUND = frozenset({"this", "shapesGraph", "currentShape"})
#: Those kg pre-binds (``$shapesGraph`` is not compiled).
SUBSTITUTED = ("this", "currentShape")

# SPARQL 1.1 grammar, section 19.8 (terminals).
_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
                  "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_EXPONENT = r"[eE][+-]?[0-9]+"
_TOKEN = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in (
    ("ws", r"[ \t\r\n]+"),
    ("comment", r"#[^\r\n]*"),
    ("string", r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''" r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
               r"|'(?:[^'\\\n\r]|\\.)*'" r'|"(?:[^"\\\n\r]|\\.)*"'),
    ("iri", r'<[^<>"{}|^`\\\x00-\x20]*>'),
    ("var", f"[?$]{_VARNAME}"),
    ("bnode", f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("pname", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("lang", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", rf"[0-9]+\.[0-9]*{_EXPONENT}|[0-9]*\.[0-9]+(?:{_EXPONENT})?|[0-9]+(?:{_EXPONENT})?"),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("punct", r"\^\^|\|\||&&|!=|<=|>=|."),
)), re.DOTALL)

_SKIP = ("ws", "comment")
_CLAUSE_ENDS = frozenset({"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"})


def tokens(text: str) -> list[tuple[str, str]]:
    """The query's SPARQL tokens as (kind, text): kinds ``ws``, ``comment``, ``string``, ``iri``,
    ``var``, ``bnode``, ``pname``, ``lang``, ``number``, ``word``, ``punct``. Joined, the texts
    are the query again."""
    out, i = [], 0
    while i < len(text):
        match = _TOKEN.match(text, i)
        assert match is not None and match.lastgroup is not None  # "punct" matches any character
        out.append((match.lastgroup, match.group()))
        i = match.end()
    return out


@dataclass(frozen=True)
class Template:
    """A query with its pre-bound variables written out: ``parts`` with a slot between each two,
    ``slots`` naming the variable each slot takes. ``original`` is the query as written (``$PATH``
    replaced); ``projected`` the pre-bound variables its SELECT returns (kg fills them in)."""

    original: str
    parts: tuple[str, ...]
    slots: tuple[str, ...]
    projected: frozenset[str]

    def fill(self, values: dict[str, str | None]) -> str:
        """The query with each slot's variable replaced by its value (SPARQL syntax, see
        :func:`sparql_term`); :class:`Unsupported` for a value that has none."""
        out = [self.parts[0]]
        for name, part in zip(self.slots, self.parts[1:], strict=True):
            value = values.get(name)
            if value is None:
                raise Unsupported(f"a SPARQL constraint with ${name} bound to a blank node (or a term kg does not "
                                  "write into a query)")
            out.append(value)
            out.append(part)
        return "".join(out)


_ECHAR_ONLY = re.compile(r'(?:[^\\]|\\[tbnrf"\'\\])*')


def sparql_term(term: str) -> str | None:
    """An N-Triples term written as a SPARQL constant, or None where there is none: a blank node,
    and a term with a ``\\u`` escape (SPARQL reads those before it parses)."""
    if term[0] == "_":
        return None
    if term[0] == "<":
        return term if "\\" not in term else None
    return term if _ECHAR_ONLY.fullmatch(term) else None


def prebind(text: str, path: str | None) -> Template:
    """Read the query ``text`` of a SPARQL constraint (see the module's docstring): its template,
    :class:`InvalidShapes` for what SHACL forbids, :class:`Unsupported` for what kg does not
    compile. ``path`` is the property shape's path in SPARQL syntax, None for a node shape."""
    if "\\u" in text or "\\U" in text:
        raise Unsupported("a SPARQL constraint with \\u escapes (SPARQL decodes them before it parses)")
    toks = tokens(text)
    for kind, value in toks:
        if kind == "iri" and re.search(r"[?$](?:this|currentShape|shapesGraph|PATH)\b", value):
            # "?a<$this&&?b>" reads as an IRI in SPARQL's grammar; a parser may read a comparison
            raise Unsupported("a SPARQL constraint with an IRI that contains a pre-bound variable's name")
    return _Reader(toks, path).read()


class _Select:
    """One SELECT's projection being read."""

    def __init__(self, top: bool) -> None:
        self.top = top
        self.depth = 0
        self.vars: set[str] = set()
        self.star = False


class _Reader:
    """One pass over a query's tokens, writing the template (see :func:`prebind`)."""

    def __init__(self, toks: list[tuple[str, str]], path: str | None) -> None:
        self.toks = toks
        self.path = path
        self.sig = [i for i, (kind, _) in enumerate(toks) if kind not in _SKIP]  # significant tokens
        self.parts: list[str] = []
        self.slots: list[str] = []
        self.current: list[str] = []
        self.original: list[str] = []
        self.done = 0  # tokens copied so far

    def kind(self, n: int) -> str:
        """The kind of the n-th significant token ("" past the end)."""
        return self.toks[self.sig[n]][0] if n < len(self.sig) else ""

    def text(self, n: int) -> str:
        """The text of the n-th significant token ("" past the end)."""
        return self.toks[self.sig[n]][1] if n < len(self.sig) else ""

    def word(self, n: int) -> str:
        """The n-th significant token upper-cased when it is a word, else ""."""
        return self.text(n).upper() if self.kind(n) == "word" else ""

    def copy(self, upto: int) -> None:
        """Copy the tokens before token index ``upto`` not copied yet, as they are."""
        for _, value in self.toks[self.done:upto]:
            self.current.append(value)
            self.original.append(value)
        self.done = max(self.done, upto)

    def put(self, n: int, count: int, text: str | None, original: str | None = None) -> None:
        """Write ``text`` for ``count`` significant tokens from the n-th (a slot when ``text`` is
        None: ``original`` is then the variable's name)."""
        self.copy(self.sig[n])
        written = "".join(v for _, v in self.toks[self.sig[n]:self.sig[n + count - 1] + 1])
        if text is None:
            assert original is not None
            self.parts.append("".join(self.current))
            self.current = []
            self.slots.append(original)
        else:
            self.current.append(text)
        self.original.append(written if text is None or original is None else original)
        self.done = self.sig[n + count - 1] + 1

    def read(self) -> Template:
        """The template; raises as :func:`prebind` says."""
        select: list[_Select] = []  # the projections being read (innermost last)
        clause: list[int] = []  # the parenthesis depth at each GROUP BY / ORDER BY being read
        depth = 0  # parentheses
        selects = 0
        projected: frozenset[str] = frozenset()
        star = False
        n = 0
        while n < len(self.sig):
            kind, value, word = self.kind(n), self.text(n), self.word(n)
            if word in ("MINUS", "VALUES", "SERVICE"):
                raise InvalidShapes(f"{word} in a SPARQL constraint (SHACL 1.0, 5.3.1, forbids it where $this is "
                                    "pre-bound)")
            if word == "FROM":
                raise Unsupported("FROM in a SPARQL constraint (kg queries the data graph)")
            if word == "AS" and self.kind(n + 1) == "var":
                name = self.text(n + 1)[1:]
                if name in PREBOUND:
                    raise InvalidShapes(f"AS ?{name} in a SPARQL constraint (SHACL 1.0, 5.3.1, forbids it)")
                n += 2  # the variable bound by AS is written as it is
                continue
            if word == "BOUND" and self.text(n + 1) == "(" and self.kind(n + 2) == "var" \
                    and self.text(n + 3) == ")" and self.text(n + 2)[1:] in SUBSTITUTED:
                self.put(n, 4, "(true)")
                n += 4
                continue
            if word == "SELECT":
                select.append(_Select(top=selects == 0))
                selects += 1
            elif word in ("GROUP", "ORDER") and self.word(n + 1) == "BY":
                clause.append(depth)
            elif clause and (word in _CLAUSE_ENDS or value == "}") and depth == clause[-1]:
                clause.pop()
            if select and select[-1].depth == 0 and (word == "WHERE" or (kind == "punct" and value == "{")):
                projection = select.pop()
                if projection.top:
                    projected = frozenset(projection.vars & PREBOUND)
                    star = projection.star
                elif projection.star:
                    raise InvalidShapes("SELECT * in a subquery of a SPARQL constraint (SHACL 1.0, 5.3.1: a "
                                        "subquery must return $this; W3C test pre-binding-006)")
                elif "this" not in projection.vars:
                    raise InvalidShapes("a subquery of a SPARQL constraint that does not return $this (SHACL "
                                        "1.0, 5.3.1)")
            if kind == "punct" and value in "()":
                step = 1 if value == "(" else -1
                depth += step
                if select:
                    select[-1].depth += step
            elif kind == "punct" and value == "*" and select and select[-1].depth == 0:
                select[-1].star = True
            elif kind == "var":
                self.variable(n, value[1:], select, bool(clause) and depth == clause[-1])
            n += 1
        if select:
            raise Unsupported("a SPARQL constraint kg cannot read (a SELECT without WHERE or '{')")
        if star:  # SELECT * returns the pre-bound variables the query uses ($this always: SHACL binds it)
            projected = projected | {"this"} | ({"currentShape"} & set(self.slots))
        self.copy(len(self.toks))
        self.parts.append("".join(self.current))
        return Template("".join(self.original), tuple(self.parts), tuple(self.slots), projected)

    def variable(self, n: int, name: str, select: list[_Select], grouping: bool) -> None:
        """Write the variable at significant token ``n``."""
        if name == "PATH":
            if self.path is None:
                raise Unsupported("$PATH in a SPARQL constraint of a node shape")
            self.put(n, 1, self.path, self.path)
        elif name == "shapesGraph":
            raise Unsupported("$shapesGraph in a SPARQL constraint")
        elif select and select[-1].depth == 0:  # projected: kept, unbound; kg fills it in
            select[-1].vars.add(name)
        elif name in SUBSTITUTED and not grouping:  # a bare GROUP BY / ORDER BY variable is kept
            self.put(n, 1, None, name)
