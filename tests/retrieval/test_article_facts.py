"""What the supporting article must hold: the question's names and the facts it states."""

from __future__ import annotations

from retrieval.article_facts import Support, article_gaps
from retrieval.question import analyze

FAIR = "8月11日在上海举行推介会的湖州市吴兴区，区委书记是谁？"


def test_a_day_is_named_by_its_distance_from_the_storys_date() -> None:
    asked = analyze(FAIR)
    yesterday = Support.of("昨天下午，湖州市吴兴区推介会在上海举行。区委书记致辞。", "2023-08-12")
    assert "about:8月11日" not in article_gaps(asked, yesterday)
    same_day = Support.of("今天，湖州市吴兴区推介会在上海举行。", "2023-08-11T20:15:00")
    assert "about:8月11日" not in article_gaps(asked, same_day)
    two_days = Support.of("前天，湖州市吴兴区推介会在上海举行。", "2023-08-13")
    assert "about:8月11日" not in article_gaps(asked, two_days)


def test_a_relative_day_of_another_date_states_nothing() -> None:
    asked = analyze(FAIR)
    a_week_on = Support.of("昨天下午，湖州市吴兴区推介会在上海举行。", "2023-08-19")
    assert "about:8月11日" in article_gaps(asked, a_week_on)
    undated = Support.of("昨天下午，湖州市吴兴区推介会在上海举行。", "")
    assert "about:8月11日" in article_gaps(asked, undated)
    no_word = Support.of("湖州市吴兴区推介会在上海举行。", "2023-08-12")
    assert "about:8月11日" in article_gaps(asked, no_word)


def test_bank_is_not_any_bank() -> None:
    other = Support.of("某市农商银行向一家公司发放贷款500万元。", "2023-08-01")
    asked = analyze("乐山农商银行向哪家公司发放了贷款？")
    assert "乐山农商银行" in article_gaps(asked, other)


def test_traditional_article_matches_simplified_question() -> None:
    article = Support.of("樂山農商銀行成功向亞慶農牧發放380萬元貸款。", "2025-06-12")
    asked = analyze("乐山农商银行向哪家公司发放了贷款？")
    assert article_gaps(asked, article) == []


def test_year_of_question_must_be_the_articles() -> None:
    asked = analyze("2026年金球奖最终颁给了谁？")
    old = Support.of("梅西获得了金球奖。", "2023-10-31")
    assert "about:2026" in article_gaps(asked, old)
    same = Support.of("梅西获得了金球奖。", "2026-10-31")
    assert "about:2026" not in article_gaps(asked, same)


def test_undated_article_counts_when_it_looks_back_on_the_year_before() -> None:
    asked = analyze("日本2023年上半年的贸易逆差是多少？")
    looks_back = Support.of("日本上半年贸易逆差6.96万亿日元，较2022年同期收窄。", "")
    assert "about:2023" not in article_gaps(asked, looks_back)
    silent = Support.of("日本上半年贸易逆差6.96万亿日元。", "")
    assert "about:2023" in article_gaps(asked, silent)


def test_city_suffix_alias() -> None:
    asked = analyze("乐山市的柏林村有多少亩荷塘？")
    article = Support.of("沙湾区踏水镇柏林村的300亩荷塘迎来盛花期。乐山", "2025-06-12")
    assert article_gaps(asked, article) == []


def test_a_province_need_not_be_named_where_the_question_names_a_place_in_it() -> None:
    asked = analyze("2023年抗旱期间，湖南常德全市累计跨区域调引水多少？")
    local = Support.of("2023年抗旱以来，常德全市累计跨区域调引水2.88亿立方米。", "2023-08-20")
    assert article_gaps(asked, local) == []
    # Named alone, the province is what the question is about.
    alone = analyze("2023年湖南全省累计调引水多少？")
    assert "湖南" in article_gaps(alone, local)
    # And a place in another province does not stand for it.
    other = Support.of("2023年抗旱以来，全市累计跨区域调引水2.88亿立方米。", "2023-08-20")
    assert article_gaps(asked, other) == ["湖南", "常德"]


