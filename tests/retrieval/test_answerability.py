"""Checking a candidate sentence and its article against the question."""

from __future__ import annotations

import datetime as dt

from retrieval.answer_candidates import candidates, near
from retrieval.answerability import (
    asked_roles,
    missing,
    names_the_role,
    type_fits,
)
from retrieval.article_facts import Support, article_gaps
from retrieval.folding import fold
from retrieval.question import analyze

TODAY = dt.date(2025, 6, 20)
LOAN = (
    "近日，在人民银行乐山市分行指导下，乐山农商银行成功向乐山市亚庆农牧科技有限责任公司"
    "（以下简称“亚庆农牧”）发放380万元农业转型贷款。"
)
LOAN_ARTICLE = Support.of("落地符合农业转型金融标准贷款\n" + LOAN, "2025-06-12")


def test_answer_passes_every_check() -> None:
    asked = analyze("乐山农商银行向哪家公司发放了贷款？")
    assert missing(asked, LOAN, LOAN_ARTICLE, TODAY) == []


def test_absent_focus_word_is_missing() -> None:
    asked = analyze("乐山农商银行的董事长是谁？")
    assert "role:董事长" in missing(asked, LOAN, LOAN_ARTICLE, TODAY)


def test_number_answer_needs_its_unit() -> None:
    asked = analyze("海底捞现在一共有多少名员工？")
    sentence = "2022年，海底捞员工总数同比减少超四分之一。"
    article = Support.of(sentence, "2023-08-01")
    assert "type:number" in missing(asked, sentence, article, TODAY)
    with_count = "海底捞共有员工12万人。"
    assert missing(asked, with_count, Support.of(with_count, "2023-08-01"), TODAY) == []


def test_year_answer_needs_a_year() -> None:
    asked = analyze("乐山市委书记赵波是哪一年出生的？")
    sentence = "6月9日至10日上午，赵波率队实地考察24个重点项目。"
    assert "type:date" in missing(asked, sentence, Support.of(sentence, "2025-06-12"), TODAY)


def test_tomorrow_is_not_answered_from_old_news() -> None:
    asked = analyze("明天成都的最高气温是多少度？")
    sentence = "成都明天最高气温35度。"
    old = Support.of(sentence, "2023-07-01")
    assert "date:明天" in missing(asked, sentence, old, TODAY)
    fresh = Support.of(sentence, "2025-06-19")
    assert missing(asked, sentence, fresh, TODAY) == []


def test_day_answer_needs_a_day() -> None:
    asked = analyze("乐山农商银行向亚庆农牧发放那笔380万元贷款是在哪一天？")
    assert "type:date" in missing(asked, LOAN, LOAN_ARTICLE, TODAY)
    dated = "6月12日，乐山农商银行向亚庆农牧发放380万元贷款。"
    assert missing(asked, dated, Support.of(dated, "2025-06-12"), TODAY) == []


def test_a_count_in_chinese_numerals_answers_a_how_many_question() -> None:
    asked = analyze("生态环境部提出了几项监管措施？")
    sentence = "生态环境部提出三项监管措施，加强排污许可管理。"
    assert candidates(sentence, "number", asked.text, asked.units) == ["三项"]
    assert "type:number" not in missing(asked, sentence, Support.of(sentence, "2023-08-01"), TODAY)
    # The question's own numeral is still no answer: 「几」 asked, 「两项」 stated.
    assert candidates("两项措施已落实。", "number", "两项措施落实了几项？", ("项",)) == []


def test_type_fits_reads_numbers_and_dates_and_leaves_people_to_the_tagger() -> None:
    asked = analyze("2023年上半年发现了多少批次的不合格样品？")
    assert type_fits(asked, "共发现不合格样品70174批次。") is True
    assert type_fits(asked, "发现不合格样品的批次将逐一复查。") is False
    assert type_fits(analyze("乐山农商银行的董事长是谁？"), LOAN) is None
    assert type_fits(analyze("乐山农商银行发放了贷款吗？"), LOAN) is None


def test_a_span_or_a_frequency_in_chinese_numerals_is_a_number() -> None:
    # 「多长时间」 accepts weeks; 「几班」 wants a count of 班, and 「周二、四」 is none.
    asked = analyze("在多长时间内要求释放总统巴祖姆？")
    sentence = "西共体要求尼日尔政变军人在一周内释放遭扣押的总统巴祖姆并恢复其总统职权。"
    assert "一周" in candidates(sentence, "number", asked.text, asked.units)
    assert "type:number" not in missing(asked, sentence, Support.of(sentence, "2023-07-31"), TODAY)
    flights = analyze("重庆至日本直飞客运航线每周几班？")
    timetable = "厦门航空重庆直飞大阪航线每周三班，每周二、四、六执飞。"
    assert flights.units == ("班",)
    assert candidates(timetable, "number", flights.text, flights.units) == ["三班"]
    assert candidates("数十家企业和十余名专家参会。", "number", "有多少家企业？", ("家",)) == [
        "数十家"
    ]


def test_the_verb_of_the_question_anchors_the_answer() -> None:
    # 「11人」 stands far from the noun 「事故」 but right before the asked verb 「死亡」.
    asked = analyze("事故造成多少人死亡？")
    sentence = (
        "原标题：齐齐哈尔体育馆坍塌致11人死亡，当地媒体和央媒的报道标题对比，"
        "7月23日，齐齐哈尔市第三十四中学体育馆发生坍塌，事故造成多人死亡。"
    )
    found = candidates(sentence, "number", asked.text, asked.units)
    assert "死亡" in asked.verbs
    assert not near(sentence, found, [*asked.focus])
    assert "type:number" not in missing(asked, sentence, Support.of(sentence, "2023-07-24"), TODAY)


def test_a_name_ending_in_the_asked_class_noun_answers() -> None:
    asked = analyze("李俊升曾在哪些医院工作过？")
    sentence = "李俊升先后6次工作在我国政府援助卢旺达的马萨卡医院和基本戈医院。"
    assert "马萨卡医院" in candidates(sentence, "place", asked.text, classes=asked.answer_class)
    assert "type:place" not in missing(asked, sentence, Support.of(sentence, "2023-08-01"), TODAY)
    # The bare class noun, or one after a common word, is no name: still refused.
    vague = "李俊升多年来一直在医院和第三方机构工作。"
    assert "type:place" in missing(asked, vague, Support.of(vague, "2023-08-01"), TODAY)
    agency = analyze("为亚庆农牧量身定制转型方案的是哪家机构？")
    assert "第三方机构" not in candidates(vague, "who", agency.text, classes=agency.answer_class)


