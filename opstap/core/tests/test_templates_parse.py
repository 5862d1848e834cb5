"""Every template of the project parses: an unknown tag or filter (a missing {% load %}) fails
here even for a page no other test opens."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template

ROOTS = [Path(settings.BASE_DIR) / "opstap" / "templates"] + sorted(
    (Path(settings.BASE_DIR) / "opstap").glob("*/templates")
)
TEMPLATES = sorted(str(path.relative_to(root)) for root in ROOTS for path in root.rglob("*.html"))


def test_finds_the_templates():
    assert len(TEMPLATES) > 100
    assert "clients/caseload.html" in TEMPLATES


@pytest.mark.parametrize("name", TEMPLATES)
def test_parses(name):
    get_template(name)
