"""The ``ccv`` command line: options in, core called, a format out. Nothing else.

The top of the layers: it discovers the config file, picks the month, reads the inputs
and writes the output. Each command imports the core when it runs, so ``ccv --version``
and ``ccv rules`` load neither networkx nor jsonschema; ``graph`` and ``sla`` are
loaded when named.
"""

from __future__ import annotations

import errno
import glob
import importlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from validator.formats import FORMATS
from validator.version import __version__

if TYPE_CHECKING:
    from validator.config import Settings
    from validator.report import InputProblem, Report

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Abort(click.ClickException):
    """A one-line failure that exits 2 (unreadable input, bad settings)."""

    exit_code = EXIT_USAGE

    def show(self, file=None) -> None:  # noqa: D102 - one line, no "Error:" prefix noise
        from validator.redaction import seen_secrets

        click.echo(f"ccv: {seen_secrets()(self.format_message())}", err=True)


class _Commands(click.Group):
    """A group whose heavier subcommands (``graph``, ``sla``, ``fix``) are imported when named."""

    LAZY = {
        "graph": "validator.graph.cli",
        "sla": "validator.sla.cli",
        "fix": "validator.fixes.cli",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:  # noqa: D102
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:  # noqa: D102
        if cmd_name in self.LAZY:
            return getattr(importlib.import_module(self.LAZY[cmd_name]), cmd_name)
        return super().get_command(ctx, cmd_name)


class _OneLineErrors(_Commands):
    """The ``ccv`` group: every error click raises becomes one line on standard error.

    Click's own form spans four lines (usage, a "Try --help" line, a blank line, the
    error); this prints ``ccv: <error>; see 'ccv validate --help'`` and keeps the exit
    status (2 for usage errors).
    """

    def main(self, *args, standalone_mode: bool = True, **kwargs):  # noqa: D102
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            value = super().main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as exc:
            click.echo(f"ccv: {one_line_error(exc)}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("ccv: aborted", err=True)
            sys.exit(1)
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
            sys.stdout = click.utils.PacifyFlushWrapper(sys.stdout)  # type: ignore[assignment]
            sys.exit(1)
        sys.exit(value if isinstance(value, int) else 0)


def one_line_error(exc: click.ClickException) -> str:
    """A click error as one line; usage errors end with where to find the help."""
    message = "; ".join(part.strip() for part in exc.format_message().splitlines() if part)
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        message = message.rstrip(".") + f"; see '{exc.ctx.command_path} --help'"
    return message


@click.group(name="ccv", cls=_OneLineErrors, context_settings=CONTEXT)
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
    config: str | None,
    ignore: tuple[str, ...],
    severity: tuple[str, ...],
    fail_on: str | None,
    limits: tuple[str, ...] = (),
):
    """The run's settings: the named or nearest config file, then the options on top."""
    from validator.config import (
        ConfigError,
        Settings,
        find_config,
        load_config,
        parse_severity_option,
    )
    from validator.load.limits import parse_limit_option
    from validator.rules.registry import all_rules

    base = Settings()
    path = Path(config) if config else find_config()
    if config and not Path(config).exists():
        raise ConfigError(f"{config}: no such config file")
    if config and Path(config).is_dir():
        raise ConfigError(f"{config}: is a directory, not a config file")
    if path:
        base = load_config(path)
    overrides = dict(parse_severity_option(v) for v in severity)
    try:
        bounds = dict(parse_limit_option(v) for v in limits)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    settings = base.merged(ignore, overrides, fail_on, bounds)
    settings.check(r.id for r in all_rules())
    return settings


def _plan_files(settings: Settings) -> tuple[list[str], list[InputProblem]]:
    """The files listed under ``plan:`` in the settings file, relative to that file."""
    from validator.report import InputProblem

    if not settings.plan:
        return [], []
    folder = Path(settings.source).parent if settings.source else Path()
    files: list[str] = []
    problems: list[InputProblem] = []
    for entry in settings.plan:
        full = folder / entry
        if glob.has_magic(entry):
            matches = sorted(glob.glob(str(full), recursive=True))
            if not matches:
                where = _shown(str(settings.source))
                problems.append(
                    InputProblem(_shown(str(full)), f"matches no file (plan: in {where})")
                )
            files.extend(_shown(match) for match in matches)
        else:
            files.append(_shown(str(full)))
    return files, problems


def _distinct(names: Iterable[str]) -> list[str]:
    """``names`` without repeats, first spelling kept: a file named twice (by any path) is
    one input, and standard input ('-'), which can be read only once, is one input too."""
    seen: set[str] = set()
    kept: list[str] = []
    for name in names:
        key = name if name == "-" else os.path.realpath(name)
        if key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


def _shown(path: str) -> str:
    """``path`` relative to the current directory when it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _check(
    sources: list[str],
    input_format: str,
    settings: Settings,
    merge: bool,
    problems: list[InputProblem],
    month: tuple[int, int] | None,
) -> Report:
    """Load and check every input; the inputs that cannot be read are reported, not fatal."""
    from validator.engine import validate_documents
    from validator.load.batch import load_inputs
    from validator.redaction import seen_secrets
    from validator.report import Report

    names, documents, failed = load_inputs(sources, input_format, settings.limits)
    for document in documents:
        seen_secrets().add(sorted(document.secrets))
    problems = problems + failed
    if documents and not (merge and problems):
        report = validate_documents(documents, settings, merge, month)
    else:
        report = Report(inputs=[])
        if documents:
            report.notes.append(
                "the inputs were not checked as one plan (--merge) because "
                f"{', '.join(sorted({p.file for p in problems}))} could not be read"
            )
    report.inputs = names + [p.file for p in problems if p.file not in names]
    report.input_errors = problems
    _keep_until_exit(documents, report)
    return report


_ALIVE: list | None = None  # set by run(): what the process drops only at os._exit


def _keep_until_exit(*objects: object) -> None:
    """Under :func:`run`, keep ``objects`` alive until the process ends (see
    :func:`_leave`): the inputs and the report of a million-range plan would otherwise be
    freed object by object when the command returns (about 0.4 s of CPU). Called in
    Python (a test's CliRunner), keeps nothing."""
    if _ALIVE is not None:
        _ALIVE.extend(objects)


def _use_color(no_color: bool, output: str | None) -> bool:
    if no_color or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _parse_month(ctx: click.Context, param: click.Parameter, value: str | None):
    """``--month 2026-01`` -> (2026, 1); a usage error (exit 2) otherwise."""
    if value is None:
        return None
    year, sep, month = value.partition("-")
    if (
        sep
        and len(year) == 4
        and year.isdigit()
        and int(year) > 0  # there is no year 0
        and month.isdigit()
        and 1 <= int(month) <= 12
    ):
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
    type=click.Choice(["auto", "yaml", "json", "terraform-plan"]),
    default="auto",
    show_default=True,
    help="How to read the inputs; auto goes by the file name, then by the first character, "
    "and reads the JSON of `terraform show -json` (a plan or a state) as a Terraform plan "
    "(docs/terraform.md).",
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
    "--from-config",
    is_flag=True,
    help="Also check the files listed under `plan:` in the settings file (with --merge: the "
    "whole plan). No files at all is success, not a read of standard input.",
)
@click.option(
    "--no-stdin",
    is_flag=True,
    help="Never read standard input: with no FILE there is nothing to check (exit 0). For "
    "hooks and scripts whose list of files may be empty.",
)
@click.option(
    "--baseline",
    "baseline",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Report only findings this baseline file does not list (see --write-baseline).",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Record the current findings in FILE (sorted JSON, one finding a line); they are "
    "then known, and later runs with --baseline FILE show only new ones. With --baseline "
    "OLD as well, OLD decides what this run hides and FILE gets every current finding.",
)
@click.option(
    "--month",
    metavar="YYYY-MM",
    callback=_parse_month,
    help="Text format: also show each site's downtime budget for this calendar month "
    "(the 30-day budget is always shown).",
)
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=N",
    help="Raise or lower a limit on what one input may hold (repeatable): "
    "input-bytes, depth, items, alias-nodes; e.g. --limit depth=100 (docs/limits.md).",
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
    from_config,
    no_stdin,
    baseline,
    write_baseline,
    month,
    limits,
    quiet,
    no_color,
) -> None:
    """Check topology FILES (YAML or JSON) and Terraform plans ('-' reads standard input,
    as does no FILE when standard input is not a terminal).

    Several files are checked one by one (as a pre-commit hook passes them), or as one
    plan with --merge. A file that cannot be read or parsed is reported (a line on
    standard error and in the report) and the other files are still checked.

    \b
    Exit status: 0 no finding at or above --fail-on; 1 findings at or above it;
    2 an input could not be checked (unreadable or non-YAML/JSON) or bad options.

    \b
    Examples:
      ccv validate examples/three-clouds.yaml
      ccv validate --format json -o report.json plan.yaml
      ccv validate --ignore CCV206 --severity CCV203=error plan.yaml
      cat plan.json | ccv validate -
      ccv validate --merge carrier.yaml aws.yaml azure.yaml
      terraform show -json tfplan | ccv validate -
      ccv validate --merge carrier.yaml aws-plan.json azure-plan.json
      ccv validate --merge --from-config          # the files under plan: in .ccv.yaml
      ccv validate --write-baseline .ccv-baseline.json plan.yaml   # accept today's findings
      ccv validate --baseline .ccv-baseline.json plan.yaml         # show only new ones
    """

    from validator.baseline import BaselineError, apply_baseline, baseline_text
    from validator.config import ConfigError
    from validator.formats import RenderOptions, render_chunks
    from validator.load.document import InputError
    from validator.output import OutputError, refuse_inputs, refuse_same

    try:
        settings = _settings(config, ignore, severity, fail_on, limits)
        if no_stdin and "-" in files:
            raise click.UsageError("--no-stdin and '-' (standard input) contradict: drop one")
        sources = _distinct(files)
        problems: list[InputProblem] = []
        if from_config:
            listed, problems = _plan_files(settings)
            sources = _distinct([*sources, *listed])
        elif not sources and not no_stdin:
            if sys.stdin.isatty():
                raise click.UsageError(
                    "no FILE given and standard input is a terminal: name the topology "
                    "files to check, or pipe one in (ccv validate - < plan.yaml)"
                )
            sources = ["-"]
        # the config file and the baseline are read too: never written over either
        read = [*(sources or ["-"]), *(f for f in (settings.source, baseline) if f)]
        refuse_inputs(output, read)
        refuse_inputs(write_baseline, read, option="--write-baseline")
        refuse_same(output, write_baseline, ("--output", "--write-baseline"))
        known = _read_baseline(baseline) if baseline else None
        report = _check(sources, input_format, settings, merge, problems, month)
        if write_baseline and report.input_errors:
            # a baseline without the findings of the unread inputs would be incomplete
            click.echo(f"ccv: {write_baseline} not written: not every input was checked", err=True)
        elif write_baseline:
            _write(write_baseline, baseline_text(report.findings), "the baseline")
            if known is None:  # with --baseline A too, A decides what is hidden (and is named)
                known = frozenset(f.fingerprint for f in report.findings)
            else:
                recorded = len({f.fingerprint for f in report.findings})
                click.echo(f"ccv: {recorded} findings recorded in {write_baseline}", err=True)
        if known is not None:
            apply_baseline(report, known, baseline or write_baseline)
        options = RenderOptions(color=_use_color(no_color, output), quiet=quiet)
        chunks = render_chunks(report, fmt, options)
    except (InputError, ConfigError, BaselineError, OutputError) as exc:
        raise Abort(str(exc)) from None
    for problem in report.input_errors:
        click.echo(f"ccv: {problem.where()}: {problem.message}", err=True)
    if output and output != "-":
        _write(output, chunks, "the report")
    elif isinstance(chunks, tuple):  # one piece: the text formats, coloured or not
        click.echo(chunks[0], nl=False)
    else:  # the JSON report or SARIF log, finding by finding
        stdout = sys.stdout
        for chunk in chunks:
            stdout.write(chunk)
        stdout.flush()
    if report.input_errors:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if report.fails(settings.fail_on) else EXIT_OK)


