"""The rules reference (docs/rules.md), generated from the registry."""

from __future__ import annotations

from validator.rules.registry import FAMILIES, Rule, all_rules


def rules_markdown() -> str:
    """docs/rules.md: a summary table, then each rule with its explanation."""
    rules = all_rules()
    out = [
        "# Rules reference",
        "",
        "<!-- Generated from the rule registry by `ccv rules --format markdown`; do not edit."
        " A test fails when this file is stale. -->",
        "",
        "Every finding carries a rule id, a name, a severity, a message, a JSON pointer `path`"
        " into the input, its file/line/column and a hint. Change a rule's severity or ignore it"
        " with `--severity ID=LEVEL`, `--ignore ID`, a config file (`.ccv.yaml` or `[tool.ccv]`"
        " in `pyproject.toml`) or an `ignore: [ID]` list on a site, line, POP, backbone link or"
        " flow.",
        "",
        "| id | name | severity | summary |",
        "|---|---|---|---|",
    ]
    out += [
        f"| [{r.id}](#{r.id.lower()}-{r.name}) | `{r.name}` | {r.severity} | {r.summary} |"
        for r in rules
    ]
    for digit, (_, title) in FAMILIES.items():
        members = [r for r in rules if r.id[3] == digit]
        if not members:
            continue
        out += ["", f"## {title}"]
        for r in members:
            out += [
                "",
                f"### {r.id} {r.name}",
                "",
                f"Severity: **{r.severity}**. {r.summary[:1].upper()}{r.summary[1:]}.",
                "",
            ]
            out += [r.explanation, ""] if r.explanation else []
            out += [f"Fix: {r.hint}."]
    return "\n".join(out).rstrip() + "\n"


def rule_text(entry: Rule) -> str:
    """``ccv rules ID``: everything about one rule, for a terminal."""
    lines = [
        f"{entry.id} {entry.name} ({entry.severity})",
        "",
        entry.summary[:1].upper() + entry.summary[1:] + ".",
        "",
    ]
    lines += [entry.explanation, ""] if entry.explanation else []
    lines.append(f"Fix: {entry.hint}.")
    return "\n".join(lines) + "\n"
