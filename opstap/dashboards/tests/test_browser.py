"""In a real browser, in French: the flow chart's and the ladder's labels are drawn whole, inside
the picture (French rung names are the longest), and the flow page passes the axe check."""

import datetime

import pytest

from opstap.browser import assert_accessible, login
from opstap.trajectories.models import LadderPosition

from .test_flow import PERIOD, World

# Each text of an SVG picture, with its box and the box it must stay in (user units).
OUTSIDE = """(svg) => {
  const view = svg.viewBox.baseVal;
  return [...svg.querySelectorAll("text")].map((t) => {
    const b = t.getBBox();
    const rect = t.closest("g") && t.closest("g").querySelector("rect");
    const box = rect && t.getAttribute("text-anchor") === "middle" && !t.getAttribute("y")
      ? rect.getBBox() : {x: view.x, y: view.y, width: view.width, height: view.height};
    const inside = b.x >= box.x && b.x + b.width <= box.x + box.width
      && b.y >= box.y && b.y + b.height <= box.y + box.height;
    return inside ? null : t.textContent;
  }).filter((text) => text !== null);
}"""


@pytest.mark.browser
def test_flow_page_in_french(
    browser_page, live_server, centre, office, alice, dave, carol, password
):
    World(centre, office, alice, dave)
    carol.language = "fr"
    carol.save()
    page = browser_page
    login(page, live_server, "carol", password)
    page.goto(f"/dashboards/flow/?from={PERIOD['from']}&to={PERIOD['to']}")
    svg = page.locator("figure.chart svg").first
    labels = svg.locator("text").all_text_contents()
    assert any("Activation professionnelle" in label for label in labels)
    assert svg.evaluate(OUTSIDE) == []
    assert page.inner_text("#transitions thead th >> nth=0") == "De ↓ vers →"
    speed = page.inner_text("section[aria-labelledby=speed-title] p")
    assert "commence pendant la période : " in speed and "activés dans les 4 mois : " in speed
    assert_accessible(page)


@pytest.mark.browser
def test_ladder_labels_inside_their_steps(
    browser_page, live_server, alice, client_record, password
):
    alice.language = "fr"
    alice.save()
    LadderPosition.objects.create(client=client_record, rung="arbeid", since=datetime.date.today())
    page = browser_page
    login(page, live_server, "alice", password)
    page.goto(f"/trajectories/client/{client_record.pk}/ladder/")
    svg = page.locator("svg.ladder")
    assert svg.evaluate(OUTSIDE) == []
    assert "4. Activationprofessionnelle" in svg.text_content()  # two tspans, one label
