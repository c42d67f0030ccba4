"""Typed answer candidates in a sentence, and their nearness to the question's words."""

from __future__ import annotations

from retrieval.answer_candidates import candidates, near
from retrieval.question import analyze
from tests.retrieval.test_answerability import LOAN


def test_number_stated_by_the_question_is_no_answer() -> None:
    assert candidates(LOAN, "number", "那笔380万元贷款是多少万元？", ("万元",)) == []


def test_who_and_place_candidates() -> None:
    assert "亚庆农牧科技有限责任公司" in "".join(
        candidates(LOAN, "who", "乐山农商银行向哪家公司发放了贷款？")
    )
    place = candidates("近日，沙湾区踏水镇柏林村的荷塘迎来盛花期。", "place", "柏林村在哪个镇？")
    assert any("踏水镇" in c for c in place)


def test_candidate_must_be_near_the_question_words() -> None:
    filler = "确保项目精准对标转型金融标准" * 2
    sentence = "四川联合环境交易所为企业量身定制方案，" + filler + "亚庆农牧"
    assert not near(sentence, ["四川"], ["亚庆农牧"])
    assert near("亚庆农牧位于四川", ["四川"], ["亚庆农牧"])


def test_a_three_character_unit_is_read_whole() -> None:
    asked = analyze("灾害造成了多少平方米的民房损毁？")
    sentence = "灾害造成约300平方米民房损毁。"
    assert asked.units == ("平方米",)
    assert candidates(sentence, "number", asked.text, asked.units) == ["300平方米"]


def test_near_finds_every_occurrence_of_a_candidate() -> None:
    # The first 「12」 stands far from 「游客」; the second, right next to it, counts.
    sentence = "12" + "，" * 30 + "游客12万人次"
    assert near(sentence, ["12"], ["游客"])
    assert not near("12" + "，" * 30 + "游客很多", ["12"], ["游客"])


def test_a_month_in_digits_answers_when() -> None:
    asked = analyze("软枝黄蝉的盛花期是什么时候？")
    sentence = "花期为3-8月，盛花期为夏季，果期10-12月。"
    assert "8月" in candidates(sentence, "date", asked.text)
    # 「哪一天」 still needs a day: a month alone does not name one.
    day = analyze("培训在哪一天结束？")
    assert candidates("培训将在8月结束。", "date", day.text, day=day.wants_day) == []


def test_a_town_tagged_as_a_person_answers_where_after_a_preposition_of_place() -> None:
    asked = analyze("2023中国黄酒T7峰会在江苏哪个城市召开？")
    sentence = "由中国酒业协会主办的“2023中国黄酒T7峰会”在张家港顺利召开。"
    assert "张家港" in candidates(sentence, "place", asked.text)
    assert "张家港" not in candidates("张家港先生出席了峰会。", "place", asked.text)


def test_a_day_with_its_hour_is_no_day_the_question_states() -> None:
    asked = "7月20日至22日河北强降水前，河北省防指是在什么时间启动防汛Ⅳ级应急响应的？"
    told = "经会商研判，河北省防指决定于7月20日8时启动防汛Ⅳ级应急响应。"
    assert candidates(told, "date", asked) == ["7月20日8时"]
    assert candidates("会议于7月20日召开。", "date", asked) == []
    assert candidates("中央气象台8月9日18时继续发布预警。", "date", "哪天发布", day=True)


def test_a_causative_verb_tagged_as_a_person_names_nobody() -> None:
    asked = "成都大运会东安湖边那座主火炬塔是谁设计的？"
    assert candidates("开幕式最令人期待的环节莫过于点燃主火炬。", "who", asked) == []
    assert candidates("主火炬塔由设计师许燎源设计。", "who", asked) == ["许燎源"]


def test_a_temperature_keeps_its_unit() -> None:
    told = "上海两大机场停机坪中午地表温度达到70摄氏度左右。"
    assert candidates(told, "number", "中午地面温度能到多少度？") == ["70摄氏度"]


def test_a_dateline_is_no_date_of_what_the_story_tells() -> None:
    asked = "那项关于美国人退休的联合民调是在什么时间开展的？"
    filed = "海外网8月8日电美国政治新闻网站Axios和益普索近期的联合民调显示，受访者担心无法退休。"
    assert candidates(filed, "date", asked) == []
    assert candidates("8月8日，Axios和益普索开展了联合民调。", "date", asked) == ["8月8日"]


