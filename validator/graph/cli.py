"""``ccv graph FILE --format mermaid|dot``: the planned topology with tiers and SPOFs marked.

The integrator registers it: ``cli.add_command(validator.graph.cli.graph)``.
"""

from __future__ import annotations

import click

from validator.config import ConfigError, Settings
from validator.engine import check_documents
from validator.graph.render import RENDERERS
from validator.load.document import InputError, load_document
from validator.load.limits import DEFAULT_LIMITS, LIMIT_NAMES, parse_limit_option
from validator.load.terraform import FORMAT as TERRAFORM
from validator.output import OutputError, refuse_inputs, write_text


@click.command(name="graph")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    default="mermaid",
    show_default=True,
    help="mermaid (renders on GitHub as is) or dot (Graphviz: dot -Tpng).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Write the graph to this file instead of standard output.",
)
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=N",
    help=f"A limit on what the input may hold ({', '.join(LIMIT_NAMES)}), as for ccv validate.",
)
def graph(file: str, fmt: str, output: str, limits: tuple[str, ...]) -> None:
    """Draw the planned topology: sites labelled with their tier, POPs, lines and
    backbone links; single points of failure and over-capacity links highlighted.

    Exit status: 0 drawn; 1 the plan has input errors (CCV100–CCV103) to fix first;
    2 the file cannot be read, or is a Terraform plan (nothing to draw).

    \b
    Examples:
      ccv graph examples/three-clouds.yaml                  # Mermaid, for a README or PR
      ccv graph examples/three-clouds.yaml -o plan.mmd
      ccv graph --format dot examples/three-clouds.yaml | dot -Tsvg -o plan.svg
    """
    try:
        refuse_inputs(output, [file])
        bounds = DEFAULT_LIMITS.with_values(dict(parse_limit_option(v) for v in limits))
        document = load_document(file, limits=bounds)
        found = check_documents([document], Settings())
    except (InputError, ConfigError, OutputError, ValueError) as error:
        click.echo(f"ccv: {error}", err=True)
        raise SystemExit(2) from None
    if found.analysis is None and document.format == TERRAFORM:
        click.echo(
            f"ccv: {document.name}: a Terraform plan has no POPs, backbone or access lines to "
            "draw; draw the carrier topology that claims its networks (docs/terraform.md)",
            err=True,
        )
        raise SystemExit(2)
    if found.analysis is None:
        click.echo(
            f"{document.name}: the plan has input errors (CCV100–CCV103); "
            f"run `ccv validate {file}` and fix them first",
            err=True,
        )
        raise SystemExit(1)
    text = RENDERERS[fmt](found.analysis)
    if output == "-":
        click.echo(text, nl=False)
        return
    try:
        write_text(output, text)
    except OutputError as error:
        click.echo(f"ccv: {error}", err=True)
        raise SystemExit(2) from None