def test_an_office_name_answers_who() -> None:
    asked = analyze("谁召开了全省燃气安全检查线上业务培训会议？")
    sentence = "7月26日，广东省市场监管局召开全省燃气安全检查线上业务培训会议。"
    assert "广东省市场监管局" in candidates(sentence, "who", asked.text)
    assert missing(asked, sentence, Support.of(sentence, "2023-07-27"), TODAY) == []
    # Two-character words ending the same way (「格局」「全部」) name no office.
    assert candidates("全部会议改变了燃气行业格局。", "who", asked.text) == []


def test_a_transliterated_name_answers_where() -> None:
    # jieba tags 「阿斯塔纳」 as a transliterated name (nrt), not a place (ns).
    asked = analyze("阿富汗商品展在哪个城市举行的？")
    sentence = "当地时间8月3日，哈萨克斯坦阿斯塔纳，阿富汗商品展当日启幕。"
    assert "阿斯塔纳" in candidates(sentence, "place", asked.text)
    assert missing(asked, sentence, Support.of(sentence, "2023-08-03"), TODAY) == []


def test_a_which_place_question_is_answered_by_an_ordinal() -> None:
    # 「排名第几」 asks for a place in an order: the date in the lead is no answer to it.
    asked = analyze("广州在2022年的全球城市指数中排名第几？")
    assert asked.units == ("第",)
    lead = "广州在全球城市指数排名中表现稳定8月3日，广州市社会科学院发布蓝皮书。"
    fact = "广州在全球城市指数中上升4名，位于全球第56位；"
    assert type_fits(asked, lead) is False
    assert candidates(fact, "number", asked.text, asked.units) == ["第56位"]
    assert type_fits(asked, fact) is True
    # An ordinal the question itself states is no answer either.
    second = analyze("广州排名第3，深圳排名第几？")
    assert candidates("广州排名第3，深圳排名第5。", "number", second.text, second.units) == ["第5"]


def test_a_day_of_the_month_or_a_year_is_no_amount() -> None:
    # 「26日晚」 dates the statement; 「一周」 is the span asked for.
    asked = analyze("在多长时间内要求释放总统巴祖姆？")
    dated = "尼日尔政变军人26日晚发表声明，称已推翻总统巴祖姆。"
    span = "西共体要求尼日尔政变军人在一周内释放遭扣押的总统巴祖姆。"
    assert candidates(dated, "number", asked.text, asked.units) == []
    assert type_fits(asked, dated) is False
    assert candidates(span, "number", asked.text, asked.units) == ["一周"]
    # A count of days still is one.
    assert candidates("须在30日内释放。", "number", asked.text, asked.units) == ["30日内"]
    income = analyze("上半年文化企业营业收入是多少？")
    assert candidates("2023年上半年，营业收入59357亿元。", "number", income.text) == ["59357亿元"]


def test_a_room_or_a_station_answers_where() -> None:
    # 「哪里」 is answered by where a thing was taken, not only by a town's name.
    asked = analyze("马斯克把举重仪器带到了哪里？")
    sentence = "他还说，自己没有时间来专门健身，所以把举重仪器带到了办公室。"
    assert candidates(sentence, "place", asked.text) == ["办公室"]
    article = Support.of("马斯克称要与扎克伯格格斗。" + sentence, "2023-08-07")
    assert missing(asked, sentence, article, TODAY) == []
    # A sentence naming no place at all still does not answer.
    other = "他还说，自己没有时间来专门健身，所以每天都举重。"
    assert missing(asked, other, article, TODAY) == ["type:place"]


def test_a_year_that_turned_out_is_not_told_by_a_story_written_before_it() -> None:
    asked = analyze("2028年市长选举最终是谁当选了？")
    before = Support.of("2028年市长选举参选人张伟表示将推动旧城改造。", "2027-06-01")
    assert "date:2028年" in missing(asked, "2028年市长选举参选人张伟表示将推动旧城改造。",
                                    before, TODAY)
    # undated: the latest year it names dates it
    undated = Support.of("张伟在2028年市长选举中当选，2029年1月就职。", "")
    assert missing(asked, "张伟在2028年市长选举中当选。", undated, TODAY) == []


def test_a_candidate_is_not_the_winner_an_outcome_question_asks_for() -> None:
    asked = analyze("2028年市长选举最终是谁当选了？")
    article = Support.of("2028年市长选举参选人张伟今天接受专访。", "2028-03-01")
    gaps = missing(asked, "2028年市长选举参选人张伟今天接受专访。", article, TODAY)
    assert gaps[0] == "type:outcome"  # and no 「当选」 (`QuestionAnalysis.deed`)


def test_a_whole_year_figure_needs_a_story_from_after_that_year() -> None:
    asked = analyze("某车企2028年全年汽车销量是多少辆？")
    sentence = "某车企2028年7月汽车销量达到26万辆，全年目标为300万辆。"
    assert "date:2028年底" in missing(asked, sentence, Support.of(sentence, "2028-08-01"), TODAY)
    assert missing(asked, sentence, Support.of(sentence, "2029-01-05"), TODAY) == []


def test_a_count_of_people_does_not_answer_how_much_money() -> None:
    asked = analyze("东湖体育场的建设总投资是多少？")
    crowd = "可容纳4万人、建筑面积约32万平方米的东湖体育场将举办开幕式。"
    assert "type:number" in missing(asked, crowd, Support.of(crowd, "2023-07-28"), TODAY)
    cost = "东湖体育场建设总投资约45亿元，可容纳4万人。"
    assert missing(asked, cost, Support.of(cost, "2023-07-28"), TODAY) == []


def test_a_who_question_about_a_role_needs_a_sentence_naming_the_role() -> None:
    asked = analyze("霸王茶姬的创始人是谁？")
    other = "霸王茶姬或选择通过美国银行和花旗赴美IPO。"
    article = Support.of("霸王茶姬创始人张俊杰表示……" + other, "2023-08-09")
    assert missing(asked, other, article, TODAY) == ["type:who"]
    named = "霸王茶姬创始人张俊杰表示，品牌将继续扩张。"
    assert missing(asked, named, article, TODAY) == []
    # a head word that is a name of the question is no role (「龙贸通是由谁开发的」)
    platform = analyze("龙贸通是由谁开发建设的？")
    built = "该平台由黑龙江省交通投资集团有限公司开发建设。"
    article = Support.of("龙贸通上线。" + built, "2023-08-01")
    assert "type:who" not in missing(platform, built, article, TODAY)


def test_a_district_places_the_question_so_its_city_need_not_be_named() -> None:
    asked = analyze("北京市平谷区纪委书记是谁？")
    sentence = "平谷区纪委书记赵凌云带队检查。"
    assert missing(asked, sentence, Support.of(sentence, "2023-08-01"), TODAY) == []