def _read_baseline(name: str) -> frozenset[str]:
    from validator.baseline import parse_baseline
    from validator.load.document import InputError, decode_text, load_bytes
    from validator.load.limits import DEFAULT_LIMITS

    if not Path(name).exists():
        raise Abort(f"{name}: no such baseline file; create it with --write-baseline {name}")
    try:  # bounded like every input: --baseline /dev/zero stops at the limit
        text = decode_text(name, load_bytes(name, DEFAULT_LIMITS.input_bytes, "a baseline"))
    except InputError as exc:
        raise Abort(str(exc)) from None
    return parse_baseline(text, name)


def _write(name: str, text: str | Iterable[str], what: str) -> None:
    """Write ``text`` (or its pieces) to ``name`` whole or not at all (validator/output.py)."""
    from validator.output import OutputError, write_text

    try:
        write_text(name, text, what)
    except OutputError as exc:
        raise Abort(str(exc)) from None


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
    """List the rules ccv checks, or explain one: ccv rules CCV201.

    \b
    Examples:
      ccv rules                      # id, severity, name and summary of every rule
      ccv rules CCV201               # what it checks, why, how to fix it, examples
      ccv rules --format json        # the catalog as data
      ccv rules --format markdown    # the reference, docs/rules.md
    """
    from validator.rules.docs import rule_text, rules_markdown
    from validator.rules.registry import all_rules, get_rule

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
            click.echo(f"{r.id}  {r.severity:<7}  {r.name:<{width}}  {r.summary}")


