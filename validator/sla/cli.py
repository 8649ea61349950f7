"""``ccv sla``: the service agreement's SLA arithmetic as commands.

Options in, a typed result built by :mod:`validator.sla.results`, rendered by
:mod:`validator.sla.render`. Only here is the clock read (``budget`` without
``--month`` means the current month) and are errors turned into exit status 2.
The main CLI adds this group with ``cli.add_command(sla)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import click

from validator.sla import render, results, tables
from validator.sla.errors import SlaInputError
from validator.sla.records import parse_decimal, parse_month, parse_service_start

# --- option helpers -----------------------------------------------------------------


def _format_option(func: Callable) -> Callable:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Output format. json is deterministic (fixed key order, 2-space indent).",
    )(func)


def _tier_option(func: Callable) -> Callable:
    return click.option(
        "--tier",
        "tier_id",
        required=True,
        type=click.Choice(tables.tier_ids()),
        help="Protection tier: single-unprotected (99.5), single-protected (99.9), "
        "dual-protected (99.95) or highest (99.99). Example: --tier dual-protected",
    )(func)


def _month_callback(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        return parse_month(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _decimal_callback(
    what: str,
    low: Decimal | None = None,
    high: Decimal | None = None,
    *,
    above: Decimal | None = None,
):
    def callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Decimal | None:
        if value is None:
            return None
        try:
            number = parse_decimal(value, what, low=low)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        if above is not None and number <= above:
            raise click.BadParameter(f"{what} {value!r} must be greater than {above}")
        if high is not None and number > high:
            raise click.BadParameter(f"{what} {value!r} must be at most {high}")
        return number

    return callback


def _service_start_callback(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_service_start(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


_FILE = click.Path(exists=True, dir_okay=False, readable=True, allow_dash=True, path_type=Path)
"""A records or plan file; ``-`` reads standard input (``ping … | ccv sla measure -``)."""


class _Failure(click.ClickException):
    """Bad input, one line on standard error, exit status 2."""

    exit_code = 2


@contextmanager
def _input_errors() -> Iterator[None]:
    """SlaInputError (a file or value that cannot be used) -> one line, exit 2."""
    try:
        yield
    except SlaInputError as exc:
        raise _Failure(str(exc)) from None


def _emit(fmt: str, data: object, text: Callable[[object], str], to_json: Callable) -> None:
    click.echo(render.to_json(to_json(data)) if fmt == "json" else text(data))


# --- the group ----------------------------------------------------------------------


@click.group(name="sla")
def sla() -> None:
    """The service agreement's SLA arithmetic: downtime budgets, credits, latency and
    loss classes, monthly figures from outage and probe records.

    Every figure comes from the agreement's SLA annex (validator/data/sla.yaml cites the
    clause of each). Months are calendar months in UTC.

    \b
    Examples:
      ccv sla budget --tier single-protected --month 2026-02
      ccv sla credit --tier dual-protected --availability 99.93
      ccv sla credit --tier single-protected --outages outages.csv --month 2026-02
      ccv sla classify --committed-latency 32 --measured-latency 36.1 --measured-loss 0.4
      ccv sla measure probes.csv --topology plan.yaml
    """


@sla.command()
@_tier_option
@click.option(
    "--month",
    callback=_month_callback,
    metavar="YYYY-MM",
    help="Calendar month (UTC) to compute for; default: the current month. "
    "Example: --month 2024-02 (a leap February: 29 days).",
)
@_format_option
def budget(tier_id: str, month: tuple[int, int] | None, fmt: str) -> None:
    """Allowed downtime of a tier in a month, and the downtime range of each credit band.

    Budget = minutes of the month × (100 − committed availability) / 100, computed from
    the real month length (the annex's hour figures are rounded, for reference only).

    \b
    Example:
      ccv sla budget --tier single-protected --month 2026-03
      → 44.64 min (0:44) in a 31-day month
    """
    if month is None:
        now = datetime.now(UTC)
        month = (now.year, now.month)
    _emit(fmt, results.tier_budget(tier_id, *month), render.budget_text, render.budget_json)


# --- credit -------------------------------------------------------------------------


@sla.command()
@_tier_option
@click.option(
    "--availability",
    metavar="PERCENT",
    callback=_decimal_callback("availability", Decimal(0), Decimal(100)),
    help="Measured monthly availability in percent, read exactly (99.5 is in the 0% band "
    "of single-unprotected, 99.4999 in the 5% band). Example: --availability 99.93",
)
@click.option(
    "--outages",
    type=_FILE,
    metavar="FILE",
    help="Outage records, CSV with header site,start,end,cause or a JSON list of such "
    "objects; times ISO 8601 with offset or Z. Causes maintenance, force-majeure, customer, "
    "customer-upgrade, suspension, third-party are excluded (annex art. 2.3). "
    "Example: --outages outages.csv --month 2026-02",
)
@click.option(
    "--month",
    callback=_month_callback,
    metavar="YYYY-MM",
    help="With --outages (required there): the calendar month (UTC) to assess. "
    "Outages are clipped to it. Example: --month 2026-02",
)
@click.option(
    "--service-start",
    callback=_service_start_callback,
    metavar="DATE",
    help="With --outages: the service start date; when inside the month, the service "
    "period (and the availability denominator) starts there. YYYY-MM-DD means midnight "
    "UTC; a date-time needs an offset. Example: --service-start 2026-02-10",
)
@click.option(
    "--monthly-fee",
    callback=_decimal_callback("monthly fee", Decimal(0)),
    metavar="AMOUNT",
    help="Monthly fee of one site, in any currency; the credit amount is shown, rounded "
    "half-up to 0.01. Example: --monthly-fee 1200",
)
@_format_option
def credit(
    tier_id: str,
    availability: Decimal | None,
    outages: Path | None,
    month: tuple[int, int] | None,
    service_start: datetime | None,
    monthly_fee: Decimal | None,
    fmt: str,
) -> None:
    """Credit band and percentage for a measured availability, or per site from outages.

    Give either --availability, or --outages with --month. From outages: per site,
    overlapping outages count once, outages are clipped to the month (and the service
    start), excluded causes are listed apart, the band is decided on the exact
    availability, and the credit is capped at 20% per site per month (annex art. 2.4).
    The highest tier has no published credit table: the credit is per the specific
    agreement.

    \b
    Examples:
      ccv sla credit --tier single-unprotected --availability 99.4999
      ccv sla credit --tier single-protected --outages outages.csv --month 2026-02 \\
          --service-start 2026-02-10 --monthly-fee 1200
    """
    if (availability is None) == (outages is None):
        raise click.UsageError("give exactly one of --availability PERCENT or --outages FILE")
    if availability is not None:
        if month is not None or service_start is not None:
            raise click.UsageError(
                "--month and --service-start go with --outages, not --availability"
            )
        found = results.availability_credit(tier_id, availability, monthly_fee)
        _emit(fmt, found, render.availability_credit_text, render.availability_credit_json)
        return
    if month is None:
        raise click.UsageError("--outages needs --month YYYY-MM (the month to assess)")
    assert outages is not None
    try:
        with _input_errors():
            found = results.outage_credit(tier_id, outages, month, service_start, monthly_fee)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--service-start") from None
    _emit(fmt, found, render.outage_credit_text, render.outage_credit_json)


# --- classify -----------------------------------------------------------------------


@sla.command()
@click.option(
    "--committed-latency",
    metavar="MS",
    callback=_decimal_callback("committed latency", above=Decimal(0)),
    help="The PoP-PoP latency the carrier commits, in ms (with --measured-latency). "
    "Example: --committed-latency 32",
)
@click.option(
    "--measured-latency",
    metavar="MS",
    callback=_decimal_callback("measured latency", Decimal(0)),
    help="Monthly average PoP-PoP latency measured, in ms. Example: --measured-latency 36.1",
)
@click.option(
    "--measured-loss",
    metavar="PERCENT",
    callback=_decimal_callback("measured loss", Decimal(0), Decimal(100)),
    help="Monthly average PoP-PoP packet loss, in percent (1 = 1%). Example: --measured-loss 0.4",
)
@_format_option
def classify(
    committed_latency: Decimal | None,
    measured_latency: Decimal | None,
    measured_loss: Decimal | None,
    fmt: str,
) -> None:
    """Latency class and packet-loss class of monthly averages (annex art. 2.2(2), (3)).

    Latency: excess over the commitment ≤ 10% normal, (10, 20] degraded, (20, 30]
    deteriorated, > 30 severely deteriorated. Loss: ≤ 1% meets the commitment, above it
    is degraded. Give the latency pair, the loss, or both.

    \b
    Example:
      ccv sla classify --committed-latency 32 --measured-latency 36 --measured-loss 1.2
      → latency +12.5%: degraded; loss 1.2%: degraded
    """
    if (committed_latency is None) != (measured_latency is None):
        raise click.UsageError("--committed-latency and --measured-latency go together")
    if committed_latency is None and measured_loss is None:
        raise click.UsageError(
            "give --committed-latency MS --measured-latency MS, --measured-loss PERCENT, or both"
        )
    latency = None
    if committed_latency is not None and measured_latency is not None:
        latency = results.latency_figures(committed_latency, measured_latency)
    loss = None if measured_loss is None else results.loss_figures(measured_loss)
    if fmt == "json":
        click.echo(render.to_json(render.classify_json(latency, loss)))
    else:
        click.echo(render.classify_text(latency, loss))


# --- measure ------------------------------------------------------------------------


@sla.command()
@click.argument("probes", type=_FILE, metavar="FILE")
@click.option(
    "--topology",
    type=_FILE,
    metavar="PLAN",
    help="Topology plan (YAML/JSON, SPEC §2); each pair's latency is classified against "
    "the latency_ms of the backbone link joining the two POPs (the smallest when several "
    "do). Example: --topology plan.yaml",
)
@click.option(
    "--month",
    callback=_month_callback,
    metavar="YYYY-MM",
    help="Only this calendar month (UTC); default: every month the records cover. "
    "Example: --month 2026-02",
)
@_format_option
def measure(probes: Path, topology: Path | None, month: tuple[int, int] | None, fmt: str) -> None:
    """Monthly PoP-PoP latency and loss per POP pair from raw probe records.

    FILE ('-': standard input) is CSV with header
    timestamp,pop_a,pop_b,size,sent,received,rtt_ms[,rtt_max_ms]: one row per packet
    (sent=1, received 0/1, rtt_ms of the reply) or per ping run of one size (sent=100,
    received=replies, rtt_ms=mean RTT of the replies, as ping's summary prints). A reply
    over 2000 ms counts as lost. Rows are grouped into runs by POP pair (either order) and
    30-minute slot; a run's figure is the mean over the sizes 64, 128, 512; the month's is
    the mean over its runs. Runs seen and expected are reported.

    \b
    Examples:
      ccv sla measure examples/sla/probes.csv --topology examples/sla/plan.yaml
      (echo timestamp,pop_a,pop_b,size,sent,received,rtt_ms,rtt_max_ms
       ping -n -q -c 100 -s 36 sin1.example | examples/sla/ping-to-csv.sh HKG1 SIN1 64
      ) | ccv sla measure -                   # '-' reads standard input
    """
    if probes == Path("-") and topology == Path("-"):
        raise click.UsageError("FILE and --topology cannot both read standard input ('-')")
    with _input_errors():
        found = results.measurement(probes, topology, month)
    _emit(fmt, found, render.measurement_text, render.measurement_json)