def test_next_year_is_answered_only_from_a_story_of_this_year() -> None:
    asked = analyze("明年春节假期一共放几天？")
    sentence = "明年春节假期共放8天。"
    this_year = Support.of(sentence, "2025-03-01")
    assert "date:明年" not in missing(asked, sentence, this_year, TODAY)
    last_year = Support.of(sentence, "2024-12-01")
    assert "date:明年" in missing(asked, sentence, last_year, TODAY)


def test_a_measured_quantity_needs_its_unit_and_a_web_address_holds_no_number() -> None:
    area = analyze("特斯拉上海超级工厂的占地面积有多大？")
    staff = "特斯拉上海超级工厂7月18日回应称员工人数众多。"
    assert "type:number" in missing(area, staff, Support.of(staff, "2023-07-18"), TODAY)
    acres = "特斯拉上海超级工厂占地面积约86.5万平方米。"
    assert missing(area, acres, Support.of(acres, "2023-07-18"), TODAY) == []
    size = analyze("百度文心一言大模型的参数规模有多少亿？")
    link = "百度文心一言大模型评测，来源：https://news.zol.com.cn/828/8283117.html"
    assert "type:number" in missing(size, link, Support.of(link, "2023-08-16"), TODAY)


def test_what_a_term_holds_is_answered_only_by_a_sentence_that_says_it() -> None:
    asked = analyze("乐山的“241”现代工业产业体系具体是指哪些产业？")
    names = "项目建设为乐山“241”现代工业产业体系注入了强劲动力。"
    article = Support.of(names, "2025-06-12")
    assert "type:definition" in missing(asked, names, article, TODAY)
    says = "“241”现代工业产业体系是指两大主导产业、四大优势产业和一批新兴产业。"
    assert "type:definition" not in missing(asked, says, Support.of(says, "2025-06-12"), TODAY)


def test_a_noun_describing_the_subject_is_no_role_asked_about() -> None:
    asked = analyze("李俊升医生在哪个医院担任外科主任？")
    sentence = "内蒙古自治区第四医院外科主任李俊升参加义诊。"
    article = Support.of("援卢旺达医疗队的医生们回国。" + sentence, "2023-08-01")
    assert missing(asked, sentence, article, TODAY) == []


def test_a_story_that_never_names_the_deed_does_not_answer_who_did_it() -> None:
    asked = analyze("2023年女足世界杯决赛，最后是谁踢进了制胜球？")
    semifinal = "2023女足世界杯半决赛上，英格兰队3:1战胜澳大利亚队，将与西班牙女足争夺冠军。"
    support = Support.of(semifinal, "2023-08-16")
    assert "about:制胜球" in missing(asked, semifinal, support, TODAY)


def test_a_compound_noun_is_named_by_its_first_word() -> None:
    asked = analyze("8月4日新秀丽的收盘价是多少？")
    report = "截至2023年8月4日收盘，新秀丽报收于22.9港元，上涨1.33%。"
    assert missing(asked, report, Support.of(report, "2023-08-04"), TODAY) == []
    elsewhere = "新秀丽8月4日主力资金净流入29.34万港元。"  # no 收盘 at all
    assert "about:收盘价" in missing(asked, elsewhere, Support.of(elsewhere, "2023-08-04"), TODAY)


def test_a_role_is_still_named_whole_by_the_answer_sentence() -> None:
    asked = analyze("福建钜能电力的董事长是谁？")
    board = "福建钜能电力召开董事会，董事王某出席。"
    assert missing(asked, board, Support.of(board, "2023-08-04"), TODAY) != []


def test_where_a_person_comes_from_is_told_only_by_an_origin() -> None:
    asked = analyze("乐山市市长赵迎春是哪里人？")
    visit = "6月9日至10日上午，赵波、赵迎春分别率队深入乐山高新区，实地考察24个重点项目。"
    assert "type:place" in missing(asked, visit, Support.of(visit, "2025-06-12"), TODAY)
    born = "乐山市市长赵迎春，女，汉族，1971年出生，四川仁寿人。"
    assert missing(asked, born, Support.of(born, "2025-06-12"), TODAY) == []


def test_a_measured_quantity_is_told_only_by_a_sentence_naming_it() -> None:
    asked = analyze("游泳运动员张雨霏的身高是多少？")
    race = "中国运动员张雨霏在女子50米蝶泳项目中打破赛会记录。"
    assert "type:number" in missing(asked, race, Support.of(race, "2023-08-01"), TODAY)
    told = "游泳运动员张雨霏身高1.76米，是中国游泳队的主力。"
    assert missing(asked, told, Support.of(told, "2023-08-01"), TODAY) == []


def test_a_missing_name_inside_a_longer_missing_name_is_told_once() -> None:
    asked = analyze("乐山农商银行的董事长是谁？")
    other = "益阳农商银行董事长阳烨被查。"
    gaps = missing(asked, other, Support.of(other, "2023-08-01"), TODAY)
    assert "乐山农商银行" in gaps and "乐山" not in gaps


def test_a_birth_is_told_by_a_sentence_that_tells_a_birth() -> None:
    asked = analyze("乐山市委书记赵波是哪一年出生的？")
    assert "birth" in asked.must_tell and not analyze("事故是哪天发生的？").must_tell
    meeting = "乐山市2025年二季度产业推进会召开，市委书记赵波出席会议。"
    support = Support.of(meeting, "2025-06-10")
    assert "type:date" in missing(asked, meeting, support, TODAY)
    born = "赵波，1971年3月生，四川仁寿人，现任乐山市委书记。"
    assert missing(asked, born, Support.of(born, "2025-06-10"), TODAY) == []
    span = "吴冠中（1919年－2010年），江苏宜兴人，画家。"  # a life's span tells the birth too
    lived = analyze("画家吴冠中生于哪一年？")
    assert "birth" in lived.must_tell and missing(lived, span, Support.of(span, ""), TODAY) == []


def test_a_compound_role_is_named_by_its_last_word() -> None:
    # 「事务所律师是谁」: the sentence writes 「律师事务所丁金坤律师」
    asked = analyze("上海大邦律师事务所律师是谁？")
    told = "上海大邦律师事务所丁金坤律师向记者表示，高空抛物涉及多个罪名。"
    assert "type:who" not in missing(asked, told, Support.of(told, "2023-07-01"), TODAY)
    # a role of three characters is named whole: 「董事」 does not name the chairman
    chair = analyze("乐山农商银行的董事长是谁？")
    board = "乐山农商银行董事张三出席会议。"
    assert "type:who" in missing(chair, board, Support.of(board, "2025-06-01"), TODAY)


def test_a_name_after_a_title_is_a_person_though_jieba_does_not_know_it() -> None:
    sentence = "柬埔寨人民党发言人速恩山表示，“我们以压倒性优势获胜”。"
    assert "速恩山" in candidates(sentence, "who", "柬埔寨人民党发言人是谁？")


