"""Matrix and mention exports as generators of text chunks: CSV, Markdown and JSON.

Every export is a generator so views stream it (StreamingHttpResponse) and the command writes it
chunk by chunk; the mention exports read the database with `.iterator()`, so a segment of any size
never sits in memory whole. The matrix exports print the labels the page shows (`MatrixRow`
properties), so the numbers are the same everywhere.
"""

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F

from insights.decision_selectors import segment_pricing, segment_saturation
from insights.matrix import CELLS, Matrix, evidence_ids, interview_lookups, segment_matrix
from insights.models import MentionKind, Theme
from insights.quotes import QuoteContext, quote_contexts, row_quotes
from insights.selectors import mention_as_dict, mention_export_rows, mentions_counting
from interviews.models import Interview, Segment

FORMATS = ("json", "csv", "md")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}
BOM = "\ufeff"  # lets Excel open UTF-8 CSV with accents intact
# Spreadsheet apps run cells starting with these as formulas (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MENTION_CHUNK = 2000
# Up to this many evidence ids go to the database as `id IN (...)`; past it the export reads the
# segment's mentions and keeps those ids (SQLite caps a statement's parameters).
EVIDENCE_IDS_IN_SQL = 900
THEMES_LISTED = 20

MATRIX_CSV_COLUMNS = [
    "rank", "theme", "theme_key", "frequency", "interviews", "segment_interviews", "frequency_pct",
    "severity", "hours_per_week_median", "hours_n", "yearly_cost_usd", "risk_max", "risk_currency",
    "consequence", "workaround", "workaround_interviews", "other_workarounds",
    "wtp_month_median", "wtp_month_min", "wtp_month_max", "wtp_n", "wtp_monthly_n", "wtp_once",
    "wtp_refused", "wtp_currency", "quotes", "unreviewed", "score",
    # Appended last, so that readers of the earlier columns by position are not thrown off.
    "cells", "unreviewed_cells",
]  # fmt: skip
MENTION_CSV_COLUMNS = [
    "interview", "kind", "theme", "theme_name", "about_key", "severity", "quote", "field", "start", "end",
    "hours_per_week", "wtp_min", "wtp_max", "wtp_period", "currency", "risk_amount", "refused",
    "source", "review_status", "extractor_version",
    # Appended last: true when a re-import took the quote out of the text (start/end are then stale).
    "quote_missing",
]  # fmt: skip


@dataclass(frozen=True)
class Filters:
    usage: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.usage or self.date_from or self.date_to)


@dataclass(frozen=True)
class Selection:
    """Which mentions a mentions export holds, beyond the interview filters.

    `theme`: the id of a pain theme that is a matrix row; the export then holds exactly the mentions
    behind that row's "N quotes" (`insights.matrix.evidence_ids`: its pains, merged themes included,
    and the time, risk, workaround and WTP mentions the matrix attributes to it), and with `kind`
    only those behind that evidence cell (the risk cell also holds pains, time and WTP mentions that
    state a risk amount). Without `theme`, `kind` keeps the mentions of that kind.
    """

    theme: int | None = None
    kind: str | None = None

    @property
    def active(self) -> bool:
        return self.theme is not None or self.kind is not None