def test_a_name_jieba_cuts_after_a_title_is_a_who_candidate() -> None:
    # 「区委书记 邹 劲松」: a surname and a given name; 「首席执行官 Rebecca Rumbul」: Latin words
    told = "会上房山区委书记邹劲松就目前房山区相关情况进行介绍。"
    assert candidates(told, "who", "房山区委书记是谁？") == ["邹劲松"]
    latin = "Rust基金会执行董事兼首席执行官Rebecca Rumbul表示：我很高兴分享这份报告。"
    assert candidates(latin, "who", "Rust基金会的首席执行官是谁？") == ["rebeccarumbul"]
    assert candidates("区委书记介绍了目前的情况。", "who", "区委书记是谁？") == []


def test_a_school_asked_for_is_answered_by_a_school_only() -> None:
    asked = "护士计梦瑶是从哪所学校毕业的？"
    told = "2019年刚毕业的计梦瑶来到信阳市中心医院急诊科。"
    assert candidates(told, "who", asked, classes=("学校",)) == []
    school = "计梦瑶毕业于信阳职业技术学院。"
    assert candidates(school, "who", asked, classes=("学校",)) == ["信阳职业技术学院"]


def test_a_head_count_of_other_people_is_no_answer() -> None:
    # the rescuers are counted, not the people they moved; 「多少人」 is anyone
    asked = "交口蓝天救援队在涿州一共转移了多少受困群众？"
    people = analyze(asked).units
    told = "交口蓝天救援队4名队员挺身而出，经过8天紧急救援，及时转移受困群众。"
    assert candidates(told, "number", asked, people) == []
    assert candidates("救援队共转移受困群众320名。", "number", asked, people) == ["320名"]
    anyone = "雨城区11名群众突遇上游涨水被冲走。"
    assert candidates(anyone, "number", "造成多少人被冲走？", people) == ["11名群"]


def test_a_street_asked_for_is_answered_by_a_street_or_a_house_number() -> None:
    asked = "西昌被罚50万元的“清宿花间”民宿具体开在西昌哪条街上？"
    assert analyze(asked).answer_type == "place"
    assert candidates("西昌市市场监管局当日予以立案调查。", "place", asked) == []
    assert candidates("民宿位于西昌市航天大道三段88号。", "place", asked)
    assert candidates("道路运输受阻。", "place", asked) == []


def test_a_company_asked_for_is_no_person() -> None:
    asked = "高盛的Jeff Currie离职以后去了哪家公司？"
    told = "高盛首席执行官David Solomon宣布Jeff Currie离职。"
    assert candidates(told, "who", asked) == []
    assert "凯雷集团" in candidates("他加入了凯雷集团。", "who", asked)
    assert analyze("霞浦县政府和哪些头部文旅企业签了约？").answer_type == "who"


def test_a_venue_or_an_airport_asked_for_is_answered_by_one() -> None:
    asked = "庄心妍演唱会广州站在哪个场馆举办？"
    tour = "本次巡演拟定在广州、南宁、成都等五座城市举办，首站11月初在广州开跑。"
    assert candidates(tour, "place", asked, classes=("场馆",)) == []
    hall = "2023上海书展8月16日至22日在上海展览中心举办，依然分日场、夜场。"
    venues = candidates(hall, "place", asked, classes=("场馆",))
    assert any(c.endswith("上海展览中心") for c in venues)
    landed = "副驾驶不得不将飞机紧急迫降在巴拿马。"
    assert candidates(landed, "place", "飞机迫降在哪个机场？", classes=("机场",)) == []


def test_a_numbered_tunnel_line_or_unit_is_no_day_of_the_month() -> None:
    asked = "G577精河至伊宁公路是哪一天正式建成通车的？"
    tunnel = "近日，G577精河至伊宁公路苏布台3号隧道进尺破1000米大关。"
    assert candidates(tunnel, "date", asked, day=True) == []
    line = "2017年年底，武汉地铁1号线径河延伸线开通运营。"
    assert candidates(line, "date", "武汉地铁12号线是哪一天全线开通运营的？", day=True) == []
    arrived = "他于5号晚上抵达，3号楼起火。"
    assert candidates(arrived, "date", "他是哪天抵达的？", day=True) == ["5号"]


def test_a_day_of_another_month_does_not_answer_a_day_asked_in_a_named_month() -> None:
    asked = "第十一届茅盾文学奖颁奖典礼是在11月几号举行的？"
    # a bare day with 「消息」 is a dispatch's dateline too
    filed = "中新网8月11日电据中国作家网11日消息，8月11日，茅盾文学奖评奖委员会全体会议在京举行。"
    assert candidates(filed, "date", asked, day=True) == []
    told = "颁奖典礼将于11月19日在乌镇举行，此前8月11日公布结果。"
    assert candidates(told, "date", asked, day=True) == ["11月19日"]


