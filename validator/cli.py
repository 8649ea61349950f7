"""The ``ccv`` command line: options in, core called, a format out. Nothing else."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from validator import __version__
from validator.config import ConfigError, Settings, find_config, load_config, parse_severity_option
from validator.engine import validate_documents
from validator.fixes.cli import fix
from validator.formats import FORMATS, RenderOptions, render
from validator.graph.cli import graph
from validator.load.document import InputError, load_document
from validator.rules.docs import rule_text, rules_markdown
from validator.rules.registry import all_rules, get_rule
from validator.schema import report_schema_text, topology_schema_text
from validator.sla.cli import sla

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Abort(click.ClickException):
    """A one-line failure that exits 2 (unreadable input, bad settings)."""

    exit_code = EXIT_USAGE

    def show(self, file=None) -> None:  # noqa: D102 - one line, no "Error:" prefix noise
        click.echo(f"ccv: {self.format_message()}", err=True)


@click.group(name="ccv", context_settings=CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="ccv")
def cli() -> None:
    """ccv checks a cloud connection plan before you order it.

    A plan joins customer sites (VPCs/VNets in AWS, Azure, Google Cloud, Alibaba,
    Huawei, Tencent, Oracle, and on-premises networks) over the carrier's POPs. ccv
    finds conflicting ranges, ASNs and interconnect addresses, unreachable or
    unprotected sites, and SLA targets the plan cannot meet.

    \b
    Start with:
      ccv validate examples/three-clouds.yaml
      ccv rules                 # what ccv checks
      ccv fix plan.yaml         # the definite fixes, as a diff (--write applies them)
      ccv schema > topology.schema.json
    """


def _settings(
    config: str | None, ignore: tuple[str, ...], severity: tuple[str, ...], fail_on: str | None
) -> Settings:
    base = Settings()
    path = Path(config) if config else find_config()
    if config and not Path(config).is_file():
        raise ConfigError(f"{config}: no such config file")
    if path:
        base = load_config(path)
    overrides = dict(parse_severity_option(v) for v in severity)
    settings = base.merged(ignore, overrides, fail_on)
    settings.check(r.id for r in all_rules())
    return settings


def _use_color(no_color: bool, output: str | None) -> bool:
    if no_color or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _parse_month(ctx: click.Context, param: click.Parameter, value: str | None):
    """``--month 2026-01`` -> (2026, 1); a usage error (exit 2) otherwise."""
    if value is None:
        return None
    year, sep, month = value.partition("-")
    if sep and len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return int(year), int(month)
    raise click.BadParameter(f"'{value}' is not a month; write it as YYYY-MM, e.g. 2026-01")


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default="text",
    show_default=True,
    help="Report format: text for people, json for programs, sarif for code scanning, junit "
    "for test dashboards, github for workflow annotations, markdown for pull-request "
    "comments (docs/formats.md).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--input-format",
    type=click.Choice(["auto", "yaml", "json"]),
    default="auto",
    show_default=True,
    help="How to read the inputs; auto goes by the file name, then by the first character.",
)
@click.option(
    "--ignore",
    "ignore",
    multiple=True,
    metavar="ID",
    help="Ignore a rule everywhere (repeatable), e.g. --ignore CCV206.",
)
@click.option(
    "--severity",
    "severity",
    multiple=True,
    metavar="ID=LEVEL",
    help="Change a rule's severity: error, warning, info or off (repeatable), "
    "e.g. --severity CCV206=error.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Exit 1 when a finding is at or above this severity.  [default: error]",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    help="Settings file (.ccv.yaml, or a pyproject.toml with [tool.ccv]). Default: "
    "the nearest one from the current directory upward.",
)
@click.option(
    "--merge",
    is_flag=True,
    help="Check all inputs together as one plan "
    "(e.g. the carrier topology and each cloud's plan); default: one by one.",
)
@click.option(
    "--month",
    metavar="YYYY-MM",
    callback=_parse_month,
    help="Text format: also show each site's downtime budget for this calendar month "
    "(the 30-day budget is always shown).",
)
@click.option("--quiet", "-q", is_flag=True, help="Text format: print only the finding lines.")
@click.option("--no-color", is_flag=True, help="No colours (also when NO_COLOR is set).")
def validate(
    files,
    fmt,
    output,
    input_format,
    ignore,
    severity,
    fail_on,
    config,
    merge,
    month,
    quiet,
    no_color,
) -> None:
    """Check topology FILES (YAML or JSON; '-' or none reads standard input).

    \b
    Exit status: 0 no finding at or above --fail-on; 1 findings at or above it;
    2 the check could not run (unreadable or non-YAML/JSON input, bad options).

    \b
    Examples:
      ccv validate examples/three-clouds.yaml
      ccv validate --format json -o report.json plan.yaml
      ccv validate --ignore CCV206 --severity CCV203=error plan.yaml
      cat plan.json | ccv validate -
      ccv validate --merge carrier.yaml aws.yaml azure.yaml
    """
    try:
        settings = _settings(config, ignore, severity, fail_on)
        sources = list(files) or ["-"]
        if output and output != "-":
            target = Path(output).resolve()
            if any(s != "-" and Path(s).resolve() == target for s in sources):
                raise ConfigError(
                    f"--output {output} is one of the inputs; ccv never writes to its inputs"
                )
        documents = [load_document(source, input_format) for source in sources]
        report = validate_documents(documents, settings, merge, month)
        text = render(report, fmt, RenderOptions(color=_use_color(no_color, output), quiet=quiet))
    except (InputError, ConfigError) as exc:
        raise Abort(str(exc)) from None
    if output and output != "-":
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise Abort(f"{output}: cannot write the report ({exc.strerror or exc})") from None
    else:
        click.echo(text, nl=False)
    sys.exit(EXIT_FINDINGS if report.fails(settings.fail_on) else EXIT_OK)


@cli.command(context_settings=CONTEXT)
@click.argument("rule_id", required=False, metavar="[ID]")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown prints the rules reference (docs/rules.md).",
)
def rules(rule_id: str | None, fmt: str) -> None:
    """List the rules ccv checks, or explain one: ccv rules CCV201."""
    if rule_id:
        entry = get_rule(rule_id)
        if entry is None:
            raise Abort(f"unknown rule id '{rule_id}'; `ccv rules` lists them")
        selected = [entry]
    else:
        selected = all_rules()
    if fmt == "markdown":
        click.echo(rules_markdown() if not rule_id else rule_text(selected[0]), nl=False)
    elif fmt == "json":
        payload = [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity,
                "summary": r.summary,
                "hint": r.hint,
                "checked": r.implemented,
                "explanation": r.explanation,
            }
            for r in selected
        ]
        click.echo(json.dumps(payload if not rule_id else payload[0], indent=2, ensure_ascii=False))
    elif rule_id:
        click.echo(rule_text(selected[0]), nl=False)
    else:
        width = max(len(r.name) for r in selected)
        for r in selected:
            status = "" if r.implemented else "  (not yet checked)"
            click.echo(f"{r.id}  {r.severity:<7}  {r.name:<{width}}  {r.summary}{status}")


@cli.command(context_settings=CONTEXT)
@click.argument("which", type=click.Choice(["topology", "report"]), default="topology")
def schema(which: str) -> None:
    """Print the JSON schema of the topology format (or of the JSON report).

    \b
    Editors complete and explain plans with it; put this first in a YAML plan:
      # yaml-language-server: $schema=./topology.schema.json
    """
    click.echo(topology_schema_text() if which == "topology" else report_schema_text(), nl=False)


cli.add_command(sla)
cli.add_command(fix)
cli.add_command(graph)


def main() -> None:
    """Entry point of the ``ccv`` console script: no traceback ever reaches the user."""
    try:
        cli.main(prog_name="ccv", standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # an internal failure: one line, exit 2 (SPEC §5)
        click.echo(f"ccv: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_USAGE)
