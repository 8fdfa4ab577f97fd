"""The inline SVG charts say on their axes what they draw."""

import re

from rvg.reports.charts import line_chart


def _labels(svg: str, anchor: str) -> list[str]:
    return re.findall(rf'text-anchor="{anchor}"[^>]*>([^<]*)</text>', svg)


def test_a_line_charts_value_axis_is_labelled_with_its_values_not_the_x_values():
    """The business case's chart drew 0 to 30,000 euros and labelled it 12, 5.012, 10.012…
    (the x axis' first value added to each tick)."""
    points = [(12, 27_400.0), (30, 18_500.0), (60, 13_100.0)]
    svg = line_chart(points, title="Kosten", x_label="Deelnemers", y_label="Euro")
    assert _labels(svg, "end") == ["0", "5.000", "10.000", "15.000", "20.000", "25.000", "30.000"]
    ticks = [float(y) for y in re.findall(r'<line x1="66.0" y1="([\d.]+)"', svg)]
    assert ticks == sorted(ticks, reverse=True)  # 0 at the bottom, 30.000 at the top
    assert _labels(svg, "middle")[:3] == ["12", "36", "60"]
