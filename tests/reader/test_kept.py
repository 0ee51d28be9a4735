"""reader/kept.py: a process's bounded store, least recently used out."""

from __future__ import annotations

from reader.kept import Kept


def test_the_least_recently_used_entry_goes_first():
    kept = Kept[str](2)
    kept.put("a", "A")
    kept.put("b", "B")
    assert kept.get("a") == "A"  # now the most recent
    kept.put("c", "C")
    assert kept.keys() == ["a", "c"] and kept.get("b") is None


def test_get_or_put_makes_an_entry_once():
    kept = Kept[list](2)
    first = kept.get_or_put("k", list)
    first.append(1)
    assert kept.get_or_put("k", list) is first == [1]
    kept.get_or_put("x", list)
    kept.get_or_put("y", list)
    assert kept.get("k") is None and kept.keys() == ["x", "y"]
