"""own-a: UTF-8, masthead, pages 1 and 2 (header ``02版:综合``).

Kicker with a comma; a photo title alone above a caption that opens with a date; a
headline + subheadline without a dash or a figure; an in-body subhead; a 短评 box with a
title; a photo group whose credit comes before its 上图/下图 captions; an agency dateline;
furniture (扫码, 电话, 本版编辑 + 校对 on one line); a story jumping to page 2 under its
repeated headline; a commentary signed at its end; a 链接 box; a title glued to a caption
that opens with a date.
"""

from __future__ import annotations

from layout_kit import Page

MASTHEAD = [
    "WORKERS' DAILY",
    "",
    "2022年4月8日 星期五 壬寅年三月初八 第21068期 今日八版",
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
    "date": "2022-04-08",
    "weekday": 5,
    "lunar_date": "壬寅年三月初八",
    "number": 21068,
    "page_count": 8,
}


def pages() -> list[Page]:
    p1 = Page(1)
    fair = p1.item(
        kicker="稳岗扩就业，多地工会搭建线上线下招聘平台",
        headline="春季招聘会送来上万个岗位",
        byline="本报讯(记者王磊 通讯员 刘芳)",
        authors=["王磊", "刘芳"],
        continued_to=2,
    )
    p1.raw("稳岗扩就业,多地工会搭建线上线下招聘平台")
    p1.raw("春季招聘会送来上万个岗位")
    p1.body(
        fair,
        "4月7日上午，河南省郑州市总工会主办的春季大型招聘会在市职工服务中心开场，"
        "来自制造、物流、餐饮等行业的320家企业带来1.2万个岗位。会场外，不少求职者"
        "一早就排起了长队，手里拿着打印好的简历。",
        lead="本报讯(记者王磊 通讯员 刘芳)",
    )
    p1.body(
        fair,
        "“今年我们把招聘会搬到了线上和线下两个场地，求职者扫一扫展位上的二维码，就能看到岗位的"
        "薪酬、工作地点和用工要求。”郑州市总工会就业服务部负责人介绍，线上平台开通一周以来，已有"
        "4800多人投递简历，其中",
    )
    p1.body(
        fair,
        "三成是外出务工返乡人员。为了让求职者少跑腿，工会还在县区设立了12个分会场，组织大巴车免费接送。",
        cont=True,
        tail="(下转第2版)",
    )
    p1.region()

    line = p1.item(kind="photo", headline="检修高压线", source="新华社")
    line.credit, line.photographers = "新华社发(赵文宇 摄)", ["赵文宇"]
    p1.raw("检修高压线")
    p1.caption(
        line,
        "4月7日，国网山东省电力公司的工人在济南市长清区检修一条110千伏输电线路。"
        "入春以来，当地电力部门加紧开展线路巡检，保障春耕用电。",
        widths=[17, 16, 17],
    )
    p1.raw("新华社发(赵文宇 摄)")
    p1.region()

    books = p1.item(
        headline="城市书房开到厂区门口",
        subheadline="工会职工书屋让阅读融入生活",
        byline="本报记者 周晓琳",
        authors=["周晓琳"],
    )
    p1.raw("城市书房开到厂区门口")
    p1.raw("工会职工书屋让阅读融入生活")
    p1.raw("本报记者 周晓琳")
    p1.body(
        books,
        "下班铃声一响，在江苏省苏州工业园区一家电子厂工作的小陈就走进了厂门口的城市书房。"
        "这里有八千多册图书，还有免费的热水和充电插座，晚上十点才关门。",
    )
    p1.body(
        books,
        "去年以来，苏州市总工会联合图书馆在产业园区、建筑工地和物流园建起了一批职工书屋，"
        "书屋实行通借通还，职工凭工会会员卡就能借书。",
    )
    p1.subhead(books, "借书还书不出园区")
    p1.body(
        books,
        "园区工会的工作人员告诉记者，书屋每个月都会根据职工的借阅记录更新书目，技能培训和"
        "职业资格考试类图书最受欢迎。不少职工说，下班后来这里看一会儿书，比刷手机踏实。",
    )
    p1.region()

    rest = p1.item(kicker="短评", headline="让劳动者歇得下脚")
    p1.raw("短评")
    p1.raw("让劳动者歇得下脚")
    p1.body(
        rest,
        "一杯热水、一个充电宝、一张能坐下来的椅子，对快递员、环卫工和网约车司机来说，"
        "就是奔波中难得的温暖。驿站建起来不难，难的是常年开得下去、用得起来。",
    )
    p1.region()

    farm = p1.item(kind="photo", headline="春耕时节农机忙", source="本报")
    farm.credit, farm.photographers = "本报记者 孙悦 摄", ["孙悦"]
    p1.raw("春耕时节农机忙")
    p1.raw("本报记者 孙悦 摄")
    p1.caption(farm, "上图：在黑龙江省北大荒集团建三江分公司，农机手正在检修插秧机。")
    p1.caption(farm, "下图：4月6日，职工在育秧大棚里查看秧苗长势。")
    p1.region()

    rail = p1.item(
        headline="中欧班列一季度开行量同比增长",
        byline="新华社北京4月7日电(记者李思远)",
        authors=["李思远"],
        source="新华社",
        dateline={"place": "北京", "date": "4月7日"},
    )
    p1.raw("中欧班列一季度开行量同比增长")
    p1.body(
        rail,
        "记者从中国国家铁路集团有限公司获悉，今年一季度中欧班列累计开行3630列，发送货物"
        "34.8万标箱，同比分别增长7%和9%，综合重箱率保持在98%以上。",
        lead="新华社北京4月7日电(记者李思远)",
    )
    p1.region()
    p1.raw("扫码看招聘会直播")
    p1.raw("电话:010-84151555")

    p2 = Page(2, header="02版:综合")
    p2.raw("本版编辑:陈可 校对:李明")
    p2.region()
    fair2 = p2.item(headline="春季招聘会送来上万个岗位", continued_from=1)
    p2.raw("春季招聘会送来上万个岗位")
    p2.raw("(上接第1版)")
    p2.body(
        fair2,
        "在招聘会现场，一家汽车零部件企业的人事经理说，企业今年新接了两条生产线的订单，急需"
        "数控操作工和质检员，半天时间就收到了六十多份简历。",
    )
    p2.subhead(fair2, "技能培训跟着岗位走")
    p2.body(
        fair2,
        "针对部分求职者技能与岗位要求不匹配的问题，郑州市总工会在会场设立了技能培训报名点，"
        "与职业院校合作开设电工、焊工、叉车司机等免费培训班，学员结业后优先推荐就业。",
    )
    p2.region()

    comment = p2.item(headline="给一线职工多一些获得感", byline="本报评论员")
    p2.raw("给一线职工多一些获得感")
    p2.body(
        comment,
        "招聘会上人头攒动，说明岗位有需求，劳动者有期待。办好一场招聘会不难，难的是让每一个"
        "走进会场的人都能找到合适的位置，让每一个走上岗位的人都能留得住、干得好。",
    )
    p2.body(
        comment,
        "工会组织离职工最近，更应该把服务做细做实，在技能培训、权益维护、困难帮扶上多下功夫，"
        "让一线职工的获得感成色更足。",
    )
    p2.raw("本报评论员")
    p2.region()

    link = p2.item(kicker="链接", headline="职工书屋建设标准")
    p2.raw("链接")
    p2.raw("职工书屋建设标准")
    p2.body(
        link,
        "按照全国总工会的要求，职工书屋应有固定场所，藏书不少于1000册，并配备必要的阅读设施，"
        "每周开放时间不少于20小时。",
    )
    p2.region()

    port = p2.item(kind="photo", headline="夜色中的港口", source="新华社")
    port.credit, port.photographers = "(新华社记者 程浩 摄)", ["程浩"]
    p2.caption(
        port,
        "4月6日晚，集装箱货轮停靠在江苏连云港港码头，装卸工人正在连夜作业。",
        title="夜色中的港口",
        widths=[19, 18, 19],
    )
    p2.raw("(新华社记者 程浩 摄)")
    return [p1, p2]
