"""own-d: UTF-16 with a BOM and CRLF, no masthead (import with --date 2022-03-26), one page
with the header ``03版:综合``.

A photo title alone above a caption whose first printed line has no comma and no date; a
kicker + headline + subheadline (no dash); a photo group with one credit before 左图/右图
captions; a byline on two staff lines with a correspondent first; a story with no
byline; a title glued to its caption where the caption opens with a place; the page's
furniture at its foot (本版编辑 …, 扫码).
"""

from __future__ import annotations

from layout_kit import Page

MASTHEAD: list[str] = []
ISSUE = {"date": "2022-03-26", "weekday": 6, "lunar_date": "", "number": None, "page_count": None}
DATE = "2022-03-26"


def pages() -> list[Page]:
    p3 = Page(3, header="03版:综合", widths=(17, 17, 18, 17))
    flowers = p3.item(kind="photo", headline="油菜花开引客来", source="本报")
    flowers.credit, flowers.photographers = "本报通讯员 江涛 摄", ["江涛"]
    p3.raw("油菜花开引客来")
    p3.caption(
        flowers,
        "游客在江西省婺源县江岭景区的油菜花田间拍照留念。近年来，当地发展乡村旅游，带动村民在家门口就业。",
    )
    p3.raw("本报通讯员 江涛 摄")
    p3.region()

    museum = p3.item(
        kicker="数字技术让文物“活”起来",
        headline="博物馆里上了一堂劳动课",
        subheadline="中小学生走进工业遗产展",
        byline="本报记者 沈冰",
        authors=["沈冰"],
    )
    p3.raw('数字技术让文物"活"起来')
    p3.raw("博物馆里上了一堂劳动课")
    p3.raw("中小学生走进工业遗产展")
    p3.raw("本报记者 沈冰")
    p3.body(
        museum,
        "3月25日，辽宁省沈阳市铸造博物馆迎来了一批特殊的观众：一百多名小学生在讲解员的带领下，"
        "参观了老工厂留下的翻砂车间和冲天炉。",
    )
    p3.body(
        museum,
        "馆内新开设的数字展厅里，孩子们戴上眼镜，就能“走进”上世纪五十年代的铸造车间，看工人们"
        "浇铸铁水。讲解员说，馆里的不少讲解员都是从工厂退休的老职工，讲起当年的",
    )
    p3.body(museum, "故事来格外生动。", cont=True)
    p3.region()

    dance = p3.item(kind="photo", headline="职工文艺汇演", source="新华社")
    dance.credit, dance.photographers = "新华社发(陈晨 摄)", ["陈晨"]
    p3.raw("职工文艺汇演")
    p3.raw("新华社发(陈晨 摄)")
    p3.caption(dance, "左图：纺织厂女工表演舞蹈《织女新歌》。")
    p3.caption(dance, "右图：铁路职工合唱团在演出中。")
    p3.region()

    coach = p3.item(
        headline="乡村教练带出冠军队",
        byline="本报通讯员 许诺 本报记者 罗兰",
        authors=["许诺", "罗兰"],
    )
    p3.raw("乡村教练带出冠军队")
    p3.raw("本报通讯员 许诺 本报记者 罗兰")
    p3.body(
        coach,
        "在贵州省黔东南州的一所乡村中学，体育老师杨光用了八年时间，把一支连球鞋都凑不齐的足球队带成了全州冠军。",
    )
    p3.body(
        coach,
        "球队的孩子大多是留守儿童。杨光说，足球让他们学会了合作，也让他们更愿意留在学校读书。",
    )
    p3.region()

    film = p3.item(headline="劳模故事搬上大银幕")
    p3.raw("劳模故事搬上大银幕")
    p3.body(
        film,
        "以全国劳动模范、桥梁工人张建国为原型的电影《钢铁脊梁》近日在全国上映。影片讲述了"
        "主人公扎根一线三十年，参与建设多座跨江大桥的故事。",
    )
    p3.region()

    snow = p3.item(kind="photo", headline="雪后长城", source="新华社")
    snow.credit, snow.photographers = "新华社记者 周亮 摄", ["周亮"]
    p3.caption(
        snow,
        "北京八达岭长城迎来春雪，景区工作人员一早上山清扫游览步道上的积雪。",
        title="雪后长城",
    )
    p3.raw("新华社记者 周亮 摄")
    p3.region()
    p3.raw("本版编辑 孟欣 美术编辑 韩雪")
    p3.raw("扫码关注工人日报")
    return [p3]
