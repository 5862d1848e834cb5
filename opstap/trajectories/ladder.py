"""The activation ladder drawn as steps: the geometry of the SVG picture, lowest rung left."""

from .models import Rung

STEP_WIDTH = 150
STEP_RISE = 38
BASE = 230


def ladder_picture(current: str | None) -> list[dict]:
    steps = []
    for index, (value, label) in enumerate(Rung.choices):
        height = (index + 1) * STEP_RISE
        steps.append(
            {
                "value": value,
                "label": label,
                "level": index + 1,
                "x": 4 + index * (STEP_WIDTH + 4),
                "y": BASE - height,
                "width": STEP_WIDTH,
                "height": height,
                "text_x": 4 + index * (STEP_WIDTH + 4) + STEP_WIDTH // 2,
                "text_y": BASE - height + 22,
                "current": value == current,
            }
        )
    return steps
