"""The topology JSON schema: loading it, and turning violations into plain sentences."""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jsonschema
import jsonschema_rs

from validator.load.document import Path_
from validator.model import describe
from validator.redaction import MASK, is_sensitive_path, quote

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
# machinery in Python, which dominated the run time. jsonschema-rs (a compiled Draft
# 2020-12 validator) answers "is this instance valid?" about a hundred times sooner, but
# its error messages and paths are its own. So it only vouches: a document it finds
# valid has no violations; otherwise jsonschema's iter_errors walks the document (its
# messages, its order), skipping the array items jsonschema-rs vouches for -- a valid
# item yields no error there either. Where the two could disagree (a value jsonschema-rs
# cannot take, such as a non-string key or a date; a pattern's `$` before a final
# newline) jsonschema-rs refuses or says invalid, and jsonschema decides.
# tests/addressing/test_addr_schema_fast.py checks the result against plain jsonschema.

Vouch = Callable[[object], bool]

_VOUCHES: dict[int, tuple[object, Vouch]] = {}


def _never(instance: object) -> bool:
    return False


def compile_vouch(schema: object) -> Vouch:
    """A function that returns True only for instances valid against ``schema``
    (Draft 2020-12), False when they are not or jsonschema-rs cannot tell."""
    try:
        is_valid = jsonschema_rs.Draft202012Validator(schema).is_valid
    except (ValueError, TypeError):  # a schema jsonschema-rs does not take: no fast path
        return _never

    def vouch(instance: object) -> bool:
        try:
            return is_valid(instance)
        except ValueError:  # a value JSON has no word for (non-string key, date, bytes...)
            return False

    return vouch


def _vouch_for(schema: object) -> Vouch:
    found = _VOUCHES.get(id(schema))
    if found is None or found[0] is not schema:
        found = (schema, compile_vouch(schema))
        _VOUCHES[id(schema)] = found
    return found[1]


_PLAIN_ITEMS = jsonschema.Draft202012Validator.VALIDATORS["items"]


def _fast_items(validator, items, instance, schema):
    """The ``items`` keyword, skipping the items jsonschema-rs finds valid."""
    if not isinstance(items, dict) or "prefixItems" in schema:
        yield from _PLAIN_ITEMS(validator, items, instance, schema)
        return
    if not validator.is_type(instance, "array"):
        return
    vouch = _vouch_for(items)
    for index, item in enumerate(instance):
        if not vouch(item):
            yield from validator.descend(instance=item, schema=items, path=index)


def _non_finite(value: object) -> bool:
    """True for a float that is NaN or infinite (YAML .nan/.inf, JSON NaN/Infinity/1e999)."""
    return type(value) is float and value - value != 0


def _finite_number(checker: object, instance: object) -> bool:
    """The schema type "number", finite only: no output or arithmetic can use NaN or
    infinity, so they are schema violations (CCV100) wherever a number is expected
    (jsonschema-rs refuses them there too, so it never vouches for them)."""
    return jsonschema.Draft202012Validator.TYPE_CHECKER.is_type(
        instance, "number"
    ) and not _non_finite(instance)


FastValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    validators={"items": _fast_items},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("number", _finite_number),
)
"""Draft202012Validator that skips array items jsonschema-rs finds valid (same errors,
same order), and whose numbers are finite."""


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


def _show(value: object, path: Path_) -> str:
    """A user value as messages quote it: through validator.redaction, so a secret (or a
    container holding one) is masked."""
    return quote(value, path)


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


_TERRAFORM_KEYS = frozenset(
    {"format_version", "terraform_version", "planned_values", "resource_changes", "values"}
)
"""Top-level keys of `terraform show -json` output (a JSON that only begins like one is
read as a topology, validator.load.document)."""


