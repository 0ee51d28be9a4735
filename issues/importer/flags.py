"""The flag vocabulary: every uncertain call the importer (or a desk check) can record.

Pure Python, like the rest of the importer; the desk and the models read the same enum
(``articles.flags`` wraps it as Django choices). A flag is stored by its code.
"""

from __future__ import annotations

from enum import StrEnum


class Flag(StrEnum):
    """A flag's code, with its Chinese label and a plain-Chinese explanation for the desk."""

    label: str
    explanation: str

    def __new__(cls, code: str, label: str, explanation: str) -> Flag:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        member.explanation = explanation
        return member

    MISSING_HEADLINE = (
        "missing_headline",
        "缺主题",
        "稿件上方没有可作主题的标题行：请补上主题，或确认这是无标题的短讯。",
    )
    UNCERTAIN_TITLE_SPLIT = (
        "uncertain_title_split",
        "标题角色存疑",
        "标题行的引题、主题、副题分工没有明确依据：请核对各行的角色。",
    )
    UNBALANCED_QUOTES = (
        "unbalanced_quotes",
        "引号不成对",
        "有引号找不到配对的另一半：原文可能丢了引号，或引号方向错了。",
    )
    POSSIBLE_LOST_TEXT = (
        "possible_lost_text",
        "疑似丢字",
        "段落在句子中间结束，下一段又不接着说：版面边缘可能丢了文字。",
    )
    POSSIBLE_OCR_ERROR = (
        "possible_ocr_error",
        "疑似识别错字",
        "有字可能被识别成了形近字（如人/入、己/已）：请对照版面核对建议的写法。",
    )
    UNPARSED_BYLINE = (
        "unparsed_byline",
        "署名未识别",
        "署名行里读不出记者或通讯员的姓名：请核对作者。",
    )
    JOINED_PARAGRAPH = (
        "joined_paragraph",
        "段落已拼接",
        "一段文字被分栏或版块切断，导入时已接回成一段：请确认拼接无误。",
    )
    UNCERTAIN_SEGMENTATION = (
        "uncertain_segmentation",
        "分稿存疑",
        "这条稿件与相邻稿件的分界证据不足：请核对是否应合并或拆分。",
    )

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(flag.value, flag.label) for flag in cls]


def flag_label(code: str) -> str:
    """The Chinese label of a flag code; an unknown code (from an older import) as it is."""
    try:
        return Flag(code).label
    except ValueError:
        return code
