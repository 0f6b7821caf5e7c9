"""JSON Schema (draft 2020-12) checks of parsed JSON documents: the validator's one path.

Each keyword is written once below, as a Python condition on a value. A
schema is compiled into one function per node that joins its keywords'
conditions into a single expression: a valid document, the usual case, is
checked in microseconds (a general JSON Schema library walks the schema and
resolves references for every value, milliseconds per annotation file). Only
a value that fails is walked again, keyword by keyword with the same
conditions, to say which keywords fail where (:class:`SchemaError`).

The subset of JSON Schema the files in ``schema/`` use is supported; any other
keyword is refused when the schema is compiled. Values are what a JSON parser
gives (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``, ``None``).
As in the JSON Schema specification, an integer is any number without a
fractional part (``3`` and ``3.0``, not ``true``); the validator reports a
whole number written with a decimal point as a problem of its own, since the
build reads it as a fraction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Keywords that only annotate a schema (``format`` too: draft 2020-12 makes it an
# annotation unless a validator opts in, and the schema's patterns say what it holds).
_IGNORED = frozenset(
    ("$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default", "format")
)
# The test of each JSON type, as a condition on ``{v}``.
_TYPES = {
    "string": "type({v}) is str",
    "integer": "(type({v}) is int or (type({v}) is float and {v}.is_integer()))",
    "number": "(type({v}) is int or type({v}) is float)",
    "boolean": "type({v}) is bool",
    "null": "{v} is None",
    "array": "type({v}) is list",
    "object": "type({v}) is dict",
}
# The instances a keyword applies to (it holds for every other value).
_APPLIES = {
    "string": _TYPES["string"],
    "number": _TYPES["number"],
    "array": _TYPES["array"],
    "object": _TYPES["object"],
}
# Which group of keywords a single declared type already guarantees applies.
_IMPLIED = {"string": "string", "integer": "number", "number": "number"}
_IMPLIED |= {"array": "array", "object": "object"}
# Keyword -> the kind of instance it applies to (None: any).
_KIND = {
    "type": None,
    "enum": None,
    "anyOf": None,
    "$ref": None,
    "properties": "object",
    "required": "object",
    "additionalProperties": "object",
    "items": "array",
    "uniqueItems": "array",
    "minItems": "array",
    "maxItems": "array",
    "pattern": "string",
    "minLength": "string",
    "minimum": "number",
    "maximum": "number",
}


# Keywords bounding a value (a length when the measure is given): the measure and the test.
_BOUNDS = {
    "minLength": ("len({v})", ">="),
    "minItems": ("len({v})", ">="),
    "maxItems": ("len({v})", "<="),
    "minimum": ("", ">="),
    "maximum": ("", "<="),
}


class UnsupportedSchema(ValueError):
    """A schema using a keyword (or form of one) this module does not check."""


@dataclass(eq=False)
class SchemaError:
    """One failed keyword: where (``path`` into the document), which, and on what.

    The attributes are named as in the ``jsonschema`` library's errors.
    ``context`` holds, for ``anyOf``, every branch's errors (paths relative to
    the value).
    """

    validator: str
    validator_value: Any
    instance: Any
    schema: dict[str, Any]
    path: tuple[Any, ...]
    context: list[SchemaError] = field(default_factory=list)


def _key(value: Any) -> Any:
    """A hashable form under JSON equality (true is not 1, 1 is 1.0)."""
    if type(value) is bool:
        return ("bool", value)
    if type(value) is list:
        return ("list", tuple(map(_key, value)))
    if type(value) is dict:
        return ("object", frozenset((k, _key(v)) for k, v in value.items()))
    return ("value", value)


def unique(items: list[Any]) -> bool:
    """Whether no two items of a JSON array are equal."""
    if all(type(item) is str for item in items):
        return len(set(items)) == len(items)
    return len(set(map(_key, items))) == len(items)


class _Compiler:
    """Turns one schema document into functions of a value, sharing referenced nodes."""

    def __init__(self, resolver: Any) -> None:
        self.resolver = resolver
        self.consts: dict[str, Any] = {"unique": unique}
        self.lines: list[str] = []
        self.names: dict[int, str] = {}
        self.refs: dict[tuple[int, str], tuple[dict[str, Any], Any]] = {}
        self.tests: dict[tuple[int, str], Callable[[Any], bool]] = {}

    def const(self, value: Any) -> str:
        name = f"c{len(self.consts)}"
        self.consts[name] = value
        return name

    def resolve(self, node: dict[str, Any], resolver: Any) -> tuple[dict[str, Any], Any]:
        key = (id(node), node["$ref"])
        if key not in self.refs:
            found = resolver.lookup(node["$ref"])
            self.refs[key] = (found.contents, found.resolver)
        return self.refs[key]

    def condition(self, keyword: str, value: Any, node: dict[str, Any], var: str) -> str:
        """A keyword's own condition on ``var``, for a value it applies to."""
        if keyword == "type":
            kinds = [value] if isinstance(value, str) else value
            return "(" + " or ".join(_TYPES[k].format(v=var) for k in kinds) + ")"
        if keyword == "enum":
            if not all(isinstance(e, str) for e in value):
                raise UnsupportedSchema("enum of other values than strings")
            return f"(type({var}) is str and {var} in {self.const(frozenset(value))})"
        if keyword == "required":
            return " and ".join(f"{p!r} in {var}" for p in value) or "True"
        if keyword == "additionalProperties":
            if value is not False or "patternProperties" in node:
                raise UnsupportedSchema("additionalProperties other than false")
            return f"{self.const(frozenset(node.get('properties', ())))}.issuperset({var})"
        if keyword == "uniqueItems":
            return f"unique({var})" if value else "True"
        if keyword == "pattern":
            from warta.schema import compiled_pattern

            return f"{self.const(compiled_pattern(value).search)}({var}) is not None"
        if keyword in _BOUNDS:
            measure, compare = _BOUNDS[keyword]
            bound = int(value) if measure else self.const(value)
            return f"{measure.format(v=var) or var} {compare} {bound}"
        raise UnsupportedSchema(keyword)

    def keywords(self, node: Any) -> list[tuple[str, Any]]:
        if not isinstance(node, dict):
            raise UnsupportedSchema(repr(node)[:80])
        out = []
        for keyword, value in node.items():
            if keyword in _IGNORED or keyword.startswith("x-"):
                continue
            if keyword not in _KIND or (keyword == "items" and "prefixItems" in node):
                raise UnsupportedSchema(keyword)
            out.append((keyword, value))
        return out

    def function(self, node: Any, resolver: Any) -> str:
        """The name of the generated function testing a value against ``node``."""
        if id(node) not in self.names:
            name = self.names[id(node)] = f"f{len(self.names)}"
            body = self.expression(node, resolver, "v", 0)
            self.lines += [f"def {name}(v):", f"    return {body}", ""]
        return self.names[id(node)]

    def expression(self, node: Any, resolver: Any, var: str, depth: int) -> str:
        """Whether ``var`` is valid against ``node``, as one Python expression."""
        if depth > 32:
            raise UnsupportedSchema("schema nested too deeply")
        first: list[str] = []
        tests: list[str] = []
        guarded: dict[str, list[str]] = {kind: [] for kind in _APPLIES}
        keywords = self.keywords(node)
        known, required = node.get("properties", {}), set(node.get("required", ()))
        for keyword, value in keywords:
            kind = _KIND[keyword]
            if keyword == "$ref":
                target, inner = self.resolve(node, resolver)
                tests.append(self.expression(target, inner, var, depth + 1))
            elif keyword == "anyOf":
                options = [self.expression(sub, resolver, var, depth + 1) for sub in value]
                tests.append("(" + " or ".join(options) + ")")
            elif keyword == "properties":
                guarded["object"] += self.properties(value, required, resolver, var, depth)
            elif keyword == "required":
                others = [p for p in value if p not in known]
                guarded["object"] += [f"{p!r} in {var}" for p in others]
            elif keyword == "additionalProperties" and required >= set(known):
                # Every known property is required, hence present: no more keys.
                self.condition(keyword, value, node, var)  # refuses what is not supported
                guarded["object"].append(f"len({var}) == {len(known)}")
            elif keyword == "items":
                guarded["array"].append(f"all(map({self.function(value, resolver)}, {var}))")
            elif keyword == "type":
                first.append(self.condition(keyword, value, node, var))
            elif kind is None:
                tests.append(self.condition(keyword, value, node, var))
            else:
                guarded[kind].append(self.condition(keyword, value, node, var))
        declared = node.get("type")
        for kind, conditions in guarded.items():
            if not conditions:
                continue
            joined = " and ".join(conditions)
            if isinstance(declared, str) and _IMPLIED.get(declared) == kind:
                tests.append(f"({joined})")  # the type test, first, guarantees it applies
            else:
                tests.append(f"(not {_APPLIES[kind].format(v=var)} or ({joined}))")
        return "(" + " and ".join(first + tests) + ")" if first + tests else "True"

    def properties(
        self, props: dict[str, Any], required: set[str], resolver: Any, var: str, depth: int
    ) -> list[str]:
        """A condition per property of ``var``, present and valid (or absent, if not required).

        Each property is looked up once and bound to a name for its tests.
        """
        name, missing = f"v{depth + 1}", self.const(_MISSING)
        out = []
        for prop, sub in props.items():
            inner = self.expression(sub, resolver, name, depth + 1)
            found = f"({name} := {var}.get({prop!r}, {missing}))"
            if prop in required:
                out.append(f"({found} is not {missing} and {inner})")
            else:
                out.append(f"({found} is {missing} or {inner})")
        return out

    def test(self, keyword: str, value: Any, node: dict[str, Any]) -> Callable[[Any], bool]:
        """One keyword's condition as a function (for saying which keyword fails)."""
        key = (id(node), keyword)
        if key not in self.tests:
            source = f"lambda v: {self.condition(keyword, value, node, 'v')}"
            self.tests[key] = eval(source, dict(self.consts))  # our own source, made above
        return self.tests[key]

    def valid(self, node: Any, resolver: Any) -> Callable[[Any], bool]:
        name = self.function(node, resolver)
        namespace = dict(self.consts)
        exec(compile("\n".join(self.lines), "<warta schema check>", "exec"), namespace)
        return namespace[name]

    def errors(
        self, node: dict[str, Any], resolver: Any, value: Any, path: tuple[Any, ...]
    ) -> list[SchemaError]:
        """Every keyword of ``node`` (and below) that ``value`` fails, in the schema's order."""
        out: list[SchemaError] = []
        for keyword, kw_value in self.keywords(node):
            kind = _KIND[keyword]
            if kind is not None and not _applies(kind, value):
                continue
            if keyword == "$ref":
                target, inner = self.resolve(node, resolver)
                out += self.errors(target, inner, value, path)
            elif keyword == "anyOf":
                context = []
                for sub in kw_value:
                    found = self.errors(sub, resolver, value, ())
                    if not found:
                        break
                    context += found
                else:
                    out.append(SchemaError(keyword, kw_value, value, node, path, context))
            elif keyword == "properties":
                for prop, sub in kw_value.items():
                    if prop in value:
                        out += self.errors(sub, resolver, value[prop], (*path, prop))
            elif keyword == "items":
                for i, item in enumerate(value):
                    out += self.errors(kw_value, resolver, item, (*path, i))
            elif not self.test(keyword, kw_value, node)(value):
                out.append(SchemaError(keyword, kw_value, value, node, path))
        return out


_MISSING = object()


def _applies(kind: str, value: Any) -> bool:
    if kind == "number":
        return type(value) is int or type(value) is float
    return type(value) is {"string": str, "array": list, "object": dict}[kind]


class Check:
    """A compiled schema document: ``check(value)`` lists what is wrong, ``[]`` if nothing."""

    def __init__(self, document: dict[str, Any], resolver: Any) -> None:
        self._compiler = _Compiler(resolver)
        self._root = document
        self._resolver = resolver
        self.valid = self._compiler.valid(document, resolver)

    def __call__(self, value: Any) -> list[SchemaError]:
        if self.valid(value):
            return []
        found = self._compiler.errors(self._root, self._resolver, value, ())
        return sorted(found, key=lambda e: e.path)