def test_merit_classes_and_episodes_are_counted_in_their_units() -> None:
    asked = "他立过几等功？"
    merits = "他曾荣立二等功一次、三等功两次。"
    assert candidates(merits, "number", asked, ("等",)) == ["二等", "三等"]
    assert candidates("1952年他入朝作战。", "number", asked, ("等",)) == []
    assert candidates("该剧共40集，每集45分钟。", "number", "一共有多少集？", ("集",)) == ["40集"]


def test_a_school_or_club_the_story_does_not_name_is_no_candidate() -> None:
    school = "据悉，李嫣近几年一直在瑞士某贵族学校留学。"
    asked = "王菲的小女儿李嫣在瑞士就读的是哪所学校？"
    assert candidates(school, "who", asked, classes=("学校",)) == []
    club = "代理律师称，那笔钱是付给某家赛马俱乐部的款项。"
    assert "赛马俱乐部" not in candidates(club, "who", "这家俱乐部叫什么名字？")
    named = "他毕业于一所大学，后来进入清华大学。"
    assert candidates(named, "who", "他是哪所大学毕业的？", classes=("大学",)) == ["清华大学"]


def test_hours_in_ge_and_visits_are_no_count_of_people_or_things() -> None:
    units = ("个", "家", "只", "项", "名")
    trip = "历时40个小时，于11日23时安全抵达哈尔滨。"
    assert candidates(trip, "number", "派了几个技术人员过去啊？", units) == []
    days = "仅7个工作日就解除了限制生产决定。"
    assert candidates(days, "number", "该公司在多少个工作日内完成了整改？", units) == ["7个工"]
    helped = "共计帮助7000余人次低收入家庭学子圆梦大学。"
    assert candidates(helped, "number", "一共资助了多少名学生？", ("名", "人", "位")) == []


def test_the_day_a_reporter_learned_of_it_is_no_date_of_what_it_tells() -> None:
    learned = "记者7月24日获悉，哈啰顺风车平台组织一场用户恳谈活动。"
    assert candidates(learned, "date", "哈啰顺风车的新功能是哪天正式上线的？", day=True) == []


def test_a_company_or_club_asked_by_name_and_a_troupe_asked_by_class() -> None:
    asked = "补偿死者家属20余万元的燃气公司叫什么名字？"
    assert analyze(asked).answer_type == "who"
    paid = "燃气公司经理张建国表示，公司已补偿死者家属20余万元。"
    assert "张建国" not in candidates(paid, "who", asked)  # a person names no company
    troupe = "中新社阿斯塔纳8月9日电，第14届“亚洲回声”国际马戏艺术节在阿斯塔纳启幕。"
    which = "第14届“亚洲回声”国际马戏艺术节上，中国派出的是哪个杂技团？"
    assert candidates(troupe, "who", which, classes=("杂技团",)) == []
    sent = "中国杂技团派出12名演员参加艺术节。"
    assert candidates(sent, "who", which, classes=("杂技团",)) == ["中国杂技团"]


def test_a_numeral_inside_a_longer_one_of_the_question_is_not_stated_by_it() -> None:
    asked = "那个挪用2500多万学杂费的出纳，最后被判了几年？"
    assert candidates("法院判处该出纳有期徒刑5年。", "number", asked, ("年",)) == ["5年"]
    assert candidates("他挪用了2500多万元。", "number", "挪用了2500多万元，判了几年？") == []


def test_words_of_a_works_title_name_no_one_but_a_papers_title_does() -> None:
    shows = "音乐剧《小王子》、儿童剧《卡酷大计划-飞跃兔王星》、儿童剧《猫神在故宫》等上演。"
    assert candidates(shows, "who", "儿童剧《猫神在故宫》的导演是谁？") == []
    paper = "据《华尔街日报》报道，苹果将推出新品。"
    assert "华尔街日报" in candidates(paper, "who", "哪家媒体报道的？")


def test_a_year_before_an_ordinal_counts_nothing_and_a_member_is_a_title() -> None:
    held = "在2023首届“阅文创作大会”上，阅文集团发布大模型“阅文妙笔”。"
    assert candidates(held, "number", "“阅文妙笔”参数规模有多大？") == []
    member = "湖南省卫健委公布了对省政协委员梁湘东提出的提案的答复。"
    assert "梁湘东" in candidates(member, "who", "提案是哪位省政协委员提出的？")


