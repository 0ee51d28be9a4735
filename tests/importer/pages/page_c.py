"""own-c: UTF-8 with a BOM, pages split by form feeds, header ``第02版：要闻`` on page 2.

A story with two in-body subheads and its jump marker alone on a line; a 图片新闻 box with
a title, a caption and a ``王磊/摄`` credit; a headline + longer subheadline without a dash;
a story with no title at all under another story's region; a photo title glued to a 图为
caption; two photographers in one credit; a 快评 box without a title; the continuation
opening with ``(上接第1版)`` glued to its first block; a commentary signed at its start.
"""

from __future__ import annotations

from layout_kit import Page

MASTHEAD = [
    "WORKERS' DAILY",
    "",
    "2022年4月15日 星期五 壬寅年三月十五 第21075期 今日八版",
    "",
    "",
    "",
    "中华全国总工会主管主办 工人日报社出版 国内统一连续出版物号 CN 11-0002 代号 1-5 中工网 http://www.workercn.cn",
    "",
    "",
    "",
]
ISSUE = {
    "publication": "工人日报",
    "date": "2022-04-15",
    "weekday": 5,
    "lunar_date": "壬寅年三月十五",
    "number": 21075,
    "page_count": 8,
}


def pages() -> list[Page]:
    p1 = Page(1, widths=(19, 20, 19, 19))
    skills = p1.item(
        headline="老工匠的“绝活”有了传人",
        byline="本报北京4月14日电(记者宋扬)",
        authors=["宋扬"],
        dateline={"place": "北京", "date": "4月14日"},
        continued_to=2,
    )
    p1.raw('老工匠的"绝活"有了传人')
    p1.body(
        skills,
        "在北京一家老字号珐琅厂的车间里，68岁的国家级非遗传承人李德明正手把手地教徒弟掐丝。"
        "细如发丝的铜丝在他手中弯出花瓣的弧度，几个年轻人围在一旁，看得目不转睛。",
        lead="本报北京4月14日电(记者宋扬)",
    )
    p1.subhead(skills, "师带徒签下协议")
    p1.body(
        skills,
        "去年，厂工会牵头组织老工匠和青年职工签订师带徒协议，明确带徒目标和考核办法，"
        "徒弟通过考核后，师傅可以拿到一笔带徒津贴。",
    )
    p1.subhead(skills, "年轻人愿意留下来")
    p1.body(
        skills,
        "“以前招来的年轻人干不了几个月就走了，现在有师傅带着，有奔头。”车间主任说，"
        "这两年厂里新进的二十多名青年职工，只有两人离开。",
    )
    p1.raw("(下转第2版)")
    p1.region()

    pic = p1.item(kind="photo", kicker="图片新闻", headline="试飞员的春天", source="")
    pic.credit, pic.photographers = "王磊/摄", ["王磊"]
    p1.raw("图片新闻")
    p1.raw("试飞员的春天")
    p1.caption(pic, "4月13日，在陕西阎良的一处试飞场，试飞员完成一次科研试飞后走下飞机。")
    p1.raw("王磊/摄")
    p1.region()

    heat = p1.item(
        headline="高温天气户外作业有了新规",
        subheadline="用人单位须调整作息并发放防暑降温费",
        byline="本报讯(记者方圆)",
        authors=["方圆"],
    )
    p1.raw("高温天气户外作业有了新规")
    p1.raw("用人单位须调整作息并发放防暑降温费")
    p1.body(
        heat,
        "海南省人社厅等部门日前联合印发通知，明确日最高气温达到35摄氏度以上时，用人单位应当"
        "合理安排户外作业时间，并按规定发放高温津贴。",
        lead="本报讯(记者方圆)",
    )
    orphan = p1.item(byline="本报讯(通讯员常青)", authors=["常青"], flags=["missing_headline"])
    p1.body(
        orphan,
        "湖北省武汉市总工会近日为全市一千余名货车司机送去了防疲劳驾驶包，包里装有清凉油、颈枕和安全驾驶手册。",
        lead="本报讯(通讯员常青)",
    )
    p1.region()

    ice = p1.item(kind="photo", headline="冰场上的追梦人", source="新华社")
    ice.credit, ice.photographers = "新华社记者 王一 李二 摄", ["王一", "李二"]
    p1.caption(
        ice,
        "图为4月12日，青少年短道速滑运动员在吉林长春的一处冰场训练。",
        title="冰场上的追梦人",
    )
    p1.raw("新华社记者 王一 李二 摄")
    p1.region()

    quick = p1.item(kicker="快评")
    p1.raw("快评")
    p1.body(
        quick,
        "老手艺要传下去，离不开一代代人的坚守，也离不开制度的保障。把师带徒做实，"
        "让技艺有传人、传人有前途，工匠精神才能薪火相传。",
    )

    p2 = Page(2, header="第02版：要闻", widths=(18, 18, 19, 18))
    skills2 = p2.item(headline="老工匠的“绝活”有了传人", continued_from=1)
    p2.raw('老工匠的"绝活"有了传人')
    p2.body(
        skills2,
        "据了解，北京市总工会今年将在全市评选100个技能大师工作室，每个工作室给予资金支持，用于开展技术攻关和人才培养。",
        lead="(上接第1版)",
    )
    p2.region()

    comment = p2.item(headline="让手艺人过上体面生活", byline="本报评论员")
    p2.raw("让手艺人过上体面生活")
    p2.raw("本报评论员")
    p2.body(
        comment,
        "一门手艺能不能传下去，关键看学手艺的人能不能靠它过上体面的生活。提高技能人才待遇，"
        "打通职业发展通道，才能让更多年轻人愿意拜师学艺。",
    )
    return [p1, p2]
