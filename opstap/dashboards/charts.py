"""The flow chart between rungs as inline SVG geometry (a simple Sankey), computed in Python."""

from __future__ import annotations

from opstap.reports.selectors import NO_POSITION
from opstap.trajectories.models import Rung

from .analytics import RUNG_KEYS, rung_label

WIDTH = 720
LEFT_X = 200
RIGHT_X = 500
NODE_W = 14
HEIGHT = 340
GAP = 14
UP, DOWN, SAME = "#1c7c3c", "#b45309", "#8a99a6"


def _num(value: float) -> str:
    """SVG coordinates with a dot whatever the page's language (templates localise floats)."""
    return f"{value:.1f}"


def _direction(a: str, b: str) -> str:
    if NO_POSITION in (a, b) or a == b:
        return SAME
    return UP if Rung.level(b) > Rung.level(a) else DOWN


def flow_chart(cells: dict) -> dict | None:
    """Nodes at the start (left) and end (right) of the period, and a band per move."""
    total = sum(len(ids) for ids in cells.values())
    if not total:
        return None
    usable = HEIGHT - GAP * (len(RUNG_KEYS) - 1)
    scale = usable / total
    counts_left = {k: sum(len(cells.get((k, b), ())) for b in RUNG_KEYS) for k in RUNG_KEYS}
    counts_right = {k: sum(len(cells.get((a, k), ())) for a in RUNG_KEYS) for k in RUNG_KEYS}

    def place(counts: dict) -> dict:
        y, tops = 0.0, {}
        for key in RUNG_KEYS:
            tops[key] = y
            y += counts[key] * scale + (GAP if counts[key] else 0)
        return tops

    left_top, right_top = place(counts_left), place(counts_right)
    nodes = []
    for key in RUNG_KEYS:
        label = rung_label(key)
        if counts_left[key]:
            h = counts_left[key] * scale
            nodes.append(
                {
                    "x": LEFT_X - NODE_W,
                    "y": _num(left_top[key]),
                    "h": _num(max(h, 1)),
                    "label": label,
                    "n": counts_left[key],
                    "text_x": LEFT_X - NODE_W - 6,
                    "text_y": _num(left_top[key] + h / 2 + 4),
                    "anchor": "end",
                }
            )
        if counts_right[key]:
            h = counts_right[key] * scale
            nodes.append(
                {
                    "x": RIGHT_X,
                    "y": _num(right_top[key]),
                    "h": _num(max(h, 1)),
                    "label": label,
                    "n": counts_right[key],
                    "text_x": RIGHT_X + NODE_W + 6,
                    "text_y": _num(right_top[key] + h / 2 + 4),
                    "anchor": "start",
                }
            )
    links = []
    left_used = dict.fromkeys(RUNG_KEYS, 0.0)
    right_used = dict.fromkeys(RUNG_KEYS, 0.0)
    for a in RUNG_KEYS:
        for b in RUNG_KEYS:
            n = len(cells.get((a, b), ()))
            if not n:
                continue
            h = n * scale
            y1 = left_top[a] + left_used[a] + h / 2
            y2 = right_top[b] + right_used[b] + h / 2
            left_used[a] += h
            right_used[b] += h
            mid = (LEFT_X + RIGHT_X) / 2
            links.append(
                {
                    "d": f"M{LEFT_X} {y1:.1f} C{mid} {y1:.1f} {mid} {y2:.1f} {RIGHT_X} {y2:.1f}",
                    "width": _num(max(h, 1)),
                    "colour": _direction(a, b),
                    "text": f"{rung_label(a)} → {rung_label(b)}: {n}",
                }
            )
    return {
        "width": WIDTH,
        "height": HEIGHT + 30,
        "nodes": nodes,
        "links": links,
        "left_x": LEFT_X - NODE_W,
        "right_x": RIGHT_X + NODE_W,
        "label_y": HEIGHT + 22,
    }
