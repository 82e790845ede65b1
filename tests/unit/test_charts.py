"""quizapp.charts: well-formed, accessible, escaped SVG with no inline styles."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from markupsafe import Markup

from quizapp.charts import bar_chart, line_chart

NS = "{http://www.w3.org/2000/svg}"
XSS = "<script>alert(1)</script>"


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    root = ET.fromstring(str(svg))
    assert root.tag == f"{NS}svg"
    return root


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in el.get("class", "").split()]


def texts(elements: list[ET.Element]) -> list[str]:
    return [el.text or "" for el in elements]


def scores(count: int) -> list[tuple[str, float]]:
    return [(f"Attempt {i + 1}", float((i * 37) % 101)) for i in range(count)]


# -- structure and accessibility ---------------------------------------------------------------


@pytest.mark.parametrize(
    "svg",
    [
        line_chart(scores(5), title="Scores"),
        bar_chart([("Who", 3), ("Where", 1)], title="Misses"),
    ],
    ids=["line", "bar"],
)
def test_aria_title_desc_and_viewbox(svg: Markup) -> None:
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox") == "0 0 640 240"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None and title.get("id") == title_id
    assert desc is not None and desc.get("id") == desc_id
    assert desc.text


@pytest.mark.parametrize(
    "svg",
    [line_chart(scores(12), title="Scores"), bar_chart(scores(12), title="Bars")],
    ids=["line", "bar"],
)
def test_no_inline_styles_or_scripts(svg: Markup) -> None:
    root = parse(svg)
    for el in root.iter():
        assert "style" not in el.attrib
        assert el.tag not in (f"{NS}style", f"{NS}script", f"{NS}foreignObject")
        assert not any(name.startswith("on") for name in el.attrib)


def test_ids_are_unique_across_charts() -> None:
    ids = []
    for _ in range(3):
        for svg in (line_chart(scores(3), title="A"), bar_chart(scores(3), title="A")):
            ids += [el.get("id") for el in parse(svg).iter() if el.get("id")]
    assert len(ids) == len(set(ids)) == 12


def test_gridlines_at_quarters_of_y_max_with_labels() -> None:
    root = parse(line_chart(scores(4), title="Scores", y_max=100))
    assert len(by_class(root, "chart__grid")) == 5
    assert texts(by_class(root, "chart__label--y")) == ["0%", "25%", "50%", "75%", "100%"]
    ys = sorted(float(line.get("y1")) for line in by_class(root, "chart__grid"))
    gaps = {round(b - a, 6) for a, b in pairwise(ys)}
    assert len(gaps) == 1  # evenly spaced


def test_y_label_units() -> None:
    root = parse(line_chart(scores(2), title="t", y_max=10, y_label="pts"))
    expected = ["0 pts", "2.5 pts", "5 pts", "7.5 pts", "10 pts"]
    assert texts(by_class(root, "chart__label--y")) == expected
    root = parse(line_chart(scores(2), title="t", y_max=1, y_label=""))
    assert texts(by_class(root, "chart__label--y")) == ["0", "0.25", "0.5", "0.75", "1"]


# -- escaping ---------------------------------------------------------------------------------


def test_labels_and_title_are_escaped() -> None:
    line = line_chart([(XSS, 50), ('"quoted" & more', 60)], title=XSS, y_label=XSS, noun=XSS)
    bar = bar_chart([(XSS, 2), ('"quoted" & more', 1)], title=XSS, y_label=XSS)
    for svg in (line, bar):
        raw = str(svg)
        assert "<script" not in raw
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
        root = parse(svg)  # still well-formed
        assert root.find(f"{NS}title").text == XSS
        assert not [el for el in root.iter() if el.tag.endswith("script")]
        tooltips = texts([t for el in root.iter() for t in el.findall(f"{NS}title")])
        assert any(t.startswith(f"{XSS}: ") for t in tooltips)
        assert XSS in root.find(f"{NS}desc").text


def test_embedding_in_a_template_does_not_double_escape() -> None:
    svg = line_chart([("a & b", 1)], title="x & y")
    assert Markup("<figure>{}</figure>").format(svg).count("&amp;amp;") == 0


# -- line chart -------------------------------------------------------------------------------


def test_empty_line_chart_is_empty_markup() -> None:
    assert line_chart([], title="Nothing") == Markup("")
    assert bar_chart([], title="Nothing") == Markup("")


def test_one_point() -> None:
    root = parse(line_chart([("Today", 72.5)], title="Score"))
    points = by_class(root, "chart__point")
    assert len(points) == 1
    assert points[0].find(f"{NS}title").text == "Today: 72.5%"
    assert not by_class(root, "chart__line")  # nothing to join
    assert texts(by_class(root, "chart__label--x")) == ["Today"]
    assert root.find(f"{NS}desc").text == "1 point: 72.5%."


def test_several_points_line_and_desc() -> None:
    data = [("1", 40), ("2", 55), ("3", 30), ("4", 70), ("5", 85)]
    root = parse(line_chart(data, title="Scores", noun="attempt"))
    assert len(by_class(root, "chart__point")) == 5
    (line,) = by_class(root, "chart__line")
    assert len(line.get("points").split()) == 5
    desc = root.find(f"{NS}desc").text
    assert desc.startswith("5 attempts, from 40% to 85%")
    assert "lowest 30%" in desc and "highest 85%" in desc
    tooltips = [p.find(f"{NS}title").text for p in by_class(root, "chart__point")]
    assert tooltips == ["1: 40%", "2: 55%", "3: 30%", "4: 70%", "5: 85%"]


def test_many_points_thin_the_x_labels() -> None:
    root = parse(line_chart(scores(200), title="Many"))
    points = by_class(root, "chart__point")
    assert len(points) == 200
    xs = [float(p.get("cx")) for p in points]
    assert xs == sorted(xs) and len(set(xs)) == 200
    labels = by_class(root, "chart__label--x")
    assert 2 <= len(labels) <= 10
    assert (labels[0].text, labels[-1].text) == ("Attempt 1", "Attempt 200")
    label_xs = [float(el.get("x")) for el in labels]
    assert min(b - a for a, b in pairwise(label_xs)) >= 80  # no overlap


def test_long_x_labels_are_shortened_but_tooltips_keep_them() -> None:
    long = "Tuesday 27 November 2026"
    root = parse(line_chart([(long, 10), ("b", 20)], title="t"))
    assert by_class(root, "chart__label--x")[0].text == "Tuesday 27…"
    assert by_class(root, "chart__point")[0].find(f"{NS}title").text == f"{long}: 10%"


def test_points_stay_inside_the_viewbox() -> None:
    root = parse(line_chart(scores(50), title="t", width=400, height=200))
    for p in by_class(root, "chart__point"):
        assert 0 < float(p.get("cx")) < 400
        assert 0 < float(p.get("cy")) < 200


def test_values_are_clamped_to_0_and_y_max() -> None:
    data = [("low", -20), ("zero", 0), ("top", 100), ("high", 250), ("inf", math.inf)]
    root = parse(line_chart(data, title="Clamp"))
    cy = [float(p.get("cy")) for p in by_class(root, "chart__point")]
    grid_y = sorted(float(g.get("y1")) for g in by_class(root, "chart__grid"))
    top, bottom = grid_y[0], grid_y[-1]
    assert cy == [bottom, bottom, top, top, top]
    # The tooltip keeps the true value.
    tips = [p.find(f"{NS}title").text for p in by_class(root, "chart__point")]
    assert tips[0] == "low: -20%" and tips[3] == "high: 250%"


def test_value_position_is_linear_in_y_max() -> None:
    root = parse(line_chart([("a", 0), ("b", 5), ("c", 10)], title="t", y_max=10))
    a, b, c = (float(p.get("cy")) for p in by_class(root, "chart__point"))
    assert math.isclose(b - a, c - b, abs_tol=0.02)


@pytest.mark.parametrize("y_max", [0, -1, math.nan, math.inf])
def test_bad_y_max_is_rejected(y_max: float) -> None:
    with pytest.raises(ValueError):
        line_chart(scores(2), title="t", y_max=y_max)


def test_nan_value_is_rejected() -> None:
    with pytest.raises(ValueError):
        line_chart([("a", math.nan)], title="t")
    with pytest.raises(ValueError):
        bar_chart([("a", math.nan)], title="t")


# -- bar chart --------------------------------------------------------------------------------


def bar_heights(root: ET.Element) -> list[float]:
    return [float(rect.get("height")) for rect in by_class(root, "chart__bar")]


def test_bar_heights_are_proportional() -> None:
    data = [("Who", 8), ("Where", 4), ("When", 2), ("How many", 1), ("What", 0)]
    root = parse(bar_chart(data, title="Per category"))
    heights = bar_heights(root)
    assert len(heights) == 5
    assert heights[-1] == 0
    for (_, value), height in zip(data, heights, strict=True):
        assert math.isclose(height, heights[0] * value / 8, abs_tol=0.02)
    # All bars stand on the same baseline.
    rects = by_class(root, "chart__bar")
    bottoms = {round(float(r.get("y")) + float(r.get("height")), 2) for r in rects}
    assert len(bottoms) == 1


def test_bar_scale_is_round_and_covers_the_largest_value() -> None:
    root = parse(bar_chart([("a", 7), ("b", 3)], title="t"))
    assert texts(by_class(root, "chart__label--y")) == ["0", "2", "4", "6", "8"]
    root = parse(bar_chart([("a", 85)], title="t", y_label="%"))
    assert texts(by_class(root, "chart__label--y"))[-1] == "100%"


def test_bar_tooltips_values_and_desc() -> None:
    root = parse(bar_chart([("Who", 5), ("Where", 3)], title="Right answers"))
    tips = [r.find(f"{NS}title").text for r in by_class(root, "chart__bar")]
    assert tips == ["Who: 5", "Where: 3"]
    assert texts(by_class(root, "chart__value")) == ["5", "3"]
    assert root.find(f"{NS}desc").text == "2 bars: Who 5, Where 3."


def test_negative_and_all_zero_bars() -> None:
    root = parse(bar_chart([("a", 0), ("b", -3)], title="t"))
    assert bar_heights(root) == [0, 0]
    assert texts(by_class(root, "chart__label--y"))[-1] == "1"


def test_many_bars() -> None:
    data = [(f"Day {i}", i % 7) for i in range(200)]
    root = parse(bar_chart(data, title="Daily"))
    assert len(by_class(root, "chart__bar")) == 200
    assert not by_class(root, "chart__value")  # too many to print
    assert len(by_class(root, "chart__label--x")) <= 10
    assert "200 bars; highest Day 6 6, lowest Day 0 0." == root.find(f"{NS}desc").text
    for rect in by_class(root, "chart__bar"):
        assert 0 < float(rect.get("x")) and float(rect.get("x")) + float(rect.get("width")) < 640


def test_too_small_a_chart_is_rejected() -> None:
    with pytest.raises(ValueError):
        bar_chart([("a", 1)], title="t", width=50)


def test_output_has_no_stray_whitespace_or_newlines() -> None:
    svg = str(line_chart(scores(3), title="t"))
    assert "\n" not in svg and not re.search(r">\s+<", svg)


# -- counts (the class-results histogram) -------------------------------------------------------

HISTOGRAM = [("0–9%", 0), ("10–19%", 1), ("20–29%", 0), ("30–39%", 2), ("40–49%", 0)]
HISTOGRAM += [("50–59%", 1), ("60–69%", 0), ("70–79%", 2), ("80–89%", 0), ("90–100%", 1)]


@pytest.mark.parametrize("largest", [1, 2, 3, 5, 7, 9, 13, 40, 41, 150])
def test_counts_get_whole_number_gridlines(largest: int) -> None:
    root = parse(bar_chart([("a", 0), ("b", largest)], title="Counts", noun="attempt"))
    ticks = [float(t) for t in texts(by_class(root, "chart__label--y"))]
    assert ticks == sorted(ticks) and ticks[0] == 0 and ticks[-1] >= largest
    assert all(t == int(t) for t in ticks), ticks


def test_counts_speak_of_one_attempt_and_several_attempts() -> None:
    root = parse(bar_chart(HISTOGRAM, title="Scores", noun="attempt"))
    desc = root.find(f"{NS}desc").text
    assert "10–19% 1 attempt," in desc and "30–39% 2 attempts," in desc
    assert "0–9% 0 attempts" in desc
    tips = [el.text for el in root.iter(f"{NS}title")][1:]
    assert "10–19%: 1 attempt" in tips and "1 attempts" not in " ".join(tips)


def test_zero_bars_get_no_value_label_and_short_x_labels_all_show() -> None:
    root = parse(bar_chart(HISTOGRAM, title="Scores", noun="attempt"))
    assert texts(by_class(root, "chart__value")) == ["1", "2", "1", "2", "1"]
    assert texts(by_class(root, "chart__label--x")) == [label for label, _ in HISTOGRAM]


def test_value_labels_wider_than_their_bar_are_left_out() -> None:
    bars = [(f"b{i}", 123456789 + i) for i in range(12)]
    root = parse(bar_chart(bars, title="Big"))
    assert by_class(root, "chart__value") == []
    assert len(by_class(root, "chart__bar")) == 12
