"""The topology JSON schema: loading it, and turning violations into plain sentences."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jsonschema

from validator.load.document import Path_
from validator.model import describe

SUPPORTED_VERSIONS = (1,)


@cache
def topology_schema_text() -> str:
    """The topology schema as shipped (schemas/topology.schema.json)."""
    return resources.files("validator").joinpath("schemas/topology.schema.json").read_text("utf-8")


@cache
def report_schema_text() -> str:
    """The JSON report schema as shipped (schemas/report.schema.json)."""
    return resources.files("validator").joinpath("schemas/report.schema.json").read_text("utf-8")


@cache
def topology_schema() -> dict:
    """The topology schema as data."""
    return json.loads(topology_schema_text())


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return FastValidator(topology_schema())


# -- fast path ------------------------------------------------------------------------
# jsonschema walks every node of a 100,000-site document through its generic keyword
# machinery; that dominated the run time. A "prover" compiled from a schema answers, in
# plain Python, "is this instance certainly valid?" -- True only when it is, False when
# it cannot tell (anything unusual: an unknown keyword, a float where an integer is
# expected, non-string keys...). The validator below skips the array items a prover
# accepts and runs the ordinary jsonschema code on every other item, so the errors (and
# their order) are exactly those of Draft202012Validator.iter_errors: a valid item
# yields no error there either. tests/addressing/test_schema_fast.py checks it.

Prover = Callable[[object], bool]

_ANNOTATIONS = frozenset(
    {"description", "title", "$schema", "$id", "$comment", "default", "examples"}
)
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}


def _never(instance: object) -> bool:
    return False


def _always(instance: object) -> bool:
    return True


def compile_prover(schema: object) -> Prover:
    """A function that returns True only for instances that are valid against ``schema``."""
    if schema is True or schema == {}:
        return _always
    if not isinstance(schema, dict):
        return _never
    keys = set(schema) - _ANNOTATIONS
    if schema.get("type") == "string" and keys <= {"type", "pattern", "minLength"}:
        return _string_prover(schema)
    if (
        schema.get("type") == "string"
        and keys == {"type", "enum"}
        and all(type(c) is str for c in schema["enum"])
    ):
        names = frozenset(schema["enum"])
        return lambda x: type(x) is str and x in names
    bounds = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
    if schema.get("type") in ("number", "integer") and keys - {"type"} <= bounds:
        return _number_prover(schema)
    if keys == {"type", "items"} and schema["type"] == "array":
        item = schema["items"]
        if isinstance(item, dict) and item.get("type") == "string":
            item_keys = set(item) - _ANNOTATIONS
            if item_keys <= {"type", "pattern"}:
                return _string_list_prover(item.get("pattern"))
    checks: list[Prover] = []
    if "type" in keys:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not all(n in _TYPES for n in names):
            return _never
        exact = tuple(t for n in names for t in _TYPES[n])
        checks.append(lambda x: type(x) in exact)
        keys.discard("type")
    if "enum" in keys:
        choices = [(type(c), c) for c in schema["enum"]]
        checks.append(lambda x: any(type(x) is t and x == c for t, c in choices))
        keys.discard("enum")
    if "pattern" in keys:
        search = re.compile(schema["pattern"]).search
        checks.append(lambda x: type(x) is not str or search(x) is not None)
        keys.discard("pattern")
    if "minLength" in keys:
        least = schema["minLength"]
        checks.append(lambda x: type(x) is not str or len(x) >= least)
        keys.discard("minLength")
    for word, test in (
        ("minimum", lambda x, b: x >= b),
        ("maximum", lambda x, b: x <= b),
        ("exclusiveMinimum", lambda x, b: x > b),
        ("exclusiveMaximum", lambda x, b: x < b),
    ):
        if word in keys:
            bound = schema[word]
            checks.append(lambda x, b=bound, t=test: type(x) not in (int, float) or bool(t(x, b)))
            keys.discard(word)
    if "anyOf" in keys:
        options = [compile_prover(option) for option in schema["anyOf"]]

        def any_of(x: object) -> bool:
            for option in options:  # noqa: SIM110 (a plain loop: no generator per call)
                if option(x):
                    return True
            return False

        checks.append(any_of)
        keys.discard("anyOf")
    if "items" in keys:
        if "prefixItems" in schema or not isinstance(schema["items"], dict):
            return _never
        item = compile_prover(schema["items"])
        checks.append(lambda x: type(x) is not list or all(map(item, x)))
        keys.discard("items")
    object_words = {"properties", "patternProperties", "additionalProperties", "required"}
    if keys & object_words:
        checks.append(_object_prover(schema))
        keys -= object_words
    if keys:
        return _never  # a keyword this prover does not know: let jsonschema decide
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        one, two = checks
        return lambda x: one(x) and two(x)

    def prove_all(x: object) -> bool:
        for check in checks:  # noqa: SIM110 (a plain loop: no generator per call)
            if not check(x):
                return False
        return True

    return prove_all


def _string_prover(schema: dict) -> Prover:
    """``{"type": "string"}`` with an optional pattern and minLength, in one test."""
    least = schema.get("minLength", 0)
    if not isinstance(least, int):
        return _never
    if "pattern" not in schema:
        return lambda x: type(x) is str and len(x) >= least
    search = re.compile(schema["pattern"]).search
    if least:
        return lambda x: type(x) is str and len(x) >= least and search(x) is not None
    return lambda x: type(x) is str and search(x) is not None


def _number_prover(schema: dict) -> Prover:
    """``{"type": "number"|"integer"}`` with optional bounds, in one test."""
    exact = _TYPES[schema["type"]]
    low = schema.get("minimum")
    high = schema.get("maximum")
    low_x = schema.get("exclusiveMinimum")
    high_x = schema.get("exclusiveMaximum")
    if not all(b is None or type(b) in (int, float) for b in (low, high, low_x, high_x)):
        return _never

    def prove(x: object) -> bool:
        if type(x) not in exact:
            return False
        if low is not None and not x >= low:
            return False
        if high is not None and not x <= high:
            return False
        if low_x is not None and not x > low_x:
            return False
        return high_x is None or x < high_x

    return prove


def _string_list_prover(pattern: str | None) -> Prover:
    """A list of strings (each matching ``pattern``), tested at C speed."""
    if pattern is None:
        return lambda x: type(x) is list and all(type(s) is str for s in x)
    search = re.compile(pattern).search
    return lambda x: type(x) is list and set(map(type, x)) <= {str} and all(map(search, x))


def _literal_prefix(pattern: str) -> bool:
    """True for a pattern that is ``^`` and a plain literal, such as ``^x-``."""
    return bool(re.fullmatch(r"\^[A-Za-z0-9_-]+", pattern))


def _key_matcher(pattern: str) -> Callable[[str], object]:
    """``re.search`` for a pattern; ``str.startswith`` when it is ``^`` and a literal."""
    if _literal_prefix(pattern):
        literal = pattern[1:]
        return lambda key: key.startswith(literal)
    return re.compile(pattern).search


def _object_prover(schema: dict) -> Prover:
    properties = {k: compile_prover(v) for k, v in schema.get("properties", {}).items()}
    patterns = [
        (_key_matcher(p), compile_prover(v)) for p, v in schema.get("patternProperties", {}).items()
    ]
    extra_schema = schema.get("additionalProperties", True)
    extra = compile_prover(extra_schema)
    required = tuple(schema.get("required", ()))
    if not all(isinstance(k, str) for k in required):
        return _never
    prefixes = tuple(
        p[1:]
        for p, v in schema.get("patternProperties", {}).items()
        if _literal_prefix(p) and compile_prover(v) is _always
    )
    if extra is _never and len(prefixes) == len(patterns):
        # The usual shape (known keys, plus free keys such as x-...): one dict lookup and
        # at most one startswith per key.
        get = properties.get

        def prove_closed(x: object) -> bool:
            if type(x) is not dict:
                return True
            for key in required:
                if key not in x:
                    return False
            for key, value in x.items():
                check = get(key)
                if check is None:
                    if type(key) is not str or not key.startswith(prefixes):
                        return False
                elif not check(value):
                    return False
            return True

        return prove_closed

    def prove(x: object) -> bool:
        if type(x) is not dict:
            return True
        for key in required:
            if key not in x:
                return False
        for key, value in x.items():
            if type(key) is not str:
                return False
            check = properties.get(key)
            matched = False
            for search, sub in patterns:
                if search(key):
                    matched = True
                    if not sub(value):
                        return False
            if check is not None:
                if not check(value):
                    return False
            elif not matched and not extra(value):
                return False
        return True

    return prove


_PROVERS: dict[int, tuple[object, Prover]] = {}


def _prover_for(schema: object) -> Prover:
    found = _PROVERS.get(id(schema))
    if found is None or found[0] is not schema:
        found = (schema, compile_prover(schema))
        _PROVERS[id(schema)] = found
    return found[1]


_PLAIN_ITEMS = jsonschema.Draft202012Validator.VALIDATORS["items"]


def _fast_items(validator, items, instance, schema):
    """The ``items`` keyword, skipping the items a prover shows to be valid."""
    if not isinstance(items, dict) or "prefixItems" in schema:
        yield from _PLAIN_ITEMS(validator, items, instance, schema)
        return
    if not validator.is_type(instance, "array"):
        return
    prove = _prover_for(items)
    for index, item in enumerate(instance):
        if not prove(item):
            yield from validator.descend(instance=item, schema=items, path=index)


FastValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, validators={"items": _fast_items}
)
"""Draft202012Validator that skips array items proven valid: same errors, same order."""


@dataclass(frozen=True)
class Violation:
    """One schema violation in words: where, what, how to fix it."""

    path: Path_
    message: str
    hint: str
    key: bool = False  # the problem is the key itself (an unknown key)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "mapping" if isinstance(value, dict) else type(value).__name__


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


# Names people write for a cloud, mapped to the `cloud` value ccv uses.
_CLOUD_ALIASES = {
    "amazon": "aws",
    "amazon-web-services": "aws",
    "microsoft": "azure",
    "google": "gcp",
    "google-cloud": "gcp",
    "aliyun": "alibaba",
    "alicloud": "alibaba",
    "huaweicloud": "huawei",
    "tencentcloud": "tencent",
    "oci": "oracle",
    "on-prem": "onprem",
    "on-premises": "onprem",
    "datacenter": "onprem",
    "dc": "onprem",
}


def _did_you_mean(word: str, choices) -> str:
    alias = _CLOUD_ALIASES.get(word.lower().replace("_", "-").replace(" ", "-"))
    if alias in choices:
        return f"did you mean '{alias}'? "
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def _field(path: Path_) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "value"


def violations(data: object) -> Iterator[Violation]:
    """Every violation of the topology schema in ``data`` (one per problem, not only the first)."""
    if not isinstance(data, dict):
        kind = _json_type(data)
        yield Violation(
            (),
            f"the top level is a {kind}; a topology is a mapping",
            "start from `ccv schema` or an example in examples/: "
            "version: 1, name, exchange, pops, backbone, sites",
        )
        return
    for error in schema_errors(data):
        yield from _translate(data, error)


def schema_errors(data: object) -> Iterator[jsonschema.ValidationError]:
    """The errors ``Draft202012Validator(schema).iter_errors(data)`` gives, in its order,
    found faster: nothing to walk when a prover shows the document valid, and only the
    array items a prover cannot vouch for are walked otherwise."""
    if _prover_for(topology_schema())(data):
        return iter(())
    return _validator().iter_errors(data)


def _translate(data: dict, error: jsonschema.ValidationError) -> Iterator[Violation]:
    path = tuple(error.absolute_path)
    where = describe(data, path)
    kind = error.validator
    value = error.instance
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for key in sorted(k for k in value if k not in allowed and not str(k).startswith("x-")):
            yield Violation(
                (*path, key),
                f"unknown key '{key}' in {where}",
                f"{_did_you_mean(str(key), allowed)}allowed keys: {', '.join(sorted(allowed))}; "
                "keys beginning with x- are free for your own data",
                key=True,
            )
    elif kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else error.message
        yield Violation(
            path,
            f"{where} lacks the required key '{name}'",
            f"add '{name}' ({_describe_property(error.schema, name)})",
        )
    elif kind == "enum" and path == ("version",):
        versions = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
        yield Violation(
            path,
            f"format version {_show(value)} is not supported; this ccv reads version {versions}",
            f"set version: {SUPPORTED_VERSIONS[-1]}",
        )
    elif kind == "enum":
        choices = [str(c) for c in error.validator_value]
        yield Violation(
            path,
            f"{_field(path)} {_show(value)} of {where} is not one of {', '.join(choices)}",
            f"{_did_you_mean(str(value), choices)}use one of {', '.join(choices)}",
        )
    elif kind == "type":
        names = (
            error.validator_value
            if isinstance(error.validator_value, list)
            else [error.validator_value]
        )
        expected = " or ".join(_TYPE_WORDS.get(n, n) for n in names)
        yield Violation(
            path,
            f"{_field(path)} of {where} must be {_article(expected)}, "
            f"not {_article(_json_type(value))} ({_show(value)})",
            _type_hint(path, value, expected),
        )
    elif kind == "anyOf" and _field(path) == "asn":
        hint = 'write the ASN as a number (64512), as "AS64512", or in asdot as "1.10"'
        if isinstance(value, float):
            hint = f'quote asdot ASNs in YAML: asn: "{value}" (unquoted it reads as a number)'
        yield Violation(path, f"asn {_show(value)} of {where} is not an AS number", hint)
    elif kind == "pattern" and _field(path) == "ignore":
        yield Violation(
            path,
            f"{_show(value)} in the ignore list of {where} is not a rule id",
            "rule ids look like CCV206; `ccv rules` lists them",
        )
    elif kind == "pattern":
        yield Violation(
            path,
            f"{_field(path)} {_show(value)} of {where} is not an address with a prefix length",
            "write it in CIDR notation, e.g. 10.10.0.0/16, 169.254.10.1/30 or fd00:10::/48",
        )
    elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "minLength"):
        bound = error.validator_value
        words = {
            "minimum": f"at least {bound}",
            "exclusiveMinimum": f"greater than {bound}",
            "maximum": f"at most {bound}",
            "exclusiveMaximum": f"less than {bound}",
            "minLength": "not empty",
        }[kind]
        yield Violation(
            path,
            f"{_field(path)} {_show(value)} of {where} must be {words}",
            f"set {_field(path)} to a value {words}",
        )
    else:
        yield Violation(path, f"{where}: {error.message}", "see `ccv schema` for the format")


_TYPE_WORDS = {"array": "list", "object": "mapping"}


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _describe_property(schema: dict, name: str) -> str:
    text = schema.get("properties", {}).get(name, {}).get("description", "")
    return text.split(". ")[0].rstrip(".") if text else "see `ccv schema`"


def _type_hint(path: Path_, value: object, expected: str) -> str:
    field = _field(path)
    if expected == "list" and isinstance(value, (str, int, float)):
        return f"write {field} as a list: {field}: [{_show(value)}]"
    if expected == "string" and isinstance(value, (int, float)):
        return f'quote it: {field}: "{value}"'
    if expected in ("number", "integer") and isinstance(value, str):
        return f"write {field} as a plain number, without quotes or units"
    return f"see the description of '{field}' in `ccv schema`"