class SelectionError(ValueError):
    """A bad `theme` or `kind`: `param` names it, the message says what is allowed."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


MENTIONS_TRUE = ("1", "true", "yes", "on")
MENTIONS_FALSE = ("0", "false", "no", "off")


def mentions_flag(value: str | None) -> bool:
    """The `mentions` parameter of the page and the API: absent or blank is the matrix.

    Any other spelling than these (case-insensitive) is a SelectionError naming `mentions`, never
    a silent fallback to the matrix.
    """
    text = (value or "").strip().lower()
    if text in ("", *MENTIONS_FALSE):
        return False
    if text in MENTIONS_TRUE:
        return True
    allowed = "/".join(MENTIONS_TRUE) + " or " + "/".join(MENTIONS_FALSE)
    raise SelectionError("mentions", f"{value!r} is not a yes or no; use {allowed}.")


def mention_selection(
    *, segment: Segment, theme: str | int | None, kind: str | None, mentions: bool, fmt: str
) -> Selection:
    """Check `theme` and `kind` as the page, the API and the command take them (text or None)."""
    theme = None if theme in (None, "") else theme
    kind = kind or None
    if theme is None and kind is None:
        return Selection()
    param = "theme" if theme is not None else "kind"
    if not mentions:
        raise SelectionError(param, "theme and kind filter the mentions export only (mentions=1; --mentions).")
    if fmt == "json":
        raise SelectionError(
            param, "theme and kind filter the CSV and Markdown mentions exports; the JSON one is whole interviews."
        )
    theme_id: int | None = None
    if theme is not None:
        try:
            theme_id = int(str(theme))
        except ValueError:
            raise SelectionError("theme", f"{theme!r} is not a theme id; {_theme_hint(segment)}") from None
        found = Theme.objects.filter(segment=segment, pk=theme_id).first()
        if found is None:
            raise SelectionError("theme", f"No theme {theme_id} in segment {segment.slug!r}; {_theme_hint(segment)}")
        if found.kind != MentionKind.PAIN:
            raise SelectionError(
                "theme", f"Theme {theme_id} is a {found.kind} theme, not a matrix row; {_theme_hint(segment)}"
            )
        if found.merged_into_id is not None:
            raise SelectionError(
                "theme", f"Theme {theme_id} was merged into theme {found.merged_into_id}; use {found.merged_into_id}."
            )
    if kind is not None:
        if kind not in MentionKind.values:
            raise SelectionError("kind", f"Unknown kind {kind!r}; use one of {', '.join(MentionKind.values)}.")
        if theme_id is not None and kind not in CELLS:
            raise SelectionError(
                "kind", f"With theme, kind is one of the row's evidence cells: {', '.join(CELLS)}; not {kind!r}."
            )
    return Selection(theme=theme_id, kind=kind)


def query_selection(*, segment: Segment, params: Mapping[str, Any], fmt: str) -> tuple[bool, Selection]:
    """`mentions`, `theme` and `kind` as the page and the API take them, from a query string.

    Raises SelectionError naming the bad parameter; the caller turns it into its own 400.
    """
    mentions = mentions_flag(params.get("mentions"))
    selection = mention_selection(
        segment=segment, theme=params.get("theme"), kind=params.get("kind"), mentions=mentions, fmt=fmt
    )
    return mentions, selection


def _theme_hint(segment: Segment) -> str:
    """The allowed values of `theme`: the segment's pain themes that are not merged away."""
    pains = Theme.objects.filter(segment=segment, kind=MentionKind.PAIN, merged_into=None).order_by("name")
    allowed = ", ".join(f"{pk} ({name})" for pk, name in pains.values_list("id", "name")[:THEMES_LISTED])
    more = pains.count() - THEMES_LISTED
    allowed = (allowed or "none yet") + (f" and {more} more" if more > 0 else "")
    return f"use the id of a pain theme of segment {segment.slug!r}: {allowed}."


@dataclass(frozen=True)
class Export:
    chunks: Iterator[str]
    content_type: str
    filename: str


