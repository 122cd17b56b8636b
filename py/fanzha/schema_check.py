"""A small JSON Schema validator for the subset rules/schema.json uses (type, enum, const, required,
properties, additionalProperties, pattern, minimum/maximum, items, minItems, $ref into $defs), standard
library only: the engine gains no dependency. A schema using any other keyword is refused, so the schema
cannot say more than is checked.
"""

from __future__ import annotations

import re
from typing import Any


class SchemaError(ValueError):
    """The schema itself uses what this validator does not implement; ``where`` is the path in it."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem


# The JSON Schema keywords `validate` implements. A schema using any other keyword is refused when it is
# loaded, rather than half-checked; annotations (and fanzha's own x- keys) are read, never validated.
SCHEMA_KEYWORDS = frozenset({
    "type", "enum", "required", "properties", "additionalProperties", "propertyNames", "pattern", "minimum",
    "maximum", "items", "minItems", "$ref",
})


SCHEMA_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "default"})


_JSON_TYPES = {
    "object": (dict, "a table"), "array": (list, "a list"), "string": (str, "a string"),
    "integer": (int, "a whole number"), "boolean": (bool, "true or false"),
}


class Violation(tuple[tuple[str | int, ...], str]):
    """Where an instance breaks its schema: the path of keys and list indexes to the value, and what is wrong.
    A plain tuple (a NamedTuple class costs the page's import of this module ten times as much)."""

    __slots__ = ()

    def __new__(cls, path: tuple[str | int, ...], problem: str) -> Violation:
        return super().__new__(cls, (path, problem))

    @property
    def path(self) -> tuple[str | int, ...]:
        return self[0]

    @property
    def problem(self) -> str:
        return self[1]


def _one_of(values: list[Any]) -> str:
    names = [str(v) for v in values]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    """A local reference ("#/$defs/rule") in root; KeyError for any other."""
    if not ref.startswith("#/"):
        raise KeyError(ref)
    node: Any = root
    for part in ref[2:].split("/"):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(ref)
        node = node[part]
    return node


def validate(instance: Any, schema: dict[str, Any], root: dict[str, Any] | None = None,
             path: tuple[str | int, ...] = ()) -> Violation | None:
    """The first place where ``instance`` breaks ``schema``, or None. Implements SCHEMA_KEYWORDS as JSON Schema
    (2020-12) defines them: ``pattern`` searches (unanchored), ``$ref`` is local and applies beside its siblings.
    A missing required field or an unknown one is reported at its own path."""
    root = schema if root is None else root
    if "$ref" in schema:
        found = validate(instance, _resolve(root, schema["$ref"]), root, path)
        if found:
            return found
    if "type" in schema:
        kind, name = _JSON_TYPES[schema["type"]]
        if not isinstance(instance, kind) or (kind is int and isinstance(instance, bool)):  # True is no integer
            return Violation(path, f"must be {name}")
    if "enum" in schema and not any(type(instance) is type(v) and instance == v for v in schema["enum"]):
        return Violation(path, f"{instance!r} is not one of {_one_of(schema['enum'])}")
    if isinstance(instance, str) and "pattern" in schema and not re.search(schema["pattern"], instance):
        what = f" ({schema['description']})" if "description" in schema else ""
        return Violation(path, f"{instance!r} does not match {schema['pattern']!r}{what}")
    if isinstance(instance, int | float) and not isinstance(instance, bool):
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and instance < low) or (high is not None and instance > high):
            bounds = f"from {low} to {high}" if low is not None and high is not None else (
                f"at least {low}" if low is not None else f"at most {high}")
            return Violation(path, f"must be {bounds}, not {instance}")
    if isinstance(instance, list):
        least = schema.get("minItems", 0)
        if len(instance) < least:
            return Violation(path, f"needs at least {'one' if least == 1 else least} item{'s' if least > 1 else ''}")
        for i, item in enumerate(instance if "items" in schema else ()):
            found = validate(item, schema["items"], root, (*path, i))
            if found:
                return found
    if isinstance(instance, dict):
        return _validate_object(instance, schema, root, path)
    return None


def _validate_object(instance: dict[str, Any], schema: dict[str, Any], root: dict[str, Any],
                     path: tuple[str | int, ...]) -> Violation | None:
    known = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    if extra is False:  # first: an unknown field is often a misspelt required one
        for key in instance:
            if key not in known:
                return Violation((*path, key), "unknown field")
    for name in schema.get("required", ()):
        if name not in instance:
            return Violation((*path, name), "is required")
    for key, value in instance.items():
        if "propertyNames" in schema:
            found = validate(key, schema["propertyNames"], root, (*path, key))
            if found:
                return found
        sub = known.get(key, extra)
        found = validate(value, sub, root, (*path, key)) if isinstance(sub, dict) else None
        if found:
            return found
    return None


def check_schema(node: Any, root: dict[str, Any], where: str) -> None:
    """Every keyword of the schema is one validate implements (or an annotation); every $ref resolves."""
    if not isinstance(node, dict):
        raise SchemaError(where, "a schema must be a JSON object")
    for key, value in node.items():
        if key not in SCHEMA_KEYWORDS and key not in SCHEMA_ANNOTATIONS and not key.startswith("x-"):
            raise SchemaError(where, f"keyword {key!r} is not one fanzha's validator implements")
        if key == "type" and value not in _JSON_TYPES:
            raise SchemaError(where, f"type {value!r} is not one of {_one_of(list(_JSON_TYPES))}")
        if key == "$ref":
            try:
                _resolve(root, value)
            except KeyError:
                raise SchemaError(where, f"$ref {value!r} does not resolve") from None
        if key in ("properties", "$defs"):
            for name, sub in value.items():
                check_schema(sub, root, f"{where}.{name}" if where else name)
        if key in ("items", "propertyNames") or (key == "additionalProperties" and isinstance(value, dict)):
            check_schema(value, root, f"{where}.{key}" if where else key)
