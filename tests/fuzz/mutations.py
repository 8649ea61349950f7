"""Hypothesis strategies that turn the shipped examples into hostile inputs.

Three layers, as a careless edit, a bad merge or an attacker would produce them:
values swapped for ones YAML/JSON can express but a program struggles with (huge
integers, NaN, deep nesting, surrogates, NUL, tags with impossible values), the
structure changed (keys dropped, renamed, lists for mappings), and the text itself cut,
repeated or spliced with hostile snippets. Every plan carries a planted secret under
``auth_key`` that no output may show.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TOPOLOGIES = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
SLA_RECORDS = {
    "outages": sorted((EXAMPLES / "sla").glob("outages.*")),
    "probes": sorted((EXAMPLES / "sla").glob("probes.*")),
}

SECRET = "Pl4nted-S3cret-7f3a"
SECRET_INT = 918273645546372819


def load_example(path: Path) -> object:
    """An example as data (YAML or JSON)."""
    return yaml.safe_load(path.read_text("utf-8"))


# Values a topology can spell but a program may choke on.
HOSTILE_VALUES = [
    None,
    True,
    "",
    " ",
    0,
    -1,
    2**64,
    10**5000,  # past Python's int-string limit when read back
    -(10**30),
    1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    -0.0,
    0.1,
    "NaN",
    "1e999",
    "\x00",
    "nul\x00inside",
    "\u202eright-to-left",
    "é" * 3,
    "x" * 5000,
    "10.0.0.0/33",
    "10.0.0.300/16",
    "::/0",
    "0.0.0.0/0",
    "fd00::/129",
    "AS4294967296",
    "1.65536",
    "CCV999",
    [],
    {},
    [None],
    {"auth_key": SECRET},
    [{"auth_key": SECRET, "vlan": 1}],
    {"x-": {"a": [1, 2]}},
]

_TEXT_SNIPPETS = [
    "!!int abc",
    "!!float abc",
    "!!timestamp 2001-02-30",
    "!!binary '@@@'",
    "!!set {a, b}",
    "!!python/object:os.system x",
    "*undefined_alias",
    "&anchor",
    "<<: *nowhere",
    '"\\ud800"',
    '"\\udc00"',
    '"\\u0000"',
    "\\ud800",
    "9" * 5000,
    "1e999",
    "-1e999",
    ".nan",
    ".inf",
    "NaN",
    "Infinity",
    "\t",
    "\x00",
    "\x7f",
    "\ufeff",
    "{",
    "}",
    "[",
    "]",
    "- ",
    ": ",
    "? ",
    "---",
    "...",
    "%YAML 1.1",
    "'",
    '"',
    "#",
    "|",
    ">",
    "[" * 80 + "]" * 80,
    "2001-02-30",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
]


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    """Every path into ``data`` (keys and indexes), the root included."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _parent(data: object, path: tuple) -> object:
    for part in path[:-1]:
        data = data[part]
    return data


def plant_secret(data: object, as_int: bool) -> object:
    """``data`` with the planted secret as ``auth_key`` of every line's peering."""
    secret = SECRET_INT if as_int else SECRET
    if isinstance(data, dict):
        for site in data.get("sites") or []:
            if not isinstance(site, dict):
                continue
            for line in site.get("lines") or []:
                if isinstance(line, dict):
                    peering = line.setdefault("peering", {})
                    if isinstance(peering, dict):
                        peering["auth_key"] = secret
    return data


@st.composite
def mutated_data(draw, data: object) -> object:
    """``data`` with a few values replaced, keys dropped or renamed, items repeated."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        if "auth_key" in path:
            continue  # the planted secret stays a secret
        parent = _parent(data, path)
        action = draw(st.sampled_from(["replace", "replace", "drop", "rename", "repeat", "nest"]))
        key = path[-1]
        if action == "replace":
            parent[key] = copy.deepcopy(draw(st.sampled_from(HOSTILE_VALUES)))
        elif action == "drop":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["id", "name", "x-extra", "bogus", str(key) + "s"]))] = (
                parent.pop(key)
            )
        elif action == "repeat" and isinstance(parent, list):
            parent.extend(copy.deepcopy(parent[key]) for _ in range(draw(st.integers(1, 3))))
        elif action == "nest":
            depth = draw(st.sampled_from([2, 30, 63, 70]))
            value = parent[key]
            for _ in range(depth):
                value = [value]
            parent[key] = value
    return data


def dump(data: object, fmt: str) -> str:
    """``data`` as YAML or JSON text (NaN and Infinity written as each language has them)."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # 10**5000 is written out; ccv must cope when reading it
    try:
        if fmt == "json":
            return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=True)
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    finally:
        sys.set_int_max_str_digits(limit)


@st.composite
def mutated_text(draw, text: str) -> str:
    """``text`` cut, repeated or spliced with hostile snippets at a few places."""
    for _ in range(draw(st.integers(0, 3))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "insert", "cut", "repeat", "line"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(_TEXT_SNIPPETS)) + text[at:]
        elif action == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif action == "repeat":
            piece = text[at : at + draw(st.integers(1, 200))]
            text = text[:at] + piece * draw(st.integers(2, 5)) + text[at:]
        else:  # a value of one line swapped for a snippet
            lines = text.split("\n")
            index = at % len(lines)
            head, sep, _ = lines[index].partition(": ")
            if sep and "auth_key" not in head:
                lines[index] = head + sep + draw(st.sampled_from(_TEXT_SNIPPETS))
                text = "\n".join(lines)
    return text


@st.composite
def hostile_topology(draw) -> tuple[str, bytes]:
    """(file name, bytes): an example, its secret planted, mutated in data and text."""
    path = draw(st.sampled_from(TOPOLOGIES))
    data = plant_secret(load_example(path), as_int=draw(st.booleans()))
    data = draw(mutated_data(data))
    fmt = draw(st.sampled_from(["yaml", "json"]))
    text = draw(mutated_text(dump(data, fmt)))
    suffix = draw(st.sampled_from([f".{fmt}", f".{fmt}", ".txt"]))
    return f"plan{suffix}", text.encode("utf-8", "surrogatepass")


@st.composite
def hostile_records(draw, kind: str) -> tuple[str, bytes]:
    """(file name, bytes): an ``ccv sla`` record example, its text mutated."""
    path = draw(st.sampled_from(SLA_RECORDS[kind]))
    text = path.read_text("utf-8")
    if path.suffix == ".json" and draw(st.booleans()):
        text = dump(draw(mutated_data(json.loads(text))), "json")
    text = draw(mutated_text(text))
    return path.name, text.encode("utf-8", "surrogatepass")


def number_texts() -> st.SearchStrategy[str]:
    """Numbers as users and scripts type them, absurd ones included."""
    return st.one_of(
        st.sampled_from(
            [
                "1e999999999",
                "1E+999999999999",
                "-1e-999999999",
                "NaN",
                "inf",
                "-0",
                "0",
                "9" * 5000,
                "1_000",
                "0x10",
                "",
                " ",
                "99.95",
                "100",
                "1e15",
                "1e-15",
                "5e14",
            ]
        ),  # fmt: skip
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats().map(repr),
        st.integers().map(str),
        st.text(max_size=12),
    )