def _belongs_under(key: str, schema: dict, depth: int = 2) -> str | None:
    """Where below an object of ``schema`` the key ``key`` is allowed, as the user would
    write the way there (``'peering'``, ``each entry of 'lines', then 'peering'``); None
    when no object up to ``depth`` levels down has it. Names keys only, never values."""
    for name, sub in sorted(schema.get("properties", {}).items()):
        many = isinstance(sub, dict) and sub.get("type") == "array"
        inner = sub.get("items") if many else sub
        if not isinstance(inner, dict) or inner.get("type") != "object":
            continue
        here = f"each entry of '{name}'" if many else f"'{name}'"
        if key in inner.get("properties", {}):
            return here
        if depth > 1 and (deeper := _belongs_under(key, inner, depth - 1)):
            return f"{here}, then {deeper}"
    return None


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
    found faster: nothing to walk when jsonschema-rs finds the document valid, and only
    the array items it does not vouch for are walked otherwise."""
    if _vouch_for(topology_schema())(data):
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
            below = _belongs_under(str(key), error.schema)
            if not path and key in _TERRAFORM_KEYS:
                advice = (
                    f"'{key}' is a key of `terraform show -json` output, but this is neither "
                    "a plan (planned_values) nor a state (values.root_module): give the whole "
                    "output, or write a topology (`ccv schema`). "
                )
            elif below:
                advice = f"'{key}' belongs under {below}: move it there. "
            else:
                advice = _did_you_mean(str(key), allowed)
            yield Violation(
                (*path, key),
                f"unknown key '{key}' in {where}",
                f"{advice}allowed keys: {', '.join(sorted(allowed))}; "
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
            f"format version {_show(value, path)} is not supported; "
            f"this ccv reads version {versions}",
            f"set version: {SUPPORTED_VERSIONS[-1]}",
        )
    elif kind == "enum":
        choices = [str(c) for c in error.validator_value]
        yield Violation(
            path,
            f"{_field(path)} {_show(value, path)} of {where} is not one of {', '.join(choices)}",
            f"{_did_you_mean(str(value), choices)}use one of {', '.join(choices)}",
        )
    elif kind == "type":
        names = (
            error.validator_value
            if isinstance(error.validator_value, list)
            else [error.validator_value]
        )
        expected = " or ".join(_TYPE_WORDS.get(n, n) for n in names)
        if _non_finite(value) and "number" in names:
            yield Violation(
                path,
                f"{_entry(path)}{_field(path)} of {where} must be a finite number, "
                f"not {_show(value, path)}",
                _type_hint(path, value, expected),
            )
            return
        yield Violation(
            path,
            f"{_entry(path)}{_field(path)} of {where} must be {_article(expected)}, "
            f"not {_article(_json_type(value))} ({_show(value, path)})",
            _type_hint(path, value, expected, error.schema.get("items")),
        )
    elif kind == "anyOf" and _field(path) == "asn":
        hint = 'write the ASN as a number (64512), as "AS64512", or in asdot as "1.10"'
        if isinstance(value, float) and math.isfinite(value):
            hint = f'quote asdot ASNs in YAML: asn: "{value}" (unquoted it reads as a number)'
        yield Violation(path, f"asn {_show(value, path)} of {where} is not an AS number", hint)
    elif kind == "pattern" and _field(path) == "ignore":
        yield Violation(
            path,
            f"{_show(value, path)} in the ignore list of {where} is not a rule id",
            "rule ids look like CCV206; `ccv rules` lists them",
        )
    elif kind == "pattern":
        yield Violation(
            path,
            f"{_field(path)} {_show(value, path)} of {where} "
            "is not an address with a prefix length",
            "write it in CIDR notation, e.g. 10.10.0.0/16, 169.254.10.1/30 or fd00:10::/48",
        )
    elif kind == "minLength":
        yield Violation(
            path,
            f"{_entry(path)}{_field(path)} of {where} is empty",
            f"write a value for {_field(path)}: an empty string names nothing",
        )
    elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound = error.validator_value
        words = {
            "minimum": f"at least {bound}",
            "exclusiveMinimum": f"greater than {bound}",
            "maximum": f"at most {bound}",
            "exclusiveMaximum": f"less than {bound}",
        }[kind]
        yield Violation(
            path,
            f"{_field(path)} {_show(value, path)} of {where} must be {words}",
            f"set {_field(path)} to a value {words}",
        )
    else:
        yield Violation(
            path,
            f"{_field(path)} {_show(value, path)} of {where} does not follow the format ({kind})",
            f"see the description of '{_field(path)}' in `ccv schema`",
        )


_TYPE_WORDS = {"array": "list", "object": "mapping"}


def _article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _describe_property(schema: dict, name: str) -> str:
    text = schema.get("properties", {}).get(name, {}).get("description", "")
    return text.split(". ")[0].rstrip(".") if text else "see `ccv schema`"


def _entry(path: Path_) -> str:
    """``"an entry of "`` when ``path`` ends at an entry of a list, else ``""``."""
    return "an entry of " if path and isinstance(path[-1], int) else ""


def _type_hint(path: Path_, value: object, expected: str, items: object = None) -> str:
    field = _field(path)
    item_type = items.get("type") if isinstance(items, dict) else None
    if isinstance(value, float) and not math.isfinite(value):
        return f"write {field} as a finite number"
    if is_sensitive_path(path):
        return f'quote the value so that it reads as text: {field}: "{MASK}" (ccv never shows it)'
    if path and isinstance(path[-1], int):  # an entry of a list: quoting it is no answer
        return f"each entry of {field} must be {_article(expected)}; see `ccv schema`"
    if expected == "list" and item_type == "string" and isinstance(value, str):
        return f"write {field} as a list: {field}: [{_show(value, path)}]"
    if expected == "list" and item_type == "object":
        return f"write {field} as a list of mappings, one per item (see `ccv schema`)"
    if expected == "string" and isinstance(value, (int, float)):
        return f'quote it: {field}: "{_show(value, path)}"'
    if expected in ("number", "integer") and isinstance(value, str):
        return f"write {field} as a plain number, without quotes or units"
    return f"see the description of '{field}' in `ccv schema`"
