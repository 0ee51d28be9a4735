"""The parser on small inputs of our own: one rule per test, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from issues.importer import Note, NoteCode, ParseError, parse_issue, to_json
from issues.importer.credits import match_byline_line, match_dateline, match_photo_credit
from issues.importer.decoding import decode
from issues.importer.joins import tail_lost
from issues.importer.layout import split_glued_title
from issues.importer.masthead import calendar_warnings, chinese_number, parse_masthead
from issues.importer.text import QuoteFixer, restore_punctuation, strip_wrap_spaces

PUBS = {"WORKERS' DAILY": "工人日报"}
MASTHEAD = "WORKERS' DAILY\n\n2022年3月25日 星期五 壬寅年二月廿三 第21054期 今日八版\n\n\n\n"
BODY = "疫情就是命令,防控就是责 任。3月5日以来,浙江省嘉兴市各 地相继出现新冠肺炎疫情。"


def parse(text: str, **kwargs):
    return parse_issue(text.encode("utf-8"), publications=PUBS, **kwargs)


def items(parse_result):
    return [item for _, item in parse_result.items()]


# --- decoding -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),
        lambda s: s.encode("gb18030"),
        lambda s: s.replace("\n", "\r\n").encode("gbk"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "gb18030", "gbk-crlf"],
)
def test_every_accepted_encoding_gives_the_same_parse(encode):
    text = MASTHEAD + "规定动作不能少\n\n本报讯(记者毛浓曦)" + BODY + "\n"
    parsed = parse_issue(encode(text), publications=PUBS)
    assert to_json(parsed)["pages"] == to_json(parse(text))["pages"]
    assert items(parsed)[0].headline == "规定动作不能少"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("caf\xe9 cr\xe8me br\xfbl\xe9e".encode("latin-1"), "not UTF-8"),
        (b"\xef\xbb\xbf\xff\xfe bad", "BOM"),
    ],
)
def test_bad_bytes_are_refused_with_a_clear_reason(data, message):
    with pytest.raises(ParseError, match=message):
        decode(data)


def test_gb18030_mojibake_is_refused_not_guessed():
    with pytest.raises(ParseError):
        decode(bytes(range(0x80, 0x100)) * 3)


# --- masthead -------------------------------------------------------------------------


def test_masthead_fields_are_read():
    head = parse_masthead("2022年3月25日 星期五 壬寅年二月廿三 第21054期 今日八版")
    assert (head.date, head.weekday, head.lunar_date, head.number, head.page_count) == (
        dt.date(2022, 3, 25),
        5,
        "壬寅年二月廿三",
        21054,
        8,
    )
    assert calendar_warnings(head) == []


def test_wrong_weekday_and_lunar_date_are_warnings():
    head = parse_masthead("2022年3月25日 星期一 壬寅年二月廿四 第21054期 今日八版")
    warnings = calendar_warnings(head)
    assert len(warnings) == 2
    assert [w.code for w in warnings] == [NoteCode.WEEKDAY_MISMATCH, NoteCode.LUNAR_MISMATCH]
    assert "星期五" in warnings[0].chinese() and "壬寅年二月廿三" in warnings[1].chinese()
    assert warnings[0].chinese() == "报头的星期一与日期 2022-03-25 不符：那天是星期五"


def test_a_date_that_does_not_exist_is_refused():
    with pytest.raises(ParseError, match="does not exist"):
        parse("WORKERS' DAILY\n\n2022年2月30日 星期五 第1期 今日四版\n\n\n\n标题\n\n" + BODY)


def test_no_masthead_needs_a_date():
    with pytest.raises(ParseError, match="--date"):
        parse("规定动作不能少\n\n本报讯(记者毛浓曦)" + BODY)
    parsed = parse("规定动作不能少\n\n本报讯(记者毛浓曦)" + BODY, date=dt.date(2022, 3, 25))
    assert parsed.date == dt.date(2022, 3, 25) and parsed.number is None


@pytest.mark.parametrize(("text", "number"), [("八", 8), ("十六", 16), ("二十", 20), ("12", 12), ("两", 2)])
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


def test_missing_pages_are_an_issue_warning():
    parsed = parse(MASTHEAD + "标题一行\n\n本报讯 " + BODY)
    assert parsed.warnings == (Note.of(NoteCode.PAGES_MISSING, pages="2-8"),)
    assert parsed.warnings[0].english() == "pages 2-8 announced by the masthead are missing"
    assert parsed.warnings[0].chinese() == "报头预告的第2-8版缺失"
    assert Note.from_json(parsed.warnings[0].as_json()) == parsed.warnings[0]


def test_publisher_furniture_belongs_to_the_masthead():
    text = (
        MASTHEAD
        + "中华全国总工会主管主办 工人日报社出版 CN 11-0002 http://www.workercn.cn\n\n标题一行\n\n本报讯 "
        + BODY
    )
    parsed = parse(text)
    assert "CN 11-0002" in parsed.masthead[-1]
    assert items(parsed)[0].headline == "标题一行"


# --- bylines and credits --------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "byline", "source", "names", "place"),
    [
        ("本报讯(记者毛浓曦)一年", "本报讯(记者毛浓曦)", "本报", ["毛浓曦"], ""),
        ("本报讯 (记者陈昌云)截至", "本报讯 (记者陈昌云)", "本报", ["陈昌云"], ""),
        ("本报讯 去年", "本报讯", "本报", [], ""),
        ("本报讯(记者邹倜然 通讯员 祝琳)疫情", "本报讯(记者邹倜然 通讯员 祝琳)", "本报", ["邹倜然", "祝琳"], ""),
        ("本报北京3月24日电(记者张菁)记者", "本报北京3月24日电(记者张菁)", "本报", ["张菁"], "北京"),
        ("据新华社北京3月24日电(记者赵琬微)北京", "据新华社北京3月24日电(记者赵琬微)", "新华社", ["赵琬微"], "北京"),
        ("新华社武汉3月24日电 兰州", "新华社武汉3月24日电", "新华社", [], "武汉"),
        ("本报讯(实习生王小明)今天", "本报讯(实习生王小明)", "本报", ["王小明"], ""),
    ],
)
def test_datelines(line, byline, source, names, place):
    found, rest = match_dateline(line)
    assert (found.text, found.source, [c.name for c in found.credits], found.place) == (byline, source, names, place)
    assert rest.strip() and line.endswith(rest)


def test_roles_of_credited_people():
    found, _ = match_dateline("本报讯(记者邹倜然 通讯员 祝琳 实习生 王小明)")
    assert [(c.name, c.role) for c in found.credits] == [
        ("邹倜然", "reporter"),
        ("祝琳", "correspondent"),
        ("王小明", "intern"),
    ]


@pytest.mark.parametrize(
    ("line", "names"),
    [("本报记者 康劲", ["康劲"]), ("本报记者 赵敏 本报通讯员 孙浩", ["赵敏", "孙浩"]), ("本报评论员", [])],
)
def test_byline_lines(line, names):
    assert [c.name for c in match_byline_line(line).credits] == names


def test_body_text_is_not_a_byline_line():
    assert match_byline_line("记者在赋能中心看到,这里设有") is None


@pytest.mark.parametrize(
    ("line", "source", "names"),
    [
        ("新华社发(梁雪冰 摄)", "新华社", ["梁雪冰"]),
        ("新华社记者 曹阳 摄", "新华社", ["曹阳"]),
        ("本报通讯员 黄志强 摄", "本报", ["黄志强"]),
        ("(梁雪冰 摄)", "", ["梁雪冰"]),
        ("新华社记者 曹阳 李娜 摄", "新华社", ["曹阳", "李娜"]),
    ],
)
def test_photo_credits(line, source, names):
    credit = match_photo_credit(line)
    assert credit.source == source and [c.name for c in credit.credits] == names
    assert {c.role for c in credit.credits} == {"photographer"}


def test_body_text_mentioning_a_photographer_is_not_a_credit():
    assert match_photo_credit("新华社记者曹阳摄聚焦岗位、技能、平台、工伤、职称等方面,甘肃五部门联手发力") is None


# --- cleanup --------------------------------------------------------------------------


def test_wrap_spaces_go_real_latin_spaces_stay():
    assert strip_wrap_spaces("截至3月20 日,春城职工心理减压赋能服务中心通过 心理赋能") == (
        "截至3月20日,春城职工心理减压赋能服务中心通过心理赋能"
    )
    assert strip_wrap_spaces("访问 Hello World 网站") == "访问Hello World网站"


def test_a_wrap_between_digits_is_removed_by_column_width():
    full = "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己"
    line = f"{full}1 2月{full} {full}乙 丙"
    assert strip_wrap_spaces(line) == f"{full}12月{full}{full}乙丙"
    assert strip_wrap_spaces(f"代号 1 2 {full}") == f"代号1 2{full}"


def test_punctuation_is_restored_in_cjk_text_only():
    assert restore_punctuation("党组(扩大)会议,学习:精神;好?") == "党组（扩大）会议，学习：精神；好？"
    assert restore_punctuation("1,000 and 10:30, ok") == "1,000 and 10:30, ok"


def test_quotes_pair_up_and_lost_ones_are_noticed():
    fixer = QuoteFixer()
    assert fixer.fix('设有"浸润式团辅""身心交互探索"等') == "设有“浸润式团辅”“身心交互探索”等"
    assert fixer.balanced
    lone = QuoteFixer()
    lone.fix('规定动作"不能少')
    assert not lone.balanced


def test_column_break_inside_a_word_is_not_lost_text():
    assert not tail_lost("以党的十九届六中全会精神谋划今年的工会工作，是陕", "西省总深入学习")
    assert tail_lost("可以开展心理倾诉等特色", "“新时代，工会的服务")


def test_glued_photo_title_is_split_from_its_caption():
    assert split_glued_title('煤炭大港由"黑"变"绿" 人们对煤港的传统印象就是一个字-') == (
        '煤炭大港由"黑"变"绿"',
        "人们对煤港的传统印象就是一个字-",
    )
    assert split_glued_title("同城市写字楼白领,室外巡检维修人 员的工作服、工装靴上难见煤黑;外来客人走 一圈") is None


# --- structure ------------------------------------------------------------------------


def test_titles_byline_and_body_make_an_article():
    parsed = parse(
        MASTHEAD + "陕西省总要求各级工会对标谋划工作,创造更多经验\n\n规定动作不能少\n\n本报讯(记者毛浓曦)" + BODY
    )
    (item,) = items(parsed)
    assert (item.kicker, item.headline, item.byline, item.authors) == (
        "陕西省总要求各级工会对标谋划工作，创造更多经验",
        "规定动作不能少",
        "本报讯(记者毛浓曦)",
        ["毛浓曦"],
    )
    assert item.paragraphs[0].text.startswith("疫情就是命令，防控就是责任。")
    assert item.flags == ()


def test_three_title_lines_are_kicker_headline_subheadline():
    (item,) = items(parse(MASTHEAD + "引题一行说明\n\n主题标题\n\n副题补充说明\n\n本报讯 " + BODY))
    assert (item.kicker, item.headline, item.subheadline) == ("引题一行说明", "主题标题", "副题补充说明")


def test_two_plain_title_lines_are_flagged_uncertain():
    (item,) = items(parse(MASTHEAD + "全国总工会发布新举措\n\n安全生产月活动启动\n\n本报讯 " + BODY))
    assert item.kicker == "全国总工会发布新举措" and "uncertain_title_split" in item.flags


def test_a_dash_marks_a_subheadline():
    (item,) = items(parse(MASTHEAD + "安全生产月活动启动\n\n——全国总工会发布新举措\n\n本报讯 " + BODY))
    assert (item.headline, item.subheadline) == ("安全生产月活动启动", "——全国总工会发布新举措")


def test_a_byline_without_title_starts_a_flagged_article():
    text = MASTHEAD + "标题一行\n\n本报讯(记者甲乙丙)" + BODY + "\n\n本报讯(记者邹倜然 通讯员 祝琳)" + BODY
    first, second = items(parse(text))
    assert second.headline == "" and "missing_headline" in second.flags
    assert second.authors == ["邹倜然", "祝琳"]


def test_short_line_inside_a_story_is_a_subhead():
    text = MASTHEAD + "标题一行\n\n本报记者 康劲\n\n" + BODY + '\n\n集体协商"破题"\n\n' + BODY
    (item,) = items(parse(text))
    assert [p.kind for p in item.paragraphs] == ["text", "subhead", "text"]
    assert item.paragraphs[1].text == "集体协商“破题”"


def test_jump_markers_become_continuation_links():
    text = (
        MASTHEAD
        + "快递小哥有了职称\n\n本报记者 陈静\n\n"
        + BODY
        + " (下转第2版)\n\f第2版 要闻\n\n快递小哥有了职称\n\n(上接第1版)"
        + BODY
    )
    parsed = parse(text)
    (first,), (second,) = (page.items for page in parsed.pages)
    assert first.continued_to == 2 and "下转" not in first.paragraphs[-1].text
    assert second.continued_from == 1 and second.headline == "快递小哥有了职称"
    assert [p.name for p in parsed.pages] == ["", "要闻"]


@pytest.mark.parametrize("header", ["第2版 要闻", "第02版：工会", "02版:新闻"])
def test_page_headers_start_pages_even_without_form_feed(header):
    parsed = parse(MASTHEAD + "标题一行\n\n本报讯 " + BODY + "\n\n" + header + "\n\n另一标题\n\n本报讯 " + BODY)
    assert [p.number for p in parsed.pages] == [1, 2]


def test_page_furniture_stays_on_the_page():
    parsed = parse(MASTHEAD + "标题一行\n\n本报讯 " + BODY + "\n\n本版编辑:黄敏 美术编辑:徐明\n")
    assert parsed.pages[0].furniture == ("本版编辑:黄敏 美术编辑:徐明",)
    assert "黄敏" not in items(parsed)[0].raw_text


def test_photo_item_with_title_caption_and_credit():
    text = MASTHEAD + "重焕光彩的珐华技艺\n\n90后女孩乔琳是山西阳城县沙坡村的 传承人。\n\n新华社记者 曹阳 摄\n"
    (item,) = items(parse(text))
    assert item.kind == "photo" and item.headline == "重焕光彩的珐华技艺"
    assert item.photos[0].caption == "90后女孩乔琳是山西阳城县沙坡村的传承人。"
    assert item.photos[0].photographers == ("曹阳",) and item.source == "新华社"


def test_photo_after_a_story_takes_only_its_glued_title_and_caption():
    text = (
        MASTHEAD
        + "标题一行\n\n本报讯 "
        + BODY
        + "\n\n困难职工帮扶精准到户 图为以党的十九届六中全会精神谋划今 年的工会工作。\n\n本报通讯员 孙丽 摄\n"
    )
    story, photo = items(parse(text))
    assert story.paragraphs[-1].text.endswith("疫情。")
    assert photo.headline == "困难职工帮扶精准到户" and photo.photos[0].caption.startswith("图为")


def test_ocr_confusion_is_flagged_when_the_issue_spells_it_otherwise():
    text = (
        MASTHEAD
        + "标题一行\n\n本报讯 开展登记入学试点,登记入学计划。\n\n\n\n另一标题\n\n本报讯 部分高中开展登记人学试点。"
    )
    second = items(parse(text))[1]
    assert "possible_ocr_error" in second.flags
    assert "登记人学" in dict(second.notes)["possible_ocr_error"][0].chinese()


def test_duplicate_page_numbers_are_refused():
    with pytest.raises(ParseError, match="twice"):
        parse(MASTHEAD + "标题\n\n本报讯 " + BODY + "\f第2版 要闻\n\n标题\n\f第2版 要闻\n\n标题")
