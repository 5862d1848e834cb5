"""Horizontal bar charts as inline SVG: the geometry, computed once in Python."""

from __future__ import annotations

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
BAR_AREA = 340


def bar_chart(result: dict, label_key: str, value_key: str, labels=None) -> dict | None:
    rows = [r for r in result["rows"] if isinstance(r.get(value_key), int | float)]
    if not rows:
        return None
    biggest = max(r[value_key] for r in rows) or 1
    bars = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        width = round(BAR_AREA * row[value_key] / biggest)
        bars.append(
            {
                "label": str((labels or {}).get(row[label_key], row[label_key])),
                "value": row[value_key],
                "y": y,
                "text_y": y + BAR_HEIGHT - 6,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "height": len(rows) * (BAR_HEIGHT + GAP),
        "width": LABEL_WIDTH + BAR_AREA + 60,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }
