"""What a sentence tells beyond an answer of the type a question asks.

A sentence holding a date for 「哪一年出生」 may hold the date of a meeting; one holding a
number for 「被判了几年」 the years of the crime; one naming a company for 「由谁设计」 the
company that sponsored it. So beside its answer type a question may ask a sentence to tell
a birth, an origin, a founding, a cause, a ruling, a fine, a deed (`QuestionAnalysis`
`must_tell`, `deed`, `measures`): this module holds how the news writes each, and `untold`
checks a sentence against them for `retrieval.answerability.missing`.
"""

from __future__ import annotations

import re

from retrieval.answer_candidates import squash
from retrieval.numerals import numeral_value
from retrieval.question import QuestionAnalysis
from retrieval.sentence_names import is_person

#: Words that tell how a contest turned out, for a question that asks (`QuestionAnalysis.outcome`).
#: (A score in digits, 「2:1」, is left out: it cannot be told from a time, 「08:16」.)
_RESULT = re.compile(
    r"胜出|当选|获胜|胜选|夺冠|夺得|赢得|击败|战胜|冠军|得主|获得|获奖|揭晓|最终|比分|"
    r"累计|总计|共计|成功|完成|已于|结果|判处|判决|宣判|裁定|决定"
)
#: Words that make a clause a plan, a forecast, a condition or a denial, not a result.
_HEDGE = re.compile(
    r"如果|假如|若是|倘若|一旦|计划|预计|有望|将于|将在|将会|将要|将成为|或将|或许|可能|"
    r"尚未|未能|没能|从未|择期|即将|有待|尚待|待定|未(?:当庭)?(?:公布|宣布|披露)"
)
_CLAUSE_BREAK = re.compile(r"[，。；,;！？!?]")
#: Verbs a question ends on (`QuestionAnalysis.deed`) and the verbs news writes for them.
_SAID_AS: dict[str, tuple[str, ...]] = {
    "提供": ("来自", "供应", "配套", "供货"), "制成": ("制得", "制备", "合成"),
    "打进": ("进球", "打入", "攻入", "破门", "攻破"), "生产": ("制造", "出品"),
    "开发": ("研发", "推出", "打造"), "创办": ("创立", "创建", "成立"), "创立": ("创办", "创建"),
    "担任": ("出任", "接任", "兼任"), "率领": ("带领", "领导", "带队"), "设计": ("操刀",),
    "执导": ("导演",), "主演": ("出演", "饰演"), "组建": ("成立", "创立", "创建"),
    "建成": ("建于", "落成", "竣工", "建成于", "修建于", "始建于"),
    "设立": ("成立", "创立", "创办", "设于"), "建立": ("成立", "创立", "创建", "建于"),
    "发布": ("推出", "发表", "亮相", "上线"),
    # a rule comes into force 「自8月1日起」
    "执行": ("施行", "实施", "生效", "日起"), "实施": ("施行", "执行", "生效", "日起"),
    "施行": ("实施", "执行", "生效", "日起"), "生效": ("施行", "实施", "执行", "日起"),
}
#: How a sentence tells a birth (`QuestionAnalysis.must_tell` "birth"): 「1958年4月生」, 「出生于」,
#: or a life's span in brackets, 「（1565年－1635年）」 (「2009年至2021年」 is a tenure).
_TELLS_BIRTH = re.compile(r"出生|生于|年生|月生|诞生|生人|生日|[（(]\d{4}年?\s*[-－—–~～]\s*\d{4}")
#: How a sentence tells where a person comes from ("origin").
_TELLS_ORIGIN = re.compile(
    # 「四川仁寿人」, not 「舒兰市人民武装部」 or 「市人大」
    r"籍贯|祖籍|出生(?![于在]?\d)|生于(?!\d)|老家|家乡|人氏|[省市县州]人(?![民大社员口才事])|[区镇乡村]人[，。,、）)]|"
    # a nationality: 「国籍」, 「西班牙籍」, 「英国人」
    r"国籍|[\u4e00-\u9fff]籍(?:华人|球员|教练|主帅|男子|女子|外援|人士)|国人(?![民大])"
)
#: How far from a birth or an origin the person it belongs to is named (characters).
_PROFILE_REACH = 20
#: Words with which a sentence tells a post held before ("earlier_post").
_TELLS_PAST = re.compile(r"曾|此前|之前|以前|早年|原任|历任|先后|从前|过去|前任|前副|前总")
#: Words with which a sentence tells a founding ("founding"): 「成立于」, 「始建于」, 「创办」.
_TELLS_FOUNDING = re.compile(r"成立|创立|创办|创建|建立|组建|设立|始建|建于|建校|创刊|诞生|问世")
#: Words with which a sentence tells a cause ("cause"); 「原因」 alone names one untold.
_TELLS_CAUSE = re.compile(
    r"因为|由于|(?<![原起])因(?!此|而)|导致|造成|引起|引发|所致|源于|归因|缘于|诱发|"
    r"原因(?:是|为|系|在于|包括)|系[^统列数\d]"
)
#: Words that name one end of a range or an order, and the other end: a sentence telling
#: only the other end (「缴存基数下限为2420元」 for 「上限调到了多少」) tells another figure.
_OPPOSITES = (
    ("上限", "下限"), ("最高", "最低"), ("最大", "最小"), ("最多", "最少"), ("最早", "最晚"),
    ("首次", "最后一次"), ("涨幅", "跌幅"),
)
#: The crime a sentence names (「犯诈骗罪」) for "crime".
_TELLS_CRIME = re.compile(r"罪")
#: By the name of a count of people a question asks (`answer_kind` "casualty:…"), how a
#: sentence tells it: the dead are not the missing.
_TELLS_CASUALTY = {
    "dead": re.compile(r"死亡|遇难|身亡|罹难|丧生|遇害|殒命|死"),
    "missing": re.compile(r"失踪|下落不明|失联"),
    "injured": re.compile(r"受伤|伤"),
}
#: Words with which a sentence tells what a court ruled ("verdict").
_TELLS_VERDICT = re.compile(
    r"判处|判决|判刑|获刑|宣判|判令|判赔|判定|判了|被判|改判|原判|裁定|有期徒刑|无期徒刑|死刑|"
    r"拘役|缓刑"
)
#: A punishment told ("sanction").
_TELLS_SANCTION = re.compile(
    rf"罚|拘留|警告|处分|开除|免职|撤职|吊销|责令|{_TELLS_VERDICT.pattern}"
)
#: A model told ("model"): a code of letters and digits (「MT7986」「骁龙782G」) or a numbered
#: name (「长征三号乙」「天问一号」).
_TELLS_MODEL = re.compile(r"[a-z]+\s?-?\d|\d+[a-z]|[一二三四五六七八九十\d]+号|型号(?:为|是)")
#: A figure per unit told ("per_unit"): 「每张」, 「元/张」, 「单价」.
_TELLS_RATE = re.compile(
    r"每|/|单价|均价|人均|平均|一(?:张|个|人|件|瓶|份|吨|斤|公斤|次|天|晚|台|辆)"
)
#: A surname told ("surname"): 「姓王」, 「王先生」「李女士」「张某」「刘师傅」.
_TELLS_SURNAME = re.compile(
    r"姓[\u4e00-\u9fff]|[\u4e00-\u9fff](?:先生|女士|某|师傅|老板|大爷|阿姨)"
)
#: A fine told ("penalty").
_TELLS_PENALTY = re.compile(r"罚")
#: An illness told only as one (「因病去世」), which names no disease ("disease").
_UNNAMED_ILLNESS = re.compile(r"因病|患病|病逝|病故|病情|病房|病床|病人")
#: How a sentence names an illness (「肺癌」「心肌梗塞」「肾衰竭」).
_ILLNESS = re.compile(r"癌|瘤|炎|症|病|梗|衰竭|中风|猝死|感染|新冠|障碍|抑郁|诊断|确诊")
#: What a question asks a sentence to tell that a pattern finds, in the order checked, with
#: the kind of gap when the question asks no answer type: a ruling (not 「在过去的7年里挪用」),
#: a punishment (not 「开庭审理一起盗窃案」), a surname (not 「男子被摊主嘲买不起泡面」), a
#: model (not 「采用了联发科旗舰芯片」), a rate (not 「共计售卖假票300余张，获利20万余元」), a
#: fine (not 「座位40元一位」).
_TOLD_IN_WORDS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("verdict", _TELLS_VERDICT, "outcome"), ("sanction", _TELLS_SANCTION, "outcome"),
    ("surname", _TELLS_SURNAME, "who"), ("model", _TELLS_MODEL, "definition"),
    ("per_unit", _TELLS_RATE, "number"), ("penalty", _TELLS_PENALTY, "outcome"),
)
#: The n-th of something counted with a measure word (「第二家」「第3座」「第一次」).
_ORDINAL = re.compile(
    r"第([一二三四五六七八九十两\d]{1,3})(家|个|座|条|款|期|批|艘|架|辆|所|次|轮|场)"
)
#: Words with which a sentence says a cause is not known yet.
_CAUSE_UNTOLD = re.compile(
    r"(?:原因|起因)[^，。；]{0,6}(?:正在|仍在|尚在|还在|有待|待)(?:进一步)?(?:调查|查明|核实|确认)|"
    r"原因(?:不明|未明|尚不清楚|暂不清楚|仍不清楚)"
)
#: Words with which a sentence tells a plan or a forecast ("plan").
_TELLS_PLAN = re.compile(r"预计|计划|将|有望|拟|力争|争取|定于|定档|年内|即将|预定|安排|目标|预期")
#: Words with which a sentence tells when something ends ("until").
_TELLS_END = re.compile(r"至|到|止|结束|为期|届满|延长")
#: Words with which a sentence says the fact is not known or not told.
_UNDISCLOSED = re.compile(
    r"未披露|未透露|未公布|未公开(?:名称|姓名|身份)|姓名不详|身份不详|无名|不知名|"
    r"尚不清楚|暂不清楚"
)
#: A question asking for someone's full or real name.
_FULL_NAME_ASKED = re.compile(r"(?:全名|真名|真实姓名|本名)[^，。？?]{0,3}(?:什么|啥|谁)")
#: A name a story masks (「渠某」「“田”某」「张某某」).
_MASKED_NAME = re.compile(r"[\u4e00-\u9fff\"”]某(?![种些项地处])")
#: Words with which a sentence gives something a name ("alias").
_NAMING = re.compile(r"称|名为|名叫|命名|别名|又名|名字|叫做|叫作|外号|绰号|昵称|dub")
#: Words with which a sentence says what a term means or holds.
_DEFINING = re.compile(r"指|包括|包含|涵盖|即|分别|：|:")


def _tells_of_them(telling: re.Pattern[str], question: QuestionAnalysis, folded: str) -> bool:
    """True when the sentence (`folded`) tells a birth or an origin (`telling`) and names one
    of the question's entities within `_PROFILE_REACH` characters of it: it belongs to the
    person named beside it, and profiles come several to a story (「出生于1969年1月的刘玉杰，
    …于2019年任阜阳市委副书记」 is not the birth of 阜阳's former secretary)."""
    text = squash(folded)
    told = [m.start() for m in telling.finditer(text)]
    if not told:
        return False
    # 「淮安市委书记史志军是哪一年出生的」: the person, not their city (「淮安…选举顾坤为市长，
    # 生于1976年」 is the birth of another)
    people = [
        names for names in question.entities
        if any(is_person(n) for n in names) and names[0] not in question.places
    ]
    names = [squash(n) for spellings in people or question.entities for n in spellings]
    return not names or any(
        abs(m.start() - at) <= _PROFILE_REACH
        for name in names
        for m in re.finditer(re.escape(name), text)
        for at in told
    )


def tells_deed(deed: str, folded: str) -> bool:
    """True when the sentence (`folded`) tells the deed a question asks the doer of, in its
    verb or one the news writes for it (「由莫瓦桑制得」 for 「被谁制成」)."""
    return deed in folded or any(other in folded for other in _SAID_AS.get(deed, ()))


def _other_end_only(question: str, folded: str) -> bool:
    """True when the question asks one end (「上限」「最高」) and the sentence tells only the
    other (`_OPPOSITES`)."""
    return any(
        (asked in question and other in folded and asked not in folded and other not in question)
        or (other in question and asked in folded and other not in folded
            and asked not in question)
        for asked, other in _OPPOSITES
    )


def _another_ordinal(question: str, folded: str) -> bool:
    """True when the question asks of the n-th of something (「第二家合资电池厂」) and the
    sentence tells only of another one counted the same way (「第一家」)."""
    asked = _ORDINAL.search(question)
    if asked is None:
        return False
    number, measure = numeral_value(asked.group(1)), asked.group(2)
    told = [numeral_value(m.group(1)) for m in _ORDINAL.finditer(folded) if m.group(2) == measure]
    return bool(told) and number not in told


def tells_cause(folded: str) -> bool:
    """True when the sentence (`folded`) tells what caused something, not only that the
    cause is being looked into or has been found."""
    return bool(_TELLS_CAUSE.search(folded)) and not _CAUSE_UNTOLD.search(folded)


def tells_result(folded: str) -> bool:
    """True when a clause of the sentence tells how something turned out, unhedged:
    「如果成功，…将成为」 and 「计划于8月21日着陆」 tell no result."""
    return any(
        _RESULT.search(clause) and not _HEDGE.search(clause)
        for clause in _CLAUSE_BREAK.split(folded)
    )


def first_untold(question: QuestionAnalysis, folded: str) -> str:
    """The first thing the sentence (`folded`) leaves untold of what the question asks
    beyond an answer of its type (its deed, the quantity it measures, what it must tell:
    `QuestionAnalysis.must_tell`, or the end of a range it names), as a gap of
    `retrieval.answerability.missing`; "" when it tells them all."""
    if question.deed and not tells_deed(question.deed, folded):
        # 「荣休仪式由哪位主持」: not who handed the flowers; 「GPT-5是哪天发布的」: not the day
        # its trademark was filed
        return f"type:{question.answer_type or 'who'}"
    if question.measures and question.measures not in folded:
        return f"type:{question.answer_type}"  # 「身高」: not the 「100米」 of a race
    if "origin" in question.must_tell and not _tells_of_them(_TELLS_ORIGIN, question, folded):
        return "type:place"  # 「赵迎春是哪里人」: where from, not where they went
    if "birth" in question.must_tell and not _tells_of_them(_TELLS_BIRTH, question, folded):
        # 「赵波是哪一年出生的」: not the year of a meeting he spoke at, nor the birth of the
        # colleague a story's next sentence profiles
        return "type:date"
    if "founding" in question.must_tell and not _TELLS_FOUNDING.search(folded):
        return "type:date"  # 「字节跳动是哪一年成立的」: not the year of its revenue
    if "cause" in question.must_tell and not tells_cause(folded):
        return "type:cause"  # 「起火原因正在调查」「事故原因已经查明，后续将公布」
    if "disease" in question.must_tell and not _ILLNESS.search(
        _UNNAMED_ILLNESS.sub("", folded)
    ):
        return "type:cause"  # 「因病去世」 for 「因为什么病去世」
    if "crime" in question.must_tell and not _TELLS_CRIME.search(folded):
        return f"type:{question.answer_type or 'cause'}"  # 「因为什么罪被判过刑」
    if any(
        kind.startswith("casualty:") and not _TELLS_CASUALTY[kind[9:]].search(folded)
        for kind in question.must_tell
    ):
        return f"type:{question.answer_type or 'number'}"  # 「2人死亡」 for 「多少人失踪」
    if _another_ordinal(question.text, folded):
        return f"type:{question.answer_type or 'number'}"  # 「第一家合资电池厂」 for 「第二家」
    if _other_end_only(question.text, folded):
        return f"type:{question.answer_type or 'number'}"  # 「下限为2420元」 for 「上限」
    for asked, telling, kind in _TOLD_IN_WORDS:
        if asked in question.must_tell and not telling.search(folded):
            return f"type:{question.answer_type or kind}"
    if "plan" in question.must_tell and not _TELLS_PLAN.search(folded):
        return "type:date"  # 「预计什么时候开通」: not the day reporters visited
    if "until" in question.must_tell and not _TELLS_END.search(folded):
        return "type:date"  # 「展出持续到哪天」: not 「8月1日，…图片展开幕」
    return ""


def also_untold(question: QuestionAnalysis, folded: str) -> list[str]:
    """The gaps of `missing` checked whatever the others: a post held before, another name,
    a fact the sentence says is undisclosed, what a term holds."""
    gaps: list[str] = []
    if "earlier_post" in question.must_tell and not _TELLS_PAST.search(folded):
        gaps.append("type:who")  # 「执掌瑞幸之前在哪家公司任职」: not what he says as chairman
    if "alias" in question.must_tell and not _NAMING.search(folded):
        gaps.append("type:definition")  # 「吸砂船有什么别称」: not a description of the boat
    if (question.answer_type or "name" in question.must_tell) and _UNDISCLOSED.search(folded):
        gaps.append(f"type:{question.answer_type or 'who'}")  # 「融资金额未披露」「两无名勇士」
    if _FULL_NAME_ASKED.search(question.text) and _MASKED_NAME.search(folded):
        gaps.append("type:who")  # 「全名叫啥」: 「渠某」 is how the story hides it
    if question.defines and not _DEFINING.search(folded):
        gaps.append("type:definition")  # 「为乐山“241”现代工业产业体系注入动力」 names it only
    return gaps