def test_another_name_is_told_by_a_sentence_that_names_it() -> None:
    asked = analyze("长江荆州段非法采砂案中查获的智能“隐形”吸砂船有什么别称？")
    assert "alias" in asked.must_tell
    raid = "长航公安局荆州分局当场查获采砂船1艘，运砂船4艘，抓获犯罪嫌疑人9名。"
    article = Support.of("长江荆州段非法采砂案，智能“隐形”吸砂船。" + raid, "2023-08-01")
    assert "type:definition" in missing(asked, raid, article, TODAY)
    named = "这种智能“隐形”吸砂船被称为“血吸虫”。"
    assert "type:definition" not in missing(asked, named, article, TODAY)


def test_a_birth_belongs_to_the_person_the_sentence_names() -> None:
    asked = analyze("茅台集团党委书记丁雄军是哪一年出生的？")
    colleague = "此次拟不再担任茅台集团总经理的李静仁，出生于1964年1月，浙江建德人。"
    article = Support.of("茅台集团党委书记丁雄军主持会议。" + colleague, "2023-08-01")
    assert "type:date" in missing(asked, colleague, article, TODAY)
    own = "丁雄军，1972年6月出生，贵州人。"
    assert "type:date" not in missing(asked, own, Support.of(own, "2023-08-01"), TODAY)


def test_a_sentence_saying_the_fact_is_not_told_does_not_answer() -> None:
    asked = analyze("沪上阿姨今年8月获得的那轮战略融资，金额到底是多少？")
    sentence = "沪上阿姨获得新一轮战略融资，由嘉御基金等合投，融资金额未披露，此前两轮为1亿元。"
    article = Support.of(sentence, "2023-08-10")
    assert "type:number" in missing(asked, sentence, article, TODAY)


def test_until_when_is_answered_by_an_end() -> None:
    asked = analyze("合肥合柴1972文创园的战地摄影图片展，展出活动持续到哪天？")
    opening = "8月1日，战地摄影图片展在合肥市合柴1972文创园开幕。"
    article = Support.of("战地摄影图片展在合柴1972文创园展出。" + opening, "2023-08-02")
    assert "type:date" in missing(asked, opening, article, TODAY)
    closing = "战地摄影图片展在合柴1972文创园展出，持续至8月15日。"
    assert missing(asked, closing, Support.of(closing, "2023-08-02"), TODAY) == []


def test_a_count_of_people_is_no_name() -> None:
    # jieba tags 「二人」 as a person's name: the sentence names none of the rescuers
    sentence = "附近的两名男子迅速跳入河水中，将母女二人救上岸边。"
    question = "从大渡河里救上母女的两名男子叫什么名字？"
    assert analyze(question).answer_type == "who"
    assert candidates(sentence, "who", question) == []


def test_whether_something_turned_out_is_answered_by_a_result_told() -> None:
    # no year stated: a yes-or-no about a result still needs a result, not a plan
    asked = analyze("俄罗斯“月球-25”号探测器最后在月球南极成功着陆了吗？")
    assert asked.outcome == ("", 0, True)
    plan = "俄罗斯“月球-25”号探测器计划于8月21日在月球南极着陆。"
    assert "type:outcome" in missing(asked, plan, Support.of(plan, "2023-08-12"), TODAY)
    assert analyze("月球-25号探测器计划何时着陆？").outcome == ("", 0, False)


def test_an_earlier_post_is_told_by_a_sentence_about_the_past() -> None:
    asked = analyze("瑞幸咖啡董事长郭谨一在执掌瑞幸之前在哪家公司任职？")
    now = "瑞幸咖啡董事长郭谨一称，公司门店规模还有很大拓展空间，新京报贝壳财经记者获悉。"
    article = Support.of("瑞幸咖啡执掌任职。" + now, "2023-08-02")
    assert "type:who" in missing(asked, now, article, TODAY)
    past = "郭谨一此前曾任神州优车集团副总裁。"
    assert "type:who" not in missing(asked, past, Support.of(now + past, "2023-08-02"), TODAY)
    assert "earlier_post" not in analyze("重庆原副区长杨华，他之前是哪个区的？").must_tell


def test_only_the_role_a_who_question_asks_about_is_a_role_gap() -> None:
    story = Support.of("乐山农商银行发放380万元农业转型贷款。", "2025-06-12")
    assert "role:董事长" in missing(analyze("乐山农商银行的董事长是谁？"), LOAN, story, TODAY)
    place = missing(analyze("乐山农商银行的员工食堂在哪里？"), LOAN, story, TODAY)
    assert "about:食堂" in place and not any(g.startswith("role:") for g in place)


def test_a_lettered_funding_round_is_a_fact_the_story_must_hold() -> None:
    asked = analyze("滴灌通的B轮融资金额是多少？")
    assert "b轮" in asked.facts
    told = "8月2日，滴灌通宣布完成4.58亿美元C轮融资。"
    assert "about:b轮" in missing(asked, told, Support.of(told, "2023-08-02"), TODAY)
    earlier = Support.of("滴灌通此前完成B轮融资。" + told, "2023-08-02")
    assert "about:b轮" not in article_gaps(asked, earlier)
    assert analyze("这家公司完成Pre-A轮融资了吗？").facts == ("pre-a轮",)


def test_a_founding_is_told_by_a_sentence_that_tells_a_founding() -> None:
    asked = analyze("字节跳动是哪一年成立的？")
    assert "founding" in asked.must_tell and not analyze("字节跳动哪一年营收最高？").must_tell
    revenue = "报道援引知情人士消息，字节跳动去年总收入850亿美元（按照2022年底汇率计算）。"
    assert "type:date" in missing(asked, revenue, Support.of(revenue, "2023-08-01"), TODAY)
    founded = "字节跳动成立于2012年，总部位于北京。"
    assert missing(asked, founded, Support.of(founded, "2023-08-01"), TODAY) == []
    built = "西湖音乐喷泉建于2003年。"  # 建于 tells a founding too
    fountain = analyze("西湖音乐喷泉是哪一年建立的？")
    assert missing(fountain, built, Support.of(built, "2023-08-01"), TODAY) == []


def test_a_chief_is_not_any_holder_of_the_role() -> None:
    asked = analyze("国产大飞机C919的总设计师是谁？")  # jieba cuts 「总 设计师」
    assert asked.head == ("总设计师",)
    vague = "谢陵表示，国产大飞机C919商业化成功、中国培养了大量的飞机设计师。"
    assert "type:who" in missing(asked, vague, Support.of(vague, "2023-08-01"), TODAY)
    chief = "C919总设计师吴光辉介绍，首架飞机已交付。"
    assert missing(asked, chief, Support.of(chief, "2023-08-01"), TODAY) == []