def test_a_number_of_people_may_be_counted_with_another_word() -> None:
    asked = analyze("在千河口村被困的45人老年旅行团被安置到了哪里？")
    article = Support.of("这支旅行团共有45位老年人，被转移到八渡村。", "2023-08-01")
    assert "about:45人" not in article_gaps(asked, article)
    assert "about:45人" in article_gaps(asked, Support.of("共有145位老年人。", "2023-08-01"))
    assert "about:45人" in article_gaps(asked, Support.of("共有45辆车。", "2023-08-01"))


def test_a_province_is_needed_when_the_question_names_no_other_place_in_it() -> None:
    # 「侨联」 is an organisation of every province: another province's is another one.
    asked = analyze("谁被当选为广东省侨联主席？")
    other = Support.of("大会选举产生福建省侨联第十一届委员会，陈式海当选主席。", "2023-08-01")
    assert article_gaps(asked, other) == ["广东省"]


def test_an_owner_need_not_be_named_where_what_it_owns_is() -> None:
    asked = analyze("复旦大学附属中山医院的专家到斜土街道义诊，带队的外科主任是谁？")
    story = Support.of("斜土街道和中山医院联合开展专家义诊，带队的是外科主任艾志龙。", "2023-08-01")
    assert "复旦大学" not in article_gaps(asked, story)
    elsewhere = Support.of("斜土街道开展专家义诊，带队的是外科主任艾志龙。", "2023-08-01")
    assert "中山医院" in article_gaps(asked, elsewhere)


def test_a_latin_name_closed_by_a_year_is_the_name_of_that_year() -> None:
    asked = analyze("第五届华为开发者大会（HDC 2023）在哪个城市举办？")
    story = Support.of("第五届华为开发者大会2023（HDC.Together）在东莞松山湖启幕。", "2023-08-07")
    assert article_gaps(asked, story) == []
    last_year = Support.of("第四届华为开发者大会（HDC.Together）在东莞举办。", "2022-11-04")
    assert "about:2023" in article_gaps(asked, last_year)


def test_an_edition_or_quarter_is_stated_in_either_numerals() -> None:
    asked = analyze("第96届奥斯卡金像奖的最佳影片是哪一部？")
    told = Support.of("第九十六届奥斯卡金像奖最佳影片是《奥本海默》。", "2024-03-11")
    assert "about:第96届" not in article_gaps(asked, told)
    older = Support.of("他获得第44届奥斯卡金像奖最佳导演奖。", "2023-08-01")
    assert "about:第96届" in article_gaps(asked, older)
    quarter = analyze("乐山市2025年三季度产业推进会是在哪天召开的？")
    third = Support.of("2025年3季度产业推进会于9月20日召开。", "2025-09-21")
    assert "about:三季度" not in article_gaps(quarter, third)
    second = Support.of("乐山市2025年二季度产业推进会6月9日召开。", "2025-06-10")
    assert "about:三季度" in article_gaps(quarter, second)


def test_a_second_time_is_stated_in_either_numerals() -> None:
    asked = analyze("星舰第二次整体试飞是在哪一天进行的？")
    first = Support.of("今年4月20日，星舰进行首次轨道试飞时发生爆炸。", "2023-08-01")
    assert "about:第2次" in article_gaps(asked, first)
    second = Support.of("星舰第二次整体试飞于11月18日进行。", "2023-11-20")
    assert "about:第2次" not in article_gaps(asked, second)


def test_a_body_of_a_place_is_named_as_local_news_names_it() -> None:
    asked = analyze("上海市人大常委会表决通过的浦东新区标准化规定自什么时候起施行？")
    told = "浦东新区标准化规定经市人大常委会表决通过，自10月14日起施行。"
    local = Support.of("上海" + told, "2023-09-01")
    assert not any(g.startswith("上海市人大") for g in article_gaps(asked, local))
    elsewhere = Support.of(told, "2023-09-01")
    assert "上海市人大常委会" in article_gaps(asked, elsewhere)  # no 上海 at all: not this city


