"""The flow chart between rungs as inline SVG geometry (a simple Sankey), computed in Python."""

from __future__ import annotations

from django.utils.translation import gettext as _

from opstap.core.svgtext import centred_lines
from opstap.reports.selectors import NO_POSITION
from opstap.trajectories.models import Rung

from .analytics import RUNG_KEYS, rung_label

# Room for the labels beside the nodes: about 37 characters at font size 13 on either side
# ("Activation professionnelle (103)" is 32); longer labels go on two lines. TOP keeps a
# two-line label of the first node inside the picture.
WIDTH = 840
LEFT_X = 250
RIGHT_X = 590
NODE_W = 14
HEIGHT = 340
GAP = 14
LABEL_CHARS = 34
TOP = 10
LINE_HEIGHT = 15
UP, DOWN, SAME = "#1c7c3c", "#b45309", "#8a99a6"


def _num(value: float) -> str:
    """SVG coordinates with a dot whatever the page's language (templates localise floats)."""
    return f"{value:.1f}"


def _direction(a: str, b: str) -> str:
    if NO_POSITION in (a, b) or a == b:
        return SAME
    return UP if Rung.level(b) > Rung.level(a) else DOWN


def _label(label: str, n: int, centre_y: float) -> list[dict]:
    return centred_lines(f"{label} ({n})", LABEL_CHARS, centre_y=centre_y, line_height=LINE_HEIGHT)


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
        y, tops = float(TOP), {}
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
                    "lines": _label(label, counts_left[key], left_top[key] + h / 2),
                    "text_x": LEFT_X - NODE_W - 6,
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
                    "lines": _label(label, counts_right[key], right_top[key] + h / 2),
                    "text_x": RIGHT_X + NODE_W + 6,
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
                    "text": _("%(a)s → %(b)s: %(n)s")
                    % {"a": rung_label(a), "b": rung_label(b), "n": n},
                }
            )
    return {
        "width": WIDTH,
        "height": TOP + HEIGHT + 30,
        "nodes": nodes,
        "links": links,
        "left_x": LEFT_X - NODE_W,
        "right_x": RIGHT_X + NODE_W,
        "label_y": TOP + HEIGHT + 22,
    }