def test_a_listing_a_comparison_and_a_kind_noun_are_no_names() -> None:
    listed = analyze("在创业板上市的佛山市蓝箭电子股份有限公司成立于什么时候？")
    assert ("上市",) not in listed.entities and "上市" in listed.verbs  # 「登陆创业板」
    profit = analyze("巴比食品2023年中报里，净利润同比下滑了多少？")
    assert not any("同比" in e for e in profit.entities)
    brand = analyze("第六届进博会上的水处理企业BWT集团，品牌历史可以追溯到哪一年？")
    assert ("bwt",) in brand.entities and ("企业bwt",) not in brand.entities
    assert ("海螺ai",) in analyze("海螺AI是哪家公司的产品？").entities


def test_whether_a_case_was_decided_needs_a_decision_told() -> None:
    asked = analyze("特朗普的“密件案”后来审判结果怎么样，判了没有？")
    assert asked.outcome == ("", 0, True)
    plan = "法官宣布，特朗普的“密件案”庭审工作将于2024年5月20日开始。"
    assert "type:outcome" in missing(asked, plan, Support.of(plan, "2023-07-22"), TODAY)


def test_in_which_release_asks_no_place() -> None:
    asked = analyze("苹果称“屏幕使用时间”设置被意外重置的问题已在哪个iOS版本中修复？")
    assert asked.answer_type == ""
    assert analyze("会议在哪个城市举行？").answer_type == "place"


def test_which_team_is_champion_asks_for_the_champion() -> None:
    asked = analyze("2023年全国板球锦标赛女子冠军是哪所学校的队伍？")
    assert asked_roles(asked) == ["冠军"]
    sent = "沈阳体育学院派出两支队伍参加全国板球锦标赛。"
    assert "type:who" in missing(asked, sent, Support.of(sent + "冠军", "2023-08-15"), TODAY)
    won = "最终，沈阳体育学院女队夺得全国板球锦标赛冠军。"
    story = Support.of("2023年全国板球锦标赛女子组，学校队伍。" + won, "2023-08-15")
    assert missing(asked, won, story, TODAY) == []
    assert asked_roles(analyze("杨朝祥初中是就读于哪所学校？")) == []  # a verb holds no role


def test_how_high_is_told_by_a_height_not_by_any_length() -> None:
    asked = analyze("成都大运会东安湖那个主火炬塔有多高？")
    assert asked.measures == "高" and "米" in asked.units
    relay = "樊添瑞是第十四届全运会男子4×400米冠军成员，在东安湖传递成都大运会火炬。"
    assert "type:number" in missing(asked, relay, Support.of(relay, "2023-07-28"), TODAY)
    told = "成都大运会东安湖主火炬塔高达30米。"
    assert missing(asked, told, Support.of(told, "2023-07-28"), TODAY) == []


def test_a_person_described_as_an_expert_needs_no_expert_named() -> None:
    asked = analyze("接受采访时说今年极端高温主因是全球变暖的专家是谁？")
    assert asked_roles(asked) == []
    told = "中国气象局原副局长朱定真说，极端高温的主因是全球变暖。"
    assert missing(asked, told, Support.of("今年" + told + "接受采访", "2023-07-25"), TODAY) == []
    assert asked_roles(analyze("这个案子是哪家法院判的？")) == []  # a case holds no role


def test_whether_a_plant_is_producing_asks_how_things_turned_out() -> None:
    asked = analyze("台积电在苗栗铜锣建的先进封装厂现在量产了没？")
    assert asked.outcome == ("", 0, True)
    plan = "台积电将斥资900亿新台币在苗栗县铜锣乡兴建先进封装厂，预计2026年量产。"
    assert "type:outcome" in missing(asked, plan, Support.of(plan, "2023-07-25"), TODAY)


def test_how_a_contest_ended_asked_with_finally_needs_a_result_told() -> None:
    asked = analyze("第一届全国学生运动会手球女子组最后是哪支队伍拿到了金牌？")
    assert asked.outcome == ("", 0, True)
    preview = "广西南宁队、北京朝阳队等9支队伍晋级决赛，她们将在9天的赛期里向金牌发起冲击。"
    assert "type:outcome" in missing(asked, preview, Support.of(preview, "2023-08-01"), TODAY)
    # 「最后」 alone settles nothing: 「谁当选」 is answered by 「主席李丰」
    assert analyze("会议最后选出的主席是谁？").outcome == ("", 0, False)


def test_a_total_of_a_stated_year_needs_a_story_from_that_year() -> None:
    asked = analyze("2024年成都世园会一共接待了多少游客？")
    assert asked.outcome == ("2024年", 2024, False)
    plan = "作为2024年成都世园会的分会场，郫都区规划打造“一心、一片、一环”。"
    assert "date:2024年" in missing(asked, plan, Support.of(plan, "2023-08-09"), TODAY)


def test_what_a_role_holder_is_called_needs_the_role_named() -> None:
    asked = analyze("河北涞水县的县委书记叫什么名字？")
    assert asked_roles(asked) == ["县委书记"]
    villager = "河北涞水县赵各庄镇蓬头村村民张树告诉记者。"
    assert "type:who" in missing(asked, villager, Support.of(villager, "2023-08-02"), TODAY)
    assert asked_roles(analyze("那篇文章的题目叫什么？")) == []  # 「题为《…》」 names it


def test_a_figure_belongs_to_the_quarter_named_before_it() -> None:
    asked = analyze("可口可乐2023年一季度营收是多少亿美元？")
    q2 = "这家软饮料制造商周三公布，Q2营收为120亿美元，同比增长6%。"
    story = Support.of("一季度，2023。" + q2, "2023-07-27")
    assert "type:number" in missing(asked, q2, story, TODAY)
    q1 = "可口可乐2023年一季度营收为109.8亿美元，同比增长5%。"
    assert missing(asked, q1, Support.of(q1, "2023-04-26"), TODAY) == []


def test_an_origin_is_not_a_city_peoples_office() -> None:
    asked = analyze("舒兰市常务副市长骆旭东老家是哪里的？")
    assert "origin" in asked.must_tell
    office = "遇险失联的舒兰市委常委、常务副市长骆旭东和舒兰市人民武装部副部长。"
    assert "type:place" in missing(asked, office, Support.of(office, "2023-08-06"), TODAY)


def test_a_forecast_for_the_whole_year_is_told_before_the_year_ends() -> None:
    asked = analyze("工研院下调了台湾半导体产值预估，2023年全年预计是多少？")
    assert asked.outcome == ("", 0, False)
    assert analyze("2023年全年全球智能手机出货量是多少？").outcome[:2] == ("2023年底", 2024)


