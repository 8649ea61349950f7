"""``ccv fix``: print, write or copy the fixes of a topology file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command(name="fix", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=False))
@click.option(
    "--write",
    "-w",
    is_flag=True,
    help="Rewrite FILE in place (atomically) with the fixes applied; comments, key order, "
    "quoting and indentation stay as written.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the fixed plan to this file instead (FILE is left alone).",
)
@click.option(
    "--input-format",
    type=click.Choice(["auto", "yaml", "json"]),
    default="auto",
    show_default=True,
    help="How to read FILE; auto goes by the file name, then by the first character.",
)
@click.option("--ignore", multiple=True, metavar="ID", help="Ignore a rule (repeatable).")
@click.option(
    "--severity", multiple=True, metavar="ID=LEVEL", help="Change a rule's severity (repeatable)."
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Exit 1 when findings at or above this severity remain.  [default: error]",
)
@click.option("--config", type=click.Path(dir_okay=False), help="Settings file (as for validate).")
@click.option("--quiet", "-q", is_flag=True, help="Print no diff, only the summary line.")
def fix(file, write, output, input_format, ignore, severity, fail_on, config, quiet) -> None:
    """Apply the fixes ccv's findings carry to the topology FILE.

    Prints the change as a unified diff. Only findings whose remedy is one definite
    change carry a fix (a free range, VLAN, ASN or peering subnet chosen so that the
    plan stays valid, a host-bits range written as its network, ...); each is applied
    in document order, a fix touching what an earlier one changed waits for the next
    round, and the plan is checked again after each round while new fixes appear (at
    most 5 rounds). FILE is never changed without --write.

    \b
    Exit status: 0 no finding at or above --fail-on remains; 1 findings remain (the
    summary on standard error says how many, and how many fixes were applied);
    2 FILE could not be read or is not YAML/JSON, or bad options.

    \b
    Examples:
      ccv fix plan.yaml                 # show the diff
      ccv fix plan.yaml | git apply     # apply it as a patch
      ccv fix --write plan.yaml         # rewrite plan.yaml in place
      ccv fix -o fixed.yaml plan.yaml   # write a fixed copy
    """
    from validator.cli import EXIT_FINDINGS, EXIT_OK, Abort, _settings
    from validator.config import ConfigError
    from validator.fixes.apply import fix_text
    from validator.load.document import InputError, decode_text, load_bytes
    from validator.output import OutputError, refuse_inputs, write_text

    if write and output:
        raise Abort("use either --write or --output, not both")
    try:
        settings = _settings(config, ignore, severity, fail_on)
        path = Path(file)
        if write and path.exists() and not path.is_dir() and not path.resolve().is_file():
            # a pipe or a device cannot be replaced, and what was read from it is gone
            raise InputError(f"{file}: --write needs a regular file; use -o to write elsewhere")
        raw = load_bytes(file, settings.limits.input_bytes)  # bounded, as validate reads
        if output and Path(output).resolve() == path.resolve():
            raise ConfigError(f"--output {output} is FILE itself; use --write to change FILE")
        # another name of FILE (a hard link), standard input, the config file
        refuse_inputs(output, [file, *([settings.source] if settings.source else [])])
        text = decode_text(file, raw)
        outcome = fix_text(file, text, settings, input_format)
    except (InputError, ConfigError, OutputError) as exc:
        raise Abort(str(exc)) from None
    if not quiet and outcome.changed:
        click.echo(outcome.diff(file), nl=False)
    try:  # a regular file is replaced at once, keeping its permissions; a pipe is written
        if write and outcome.changed:
            write_text(file, outcome.text, "the fixed plan")
        elif output:
            write_text(output, outcome.text, "the fixed plan")
    except OutputError as exc:
        raise Abort(str(exc)) from None
    report = outcome.report
    counts = report.summary if report else {"error": 0, "warning": 0, "info": 0}
    where = (
        " (written)" if write and outcome.changed else f" (written to {output})" if output else ""
    )
    rounds = (
        f" in {outcome.rounds} round{'s' if outcome.rounds != 1 else ''}" if outcome.rounds else ""
    )
    click.echo(
        f"ccv fix: {len(outcome.applied)} fix{'es' if len(outcome.applied) != 1 else ''} "
        f"applied{rounds}{where}; remaining: {counts['error']} errors, {counts['warning']} "
        f"warnings, {counts['info']} info (`ccv validate` explains them)",
        err=True,
    )
    failing = report is not None and report.fails(settings.fail_on)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)
