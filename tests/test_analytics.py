import doctest

from kb import analytics


def test_docstring_examples():
    assert doctest.testmod(analytics).failed == 0


def test_summary_of_a_path_graph():
    g = analytics.graph_from([{"id": x} for x in "abcd"],
                             [{"start": a, "end": b, "type": "R"} for a, b in ("ab", "bc", "cd")])
    s = analytics.summary(g, top=2)
    assert [x["id"] for x in s["betweenness"]] == ["b", "c"]
    assert s["components"] == [["a", "b", "c", "d"]]