def test_a_tenure_is_no_life_span() -> None:
    asked = analyze("甘肃岷县原县委书记郭世杰是哪一年出生的？")
    tenure = "2009年至2021年，被告人郭世杰在担任岷县县委书记期间非法收受财物。"
    assert "type:date" in missing(asked, tenure, Support.of(tenure, "2023-08-01"), TODAY)


def test_whether_a_court_ruled_asks_for_the_ruling() -> None:
    asked = analyze("泰国宪法法院最后有没有认定皮塔持有媒体股份违反了选举法？")
    assert asked.outcome == ("", 0, True)
    filed = "泰国选举委员会于7月12日正式向泰国宪法法院提起对皮塔下议员资格的释宪申请。"
    assert "type:outcome" in missing(asked, filed, Support.of(filed, "2023-07-20"), TODAY)


def test_already_tells_no_result() -> None:
    asked = analyze("美军在关岛首次试射拦截弹，拦截成功了吗？")
    plan = "美国导弹防御局已经在2024财年为关岛反导系统申请了8亿美元的资金。"
    assert "type:outcome" in missing(asked, plan, Support.of(plan + "试射", "2023-07-20"), TODAY)



def test_a_later_year_is_told_only_by_a_sentence_naming_it() -> None:
    asked = analyze("2024年7月份西安市居民消费价格指数同比涨了多少？")
    july = "7月份，西安市居民消费价格指数同比下降0.3%，降幅较上一个月扩大0.5个百分点；"
    story = Support.of("西安7月CPI。2024年物价预期平稳。" + july, "2023-08-09")
    assert "date:2024年" in missing(asked, july, story, TODAY)
    plan = "2024年7月份，西安市居民消费价格指数预计同比上涨1%。"
    assert "date:2024年" not in missing(asked, plan, Support.of(plan, "2023-08-09"), TODAY)
    # a story of the year asked about tells its own July without naming the year
    assert "date:2024年" not in missing(asked, july, Support.of(july, "2024-08-09"), TODAY)


def test_an_undated_storys_this_year_may_be_the_year_after_the_last_it_names() -> None:
    asked = analyze("日本2023年上半年的贸易逆差是多少？")
    half = "日本今年上半年贸易逆差达6.96万亿日元，贸易逆差从2021年下半年起持续至今。"
    story = Support.of(half + "由于2022年上半年日本贸易逆差额创下新高。", "")
    assert "date:2023年" not in missing(asked, half, story, TODAY)
    fair = analyze("2024年中国图书馆年会在哪个城市举办？")
    named = "公布今年9月将在河南省郑州市举办2023年中国图书馆年会。"
    assert "date:2024年" in missing(fair, named, Support.of(named, ""), TODAY)


def test_a_story_dated_long_before_the_years_it_tells_of_is_not_dated_by_them() -> None:
    asked = analyze("2008年，吉斯伯恩大区的人口数是多少？")
    told = "人口约33,700人（2008年）。"
    # an encyclopedic text dated by the first date it holds, a birth or a founding
    article = Support.of("吉斯伯恩大区1876年设立。2005年扩建，2010年改组。" + told, "1876-01-01")
    assert "date:2008年" not in missing(asked, "吉斯伯恩市是大区的小镇。", article, TODAY)


def test_a_doer_is_named_by_a_sentence_telling_the_deed() -> None:
    asked = analyze("广东生态工程职业学院为首任校长廖金铃举行的荣休仪式是由哪位主持的？")
    flowers = "张方秋书记代表全校师生向廖金铃校长献花，并送上纪念品。"
    story = Support.of("广东生态工程职业学院举行荣休仪式，由彭国洪主持。" + flowers, "2023-08-01")
    assert "type:who" in missing(asked, flowers, story, TODAY)
    assert missing(asked, "仪式由党委副书记彭国洪主持。", story, TODAY) == []
    # the news may write the deed in a verb of its own
    made = analyze("硝酰氟首先被谁制成？")
    first = "它首先由莫瓦桑于1905年制得。"
    assert "type:who" not in missing(made, first, Support.of("硝酰氟。" + first, ""), TODAY)


def test_when_a_plan_happens_is_told_by_a_plan_not_by_the_day_of_a_visit() -> None:
    asked = analyze("广州地铁五号线东延段预计什么时候开通运营？")
    assert "plan" in asked.must_tell
    visit = "8月17日，广州地铁邀请媒体到地铁五号线东延段夏港站探营，了解线路建设最新进展。"
    story = Support.of("广州地铁五号线东延段运营。" + visit, "2023-08-17")
    assert "type:date" in missing(asked, visit, story, TODAY)
    planned = "五号线东延段预计今年年底开通运营，目前已进入12月28日前的冲刺阶段。"
    assert "type:date" not in missing(asked, planned, Support.of(planned, "2023-08-17"), TODAY)


def test_a_cause_is_told_not_only_looked_into() -> None:
    asked = analyze("甘肃山丹大佛寺大佛殿那场火灾的起火原因是什么？")
    assert "cause" in asked.must_tell
    probe = "山丹县委宣传部通告称，大佛寺遗址未受火灾影响，起火原因正在调查。"
    story = Support.of("甘肃山丹大佛寺大佛殿火灾。" + probe, "2023-07-25")
    assert "type:cause" in missing(asked, probe, story, TODAY)
    found = "事故原因已经查明，后续将向社会公布最终调查报告。"
    assert "type:cause" in missing(asked, found, story, TODAY)
    told = "经调查，大佛殿火灾系电线老化短路引发。"
    article = Support.of("山丹大佛寺大佛殿。" + told, "")
    assert "type:cause" not in missing(asked, told, article, TODAY)


def test_who_took_a_years_gold_is_told_only_after_the_games() -> None:
    asked = analyze("2024年巴黎奥运会跳水女子双人3米板的金牌被哪对组合拿走了？")
    assert asked.outcome == ("2024年", 2024, True)
    preview = "在2024年巴黎奥运会上，中国跳水队或将向包揽全部跳水金牌的目标发起冲击。"
    story = Support.of(preview, "2023-08-06")
    assert "date:2024年" in missing(asked, preview, story, TODAY)
    assert analyze("2023年全国板球锦标赛女子冠军是哪所学校的队伍？").outcome[:2] == ("2023年", 2023)


def test_a_deputy_does_not_hold_the_role_unless_a_deputy_is_asked_for() -> None:
    head = analyze("德州市医保局局长是谁？")
    deputy = "德州市医保局党组成员、副局长于雷参加会议。"
    story = Support.of("德州市医保局召开会议，局长王进宝主持。" + deputy, "2023-07-27")
    assert "type:who" in missing(head, deputy, story, TODAY)
    assert missing(head, "市医保局党组书记、局长王进宝答记者问。", story, TODAY) == []
    vice = analyze("上海市总工会党组书记、副主席是谁？")
    named = "市总工会党组书记、副主席黄红在讲话中指出。"
    assert missing(vice, named, Support.of("上海市总工会。" + named, "2023-08-01"), TODAY) == []


