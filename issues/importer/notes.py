"""What the importer tells people, as codes with parameters: issue warnings and the evidence
behind each flag. Pure Python, like the rest of the importer.

A ``Note`` is a ``NoteCode`` and its parameters; the desk renders it in Chinese
(``note.chinese()``), the JSON output and logs keep the code and an English sentence
(``note.english()``). Every wording lives here, in one enum, each member with its Chinese and
English template. A parameter that is a tuple of codes (the reasons of a doubt) is rendered
as those members' sentences; a ``field`` parameter names an item's field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NoteCode(StrEnum):
    """A finding's code, with its Chinese and English templates."""

    zh: str
    en: str

    def __new__(cls, code: str, zh: str, en: str) -> NoteCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.zh = zh
        member.en = en
        return member

    # Issue warnings.
    WEEKDAY_MISMATCH = (
        "weekday_mismatch",
        "报头的星期{printed}与日期 {date} 不符：那天是星期{actual}",
        "masthead weekday 星期{printed} disagrees with {date}, a 星期{actual}",
    )
    LUNAR_MISMATCH = (
        "lunar_mismatch",
        "报头的农历{printed}与日期 {date} 不符：那天是{expected}",
        "masthead lunar date {printed} disagrees with {date}, which is {expected}",
    )
    DATE_IGNORED = (
        "date_ignored",
        "未采用指定的日期 {given}：报头写的是 {masthead}",
        "--date {given} ignored: the masthead says {masthead}",
    )
    PAGE_WITHOUT_HEADER = (
        "page_without_header",
        "第{previous}版后面有一版没有版头：按第{number}版处理",
        "a page without a header follows page {previous}: numbered {number}",
    )
    PAGES_MISSING = (
        "pages_missing",
        "报头预告的第{pages}版缺失",
        "pages {pages} announced by the masthead are missing",
    )
    PAGES_BEYOND = (
        "pages_beyond",
        "第{pages}版超出了报头预告的{count}版",
        "pages {pages} lie beyond the {count} the masthead announces",
    )

    # Evidence behind flags.
    JOINED = (
        "joined",
        "第{paragraph}段第{offset}字处已接回：…{before}|{after}…",
        "paragraph {paragraph}, character {offset}: …{before}|{after}…",
    )
    NO_END_PUNCTUATION = ("no_end_punctuation", "段落末尾没有标点：…{tail}", "ends without punctuation: …{tail}")
    ENDS_MID_SENTENCE = ("ends_mid_sentence", "一块文字在句中断开：…{tail}", "a block ends mid-sentence: …{tail}")
    UNPAIRED_QUOTE = ("unpaired_quote", "有引号找不到另一半", "a quotation mark has no partner")
    NO_TITLE_LINE = ("no_title_line", "稿件上方没有标题行", "no title line above the item")
    BYLINE_NAMES_UNREAD = (
        "byline_names_unread",
        "从署名行“{byline}”读不出姓名",
        "names could not be read from {byline}",
    )
    TITLES_ACROSS_REGIONS = (
        "titles_across_regions",
        "标题行被版块分隔：{titles}",
        "title lines split by a region break: {titles}",
    )
    REGION_CONTINUES_STORY = (
        "region_continues_story",
        "新版块接着上文：上文在句中断开，下接“{start}…”",
        "a new region continues the story: its text ended mid-sentence before {start}…",
    )
    TITLE_FROM_CAPTION = (
        "title_from_caption",
        "标题取自图片说明的第一行：{title}",
        "title taken from the caption's first line: {title}",
    )
    TITLE_ROLES_UNSURE = ("title_roles_unsure", "“{first}”/“{second}”：{reasons}", "{first} / {second}: {reasons}")
    OCR_ISSUE_SPELLING = (
        "ocr_issue_spelling",
        "{field}“{original}” → “{replacement}”：本期别处写作“{variant}”{other}次，写作“{window}”{seen}次",
        "{field} {original} → {replacement}: the issue spells {variant} {other}×, {window} {seen}×",
    )
    OCR_DICTIONARY = (
        "ocr_dictionary",
        "{field}“{original}” → “{replacement}”：“{word}”是常用词（词典频次 {freq}），“{printed}”频次仅 {printed_freq}",
        "{field} {original} → {replacement}: {word} is a common word ({freq} in the dictionary), "
        "{printed} only {printed_freq}",
    )

    # Reasons of a doubt about title roles (TITLE_ROLES_UNSURE's ``reasons``).
    DASH_OPENS_SECOND = ("dash_opens_second", "第二行以破折号开头", "the second line opens with a dash")
    SECOND_IS_HEADLINE_ELSEWHERE = (
        "second_is_headline_elsewhere",
        "第二行在本期别处单独作主题",
        "the second line is a headline elsewhere in the issue",
    )
    FIRST_IS_HEADLINE_ELSEWHERE = (
        "first_is_headline_elsewhere",
        "第一行在本期别处单独作主题",
        "the first line is a headline elsewhere in the issue",
    )
    FIRST_IS_CLAUSE = ("first_is_clause", "第一行是带逗号的分句", "the first line is a clause with a comma")
    FIRST_LISTS = ("first_lists", "第一行用顿号列举", "the first line lists with 、")
    FIRST_MUCH_LONGER = ("first_much_longer", "第一行长得多", "the first line is much longer")
    SECOND_MUCH_LONGER = ("second_much_longer", "第二行长得多", "the second line is much longer")
    ONLY_SECOND_HAS_FIGURE = ("only_second_has_figure", "只有第二行有数字", "only the second line gives a figure")
    NO_ROLE_SIGN = ("no_role_sign", "看不出两行的角色", "no sign of their roles")


# An item's fields as a ``field`` parameter names them.
FIELD_NAMES = {
    "kicker": ("引题", "kicker"),
    "headline": ("主题", "headline"),
    "subheadline": ("副题", "subheadline"),
    "paragraph": ("正文", "paragraph"),
    "caption": ("图片说明", "caption"),
}


@dataclass(frozen=True)
class Note:
    """One finding: a code and its parameters (name, value) in order."""

    code: NoteCode
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, code: NoteCode, **params: object) -> Note:
        return cls(code, tuple((name, tuple(v) if isinstance(v, list) else v) for name, v in params.items()))

    @classmethod
    def from_json(cls, data: dict) -> Note:
        """A note as ``as_json`` wrote it; raises ValueError for an unknown code."""
        return cls.of(NoteCode(data["code"]), **data.get("params", {}))

    def as_json(self) -> dict:
        return {"code": self.code.value, "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.params}}

    def chinese(self) -> str:
        return self._render(0, "；")

    def english(self) -> str:
        return self._render(1, "; ")

    def _render(self, language: int, separator: str) -> str:
        values = {}
        for name, value in self.params:
            if isinstance(value, tuple):
                value = separator.join(_template(NoteCode(code), language) for code in value)
            elif name == "field":
                value = FIELD_NAMES.get(str(value), (value, value))[language]
            values[name] = value
        return _template(self.code, language).format(**values)


def _template(code: NoteCode, language: int) -> str:
    return code.en if language else code.zh


def render_chinese(value: object) -> str:
    """A stored note (``as_json``) in Chinese; an older plain string as it is."""
    if isinstance(value, dict):
        try:
            return Note.from_json(value).chinese()
        except (KeyError, ValueError, TypeError):
            return str(value.get("code", ""))
    return str(value)
