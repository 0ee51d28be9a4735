"""own-b: GB18030 with CRLF, masthead, pages 1 and 3 (header ``第3版 地方``).

Three title lines (kicker, headline, dash subheadline); kicker + headline without a comma;
a byline of two staff lines alone; a 记者手记 box right under its story; a photo title
alone above a 图为 caption that wraps mid-sentence, credit in brackets; a bare 本报讯 with
a space; an 编者按 box; an agency story relayed (据新华社…电); a byline with an intern; a
photo group 图①/图② with its credit after; a commentary signed at its end; a paragraph cut
mid-sentence across two regions; 责任编辑 furniture.
"""

from __future__ import annotations

from layout_kit import Page

MASTHEAD = [
    "WORKERS' DAILY",
    "",
    "2022年4月11日 星期一 壬寅年三月十一 第21071期 今日八版",
    "",
    "",
    "",
]
ISSUE = {
    "publication": "工人日报",
    "date": "2022-04-11",
    "weekday": 1,
    "lunar_date": "壬寅年三月十一",
    "number": 21071,
    "page_count": 8,
}


def pages() -> list[Page]:
    p1 = Page(1, widths=(16, 17, 16, 16))
    union = p1.item(
        kicker="从“单打独斗”到“抱团发展”",
        headline="小微企业工会联合会挂牌成立",
        subheadline="——首批覆盖园区企业一百二十余家",
        byline="本报讯 (记者林海燕)",
        authors=["林海燕"],
    )
    p1.raw('从"单打独斗"到"抱团发展"')
    p1.raw("小微企业工会联合会挂牌成立")
    p1.raw("——首批覆盖园区企业一百二十余家")
    p1.body(
        union,
        "4月10日，广东省东莞市松山湖高新区小微企业工会联合会挂牌成立。园区内一百二十余家"
        "员工不足25人的企业，从此有了共同的“职工之家”。",
        lead="本报讯 (记者林海燕)",
    )
    p1.body(
        union,
        "联合会主席告诉记者，小微企业单独建会难、活动难、维权难，联合起来以后，可以统一开展"
        "集体协商，共享职工活动场地，还能请律师定期到园区坐班，为职工提供法律咨询。",
    )
    p1.region()

    port = p1.item(
        kicker="天津港集团推进智慧港口建设",
        headline="无人集卡跑出加速度",
        byline="本报记者 何雨 本报通讯员 钱进",
        authors=["何雨", "钱进"],
    )
    p1.raw("天津港集团推进智慧港口建设")
    p1.raw("无人集卡跑出加速度")
    p1.raw("本报记者 何雨 本报通讯员 钱进")
    p1.body(
        port,
        "清晨，天津港北疆港区C段智能化集装箱码头上，一辆辆没有驾驶室的集装箱卡车在岸桥和堆场"
        "之间往来穿梭。控制中心的大屏幕上，每一辆车的位置、速度和电量都实时显示。",
    )
    p1.body(
        port,
        "“过去开集卡要三班倒，现在我们坐在控制室里就能同时盯住十几辆车。”操作员张建军说，"
        "他参加了公司组织的远程操控培训，拿到了新的岗位证书，收入也比以前",
    )
    p1.region()
    p1.body(port, "高了。码头工会还把技能培训纳入劳动竞赛，鼓励职工考取新证书。", cont=True)
    p1.region()

    notes = p1.item(kicker="记者手记")
    p1.raw("记者手记")
    p1.body(
        notes,
        "在码头采访时，记者发现，智能化并没有让工人“下岗”，而是让他们换了一种方式上岗。"
        "技术在变，工人学本领的劲头没有变。",
    )
    p1.region()

    crane = p1.item(kind="photo", headline="岸桥上的女司机", source="新华社")
    crane.credit, crane.photographers = "(新华社记者 程浩 摄)", ["程浩"]
    p1.raw("岸桥上的女司机")
    p1.caption(
        crane,
        "图为在山东青岛港前湾港区，岸桥司机刘敏正在距离地面四十多米高的驾驶室里操作。",
    )
    p1.raw("(新华社记者 程浩 摄)")
    p1.region()

    rain = p1.item(headline="南方多地迎来强降雨", byline="本报讯", source="本报")
    p1.raw("南方多地迎来强降雨")
    p1.body(
        rain,
        "中央气象台4月10日继续发布暴雨蓝色预警，预计江南、华南等地有中到大雨，局地暴雨。"
        "气象专家提醒，户外作业单位要合理调整作业时间，做好防雨防滑措施。",
        lead="本报讯 ",
    )
    p1.region()

    note = p1.item(kicker="编者按")
    p1.raw("编者按")
    p1.body(
        note,
        "今年是全国总工会开展“工会服务月”活动的第三年。本报今起推出系列报道，走进基层一线，"
        "记录工会干部为职工办实事的故事，敬请关注。",
    )

    p3 = Page(3, header="第3版 地方", widths=(18, 18, 17, 19))
    p3.raw("责任编辑 吴桐")
    p3.region()
    gz = p3.item(
        headline="广州地铁新线开通试运营",
        byline="据新华社广州4月10日电(记者郑凯)",
        authors=["郑凯"],
        source="新华社",
        dateline={"place": "广州", "date": "4月10日"},
    )
    p3.raw("广州地铁新线开通试运营")
    p3.body(
        gz,
        "广州地铁22号线首通段10日正式开通试运营，全长18.2公里，设站4座。建设单位介绍，"
        "这条线路是国内首条设计时速160公里的地铁线路，开通后从番禺广场到广州南站只需十几分钟。",
        lead="据新华社广州4月10日电(记者郑凯)",
    )
    p3.region()

    volley = p3.item(
        kicker="职工运动会激情开赛",
        headline="气排球场上比团结",
        byline="本报记者 马丽 实习生 王可",
        authors=["马丽", "王可"],
    )
    p3.raw("职工运动会激情开赛")
    p3.raw("气排球场上比团结")
    p3.raw("本报记者 马丽 实习生 王可")
    p3.body(
        volley,
        "4月9日，四川省成都市第五届职工运动会气排球比赛在温江区体育馆开赛，来自全市各行业的"
        "48支队伍参加比赛。参赛选手中既有刚入职的年轻人，也有工作了三十多年的老师傅。",
    )
    p3.region()

    station = p3.item(kind="photo", headline="户外驿站暖人心", source="本报")
    station.credit, station.photographers = "本报通讯员 黄志强 摄", ["黄志强"]
    p3.raw("户外驿站暖人心")
    p3.caption(station, "图①：环卫工人在驿站里用微波炉加热午饭。")
    p3.caption(station, "图②：外卖骑手在驿站给电动车电池充电，工作人员为他们准备了热水和防暑药品。")
    p3.raw("本报通讯员 黄志强 摄")
    p3.region()

    comment = p3.item(headline="把好事办到职工心坎上", byline="本报评论员")
    p3.raw("把好事办到职工心坎上")
    p3.body(
        comment,
        "户外劳动者驿站从无到有、从有到优，靠的是把职工的需求摆在前面。驿站建在哪里、开放到几点、"
        "配什么设施，都应该多听听使用者的意见。",
    )
    p3.raw("本报评论员")
    return [p1, p3]