def export_segment(
    *,
    segment: Segment,
    fmt: str,
    filters: Filters,
    mentions: bool = False,
    bom: bool = True,
    selection: Selection = Selection(),
) -> Export:
    """The one entry point for the page, the API and the command.

    `selection` (checked by `mention_selection`) narrows the CSV and Markdown mentions exports.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if selection.active and (not mentions or fmt == "json"):
        raise ValueError("theme and kind filter the CSV and Markdown mentions exports only.")
    name = f"{segment.slug}-{'mentions' if mentions else 'matrix'}{_selection_suffix(selection)}.{fmt}"
    if mentions:
        chunks = {
            "csv": lambda: mentions_csv(segment=segment, filters=filters, bom=bom, selection=selection),
            "md": lambda: mentions_markdown(segment=segment, filters=filters, selection=selection),
            "json": lambda: mentions_json(segment=segment, filters=filters),
        }[fmt]()
    else:
        # JSON carries each interview's hours and risk figure with the theme it went to.
        matrix = segment_matrix(segment=segment, **vars(filters), with_figures=fmt == "json")
        chunks = {
            "csv": lambda: matrix_csv(matrix, bom=bom),
            "md": lambda: matrix_markdown(matrix, quotes=markdown_quotes(matrix)),
            "json": lambda: matrix_json(matrix, decisions=decisions_as_dict(segment=segment)),
        }[fmt]()
    return Export(chunks=chunks, content_type=CONTENT_TYPES[fmt], filename=name)


def _selection_suffix(selection: Selection) -> str:
    return (f"-theme{selection.theme}" if selection.theme is not None else "") + (
        f"-{selection.kind}" if selection.kind else ""
    )


# --- CSV -------------------------------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """Prefix a quote to text a spreadsheet would run as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Line:
    """csv.writer target that hands the formatted line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterable[list[Any]], *, bom: bool) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield (BOM if bom else "") + writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise("" if v is None else v) for v in row])


def matrix_csv(matrix: Matrix, *, bom: bool = True) -> Iterator[str]:
    def rows() -> Iterator[list[Any]]:
        for rank, r in enumerate(matrix.rows, 1):
            w = r.wtp
            yield [
                rank, r.name, r.key, r.frequency, r.interviews, r.total_interviews, r.frequency_pct,
                r.severity_label, r.hours_median, r.hours_n, r.yearly_cost, r.risk_max,
                r.risk_currency if r.risk_max is not None else "", r.consequence,
                r.workaround.name if r.workaround else "", r.workaround.interviews if r.workaround else "",
                "; ".join(f"{o.name} ({o.interviews})" for o in r.other_workarounds),
                w.median, w.min, w.max, w.n, w.monthly, w.once, w.refused, w.currency if w.n else "",
                r.quotes, r.unreviewed, r.score, r.cells, r.unreviewed_cells,
            ]  # fmt: skip

    return _csv_lines(MATRIX_CSV_COLUMNS, rows(), bom=bom)


def _mentions(*, segment: Segment, filters: Filters, selection: Selection = Selection()) -> Iterator[Any]:
    """Counting mentions of the filtered interviews (and `selection`), read from the database in chunks."""
    qs = mentions_counting(segment=segment).filter(**interview_lookups(**vars(filters), prefix="interview__"))
    # The interview's id column only, not the interview row with its long answers.
    qs = qs.select_related("theme").annotate(interview_external_id=F("interview__external_id"))
    ids: set[int] | None = None
    if selection.theme is not None:
        # The matrix's own attribution: the mentions behind the row's (or the cell's) number.
        ids = evidence_ids(segment=segment, theme_id=selection.theme, cell=selection.kind, **vars(filters))
        if len(ids) <= EVIDENCE_IDS_IN_SQL:
            qs, ids = qs.filter(id__in=ids), None
        elif selection.kind in CELLS and selection.kind != MentionKind.RISK:
            qs = qs.filter(kind=selection.kind)  # a cell of one kind (the risk cell holds other kinds too)
    elif selection.kind is not None:
        qs = qs.filter(kind=selection.kind)
    rows = qs.order_by("interview_id", "field", "start", "id").iterator(chunk_size=MENTION_CHUNK)
    return rows if ids is None else (m for m in rows if m.id in ids)


def _mention_row(m: Any) -> dict[str, Any]:
    return {"interview": m.interview_external_id or str(m.interview_id), "about_key": m.about_key, **mention_as_dict(m)}


def mentions_csv(
    *, segment: Segment, filters: Filters, bom: bool = True, selection: Selection = Selection()
) -> Iterator[str]:
    """One row per counting mention; `source` and `review_status` tell machine from reviewer."""
    dicts = map(_mention_row, _mentions(segment=segment, filters=filters, selection=selection))
    rows = ([row[c] for c in MENTION_CSV_COLUMNS] for row in dicts)
    return _csv_lines(MENTION_CSV_COLUMNS, rows, bom=bom)


# --- Markdown --------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|") or "—"


def _table_line(cells: Iterable[Any]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |\n"


MARKDOWN_QUOTES_PER_ROW = 2


def matrix_markdown(matrix: Matrix, *, quotes: Mapping[int, list[QuoteContext]] | None = None) -> Iterator[str]:
    """What goes into a PRD: the top-3 line, the table without internal columns (quote counts, score:
    those are in the CSV), then each row's representative quotes (`quotes`: theme id -> quotes)
    with who said them; a closing note says what the figures rest on and how far review got."""
    yield matrix.top.line + "\n\n"
    header = [
        "#", "Pain point", "Frequency", "Severity", "Impact on business", "Current workaround", "Willingness to pay",
    ]  # fmt: skip
    yield _table_line(header)
    yield "|" + "|".join("---" for _ in header) + "|\n"
    for rank, r in enumerate(matrix.rows, 1):
        cells = [r.name, r.frequency, r.severity_label, r.impact_label, r.workaround_label, r.wtp_label]
        yield _table_line([rank, *cells])
    if quotes is not None and matrix.rows:
        yield "\n### What interviewees said\n\n"
        for rank, r in enumerate(matrix.rows, 1):
            yield f"**{rank}. {_cell(r.name)}**\n\n"
            said = quotes.get(r.theme_id) or []
            for q in said:
                yield f"> {_quote_line(q)}\n\n"
            if not said:
                yield "_No quote yet._\n\n"
    yield ("" if quotes is not None and matrix.rows else "\n") + _filters_note(matrix) + "\n"


def _quote_line(q: QuoteContext) -> str:
    return " ".join(q.cite.split())


def markdown_quotes(matrix: Matrix, *, n: int = MARKDOWN_QUOTES_PER_ROW) -> dict[int, list[QuoteContext]]:
    """Each row's representative pain quotes, read in one go for the whole matrix."""
    contexts = quote_contexts(mention_ids=(q.mention_id for r in matrix.rows for q in r.evidence.pain.quotes))
    return {r.theme_id: row_quotes(r, contexts, n=n) for r in matrix.rows}