def test_this_year_answers_which_year_when_the_sentence_tells_the_deed() -> None:
    asked = analyze("国家综合性消防救援队伍计划在哪一年招录15000名消防员？")
    plan = "今年，国家综合性消防救援队伍共计划招录消防员15000名，其中高校应届毕业生5000名。"
    story = Support.of("消防员招录工作启动。" + plan, "")
    assert "type:date" not in missing(asked, plan, story, TODAY)
    mayor = analyze("张佰成是哪一年开始担任呼和浩特市市长的？")
    other = "今年1月，张佰成当选自治区政协副主席，直至此次履新。"
    story = Support.of("呼和浩特市市长张佰成。" + other, "2023-08-01")
    assert "type:date" in missing(mayor, other, story, TODAY)


def test_a_birth_belongs_to_the_person_named_beside_it() -> None:
    asked = analyze("刚卸任阜阳市委书记的孙正东是哪年出生的？")
    other = ("出生于1969年1月的刘玉杰，籍贯、出生地砀山，曾任芜湖市委常委、市纪委书记，"
             "安徽省纪委常委、秘书长等职，于2019年任阜阳市委副书记。")
    story = Support.of("阜阳市委书记孙正东卸任。" + other, "2023-07-20")
    assert "type:date" in missing(asked, other, story, TODAY)
    own = "孙正东，1966年10月出生，安徽六安人。"
    assert missing(asked, own, Support.of("阜阳市委书记。" + own, "2023-07-20"), TODAY) == []


def test_a_birthday_tells_a_birth() -> None:
    asked = analyze("巴菲特的93岁生日是哪一天？")
    told = "巴菲特将于8月30日度过93岁生日，伯克希尔A类股从未被拆分。"
    assert missing(asked, told, Support.of("巴菲特。" + told, "2023-08-24"), TODAY) == []


def test_a_role_another_organisation_holds_does_not_name_the_asked_one() -> None:
    asked = analyze("半天妖烤鱼的创始人是谁？")
    assert not names_the_role(asked, fold("其中包括苹果公司联合创始人史蒂夫·沃兹尼亚克等人。"))
    assert names_the_role(asked, fold("半天妖创始人王东方表示，门店将继续扩张。"))
    ceo = analyze("中铁建中土尼日利亚公司总经理是谁？")
    assert names_the_role(ceo, fold("中铁建中土尼日利亚有限公司总经理李庆勇加冕当地酋长。"))


def test_who_did_a_deed_asks_no_role_of_the_thing_done() -> None:
    # 「消息是谁透露的」: the doer of 透露, not the holder of a role called 消息
    assert asked_roles(analyze("相声名家阎月明去世的消息是谁透露的？")) == []
    assert asked_roles(analyze("这家公司的董事长是谁？")) == ["董事长"]


def test_a_sentence_length_or_damages_asked_need_a_ruling() -> None:
    clerk = analyze("常州金坛那个挪用2500多万学杂费买理财的中学出纳，最后被判了几年？")
    story = Support.of(
        "常州金坛一中学出纳挪用学杂费2500多万元理财。这位出纳在过去的7年里挪用了公款。"
        "法院以挪用公款罪判处该中学出纳有期徒刑5年。",
        "2023-07-28",
    )
    years = "这位出纳在过去的7年里挪用了公款。"
    assert "type:number" in missing(clerk, years, story, TODAY)
    assert missing(clerk, "法院以挪用公款罪判处该中学出纳有期徒刑5年。", story, TODAY) == []
    shop = analyze("理想汽车起诉临沂那家贴膜店，法院最后判贴膜店赔了多少钱？")
    claimed = "临沂一家贴膜店被理想汽车起诉，索赔共计120万元。"
    assert "type:number" in missing(shop, claimed, Support.of(claimed, "2023-08-01"), TODAY)
    # a ruling told about the asked one, or a ruling only mentioned as past: not a question
    # about it (「研判了哪些地方」, 「被判刑，他自愿缴纳了多少」)
    assert "verdict" not in analyze("会商会中重点研判了哪些地方的堤防安全风险？").must_tell
    assert "verdict" not in analyze("王某被判刑，他自愿缴纳了多少生态环境修复费用？").must_tell


def test_a_fine_asked_needs_a_fine_told() -> None:
    asked = analyze("泰山顶上向游客收避雨费的那家饭店被罚了多少钱？")
    text = "泰山顶上的饭店向避雨游客收费，座位40元一位。该饭店被罚款5000元。"
    story = Support.of(text, "2023-07-26")
    price = "泰山顶上的饭店向避雨游客收费，座位40元一位。"
    assert "type:number" in missing(asked, price, story, TODAY)
    assert missing(asked, "该饭店被罚款5000元。", story, TODAY) == []


def test_which_illness_is_not_told_by_died_of_an_illness() -> None:
    asked = analyze("导演蒋绍华是因为什么病去世的？")
    text = "著名导演蒋绍华于2023年5月22日因病不幸去世。蒋绍华因肺癌去世。"
    story = Support.of(text, "2023-08-02")
    died = "著名导演蒋绍华于2023年5月22日因病不幸去世。"
    assert "type:cause" in missing(asked, died, story, TODAY)
    assert missing(asked, "蒋绍华因肺癌去世。", story, TODAY) == []
    # a diagnosis names the illness however it is called
    diagnosed = analyze("嫌疑人崔某2020年曾被诊断患有什么病？")
    said = "嫌疑人崔某曾在2020年被诊断为患有精神分裂性人格障碍。"
    assert missing(diagnosed, said, Support.of(said, "2023-08-05"), TODAY) == []


def test_the_crime_and_the_kind_of_casualty_asked_must_be_told() -> None:
    crime = analyze("冒充彩票导师骗了陈某的许某，之前是因为什么罪被判过刑？")
    text = "许某冒充彩票导师骗取陈某539087元。许某曾因盗窃罪被判处有期徒刑。"
    story = Support.of(text, "2023-08-19")
    assert "type:cause" in missing(crime, "许某冒充彩票导师骗取陈某539087元。", story, TODAY)
    assert missing(crime, "许某曾因盗窃罪被判处有期徒刑。", story, TODAY) == []
    flood = analyze("甘肃徽县7月24日那场暴雨造成多少人失踪？")
    dead = "7月24日暴雨造成徽县2人因灾死亡，1756人受灾。"
    assert "type:number" in missing(flood, dead, Support.of(dead, "2023-07-25"), TODAY)
    lost = "7月24日暴雨造成徽县2人死亡、3人失踪。"
    assert missing(flood, lost, Support.of(lost, "2023-07-25"), TODAY) == []


