"""``ccv graph FILE --format mermaid|dot``: the planned topology with tiers and SPOFs marked.

The integrator registers it: ``cli.add_command(validator.graph.cli.graph)``.
"""

from __future__ import annotations

import click

from validator.config import ConfigError, Settings
from validator.engine import check_documents
from validator.graph.render import RENDERERS
from validator.load.document import InputError, load_document
from validator.load.terraform import FORMAT as TERRAFORM


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
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    help="Write the graph to this file instead of standard output.",
)
def graph(file: str, fmt: str, output: str) -> None:
    """Draw the planned topology: sites labelled with their tier, POPs, lines and
    backbone links; single points of failure and over-capacity links highlighted."""
    try:
        document = load_document(file)
        found = check_documents([document], Settings())
    except (InputError, ConfigError) as error:
        click.echo(f"ccv graph: {error}", err=True)
        raise SystemExit(2) from None
    if found.analysis is None and document.format == TERRAFORM:
        click.echo(
            f"{document.name}: a Terraform plan has no POPs, backbone or access lines to "
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
    with click.open_file(output, "w", encoding="utf-8") as stream:
        stream.write(text)