def test_a_people_is_named_by_its_country_and_a_body_by_its_place() -> None:
    asked = analyze("英国人贝茨从布宜诺斯艾利斯出发徒步，计划在哪天抵达里约热内卢？")
    walk = "贝茨从布宜诺斯艾利斯出发，计划8月22日抵达里约热内卢。"
    assert "英国人" in article_gaps(asked, Support.of(walk, "2016-06-01"))
    assert article_gaps(asked, Support.of("英国议会。" + walk, "2016-06-01")) == []
    council = analyze("香港立法会答问会上用普通话提问的议员是谁？")
    hk = Support.of("据香港媒体报道，李家超出席立法会答问会，议员谭岳衡用普通话提问。", "")
    assert "香港立法会" not in article_gaps(council, hk)
    assert "香港立法会" in article_gaps(council, Support.of("澳门立法会答问会，议员提问。", ""))
    debt = analyze("今年美国政府的偿债成本可能达到多少？")
    cbo = Support.of("美国国会预算办公室估计，今年政府的偿债成本可能达到6630亿美元。", "")
    assert "美国政府" not in article_gaps(debt, cbo)


def test_a_day_of_the_month_in_an_undated_story_of_that_month() -> None:
    asked = analyze("中国驻法兰克福总领馆8月11日召开座谈会，主持座谈会的总领事是谁？")
    dateline = "柏林8月12日电 法兰克福消息：中国驻法兰克福总领馆当地时间11日召开座谈会。"
    assert "about:8月11日" not in article_gaps(asked, Support.of(dateline, ""))
    july = "柏林7月12日电 法兰克福消息：中国驻法兰克福总领馆当地时间11日召开座谈会。"
    assert "about:8月11日" in article_gaps(asked, Support.of(july, ""))


def test_an_abbreviated_event_or_ministry_is_named_by_its_full_name() -> None:
    asked = analyze("文旅部公布的第一批智慧旅游试点有多少个？")
    assert ("文旅部", "文化和旅游部") in asked.entities
    story = Support.of("文化和旅游部公布第一批智慧旅游沉浸式体验新空间培育试点24个。", "")
    assert "文旅部" not in article_gaps(asked, story)
    games = analyze("习近平在成都哪家宾馆设宴欢迎出席大运会开幕式的贵宾？")
    assert ("大运会", "大学生夏季运动会") in games.entities


def test_an_abbreviated_focus_word_is_named_in_full() -> None:
    asked = analyze("东北抗联老战士王财义疗养的医院，疗区主任叫什么？")
    story = Support.of("东北抗日联军老战士王财义在医院疗养，疗区主任朱凤梅介绍。", "2023-08-01")
    assert "about:抗联" not in article_gaps(asked, story)


def test_colloquial_questions_are_read_as_the_standard_ones() -> None:
    asked = analyze("京山法院帮30个农民工讨回工钱，那个收到锦旗的法庭庭长叫啥？")
    assert asked.must_tell == frozenset({"name"}) and "30个" in asked.facts
    story = Support.of("京山法院为30名农民工讨回工资，法庭庭长汪烊收到锦旗。", "2023-08-01")
    assert "about:30个" not in article_gaps(asked, story)  # 个 is any counting word
    landslide = analyze("云南芒市那次山体滑坡死了2个人，是哪个村民小组出的事？")
    assert "about:2个" not in article_gaps(
        landslide, Support.of("云南芒市山体滑坡致2人死亡，出事的是勐目村民小组。", "2023-07-20")
    )
    assert analyze("这几天停机坪中午地面温度能到多少度？").units == ()  # 「这几天」 counts no days


