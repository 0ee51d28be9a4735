"""Layout families beyond the sample: each rule on a tiny page of made-up text."""

from __future__ import annotations

from issues.importer import parse_issue, to_json
from issues.importer.flags import Flag
from issues.importer.joins import tail_lost
from issues.importer.layout import Line, is_furniture, reads_as_caption_start, split_furniture
from issues.importer.notes import NoteCode
from issues.importer.text import restore_punctuation
from issues.importer.titles import split_roles

PUBS = {"WORKERS' DAILY": "工人日报"}
MASTHEAD = "WORKERS' DAILY\n\n2022年5月10日 星期二 壬寅年四月初十 第21100期 今日八版\n\n\n\n"
GAP = "\n\n\n\n"
STORY = "本报讯(记者林小雨)河畔新区的图书馆昨天 开门迎客,馆内设有儿童阅读区和自习 室,周末开放到晚上九点。"
OTHER = "本报讯(记者周大山)山区小学的新操场 铺好了塑胶跑道,孩子们终于可以在雨 后照常上体育课。"
CAPTION = "5月9日,几名志愿者在河边公园清理 落叶和垃圾,为市民营造干净的散步 环境。"
CREDIT = "本报记者 高远 摄"


def parse(body: str):
    return parse_issue((MASTHEAD + body + "\n").encode("utf-8"), publications=PUBS)


def items(body: str):
    return [item for _, item in parse(body).items()]


# --- page furniture -------------------------------------------------------------------


def test_telephone_and_qr_lines_are_furniture_not_items():
    page = parse("新馆开门迎读者\n\n" + STORY + "\n\n扫码看视频" + GAP + "电话:010-12345678").pages[0]
    assert len(page.items) == 1
    assert page.furniture == ("扫码看视频", "电话:010-12345678")
    assert "扫码" not in page.items[0].paragraphs[-1].text


def test_a_body_line_that_starts_with_scanning_is_not_furniture():
    assert not is_furniture("扫码登记、测量体温,再进入候车大厅。")
    assert is_furniture("新闻热线:0571-87654321")


def test_a_removed_furniture_line_keeps_the_region_edge():
    lines = [Line("正文。", 1, 0), Line("责任编辑 王一", 3, 3), Line("另一篇正文。", 5, 1)]
    furniture, kept = split_furniture(lines)
    assert furniture == ["责任编辑 王一"]
    assert [line.gap for line in kept] == [0, 3]


# --- photos ---------------------------------------------------------------------------


def test_a_caption_that_opens_with_a_date_and_comma_is_no_glued_title():
    assert reads_as_caption_start("5月9日,几名志愿者在河边公园清理")
    assert reads_as_caption_start("图为工人在检修线路")
    assert not reads_as_caption_start("河边的清晨")


def test_a_standalone_photo_title_wins_over_a_wrap_fragment_below_it():
    wrapped = "几名志愿者在河边公园清 理落叶和垃圾,为市民营造干净的散步环境 ,也吸引了不少附近的居民加入。"
    (photo,) = items("河畔清晨\n\n" + wrapped + "\n\n" + CREDIT)
    assert (photo.kind, photo.headline) == ("photo", "河畔清晨")
    assert photo.photos[0].caption.startswith("几名志愿者在河边公园清理")


def test_a_photo_group_gives_one_photo_per_caption_with_the_shared_credit():
    body = "春耕时节\n\n图①:农机手在田间 播种玉米。\n\n图②:技术员查看 秧苗长势。\n\n" + CREDIT
    (photo,) = items(body)
    assert [p.caption[:2] for p in photo.photos] == ["图①", "图②"]
    assert {p.credit for p in photo.photos} == {CREDIT}
    assert all(p.photographers == ("高远",) for p in photo.photos)


def test_a_credit_printed_before_its_captions_takes_the_captions_below():
    body = (
        "车间一角\n\n"
        + CREDIT
        + "\n\n上图:工人在装配 新型电机。\n\n下图:质检员 检查成品。"
        + GAP
        + "新馆开门迎读者\n\n"
        + STORY
    )
    photo, story = items(body)
    assert photo.headline == "车间一角"
    assert [p.caption[:2] for p in photo.photos] == ["上图", "下图"]
    assert story.headline == "新馆开门迎读者" and story.authors == ["林小雨"]


def test_a_credit_before_a_single_caption_stops_where_the_caption_ends():
    body = "桥上的灯光\n\n" + CREDIT + "\n\n" + CAPTION + "\n\n新馆开门迎读者\n\n" + STORY
    photo, story = items(body)
    assert photo.photos[0].caption.startswith("5月9日")
    assert story.paragraphs[0].text.startswith("河畔新区")


def test_a_glued_title_without_a_caption_marker_is_flagged():
    body = STORY + "\n\n秋日稻田 金黄的稻穗压弯了枝头,农户们正 忙着收割晾晒,田埂上一派丰收景象。\n\n" + CREDIT
    photo = items("新馆开门迎读者\n\n" + body)[-1]
    assert photo.headline == "秋日稻田"
    assert Flag.UNCERTAIN_TITLE_SPLIT in photo.flags


# --- labels and title lines -----------------------------------------------------------


def test_a_box_label_is_the_kicker_and_no_headline_is_expected():
    (item,) = items("编者按\n\n城市的温度体现在细节里,一张长椅、一盏路灯都 值得用心。")
    assert (item.kicker, item.headline) == ("编者按", "")
    assert Flag.MISSING_HEADLINE not in item.flags


