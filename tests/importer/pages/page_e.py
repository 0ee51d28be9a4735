"""own-e: GB18030 with CR line ends, masthead without publisher line, pages 1 and 4
(header ``第4版 体育``).

An agency story with two reporters joined by 、; a photo whose caption runs over two
blocks (the first cut mid-sentence) with a ``新华社发 (… 摄)`` credit; a 图片新闻 box with
no title of its own; a byline with an intern before the reporter; a headline + subheadline
where the subheadline gives a figure; a two-line kicker + headline where the kicker lists
with 、; a story cut mid-sentence by a column break; telephone and editor furniture.
"""

from __future__ import annotations

from layout_kit import Page

MASTHEAD = [
    "WORKERS' DAILY",
    "",
    "2022年4月19日 星期二 壬寅年三月十九 第21079期 今日八版",
    "",
    "",
    "",
]
ISSUE = {
    "publication": "工人日报",
    "date": "2022-04-19",
    "weekday": 2,
    "lunar_date": "壬寅年三月十九",
    "number": 21079,
    "page_count": 8,
}


def pages() -> list[Page]:
    p1 = Page(1, widths=(18, 18, 17, 18))
    grain = p1.item(
        headline="春播粮食面积稳中有增",
        byline="新华社北京4月18日电(记者高远、于洋)",
        authors=["高远", "于洋"],
        source="新华社",
        dateline={"place": "北京", "date": "4月18日"},
    )
    p1.raw("春播粮食面积稳中有增")
    p1.body(
        grain,
        "农业农村部18日发布消息，截至4月17日，全国已春播粮食1.8亿亩，完成意向面积的19.5%，"
        "进度同比略快。其中，早稻栽插过六成，春小麦播种近五成。",
        lead="新华社北京4月18日电(记者高远、于洋)",
    )
    p1.body(
        grain,
        "农业农村部有关负责人表示，各地正抢抓农时推进春播，组织农机手跨区作业，确保种足种满。",
    )
    p1.region()

    bridge = p1.item(kind="photo", headline="大桥合龙", source="新华社")
    bridge.credit, bridge.photographers = "新华社发 (刘伟 摄)", ["刘伟"]
    p1.raw("大桥合龙")
    p1.caption(bridge, "4月17日，建设者在湖北武汉一座长江大桥的合龙段施工。这座大桥全长4.1公里，建成后将")
    p1.caption(bridge, "缩短两岸通行时间半小时以上。", new=False)
    p1.raw("新华社发 (刘伟 摄)")
    p1.region()

    night = p1.item(kind="photo", kicker="图片新闻", source="本报", flags=["missing_headline"])
    night.credit, night.photographers = "本报记者 冯涛 摄", ["冯涛"]
    p1.raw("图片新闻")
    p1.caption(night, "图为4月16日夜间，上海一处物流园区的分拣员正在分拣快递包裹。")
    p1.raw("本报记者 冯涛 摄")
    p1.region()

    care = p1.item(
        kicker="关爱新就业形态劳动者、维护合法权益",
        headline="骑手有了“娘家人”",
        byline="本报讯(实习生 吴悠 记者 郑好)",
        authors=["吴悠", "郑好"],
    )
    p1.raw("关爱新就业形态劳动者、维护合法权益")
    p1.raw('骑手有了"娘家人"')
    p1.body(
        care,
        "4月15日，浙江省杭州市外卖配送行业工会联合会召开第一次会员代表大会，一百多名外卖骑手"
        "代表参会。会上，行业工会与多家平台企业签订了集体合同，就骑手的劳动报酬、休息休假和",
        lead="本报讯(实习生 吴悠 记者 郑好)",
    )
    p1.body(care, "劳动安全等作出约定。", cont=True)
    p1.region()
    p1.raw("电话:010-84151666 传真:010-84151667")

    p4 = Page(4, header="第4版 体育", widths=(17, 18, 17, 17))
    p4.raw("本版编辑:唐宁 校对:郭瑞")
    p4.region()
    run = p4.item(
        headline="万人马拉松重回城市街头",
        subheadline="参赛选手中职工占四成",
        byline="本报记者 钟鸣",
        authors=["钟鸣"],
    )
    p4.raw("万人马拉松重回城市街头")
    p4.raw("参赛选手中职工占四成")
    p4.raw("本报记者 钟鸣")
    p4.body(
        run,
        "4月17日清晨，一万余名跑者从江苏省扬州市文昌阁出发，沿着古运河奔跑。组委会介绍，今年"
        "报名的选手中，企业职工约占四成，不少企业工会组织职工组队参赛。",
    )
    p4.body(
        run,
        "赛道沿线，志愿者为选手递水、加油。一家制造企业的工会主席说，公司有六十多名职工报名，"
        "大家提前一个月就开始结伴训练。",
    )
    p4.region()

    chess = p4.item(headline="职工象棋赛落幕", byline="本报讯", source="本报")
    p4.raw("职工象棋赛落幕")
    p4.body(
        chess,
        "为期三天的全国铁路职工象棋比赛4月16日在郑州落幕，来自18个铁路局集团公司的"
        "一百余名棋手参赛，郑州局集团公司代表队获得团体冠军。",
        lead="本报讯 ",
    )
    return [p1, p4]
