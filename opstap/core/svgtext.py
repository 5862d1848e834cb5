"""Labels in inline SVG charts: SVG draws text on one line, so a long label is split here.

A label is never shortened: a rung or a trajectory type must be readable in full in every
language, and French names are often a third longer than Dutch ones.
"""

from __future__ import annotations


def label_lines(text: str, max_chars: int) -> list[str]:
    """The label on one line, or on two lines of about equal length when it is longer than
    `max_chars` (split at the space that makes the longer line shortest)."""
    text = " ".join(str(text).split())
    if len(text) <= max_chars or " " not in text:
        return [text]
    words = text.split(" ")
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    first, second = min(splits, key=lambda pair: (max(len(pair[0]), len(pair[1])), -len(pair[0])))
    return [first, second]


def centred_lines(
    text: str, max_chars: int, *, centre_y: float, line_height: float, baseline: float = 4
) -> list[dict]:
    """The label's lines with the y of each baseline, the block centred on `centre_y`
    (`baseline` lowers a line from its middle to its baseline for the font size in use)."""
    lines = label_lines(text, max_chars)
    top = centre_y - line_height * (len(lines) - 1) / 2 + baseline
    return [{"text": line, "y": f"{top + i * line_height:.1f}"} for i, line in enumerate(lines)]
