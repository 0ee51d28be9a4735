"""own-f: UTF-8, masthead, pages 1 and 2 (header ``第2版 要闻``).

A headline that asks a question (ends with ?); a title opening with a quote and a Latin
run (5G); a single photo whose credit is printed before its 图为 caption; a photo group
with numbered markers (图1: 图2: 图3:) and the credit after; a dateline with a space
between role and name; a caption of two blocks (scene, then 图为); a story continued under
its repeated kicker and headline; a commentary signed by a named special commentator at
its end; a 相关链接 box with a title.
"""

from __future__ import annotations

from layout_kit import Page

MASTHEAD = [
    "WORKERS' DAILY",
    "",
    "2022年4月22日 星期五 壬寅年三月廿二 第21082期 今日八版",
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
    "date": "2022-04-22",
    "weekday": 5,
    "lunar_date": "壬寅年三月廿二",
    "number": 21082,
    "page_count": 8,
}


def pages() -> list[Page]:
    p1 = Page(1, widths=(18, 19, 18, 18))
    canteen = p1.item(
        kicker="一家国企职工食堂的“翻身记”",
        headline="食堂为啥天天排长队？",
        byline="本报讯(记者 陆明)",
        authors=["陆明"],
        continued_to=2,
    )
    p1.raw('一家国企职工食堂的"翻身记"')
    p1.raw("食堂为啥天天排长队?")
    p1.body(
        canteen,
        "中午11点半，安徽省合肥市一家机械制造企业的职工食堂门口已经排起了长队。三年前，这个食堂"
        "还因为饭菜单一、价格偏高，被职工们吐槽“不如点外卖”。",
        lead="本报讯(记者 陆明)",
    )
    p1.body(
        canteen,
        "变化从企业工会牵头成立职工伙食委员会开始。委员会由一线职工代表组成，每月开一次会，"
        "菜单怎么定、价格怎么调，都要听大家的意见。",
        tail="(下转第2版)",
    )
    p1.region()

    mine = p1.item(
        headline="“5G+智能矿山”让井下作业更安全",
        byline="本报记者 白杨 本报通讯员 乔木",
        authors=["白杨", "乔木"],
    )
    p1.raw('"5G+智能矿山"让井下作业更安全')
    p1.raw("本报记者 白杨 本报通讯员 乔木")
    p1.body(
        mine,
        "在山西省晋城市一座煤矿的调度中心，值班员通过屏幕就能看到井下几百米深处采煤机的运行情况。"
        "去年以来，这座煤矿在井下建起了5G基站，采煤工作面实现了远程操控。",
    )
    p1.body(
        mine,
        "矿工会主席说，过去一个班要十几个人下井，现在只需要三四个人在井下巡检，职工的劳动强度"
        "大大降低，安全也更有保障。",
    )
    p1.region()

    harvest = p1.item(kind="photo", headline="麦田里的无人机", source="本报")
    harvest.credit, harvest.photographers = "本报记者 田野 摄", ["田野"]
    p1.raw("麦田里的无人机")
    p1.raw("本报记者 田野 摄")
    p1.caption(harvest, "图为4月20日，河南省周口市的植保队员操作无人机为小麦喷洒叶面肥。")
    p1.region()

    shift = p1.item(kind="photo", headline="一线职工的一天", source="新华社")
    shift.credit, shift.photographers = "新华社记者 唐峰 摄", ["唐峰"]
    p1.raw("一线职工的一天")
    p1.caption(shift, "图1：早上7点，公交车司机在车场做出车前检查。")
    p1.caption(shift, "图2：中午，环卫工人在路边的爱心驿站休息。")
    p1.caption(shift, "图3：晚上9点，地铁检修工人进入隧道开始夜间作业。")
    p1.raw("新华社记者 唐峰 摄")
    p1.region()

    tea = p1.item(kind="photo", headline="茶园春忙", source="新华社")
    tea.credit, tea.photographers = "新华社发(吴杭 摄)", ["吴杭"]
    p1.raw("茶园春忙")
    p1.caption(tea, "谷雨将至，浙江杭州西湖龙井茶区进入采摘旺季。")
    p1.caption(tea, "图为4月19日，茶农在龙井村的茶园里采摘新茶。", new=False)
    p1.raw("新华社发(吴杭 摄)")

    p2 = Page(2, header="第2版 要闻", widths=(17, 18, 17, 17))
    canteen2 = p2.item(
        kicker="一家国企职工食堂的“翻身记”",
        headline="食堂为啥天天排长队？",
        continued_from=1,
    )
    p2.raw('一家国企职工食堂的"翻身记"')
    p2.raw("食堂为啥天天排长队?")
    p2.raw("(上接第1版)")
    p2.body(
        canteen2,
        "如今，食堂每天供应四十多个菜品，还开设了夜班职工加餐窗口。职工们说，在食堂吃饭又实惠"
        "又放心，下了班还能买点半成品带回家。",
    )
    p2.region()

    comment = p2.item(
        headline="小食堂连着大民生",
        byline="本报特约评论员 林峰",
        authors=["林峰"],
    )
    p2.raw("小食堂连着大民生")
    p2.body(
        comment,
        "一日三餐是职工最关心的小事，也是检验企业管理水平的一面镜子。食堂办得好不好，"
        "职工心里有杆秤。让职工参与食堂管理，就是把选择权交给职工。",
    )
    p2.raw("本报特约评论员 林峰")
    p2.region()

    link = p2.item(kicker="相关链接", headline="职工伙食委员会")
    p2.raw("相关链接")
    p2.raw("职工伙食委员会")
    p2.body(
        link,
        "职工伙食委员会一般由企业工会组织成立，成员以一线职工为主，负责收集职工对食堂的意见建议，"
        "参与菜品定价和食品安全监督。",
    )
    return [p1, p2]
