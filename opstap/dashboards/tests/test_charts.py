"""The SVG pictures keep every label whole: long names go on two lines instead of off the edge."""

from django.utils import translation

from opstap.core.svgtext import centred_lines, label_lines
from opstap.dashboards.charts import LEFT_X, NODE_W, WIDTH, flow_chart
from opstap.trajectories.ladder import LABEL_CHARS, ladder_picture


def test_label_lines_split_where_the_lines_are_most_even():
    assert label_lines("Aide et soins (52)", 30) == ["Aide et soins (52)"]
    assert label_lines("1. Hulpverlening en zorg", 21) == ["1. Hulpverlening", "en zorg"]
    assert label_lines("4. Activation professionnelle", 21) == ["4. Activation", "professionnelle"]
    assert label_lines("Hulpverleningsgesprek", 5) == ["Hulpverleningsgesprek"]  # never cut


def test_centred_lines_sit_around_the_centre():
    one = centred_lines("Short", 20, centre_y=100, line_height=15)
    two = centred_lines("A much longer label here", 12, centre_y=100, line_height=15)
    assert [line["y"] for line in one] == ["104.0"]
    assert [line["y"] for line in two] == ["96.5", "111.5"]
    assert " ".join(line["text"] for line in two) == "A much longer label here"


def test_flow_labels_are_whole_in_french():
    cells = {("arbeid", "arbeid"): {1, 2, 3}, ("zorg", "arbeid"): {4}, ("taal", "werk"): {5}}
    with translation.override("fr"):
        chart = flow_chart(cells)
    texts = [" ".join(line["text"] for line in node["lines"]) for node in chart["nodes"]]
    assert "Activation professionnelle (4)" in texts and "Activation professionnelle (3)" in texts
    assert chart["width"] == WIDTH and LEFT_X - NODE_W - 6 >= 34 * 6.5  # room for 34 characters


def test_ladder_labels_fit_their_step_in_every_language():
    for language in ("nl", "fr", "en"):
        with translation.override(language):
            for step in ladder_picture("zorg"):
                text = " ".join(line["text"] for line in step["lines"])
                assert text == f"{step['level']}. {step['label']}"
                assert all(len(line["text"]) <= LABEL_CHARS for line in step["lines"]), text
                assert all(
                    step["y"] < float(line["y"]) < step["y"] + step["height"]
                    for line in step["lines"]
                )