def test_a_name_after_a_title_cut_two_and_one_or_after_a_bound_surname() -> None:
    minister = "生态环境部部长黄润秋今天在国新办举行的新闻发布会上解释。"
    assert candidates(minister, "who", "生态环境部部长是谁？") == ["黄润秋"]
    head = "武警湖南总队医院院长刘小利宣读了退役命令。"
    assert "刘小利" in candidates(head, "who", "宣读退役命令的那个院长是谁？")
    assert candidates("部长表示今年将继续推进。", "who", "部长是谁？") == []


def test_a_school_asked_is_a_school_named_even_in_pieces() -> None:
    told = "渠成是江苏南京人，小学就读于南昌路小学，四年级进入南京市足球代表队。"
    assert candidates(told, "who", "渠成小学就读于哪所小学？", classes=("小学",)) == ["南昌路小学"]
    unnamed = "被告人徐某在担任常州市金坛区某中学出纳会计期间挪用公款。"
    assert candidates(unnamed, "place", "徐某是在金坛哪所中学任职的？", classes=("中学",)) == []


def test_a_stated_numeral_is_matched_whole_at_either_end_of_the_question() -> None:
    assert candidates("共有5人获救。", "number", "5人获救了吗？还有多少", ("人",)) == []
    # 「15」 ends the question: its 5 is no stated 5
    assert candidates("共有5人获救。", "number", "事故中有多少人获救？共15", ("人",)) != []


def test_a_count_of_bodies_names_none_of_them() -> None:
    question = "那家出入境服务公司叫什么名字？"
    sued = "她陆续起诉了数百家公司，最近一次起诉开庭时间为9月18日。"
    assert candidates(sued, "who", question) == []
    joined = "这一年，数百家公司加入了联盟，包括万家乐公司。"  # 万家: a name, no count
    assert candidates(joined, "who", "哪家公司加入了联盟？") == ["万家乐公司"]


def test_the_reporter_of_a_byline_is_no_answer_unless_the_reporter_is_asked() -> None:
    opening = "中新网柳州8月5日电(记者黄艳梅)网台联动剧《留学生公寓》4日举行开机仪式。"
    assert "黄艳梅" not in candidates(opening, "who", "《留学生公寓》的导演是谁？")
    assert "黄艳梅" in candidates(opening, "who", "报道《留学生公寓》开机的记者是谁？")


def test_a_papers_title_names_a_body_but_no_place() -> None:
    reported = "据《纽约邮报》8月2日报道，美国33岁女子金伯利·温特是打嗝声音最大的女人。"
    assert candidates(reported, "place", "金伯利·温特是美国哪个州的？") == []
    street = "据《华尔街日报》报道，该公司已裁员。"
    assert "华尔街日报" in candidates(street, "who", "哪家媒体报道了裁员？")


def test_a_person_asked_for_is_no_body_and_a_brand_is_no_place() -> None:
    expert = "（记者何佳欣）记者从四川省科技厅获悉，由省农业科学院水稻高粱研究所选育的品种入选。"
    assert candidates(expert, "who", "品香优秱珍是由哪位育种专家主持选育的？") == []
    teacher = "记者致电武汉市东西湖区教育局，工作人员回应称，涉事司机是学校假期值班老师。"
    assert candidates(teacher, "who", "在操场上练车的那名值班老师叫什么名字？") == []
    # 「哪些人员」 asks for a force, which a body may be
    assert "海军陆战队" in candidates(
        "美国防部正准备在商业油轮上部署美海军陆战队。", "who", "美国防部准备部署哪些人员？"
    )
    shop = "近日，新余市高新区一位消费者投诉称，自己在某连锁水果店购买水果。"
    assert candidates(shop, "who", "被查的水果店是哪个连锁品牌？") == []


def test_the_place_a_verb_of_going_leads_to_is_no_name() -> None:
    sent = "两名执法人员联系120急救将伤者送往医院救治。"
    assert candidates(sent, "who", "受伤的儿子被送到了哪家医院？", classes=("医院",)) == []
    town = "他在踏水镇工作了十年。"
    assert candidates(town, "place", "他在哪个镇工作？") == ["踏水镇"]


def test_a_name_after_an_analysts_or_scientists_title() -> None:
    analyst = "马斯克对方舟投资管理公司分析师Brett Winton发布的数据图表进行了回应。"
    assert "brettwinton" in candidates(analyst, "who", "马斯克回应了哪位方舟投资分析师？")
    scientist = "由上海市农业生物基因中心首席科学家罗利军团队首次试种的“八月粳”开镰。"
    assert "罗利军" in candidates(scientist, "who", "“八月粳”出自哪位首席科学家的团队？")