@cli.command(context_settings=CONTEXT)
@click.argument("which", type=click.Choice(["topology", "report"]), default="topology")
def schema(which: str) -> None:
    """Print the JSON schema of the topology format (or of the JSON report).

    \b
    Editors complete and explain plans with it; put this first in a YAML plan:
      # yaml-language-server: $schema=./topology.schema.json

    \b
    Examples:
      ccv schema > topology.schema.json
      ccv schema report > report.schema.json    # the shape of --format json
    """
    from validator.schema import report_schema_text, topology_schema_text

    click.echo(topology_schema_text() if which == "topology" else report_schema_text(), nl=False)


def _leave(code: object) -> NoReturn:
    """End the process with ``code`` (a SystemExit code) once the output is flushed,
    without tearing down the objects still alive: freeing a million-range plan object by
    object costs about a second and changes nothing the user sees."""
    if code is None:
        status = EXIT_OK
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: what Python itself exits with then
            status = 120
    os._exit(status)


def main() -> None:
    """The ``ccv`` command line: no traceback ever reaches the user. Ends by raising
    SystemExit with the exit status (callers in Python may catch it)."""
    try:
        cli.main(prog_name="ccv", standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # an internal failure: one line, exit 2 (SPEC §5)
        from validator.redaction import seen_secrets

        message = seen_secrets()(f"{type(exc).__name__}: {exc}")
        click.echo(f"ccv: internal error: {message}", err=True)
        sys.exit(EXIT_USAGE)


def run() -> NoReturn:
    """Entry point of the ``ccv`` console script and ``python -m validator``: :func:`main`,
    then the process ends at once with its exit status (see :func:`_leave`)."""
    global _ALIVE
    _ALIVE = []
    try:
        main()
    except SystemExit as done:
        _leave(done.code)
    _leave(EXIT_OK)