def test_a_box_label_with_a_title_and_after_a_story_starts_its_own_item():
    body = "新馆开门迎读者\n\n" + STORY + "\n\n短评\n\n让阅读走进生活\n\n书香社区的建设,贵在坚持。"
    story, comment = items(body)
    assert (comment.kicker, comment.headline) == ("短评", "让阅读走进生活")
    assert Flag.UNCERTAIN_TITLE_SPLIT not in comment.flags
    assert story.paragraphs[-1].text.endswith("九点。")


def test_two_title_lines_weigh_their_evidence():
    assert split_roles(["走进乡村学校", "——一位支教老师的日记"], set())[:3] == (
        "",
        "走进乡村学校",
        "——一位支教老师的日记",
    )
    kicker, headline, _, doubt = split_roles(["聚焦社区服务,多个街道推出新办法", "老人吃饭不再难"], set())
    assert (kicker, headline, doubt) == ("聚焦社区服务,多个街道推出新办法", "老人吃饭不再难", None)
    _, headline, sub, doubt = split_roles(["新图书馆开门迎客", "首批开放3个阅览室"], set())
    assert (headline, sub) == ("新图书馆开门迎客", "首批开放3个阅览室")
    assert NoteCode.ONLY_SECOND_HAS_FIGURE in dict(doubt.params)["reasons"] and "数字" in doubt.chinese()
    kicker, _, _, doubt = split_roles(["山区小学换新颜", "孩子们有了新操场"], set())
    assert kicker == "山区小学换新颜" and doubt


def test_title_lines_split_by_a_region_break_make_one_item():
    (item,) = items("聚焦社区服务,多个街道推出新办法" + GAP + "老人吃饭不再难\n\n" + STORY)
    assert (item.kicker, item.headline) == ("聚焦社区服务，多个街道推出新办法", "老人吃饭不再难")
    assert Flag.UNCERTAIN_TITLE_SPLIT in item.flags


# --- bylines at the end ---------------------------------------------------------------


def test_a_commentators_byline_as_last_line_signs_the_story_above():
    body = (
        "读书是最好的投资\n\n每一座城市都需要安静读书的角落, 图书馆就是这样的地方。\n\n本报评论员"
        + GAP
        + "新馆开门迎读者\n\n"
        + STORY
    )
    comment, story = items(body)
    assert (comment.headline, comment.byline, comment.authors) == ("读书是最好的投资", "本报评论员", [])
    assert Flag.MISSING_HEADLINE not in comment.flags
    assert story.authors == ["林小雨"]


def test_a_closing_byline_followed_by_the_next_title_in_its_region():
    body = "读书是最好的投资\n\n图书馆就是这样的地方。\n\n本报记者 林小雨\n\n山区小学换新颜\n\n" + OTHER
    first, second = items(body)
    assert first.authors == ["林小雨"]
    assert (second.headline, second.authors) == ("山区小学换新颜", ["周大山"])


# --- joins ----------------------------------------------------------------------------


def test_a_block_cut_mid_word_is_joined_and_the_join_recorded():
    body = "新馆开门迎读者\n\n本报讯 馆内设有儿童阅读区,周末开放到 晚上九点,读者可以预约图书馆\n\n的自习座位。"
    (item,) = items(body)
    assert len(item.paragraphs) == 1
    text = item.paragraphs[0].text
    ((index, offset),) = item.joins
    assert index == 0 and text[offset - 3 : offset + 3] == "图书馆的自习"
    assert Flag.JOINED_PARAGRAPH in item.flags
    assert to_json(parse(body))["pages"][0]["items"][0]["joins"] == [[0, offset]]


def test_a_finished_sentence_is_not_joined():
    (item,) = items("新馆开门迎读者\n\n" + STORY + "\n\n馆长说,欢迎大家常来。")
    assert len(item.paragraphs) == 2 and item.joins == ()
    assert Flag.JOINED_PARAGRAPH not in item.flags


def test_a_story_cut_by_a_region_break_continues_and_is_flagged():
    body = "新馆开门迎读者\n\n本报讯 馆内设有儿童阅读区,周末开放到晚" + GAP + "上九点,读者可以预约座位。"
    (item,) = items(body)
    assert item.paragraphs[0].text.endswith("晚上九点，读者可以预约座位。")
    assert {Flag.UNCERTAIN_SEGMENTATION, Flag.JOINED_PARAGRAPH} <= set(item.flags)


def test_a_label_with_a_colon_is_still_a_label():
    (item,) = items("链接:\n\n社区书屋\n\n全市已建成社区书屋两百多家, 覆盖所有街道。")
    assert (item.kicker, item.headline) == ("链接", "社区书屋")


def test_a_photo_group_title_may_carry_its_tag():
    (photo,) = items("春耕正当时(组图)\n\n图①:农机手在田间 播种玉米。\n\n" + CREDIT)
    assert photo.headline.startswith("春耕正当时")
    assert len(photo.photos) == 1


def test_a_colon_after_a_circled_number_is_restored():
    assert restore_punctuation("图②:7000名职工") == "图②：7000名职工"
    assert restore_punctuation("上午10:30开馆") == "上午10:30开馆"


def test_particles_and_prepositions_at_a_cut_mean_the_clause_continues():
    assert not tail_lost("此外,为", "强化服务保障")
    assert not tail_lost("读者可以预约图书馆", "的自习座位")
    assert tail_lost("馆内设有阅读区", "孩子们很喜欢")


def test_editors_under_other_titles_are_furniture():
    assert is_furniture("本版主编:王一")
    assert is_furniture("美编 李二")
    assert not is_furniture("主编这本书花了他整整三年时间。")
