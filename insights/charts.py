"""Charts as inline SVG, drawn on the server: no script, no CDN, they print and render offline.

Each function takes the numbers a page already shows and returns the markup; every label goes
through `escape`, and each mark carries a <title> with its exact figure (a tooltip, and what a
screen reader says).
"""

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from insights.decisions import PricePoint, Saturation, Spread
from insights.matrix import money

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 40
INK, MUTED, ACCENT, GRID, GOOD, WARN = "#1d2433", "#5b6477", "#2f5bea", "#dde2ea", "#1b6b33", "#d99a00"


def nice_ceiling(value: float) -> float:
    """The next round number at or above value (1, 2, 5 x 10^k), so axis ticks read well."""
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _svg(body: list[str], *, label: str, css_class: str) -> SafeString:
    return mark_safe(  # every text part below is escaped
        f'<svg class="chart {css_class}" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="11">' + "".join(body) + "</svg>"
    )


def saturation_chart(saturation: Saturation) -> SafeString:
    """Bars: new pain themes each interview added; line: the themes found so far. The last `window`
    interviews are shaded (green when they added none)."""
    added = saturation.new_themes_per_interview
    total = saturation.cumulative
    n = len(added)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    # Whole-number ticks: themes are counted.
    step_size = max(1, int(nice_ceiling(max(total, default=0) / 4)))
    ticks = max(1, math.ceil(max(total, default=0) / step_size))
    top = step_size * ticks
    body: list[str] = []
    for i in range(ticks + 1):
        value = step_size * i
        y = TOP + plot_h - plot_h * i / ticks
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{value:g}</text>')
    if not n:
        body.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{MUTED}">'
            "No analysed interviews yet</text>"
        )
        return _svg(body, label="Saturation: no analysed interviews yet", css_class="saturation")
    step = plot_w / n
    y_of = lambda v: TOP + plot_h - plot_h * v / top  # noqa: E731
    window = min(saturation.window, n)
    shade = GOOD if saturation.reached else WARN
    body.append(
        f'<rect class="window" x="{LEFT + step * (n - window):.1f}" y="{TOP}" width="{step * window:.1f}" '
        f'height="{plot_h}" fill="{shade}" opacity="0.12"><title>Last {window} interviews</title></rect>'
    )
    bar_w = max(2.0, step * 0.5)
    for i, (count, interview) in enumerate(zip(added, saturation.interviews, strict=True)):
        x = LEFT + step * i + (step - bar_w) / 2
        y = y_of(count)
        body.append(
            f'<rect class="added" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{TOP + plot_h - y:.1f}" '
            f'fill="{ACCENT}" opacity="0.45"><title>{escape(interview)}: {count} new</title></rect>'
        )
        if n <= 30 or i % math.ceil(n / 30) == 0:
            body.append(
                f'<text x="{LEFT + step * (i + 0.5):.1f}" y="{TOP + plot_h + 14}" text-anchor="middle" '
                f'fill="{MUTED}">{i + 1}</text>'
            )
    points = " ".join(f"{LEFT + step * (i + 0.5):.1f},{y_of(v):.1f}" for i, v in enumerate(total))
    body.append(f'<polyline class="cumulative" points="{points}" fill="none" stroke="{INK}" stroke-width="2"/>')
    for i, (v, interview) in enumerate(zip(total, saturation.interviews, strict=True)):
        body.append(
            f'<circle cx="{LEFT + step * (i + 0.5):.1f}" cy="{y_of(v):.1f}" r="3" fill="{INK}">'
            f"<title>after {escape(interview)}: {v} themes</title></circle>"
        )
    body.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 6}" text-anchor="middle" fill="{MUTED}">'
        "interviews in date order (bars: new pain themes; line: themes found so far)</text>"
    )
    label = f"Saturation: {saturation.themes} pain themes over {n} interviews; new per interview {added}"
    return _svg(body, label=label, css_class="saturation")


def wtp_chart(points: Sequence[PricePoint], s: Spread, currency: str) -> SafeString:
    """One dot per interviewee at their monthly price (stacked when equal), over the quartile box."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    body: list[str] = []
    if not points or s.max is None:
        body.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{MUTED}">'
            "No monthly prices stated yet</text>"
        )
        return _svg(body, label="Willingness to pay: no monthly prices stated yet", css_class="wtp")
    top = nice_ceiling(s.max * 1.05)
    x_of = lambda v: LEFT + plot_w * v / top  # noqa: E731
    axis_y = TOP + plot_h
    ticks = 5
    for i in range(ticks + 1):
        value = top * i / ticks
        x = x_of(value)
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{axis_y}" stroke="{GRID}"/>')
        anchor = "end" if i == ticks else "middle"  # the last label stays inside the chart
        body.append(
            f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="{anchor}" fill="{MUTED}">'
            f"{escape(money(value, currency))}</text>"
        )
    assert s.q1 is not None and s.q3 is not None and s.median is not None
    box_y, box_h = TOP + plot_h * 0.62, plot_h * 0.3
    body.append(
        f'<rect class="quartiles" x="{x_of(s.q1):.1f}" y="{box_y:.1f}" width="{max(1.0, x_of(s.q3) - x_of(s.q1)):.1f}" '
        f'height="{box_h:.1f}" fill="{ACCENT}" opacity="0.18" stroke="{ACCENT}">'
        f"<title>quartiles {escape(money(s.q1, currency))} to {escape(money(s.q3, currency))}</title></rect>"
    )
    body.append(
        f'<line class="median" x1="{x_of(s.median):.1f}" x2="{x_of(s.median):.1f}" y1="{box_y:.1f}" '
        f'y2="{box_y + box_h:.1f}" stroke="{INK}" stroke-width="3"><title>median {escape(money(s.median, currency))}'
        "</title></line>"
    )
    body.append(
        f'<line x1="{x_of(s.min or 0):.1f}" x2="{x_of(s.max):.1f}" y1="{box_y + box_h / 2:.1f}" '
        f'y2="{box_y + box_h / 2:.1f}" stroke="{MUTED}"/>'
    )
    stacked: dict[int, int] = {}
    for p in sorted(points, key=lambda p: (p.monthly, p.interview)):
        x = x_of(p.monthly)
        level = stacked.get(round(x), 0)
        stacked[round(x)] = level + 1
        y = TOP + plot_h * 0.5 - level * 9
        body.append(
            f'<circle class="point" cx="{x:.1f}" cy="{max(TOP + 4, y):.1f}" r="4" fill="{ACCENT}">'
            f"<title>{escape(p.interview)}: {escape(money(p.monthly, currency))}/month</title></circle>"
        )
    body.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 6}" text-anchor="middle" fill="{MUTED}">'
        f"{escape(currency)} per month (dots: interviewees; box: quartiles; bar: median)</text>"
    )
    label = (
        f"Willingness to pay per month, {len(points)} interviewees: median {money(s.median, currency)}, "
        f"quartiles {money(s.q1, currency)} to {money(s.q3, currency)}"
    )
    return _svg(body, label=label, css_class="wtp")
