"""``ccv fix``: apply the findings' fixes to a topology file's text, round after round.

Each round validates the text (fixes verified, SPEC §13), applies every fix in document
order to a round-trip copy of the file — skipping a fix that touches a path an earlier
fix of the round changed — and writes the text back. Rounds repeat while new fixes
appear, at most :data:`MAX_ROUNDS`. YAML goes through ruamel.yaml's round-trip mode, so
comments, key order and quoting stay as written, with the indentation the file uses;
JSON keeps its key order and indentation.
"""

from __future__ import annotations

import difflib
import io
import json
from collections import Counter
from dataclasses import dataclass, field

from validator.config import Settings
from validator.engine import validate_documents
from validator.fixes.patch import (
    PatchError,
    apply_op,
    overlapping,
    parse_pointer,
    touched,
)
from validator.load.document import InputError, parse_document
from validator.report import Finding, Report

MAX_ROUNDS = 5
"""Rounds of validate-and-apply before ``ccv fix`` stops (a fix may free another)."""


@dataclass
class Outcome:
    """What ``ccv fix`` did to one file."""

    original: str
    text: str
    applied: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    rounds: int = 0
    report: Report | None = None  # the findings of the fixed text

    @property
    def changed(self) -> bool:
        """True when the fixed text differs from the original."""
        return self.text != self.original

    def diff(self, name: str) -> str:
        """The change as a unified diff (``a/NAME`` → ``b/NAME``)."""
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.text.splitlines(keepends=True),
                fromfile=f"a/{name}",
                tofile=f"b/{name}",
            )
        )


# --------------------------------------------------------------------------- round trip


class _Yaml:
    """ruamel.yaml round-trip load and dump, with the indentation the file uses."""

    def __init__(self, text: str) -> None:
        from ruamel.yaml import YAML

        self._yaml_class = YAML
        self.settings = self._detect(text)

    def _new(self, settings):
        yaml = self._yaml_class(typ="rt")
        yaml.preserve_quotes = True
        yaml.width = 4096
        mapping, sequence, offset = settings
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        return yaml

    def _detect(self, text: str):
        """The indentation settings whose round trip reproduces ``text`` best."""
        best, best_cost = (2, 2, 0), None
        for settings in ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 3, 1)):
            try:
                again = self.dump(self.load(text, settings), settings)
            except Exception:  # noqa: BLE001 - a setting ruamel cannot use: try the next
                continue
            if again == text:
                return settings
            # lines one side has and the other lacks, as multisets: O(lines) (difflib's
            # ndiff compared every line with every other, minutes on a 120 KB plan)
            mine, theirs = Counter(text.splitlines()), Counter(again.splitlines())
            cost = (mine - theirs).total() + (theirs - mine).total()
            if best_cost is None or cost < best_cost:
                best, best_cost = settings, cost
        return best

    def load(self, text: str, settings=None):
        return self._new(settings or self.settings).load(text)

    def dump(self, data, settings=None) -> str:
        out = io.StringIO()
        self._new(settings or self.settings).dump(data, out)
        return out.getvalue()


def _json_indent(text: str) -> int | None:
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped and len(stripped) < len(line):
            return len(line) - len(stripped)
    return None


def _styled(old: object, new: object) -> object:
    """``new`` in the quoting style of the scalar it replaces (ruamel keeps the style)."""
    from ruamel.yaml.scalarstring import ScalarString

    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)
    return new


def _apply_rt(data: object, ops: list[dict]) -> object:
    """Apply ``ops`` to round-trip data, keeping scalar styles and comments."""
    for op in ops:
        if op["op"] == "replace":
            tokens = parse_pointer(op["path"])
            node = data
            for token in tokens[:-1]:
                node = node[int(token)] if isinstance(node, list) else node[token]  # type: ignore[index]
            key = int(tokens[-1]) if isinstance(node, list) else tokens[-1]
            node[key] = _styled(node[key], op["value"])  # type: ignore[index]
        elif op["op"] == "remove":
            _remove_rt(data, parse_pointer(op["path"]))
        else:
            data = apply_op(data, op)
    return data


def _remove_rt(data: object, tokens: list[str]) -> None:
    """Remove a node; in a ruamel sequence, comments of later items move with them."""
    node = data
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]  # type: ignore[index]
    if isinstance(node, list):
        index = int(tokens[-1])
        comments = getattr(getattr(node, "ca", None), "items", None)
        if comments is not None:
            moved = {}
            for key, value in comments.items():
                if key < index:
                    moved[key] = value
                elif key > index:
                    moved[key - 1] = value
                elif index > 0 and index - 1 not in comments:
                    moved[index - 1] = value  # the removed item's comment stays on its line
                elif index == 0 and len(node) > 1:
                    moved.setdefault(0, value)
            comments.clear()
            comments.update(moved)
        del node[index]
    else:
        del node[tokens[-1]]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- rounds


def _order(finding: Finding) -> tuple:
    loc = finding.location
    return (loc.line if loc else 0, loc.column if loc else 0, finding.path, finding.rule)


def fix_text(
    name: str, text: str, settings: Settings | None = None, input_format: str = "auto"
) -> Outcome:
    """Apply the fixes of ``text`` (named ``name``) round after round; the outcome holds
    the new text, the fixes applied and the report of the fixed text.

    Raises InputError when the text is not YAML/JSON (as ``ccv validate`` would).
    """
    settings = settings or Settings()
    outcome = Outcome(text, text)
    fmt = parse_document(name, text.encode("utf-8"), input_format).format
    yaml = _Yaml(text) if fmt == "yaml" else None
    indent = _json_indent(text) if fmt == "json" else None
    for _ in range(MAX_ROUNDS):
        document = parse_document(name, outcome.text.encode("utf-8"), input_format)
        report = validate_documents([document], settings, merge=False)
        outcome.report = report
        fixable = sorted((f for f in report.findings if f.fix), key=_order)
        if not fixable:
            break
        data = yaml.load(outcome.text) if yaml else json.loads(outcome.text)
        changed: list = []
        applied: list[Finding] = []
        for finding in fixable:
            paths = touched(finding.fix or [])
            if any(overlapping(p, q) for p in paths for q in changed):
                outcome.skipped.append(finding)
                continue
            try:
                data = _apply_rt(data, finding.fix or []) if yaml else _apply_json(data, finding)
            except (PatchError, KeyError, IndexError, ValueError, TypeError):
                outcome.skipped.append(finding)
                continue
            changed.extend(paths)
            applied.append(finding)
        if not applied:
            break
        outcome.applied.extend(applied)
        outcome.rounds += 1
        if yaml:
            new_text = yaml.dump(data)
        else:
            new_text = json.dumps(data, indent=indent, ensure_ascii=False) + (
                "\n" if outcome.text.endswith("\n") else ""
            )
        if new_text == outcome.text:
            break
        outcome.text = new_text
    if outcome.changed or outcome.report is None:
        document = parse_document(name, outcome.text.encode("utf-8"), input_format)
        outcome.report = validate_documents([document], settings, merge=False)
    return outcome


def _apply_json(data: object, finding: Finding) -> object:
    for op in finding.fix or []:
        data = apply_op(data, op)
    return data


__all__ = ["MAX_ROUNDS", "InputError", "Outcome", "fix_text"]