def test_one_end_of_a_range_does_not_answer_the_other() -> None:
    asked = analyze("北京住房公积金月缴存基数上限调到了多少？")
    text = "北京住房公积金月缴存基数下限为2420元，上限为33891元。"
    story = Support.of(text, "2023-07-26")
    assert "type:number" in missing(asked, "北京住房公积金月缴存基数下限为2420元。", story, TODAY)
    assert missing(asked, "北京住房公积金月缴存基数上限为33891元。", story, TODAY) == []


def test_a_day_asked_of_a_deed_needs_the_deed_told() -> None:
    asked = analyze("OpenAI的GPT-5是哪天正式发布的？")
    assert asked.deed == "发布"
    text = "据商标律师泄露的消息，OpenAI已于7月18日注册了GPT-5商标。OpenAI于8月1日推出GPT-5。"
    story = Support.of(text, "2023-08-02")
    filed = "据商标律师泄露的消息，OpenAI已于7月18日注册了GPT-5商标。"
    assert "type:date" in missing(asked, filed, story, TODAY)
    assert missing(asked, "OpenAI于8月1日推出GPT-5。", story, TODAY) == []
    # events told with any verb, and a verb with where it went, ask for no deed
    assert analyze("2023威宁草海高原半程马拉松在哪天举行？").deed == ""
    assert analyze("首座转体桥是哪天转过去的？").deed == ""
    assert analyze("杭州西湖音乐喷泉是哪一年建成的？").deed == "建成"
    fountain = "位于湖滨三公园附近湖面的音乐喷泉是西湖的标志性文化景点之一，建于2003年。"
    asked = analyze("杭州西湖音乐喷泉是哪一年建成的？")
    assert missing(asked, fountain, Support.of("杭州西湖" + fountain, "2023-08-01"), TODAY) == []


def test_a_punishment_asked_needs_one_told_and_an_unnamed_body_answers_no_which() -> None:
    asked = analyze("保姆偷卖茅台案中，回收赃酒的陈某受到了什么处罚？")
    text = "常州市武进区人民法院开庭审理一起保姆盗窃茅台案，回收赃酒的陈某被处以罚款。"
    trial = "常州市武进区人民法院开庭审理一起保姆盗窃茅台案。"
    story = Support.of(text, "2023-08-10")
    assert "type:outcome" in missing(asked, trial, story, TODAY)
    assert missing(asked, "回收赃酒的陈某被处以罚款。", story, TODAY) == []
    charity = analyze("巴菲特捐出的伯克希尔股票给了哪家慈善机构？")
    unnamed = "巴菲特本周向一家未公开名称的慈善机构捐赠了伯克希尔股票。"
    gaps = missing(charity, unnamed, Support.of(unnamed, "2023-08-18"), TODAY)
    assert "type:who" in gaps


def test_a_model_a_rate_an_earlier_post_and_a_cause_told_by_their_own_words() -> None:
    chip = analyze("华硕TUF小旋风Pro路由器用的联发科芯片具体是哪个型号？")
    text = "华硕TUF小旋风Pro路由器采用了联发科旗舰芯片。该路由器采用联发科MT7986芯片。"
    story = Support.of(text, "2023-08-10")
    assert missing(chip, "华硕TUF小旋风Pro路由器采用了联发科旗舰芯片。", story, TODAY)
    assert missing(chip, "该路由器采用联发科MT7986芯片。", story, TODAY) == []
    fake = analyze("衡阳演唱会假门票团伙每张假票卖多少钱？")
    total = "衡阳演唱会假门票团伙共计售卖假票300余张，获利20万余元。"
    gaps = missing(fake, total, Support.of(total, "2023-08-01"), TODAY)
    assert "type:number" in gaps
    # 「一人拿下多少分」 asks no rate
    assert "per_unit" not in analyze("弗雷戴特一人拿下多少分？").must_tell
    fled = analyze("“百名红通人员”郭洁芳外逃前担任什么职务？")
    assert "earlier_post" in fled.must_tell
    assert "earlier_post" not in analyze("他目前担任什么职务？").must_tell
    blast = analyze("高密烤鱼店那次燃气闪爆，调查查明的原因是什么？")
    when = "高密烤鱼店发生燃气闪爆，发生时间系7时15分左右。"
    assert "type:cause" in missing(blast, when, Support.of(when, "2023-08-01"), TODAY)


def test_a_day_asked_of_a_deed_reads_a_verbal_noun_and_losses_are_money() -> None:
    assert analyze("华灿光电珠海Micro LED首期项目实际是哪一天正式投产的？").deed == "投产"
    assert "元" in analyze("那次爆炸造成了多少财产损失？").units
    assert "人" in analyze("2024年全国高考报名人数是多少？").units


def test_a_surname_asked_needs_one_told() -> None:
    asked = analyze("临沂夜市泡面摊的摊主姓什么？")
    text = "临沂夜市泡面摊摊主嘲讽男子买不起泡面。泡面摊摊主王先生表示已道歉。"
    story = Support.of(text, "2023-08-01")
    assert missing(asked, "临沂夜市泡面摊摊主嘲讽男子买不起泡面。", story, TODAY)
    assert missing(asked, "泡面摊摊主王先生表示已道歉。", story, TODAY) == []


def test_a_role_at_the_company_spoken_of_is_the_asked_companys() -> None:
    asked = analyze("红蜻蜓鞋业的创始人、现任董事长是谁？")
    told = "红蜻蜓鞋业最早成立于1995年，创始人是钱金波，他目前也在担任公司的董事长和法人代表。"
    assert missing(asked, told, Support.of(told, "2023-08-15"), TODAY) == []
    other = analyze("半天妖烤鱼的创始人是谁？")
    apple = "苹果公司联合创始人沃兹尼亚克表示。"
    story = Support.of("半天妖烤鱼 " + apple, "2023-08-15")
    assert "type:who" in missing(other, apple, story, TODAY)


def test_a_rule_put_into_force_from_a_day_tells_when_it_is_carried_out() -> None:
    asked = analyze("佛山阶段性提高个人住房公积金贷款额度的新规从哪天开始执行？")
    told = "按照新规，自2023年8月1日起至2023年12月31日止，佛山市可贷额度调整为50万元。"
    article = Support.of("佛山阶段性提高个人住房公积金贷款额度的新规。" + told, "2023-07-24")
    assert missing(asked, told, article, TODAY) == []
    announced = "7月24日，佛山市住房公积金管理中心发布关于阶段性提高贷款额度的通知。"
    assert "type:date" in missing(asked, announced, article, TODAY)
