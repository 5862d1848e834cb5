"""The activation ladder drawn as steps: the geometry of the SVG picture, lowest rung left."""

from opstap.core.svgtext import centred_lines, label_lines

from .models import Rung

STEP_WIDTH = 150
STEP_RISE = 38
BASE = 230
MARGIN = 4  # also right of the last step: the template's viewBox is 774 wide
# A step holds about 22 characters at font size 13 ("1. Hulpverlening en zorg" is 24):
# longer labels go on two lines inside the step.
LABEL_CHARS = 21
LINE_HEIGHT = 15


def ladder_picture(current: str | None) -> list[dict]:
    steps = []
    for index, (value, label) in enumerate(Rung.choices):
        height = (index + 1) * STEP_RISE
        top = BASE - height
        text = f"{index + 1}. {label}"
        # One line 22 below the top of the step; two lines fit the lowest step (38 high).
        centre = top + (21 if len(label_lines(text, LABEL_CHARS)) > 1 else 18)
        lines = centred_lines(text, LABEL_CHARS, centre_y=centre, line_height=LINE_HEIGHT)
        steps.append(
            {
                "value": value,
                "label": label,
                "level": index + 1,
                "x": MARGIN + index * (STEP_WIDTH + MARGIN),
                "y": top,
                "width": STEP_WIDTH,
                "height": height,
                "text_x": MARGIN + index * (STEP_WIDTH + MARGIN) + STEP_WIDTH // 2,
                "lines": lines,
                "current": value == current,
            }
        )
    return steps