def test_a_reader_describes_people_in_words_a_story_need_not_use() -> None:
    star = analyze("大运会女篮决赛中国赢了日本，哪位大明星跑到现场当球迷加油了？")
    game = Support.of("成都大运会女篮决赛，中国女篮战胜日本女篮，谷爱凌现场观赛，球迷加油。", "")
    assert not any("明星" in g for g in article_gaps(star, game))
    general = analyze("宁夏军区原副司令员马学俊老将军是在哪个城市走的？")
    obituary = Support.of("宁夏军区原副司令员马学俊在杭州逝世。", "2023-07-30")
    assert "about:将军" not in article_gaps(general, obituary)


def test_a_span_of_hours_may_be_counted_with_ge() -> None:
    asked = analyze("兰州城关警方追踪12小时抓获的潜逃33年的抢劫逃犯石某，是在哪个县境内被拦下的？")
    story = Support.of("历时12个小时不间断追踪，城关警方在陇西县抓获潜逃33年的抢劫逃犯石某。", "")
    assert "about:12小时" not in article_gaps(asked, story)


def test_a_quarter_written_without_du_and_an_id_asked_for_without_its_name() -> None:
    macau = Support.of("澳门2023年第2季旅客人均消费5140元(澳门元)。", "2023-08-18")
    assert article_gaps(analyze("2023年第2季度来澳门的旅客人均消费是多少澳门元？"), macau) == []
    pulsar = Support.of("中国天眼团队观测脉冲星B2111+46时，发现其仍有零星矮脉冲出现。", "")
    asked = analyze("中国天眼发现仍有零星矮脉冲的那颗脉冲星，编号是什么？")
    assert article_gaps(asked, pulsar) == []


def test_a_count_of_people_spelled_in_chinese_or_by_their_role() -> None:
    asked = analyze("于某鹏等4人租林地种人参，涉案林地在宽甸满族自治县哪个镇？")
    place = "宽甸满族自治县大西岔镇林地种植人参。"
    for told in ("于某鹏等四人租用林地。", "于某鹏等4被告人均获刑。", "于某鹏等4名被告人。"):
        assert "about:4人" not in article_gaps(asked, Support.of(told + place, "2023-08-14"))
    for other in ("于某鹏等14人租用林地。", "于某鹏等十四人租用林地。"):
        assert "about:4人" in article_gaps(asked, Support.of(other + place, "2023-08-14"))


def test_a_player_is_how_a_reader_describes_someone_the_story_names() -> None:
    asked = analyze("科贝尔在美网女单决赛中的对手、此前击败小威的选手是谁？")
    final = Support.of("科贝尔将在自己的首个美网决赛中对阵击败了小威的普利什科娃。", "2016-09-09")
    assert article_gaps(asked, final) == []


def test_a_state_body_is_also_named_without_guojia() -> None:
    asked = analyze("国家广电总局主办的“电视中国剧场”开播活动在哪个城市启动？")
    told = Support.of("由广电总局主办的“电视中国剧场”开播活动在约翰内斯堡启动。", "2023-08-22")
    assert article_gaps(asked, told) == []


def test_an_english_name_asked_for_is_the_answers_form() -> None:
    asked = analyze("篮协官宣获得中国国籍的李凯尔，英文名叫什么？")
    told = Support.of("中国篮协官宣，李凯尔（Kyle Anderson）获得中国国籍。", "2023-07-28")
    assert article_gaps(asked, told) == []


def test_a_role_asked_with_a_sex_is_named_without_it() -> None:
    asked = analyze("娄底那个宝马女司机醉驾拖人的事，是哪天出的？")
    told = Support.of("娄底“宝马司机醉驾撞人拖行案”受害者谢女士收到答复书。", "2023-07-20")
    assert "about:女司机" not in article_gaps(asked, told)
    assert "about:女司机" in article_gaps(asked, Support.of("娄底一男子醉驾撞人。", "2023-07-20"))
