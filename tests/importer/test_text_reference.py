"""The text cleaning functions visit only candidate characters (issues/importer/text.py); on any
text they give what the plain loop over every character gives (kept here as the reference)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from issues.importer import text as cleaning
from issues.importer.text import ASCII_DIGITS, ASCII_TO_FULL, QuoteFixer, _cjk_near

ALPHABET = st.sampled_from(list("\"'“”‘’()（）,:;?!12 ab中文。，、—《》…\u3000"))
LINES = st.lists(st.text(ALPHABET, max_size=40), min_size=1, max_size=4)


def reference_restore_punctuation(text: str) -> str:
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch in ASCII_TO_FULL:
            prev_digit = i > 0 and text[i - 1] in ASCII_DIGITS
            next_digit = i + 1 < len(text) and text[i + 1] in ASCII_DIGITS
            if ch in ",:" and prev_digit and next_digit:
                continue
            if _cjk_near(text, i, -1) or _cjk_near(text, i, 1):
                chars[i] = ASCII_TO_FULL[ch]
    return "".join(chars)


class ReferenceQuoteFixer(QuoteFixer):
    def fix(self, text: str) -> str:
        out = []
        for i, ch in enumerate(text):
            if ch not in "\"'":
                out.append(ch)
                continue
            prev = out[-1] if out else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if ch == "'" and not (_cjk_near(text, i, -1) or _cjk_near(text, i, 1)):
                out.append(ch)
                continue
            if i == 0 and ch == '"' and self.open[ch]:
                self.unbalanced = True
                self.open[ch] = False
            if self.open[ch]:
                closing = not (prev in {"", " ", "（", "(", "《", "—"} and nxt not in self.CLOSE_BEFORE)
                if not closing:
                    self.unbalanced = True
            else:
                closing = prev not in self.OPEN_AFTER and (nxt in self.CLOSE_BEFORE or nxt == ch)
                if closing:
                    self.unbalanced = True
            self.open[ch] = not closing
            if ch == '"':
                out.append("”" if closing else "“")
            else:
                out.append("’" if closing else "‘")
        return "".join(out)


@settings(max_examples=500, deadline=None)
@given(LINES)
def test_restore_punctuation_as_the_plain_loop(lines):
    for line in lines:
        assert cleaning.restore_punctuation(line) == reference_restore_punctuation(line)


@settings(max_examples=500, deadline=None)
@given(LINES)
def test_quote_fixer_as_the_plain_loop(lines):
    ours, reference = QuoteFixer(), ReferenceQuoteFixer()
    for line in lines:  # one item's lines: open quotes carry over
        assert ours.fix(line) == reference.fix(line)
        assert ours.open == reference.open
    assert ours.balanced == reference.balanced


def test_fixed_examples():
    assert cleaning.restore_punctuation("他说,好:1,000 and 10:30(注)") == "他说，好：1,000 and 10:30（注）"
    fixer = QuoteFixer()
    assert fixer.fix('他说:"好"，又说:"不') == "他说:“好”，又说:“不"
    assert not fixer.balanced  # the second quote is still open
    assert fixer.fix('行"。') == "行”。"
    assert fixer.balanced
    assert QuoteFixer().fix("Workers' Daily") == "Workers' Daily"
