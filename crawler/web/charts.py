"""Small charts drawn on the server as inline SVG (no script, nothing loaded): the sources
page's articles per day. Only numbers and escaped day labels reach the markup."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, GAP = 140, 32, 1


def day_bars(days: Sequence[tuple[str, int]]) -> Markup:
    """A bar per day (oldest left), scaled to the busiest day; each bar's title says the day
    and its count, so a pointer (or a screen reader) gets the figure."""
    if not days:
        return Markup("")
    top = max(count for _, count in days) or 1
    step = WIDTH / len(days)
    total = sum(count for _, count in days)
    bars = []
    for i, (day, count) in enumerate(days):
        height = max(1.0, HEIGHT * count / top) if count else 0.0
        bars.append(
            f'<rect x="{i * step:.1f}" y="{HEIGHT - height:.1f}" width="{max(step - GAP, 1):.1f}" '
            f'height="{height:.1f}"><title>{escape(day)}: {count}</title></rect>'
        )
    label = f"{total} articles in {len(days)} days, at most {top if total else 0} a day"
    return Markup(
        f'<svg class="chart" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<line x1="0" y1="{HEIGHT - 0.5}" x2="{WIDTH}" y2="{HEIGHT - 0.5}" class="axis"/>'
        + "".join(bars) + "</svg>"
    )