def _filters_note(matrix: Matrix) -> str:
    parts = [f"{matrix.interviews} interviews in {matrix.segment_name}"]
    if matrix.usage:
        parts.append(f"interviewee type {matrix.usage}")
    if matrix.date_from or matrix.date_to:
        parts.append(f"interviewed {matrix.date_from or '…'} to {matrix.date_to or '…'}")
    parts.append(f"$ impact = hours x ${matrix.hourly_cost}/h x {matrix.weeks_per_year} weeks/yr (USD)")
    parts.append(
        "willingness to pay and risk in the currency interviewees stated, never converted: "
        "a row names the figures in other currencies it leaves out"
    )
    parts.append("rows ordered by frequency x severity (Low 1 … Very high 4)")
    parts.append(matrix.review_line.rstrip("."))
    return "_" + "; ".join(parts) + "._"


def mentions_markdown(*, segment: Segment, filters: Filters, selection: Selection = Selection()) -> Iterator[str]:
    header = ["Interview", "Kind", "Theme", "Severity", "Quote", "Figures", "Source", "Status"]
    yield f"# Mentions — {segment.name}\n\n"
    yield _table_line(header)
    yield "|" + "|".join("---" for _ in header) + "|\n"
    for m in _mentions(segment=segment, filters=filters, selection=selection):
        row = _mention_row(m)
        yield _table_line(
            [row["interview"], row["kind"], row["theme"], row["severity"], row["quote"], _figures(row),
             _source(row), row["review_status"]]
        )  # fmt: skip


def _source(row: dict[str, Any]) -> str:
    return f"{row['source']} (quote no longer in the interview)" if row["quote_missing"] else row["source"]


