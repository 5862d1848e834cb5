"""pk_url gives what reverse gives, for every page of the dossier and under a script prefix."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from opstap.core.dossier import SECTIONS
from opstap.core.links import pk_url

KEYS = [0, 1, 7, 42, 10**12, 2**63 - 1]
TWO_KEYS = ["gpmi:detail", "activation:placement-detail"]


@pytest.fixture
def prefix():
    yield
    clear_script_prefix()
    set_script_prefix("/")


@pytest.mark.parametrize("script_prefix", ["/", "/ocmw/opstap/"])
def test_same_as_reverse(prefix, script_prefix):
    set_script_prefix(script_prefix)
    names = [s.url_name for s in SECTIONS] + ["clients:detail", "courses:enrolment-detail"]
    assert len(names) > 10
    for name in names:
        for key in KEYS:
            assert pk_url(name, key) == reverse(name, args=[key])
    for key in KEYS:
        assert pk_url("gpmi:detail", key, 5) == reverse("gpmi:detail", args=[key, 5])
        assert pk_url("gpmi:detail", 5, key) == reverse("gpmi:detail", args=[5, key])
    assert pk_url("clients:detail", 3).startswith(script_prefix)


def test_refuses_what_reverse_refuses():
    with pytest.raises(NoReverseMatch):
        pk_url("clients:detail", -1)
    with pytest.raises(TypeError):
        pk_url("clients:detail", "3")
    with pytest.raises(NoReverseMatch):
        pk_url("clients:caseload", 3)  # takes no key


def test_template_filter():
    html = Template('{% load links %}{{ pk|pk_url:"clients:detail" }}').render(Context({"pk": 9}))
    assert html == reverse("clients:detail", args=[9])
