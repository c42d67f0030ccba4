"""What kind of answer a question asks for: its type, the unit of a number, a year's outcome.

Read from the question's words alone (`retrieval.question` gathers them into its analysis;
`retrieval.answerability` checks a sentence against them): 多少 asks for a number, and
「多少名」 for one counted in people, 「总投资是多少」 for an amount of money; 谁 for a person
or organisation; 「2024年…最终谁胜出」 for how a year turned out, which only a story written
in that year or after can tell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from retrieval.folding import fold
from retrieval.text import word_set

AnswerType = Literal["", "number", "date", "who", "place"]


_ANSWER_TYPES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    ("date", re.compile(
        r"何时|什么时候|什么时间|哪一?年|哪一?天|哪一?日|哪个?月|几月|几号|几日|何年|"
        r"日期|哪个时间|哪段时间|什么时间段"
    )),
    ("place", re.compile(
        # 「在哪些方面」「在哪些领域」「在哪些重大项目上」「在哪些框架内」 ask in what respect,
        # 「在哪张专辑」 in which work, 「在哪个iOS版本中」 in which release, not where;
        # 「如何处理」 asks how.
        # 「在哪个单位工作」 asks for an organisation: the who pattern below reads it.
        r"哪里|哪儿|在哪(?![些个]?(?:方面|领域|维度|层面|环节)|个?(?:单位|机构|公司|部门|企业|"
        r"组织|团队|学校|大学|医院|银行|集团|[\u4e00-\u9fff]{0,2}平台)|[本张部首篇届场款项门次家所])"
        r"(?![些个一]?[A-Za-z0-9. ]{0,10}[\u4e00-\u9fff]{1,6}[上内中])|(?<!如)何[地处]|什么地方|"
        r"哪个?(?:区县|县|市|省|国家|城市|地方|地区|区|"
        r"镇|乡|村|街道|州|岛|景区|场馆)|哪座城市|哪些(?:城市|地方|省份|国家)|哪条(?:街|路|大街|马路)"
    )),
    ("number", re.compile(
        r"多少|(?<!哪)几[个家名人位次项年天倍枚架辆条种所只台部款座场届期岁分万亿千百十]?|"
        r"多大|多高|多长|多重|多远|多久|多快|多深|多宽|第几|百分之几|比例|占比"
    )),
    ("who", re.compile(
        r"谁|哪位|哪一?家|什么人|哪个(?:人|公司|机构|单位|企业|组织|部门|团队|球队|品牌|"
        r"学校|大学|医院|银行|集团)|哪些人|哪所|哪支|哪几[家位所]|"
        r"哪些[\u4e00-\u9fff]{0,4}?(?:公司|企业|机构|单位|组织|银行|媒体)|"
        # the name of a person the question describes (「救人的两名男子叫什么名字」)
        # 「哪个杂技团」「哪个电商平台」「哪个连锁品牌」
        r"哪个[\u4e00-\u9fff]{0,2}(?:团|平台|品牌)|"
        r"(?:公司|企业|俱乐部|机构)[^，。？?]{0,4}叫什么|"  # 「这家俱乐部叫什么名字」
        r"(?:男子|女子|男孩|女孩|老人|小伙|姑娘|民警|司机|医生|老师|学生|选手|患者|市民|村民|"
        r"网友|游客|女士|先生|少年|少女|父亲|母亲|妻子|丈夫|儿子|女儿|班主任|校长|队长|教练|"
        r"骑手|店主|老板|车主|乘客|员工|护士|[\u4e00-\u9fff]者|得主|上司|领导|负责人|"
        r"[\u4e00-\u9fff]{1,3}长)[^，。？?]{0,4}叫什么"
    )),
)


#: What a weight is given in (「重多少公斤」: 「约300千克」「1.2吨」).
_WEIGHT = ("公斤", "千克", "kg", "斤", "吨")
#: Units a 多少/几 question may name, with the units an answer may carry instead.
_UNITS: dict[str, tuple[str, ...]] = {
    "名": ("名", "人", "位"), "人": ("人", "名", "位"), "位": ("位", "名", "人"),
    "家": ("家", "个"), "个": ("个", "家", "只", "项", "名"), "岁": ("岁",),
    "枚": ("枚", "块"), "吨": ("吨",), "元": ("元",), "万元": ("万元", "亿元", "元"),
    "亿元": ("亿",), "年": ("年",), "天": ("天", "日"), "次": ("次",),
    "架": ("架",), "辆": ("辆",), "亩": ("亩",), "倍": ("倍",), "所": ("所",), "座": ("座",),
    "条": ("条",), "项": ("项",), "台": ("台",), "分": ("分",), "米": ("米",),
    "人次": ("人次",), "件": ("件",), "种": ("种", "类"),
    "公斤": _WEIGHT, "千克": _WEIGHT, "股": ("股",), "平方公里": ("平方公里", "km"),
    "公顷": ("公顷", "亩", "平方"), "毫米": ("毫米", "mm"), "厘米": ("厘米", "cm"),
    "立方米": ("立方米", "方", "m3"), "美元": ("美元",),
}
#: People a 多少 question counts without a unit (「来了多少观众」): counted in people.
_PEOPLE_COUNTED = re.compile(
    r"多少[^，。？?多少]{0,3}?(?:观众|游客|旅客|乘客|人员|员工|职工|学生|考生|患者|选手|运动员|志愿者|市民|居民|村民|"
    r"群众|儿童)|人数(?:是|为|有|达|共|一共|总共)?(?:多少|几)"
)
_UNIT_ASKED = re.compile(
    r"(?:多少|(?<![这那前近头])几)(万元|亿元|名|人次|人|位|家|个|岁|枚|吨|元|年|天|次|架|辆|亩|倍|所|座|条|项|台|分|米|"
    r"户|艘|颗|只|头|本|部|篇|株|棵|套|间|张|块|场|届|期|班|批|轮|周|公里|平方米|小时|份|亿|万|件|种|"
    r"集|等|公斤|千克|股(?![份东票权价市民])|平方公里|公顷|毫米|厘米|立方米|美元)"
)
#: Words that ask what a term means or holds.
_DEFINITION = re.compile(r"具体(?:是)?指|具体(?:内容|包括|有哪些)|指的是哪些|[包含括]{2}哪些")
#: What a measured quantity is given in: 「身高多少」 asks for metres, not 「第11位」.
_LENGTH = ("米", "m", "公里", "千米")
_AREA = ("平方", "亩", "公顷", "m")  # 「㎡」「km²」 fold to 「m2」「km2」, read as 「m」「km」
_MEASURED: dict[str, tuple[str, ...]] = {
    "身高": ("米", "m"), "高度": _LENGTH, "海拔": _LENGTH, "长度": _LENGTH, "距离": _LENGTH,
    "深度": _LENGTH, "宽度": _LENGTH, "里程": _LENGTH, "海岸线": _LENGTH,
    "体重": ("克", "g", "斤"), "重量": ("克", "g", "斤", "吨"),
    "面积": _AREA, "占地面积": _AREA, "土地面积": _AREA, "建筑面积": _AREA,
}
#: Words for an amount of money: 「总投资是多少」 asks for yuan or dollars, not 「4万人」.
_MONEY = word_set(
    "投资 售价 价格 金额 营收 收入 利润 净利 成本 资金 融资 费用 票价 估值 市值 工资 薪资 "
    "罚款 罚金 补贴 奖金 房价 营业额 销售额 总价 造价 拨款 资助 保费 预算 税收 "
    "损失 经济损失 财产损失"
)
#: A word for money a few characters before or after 多少 (「受贿金额共计多少」「造成了多少
#: 财产损失」).
_MONEY_WORDS = "|".join(sorted(_MONEY, key=len, reverse=True))
_MONEY_BEFORE_ASKING = re.compile(
    rf"(?:{_MONEY_WORDS})(?:共计|合计|总计|一共|总共|累计|大约|约|达|为|是|有|了){{0,2}}多少"
    rf"|多少[^，。？?]{{0,2}}(?:{_MONEY_WORDS})"
)
#: Endings of compound nouns for money paid (「代言费」「学费」「门票价」; not 「电费」 alone).
_FEES = ("费", "金", "价")
#: An amount of money asked for in so many words (「一桌多少钱」).
_ASKS_MONEY = re.compile(r"多少钱|几块钱")
#: What a question asks beyond its answer type, each a thing the answer sentence must tell
#: (`retrieval.answerability` checks it).
_ASKED: dict[str, re.Pattern[str]] = {
    # where a person comes from (「是哪里人」), not where something is
    "origin": re.compile(
        r"(?:哪里|哪儿|什么地方|哪个地方|哪个省|哪个市|哪个国家的?|哪国|哪一国)人|"
        r"什么国籍|哪国国籍|国籍是|"
        r"(?:老家|籍贯|家乡|祖籍)(?:是|在)?[^，。？?]{0,4}?(?:哪|什么地方)"
    ),
    # when a person was born: a birth, not any date of their story
    "birth": re.compile(
        r"(?:哪一?年|何年|什么时候|哪天|几月)[^，。？?]{0,2}(?:出生|(?<![发产])生的|生人)|"
        r"(?:出生|(?<![发产])生)(?:于|在)?(?:哪一?年|何年|何时|什么时候|哪天)|生日是|出生日期|"
        r"出生年"
    ),
    # when an organisation was founded: a founding, not any year of its story
    "founding": re.compile(
        r"(?:哪一?年|何年|什么时候|何时|哪天)[^，。？?]{0,2}(?:成立|创立|创办|创建|建立)|"
        r"(?:成立|创立|创办|创建|建立)(?:于|在)?(?:哪一?年|何年|何时|什么时候|哪天)"
    ),
    # another name (「有什么别称」): one given as a name (「被称为」「别名」)
    "alias": re.compile(r"别称|别名|外号|绰号|昵称|俗称|又称|又名"),
    # a name, without a question word of a type (「两名男子叫什么名字」)
    "name": re.compile(r"叫什么|叫啥|什么名字|名字是|姓名|名称是什么"),
    # how long something lasts, asked as its last day: an end, not a start
    "until": re.compile(
        r"(?:持续|延续|展出|开放|执行|实施|有效|截止|延长|运行)到"
        r"(?:哪一?天|哪一?日|什么时候|何时|几月几)"
    ),
    # what caused something (「起火原因是什么」): a cause told, not 「原因正在调查」
    "cause": re.compile(
        r"原因(?:是什么|是啥|为何|何在|有哪些)|什么原因|是何原因|因为?(?:什么|啥)病"
    ),
    # when something planned will happen (「预计什么时候开通」): a plan or a forecast, not
    # the day of the story's visit
    "plan": re.compile(
        r"(?:预计|计划|将于|将在|有望|打算|预期)[^，。？?]{0,12}"
        r"(?:什么时候|何时|哪一?天|哪一?年|几月|什么时间)"
    ),
    # what a court ruled (「最后被判了几年」「法院判他赔了多少钱」): a ruling, not the years of
    # the crime or the sum claimed
    "verdict": re.compile(
        r"(?<![研评谈批])判(?![断定])[^，。？?]{0,6}?"
        r"(?:几年|多少年|几个月|多久|什么刑|赔(?:偿)?了?多少)|获刑(?:几|多少|多久)|"
        r"(?:咋|怎么|如何)(?:判|宣判)(?:的|了)"
    ),
    # which crime (「之前因为什么罪被判过刑」): a crime named, not the scheme of the story
    "crime": re.compile(r"(?:什么|啥|哪种|何种|哪项|哪些)罪(?!名单)"),
    # a count of the dead, missing or injured: that count, not another (「2人死亡」 for
    # 「多少人失踪」)
    "casualty:dead": re.compile(
        r"(?:多少|几)[^，。？?]{0,3}(?:死亡|遇难|身亡|罹难|丧生)|(?:死亡|遇难|身亡|罹难)(?:人数)?[^，。？?]{0,3}(?:多少|几)"
    ),
    "casualty:missing": re.compile(
        r"(?:多少|几)[^，。？?]{0,3}(?:失踪|失联)|(?:失踪|失联)(?:人数)?[^，。？?]{0,3}(?:多少|几)"
    ),
    "casualty:injured": re.compile(
        r"(?:多少|几)[^，。？?]{0,3}受伤|受伤(?:人数)?[^，。？?]{0,3}(?:多少|几)"
    ),
    # a punishment (「受到了什么处罚」): one told, not the trial
    "sanction": re.compile(r"(?:什么|何种|怎样的?|哪些|啥)(?:处罚|处理结果|处分|惩罚|刑罚|判决)"),
    # a surname (「摊主姓什么」): one told, not the stall's story
    "surname": re.compile(r"姓什么|姓啥|什么姓|贵姓"),
    # a model (「具体是哪个型号」): a code or a numbered name, not 「旗舰芯片」
    "model": re.compile(r"(?:什么|哪个|哪款|哪一款|啥)型号|型号(?:是|为)(?:什么|啥|多少)"),
    # a figure per unit (「每张假票卖多少钱」): a rate, not the total
    "per_unit": re.compile(
        r"每(?:张|个|人|件|瓶|份|吨|斤|公斤|千克|平方米|平米|次|天|晚|台|辆|股|户|亩|盒|箱|桌)"
        r"[^，。？?]{0,8}(?:多少|几)"
    ),
    # a fine (「被罚了多少钱」): the sum fined, not a price the story quotes
    "penalty": re.compile(r"被罚|罚了|罚款(?:是|为)?多少|罚多少|处罚(?:了)?多少"),
    # which illness (「因为什么病去世」): 「因病去世」 names none
    "disease": re.compile(r"(?:什么|啥|哪种|何种)(?:疾)?病"),
    # the post someone held before another: the past (「曾任」「此前」)
    "earlier_post": re.compile(
        r"(?:之前|以前|(?<![目当眼提此])前)[^，。？?]{0,6}(?:任职|工作|担任|就职)|"
        r"(?:任职|工作|担任|就职)[^，。？?]{0,4}(?:之前|以前)"
    ),
}
#: Words that make a 多少 ask for a change or share (「收入同比增长了多少」: 「7.3%」).
_CHANGE = re.compile(r"增长|下降|增加|减少|提高|上涨|下跌|降低|超过|占(?!地)|比例|百分|幅度")
_AGE = re.compile(r"多大年纪|多少岁|几岁|年龄多大|多大岁数|(?:今年|现在|如今)多大")
#: 「塔有多高」 at the question's end asks for a length.
_HOW_FAR = re.compile(r"多([高长远深宽])(?:了|呢|啊|呀)?[？?]*$")
#: 「有多重」 at the end of a question asks a weight.
_HOW_HEAVY = re.compile(r"多重(?:了|呢|啊|呀)?[？?]*$")
_DURATION = re.compile(r"多长时间|多久")
#: 「排名第几」 asks for a place in an order: 「第56位」, not any number.
_ORDINAL = re.compile(r"第几")
#: The date answer must name a year, a day.
ASKS_YEAR = re.compile(r"哪一?年|何年|几几年|什么年份")
ASKS_DAY = re.compile(r"哪一?天|哪一?日|几号|几日|几月几")
#: A year the question states (「2026年」).
STATED_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:(?:财|会计)?年|届|赛季)")
#: Words that ask how things turned out, not what was planned (「最终谁胜出」「谁当选」).
_OUTCOME = re.compile(
    r"最终|最后(?![一几两个天日次位名期批轮场段])|胜出|当选|夺冠|获胜|得主|揭晓|结果如何|结果怎么?样|结果是|比分|"
    r"冠军是|冠军为|金牌被|金牌由|拿走|摘得|摘下|夺得|得票|得了多少票"
)
#: Words that ask for a forecast (「2023年全年预计是多少」): a story before the end tells it.
_FORECAST = re.compile(r"预计|预估|预测|预期|有望")
#: 「最后」 or 「最终」 before a result (「最后是哪支队伍拿到了金牌」「最终是哪天建成通车的」).
_FINALLY = re.compile(r"最后|最终")
#: A total asked of a stated year's event (「一共接待了多少游客」).
_TOTAL = re.compile(r"一共|总共|共计|累计")
#: A question asking whether, or which of two: how something turned out, not what is planned.
_YES_NO = re.compile(r"了吗|了没有|了没|还是.{0,8}[赢胜输]|是否|有没有")
#: What such a question asks to be settled: a winner, a title, a success; after 「最后」 a
#: thing only a result settles (a title, a verdict, a plant or bridge done), not 「当选」.
_SETTLED_THING = re.compile(
    r"冠军|金牌|夺冠|获胜|胜出|赢|比分|判[了决刑处]|宣判|定罪|认定|裁定|裁决|量产|投产|建成|完工|通车|开业|"
    r"定价|定档|敲定"
)
_SETTLED = re.compile(rf"{_OUTCOME.pattern}|成功|通过|{_SETTLED_THING.pattern}")
#: Words that ask for a whole year's figure: only an article from after that year has it.
_WHOLE_YEAR = re.compile(r"全年|全年度|年度(?:总)?(?:销量|营收|收入|产量|利润)")


def answer_type(text: str) -> AnswerType:
    """The type of answer the question asks for, or "" when it asks for none in particular."""
    folded = fold(text)
    for kind, pattern in _ANSWER_TYPES:
        if pattern.search(folded):
            return kind
    return ""


def asks_definition(folded: str) -> bool:
    """True for a question that asks what a term holds (「“241”具体是指哪些产业」「包括哪些」):
    a sentence that only names the term does not answer it."""
    return _DEFINITION.search(folded) is not None


def asked_units(
    folded: str, slot: tuple[str, str], heads: Sequence[str] = ()
) -> tuple[str, ...]:
    """Units a number answer must carry, () for any number. `slot`: the question's
    `slot_context`, `heads` the nouns before its question word: they name what is counted
    or measured (「总投资」, 「体重约多少」)."""
    unit = _UNIT_ASKED.search(folded)
    if _AGE.search(folded):
        return ("岁",)
    if _DURATION.search(folded):
        return ("年", "个月", "天", "日", "小时", "分钟", "秒", "周")
    if _HOW_FAR.search(folded.strip()):
        return _LENGTH
    if _HOW_HEAVY.search(folded.strip()):
        return _MEASURED["重量"]
    if unit:
        return _UNITS.get(unit.group(1), (unit.group(1),))
    if _PEOPLE_COUNTED.search(folded):
        return ("人", "名", "位")  # 「人次」 too
    if _ORDINAL.search(folded):
        return ("第",)
    if _CHANGE.search(folded):
        return ()
    if any(
        word in _MONEY or (len(word) >= 3 and word.endswith(_FEES))
        for word in (slot[0], slot[1], *heads)
    ) or _ASKS_MONEY.search(folded) or _MONEY_BEFORE_ASKING.search(folded):
        return ("元", "镑", "卢布")  # 万元 亿元 美元 欧元 港元 日元; 英镑
    quantity = measured(slot, heads)
    return _MEASURED[quantity] if quantity else ()


def measured(slot: tuple[str, str], heads: Sequence[str] = (), folded: str = "") -> str:
    """The measured quantity a number question asks for (「身高」, 「海拔」), "" for none; for
    「塔有多高」 the dimension a sentence tells it by (「高」: 「高达」「米高」, not the
    「4×400米」 of a relay)."""
    named = next((word for word in (slot[0], *heads) if word in _MEASURED), "")
    far = _HOW_FAR.search(folded.strip())
    return named or (far.group(1) if far else "")


def must_tell(folded: str) -> frozenset[str]:
    """What the question (`folded`) asks a sentence to tell beyond an answer of its type, by
    the names of `_ASKED` (`QuestionAnalysis.must_tell`)."""
    return frozenset(what for what, asking in _ASKED.items() if asking.search(folded))


def outcome(folded: str) -> tuple[str, int, bool]:
    """`QuestionAnalysis.outcome` of a question: ("", 0, False) when it asks no outcome."""
    years = [int(y) for y in STATED_YEAR.findall(folded)]
    if not years:
        # 「最后是西班牙赢了还是英格兰赢了」「拿到冠军了吗」: a result is asked whatever the year
        return "", 0, bool(
            (_YES_NO.search(folded) and _SETTLED.search(folded))
            or (_FINALLY.search(folded) and _SETTLED_THING.search(folded))
        )
    year = max(years)
    if _WHOLE_YEAR.search(folded) and not _FORECAST.search(folded):
        return f"{year}年底", year + 1, False  # 「全年预计」 asks a forecast, told before
    if _OUTCOME.search(folded):
        return f"{year}年", year, True
    if _TOTAL.search(folded):  # 「2024年世园会一共接待了多少游客」: known once it is over
        return f"{year}年", year, False
    return "", 0, False