def _figures(row: dict[str, Any]) -> str:
    parts = []
    if row["hours_per_week"] is not None:
        parts.append(f"{row['hours_per_week']:g} h/week")
    if row["kind"] == MentionKind.WTP:
        if row["refused"]:
            parts.append("refused")
        elif row["wtp_min"] is not None:
            hi = f"-{row['wtp_max']:g}" if row["wtp_max"] not in (None, row["wtp_min"]) else ""
            parts.append(f"{row['currency'] or 'USD'} {row['wtp_min']:g}{hi} {row['wtp_period'] or 'month'}")
    if row["risk_amount"] is not None:
        parts.append(f"risk {row['currency'] or 'USD'} {row['risk_amount']:g}")
    return ", ".join(parts)


# --- JSON ------------------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def matrix_as_dict(matrix: Matrix) -> dict[str, Any]:
    """The dataclasses as dicts, plus the labels the page shows for each row."""
    data = asdict(matrix)
    data["summary"] = matrix.top.line
    data["review_summary"] = matrix.review_line
    for row, out in zip(matrix.rows, data["rows"], strict=True):
        out["cells"] = row.cells
        out["unreviewed_cells"] = row.unreviewed_cells
        out["frequency"] = row.frequency
        out["frequency_ratio"] = round(row.frequency_ratio, 4)
        out["labels"] = {
            "severity": row.severity_label,
            "impact": row.impact_label,
            "workaround": row.workaround_label,
            "wtp": row.wtp_label,
        }
    return data


def _chunked(pieces: Iterable[str], size: int = 64 * 1024) -> Iterator[str]:
    buf: list[str] = []
    length = 0
    for piece in pieces:
        buf.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buf)
            buf, length = [], 0
    if buf:
        yield "".join(buf)


def decisions_as_dict(*, segment: Segment) -> dict[str, Any]:
    """The whole segment's saturation and price tiers, as the saturation and pricing pages show them
    (interviewee type and date filters do not apply: both are about the segment as a whole).

    `saturation`: `new_themes_per_interview` (analysed interviews in date order), `reached`, `window`.
    `price_tiers`: `{price_per_month, currency, seats_up_to, evidence_count}` each, empty when fewer
    than five interviewees stated a price; `warning` then says so (or names the currencies left out).
    """
    saturation = segment_saturation(segment=segment)
    tiers = segment_pricing(segment=segment).tiers
    return {
        "saturation": {
            "new_themes_per_interview": saturation.new_themes_per_interview,
            "reached": saturation.reached,
            "window": saturation.window,
            "interviews": saturation.interviews,
        },
        "price_tiers": [t.as_contract() for t in tiers.tiers],
        "warning": tiers.warning,
    }


def matrix_json(matrix: Matrix, *, decisions: Mapping[str, Any] | None = None) -> Iterator[str]:
    encoder = json.JSONEncoder(indent=1, default=_json_default, ensure_ascii=False)
    return _chunked(encoder.iterencode({**matrix_as_dict(matrix), **(decisions or {})}))


def mentions_json(*, segment: Segment, filters: Filters) -> Iterator[str]:
    """`{"interviews": [...]}` from `mention_export_rows`, streamed interview by interview.

    The text is exactly `json.dumps({"interviews": rows}, indent=1)`, the contract the evaluation
    script reads; it is only written out one interview at a time.
    """
    rows: Iterable[dict[str, Any]] = mention_export_rows(segment=segment)
    if filters.active:
        wanted = _display_ids(segment=segment, filters=filters)
        rows = (row for row in rows if row["id"] in wanted)
    yield '{\n "interviews": ['
    first = True
    for row in rows:
        body = json.dumps(row, indent=1).replace("\n", "\n  ")
        yield ("\n  " if first else ",\n  ") + body
        first = False
    yield ("]" if first else "\n ]") + "\n}"


def _display_ids(*, segment: Segment, filters: Filters) -> set[str]:
    qs = Interview.objects.filter(segment=segment, **interview_lookups(**vars(filters)))
    return {external_id or str(pk) for pk, external_id in qs.values_list("id", "external_id")}
