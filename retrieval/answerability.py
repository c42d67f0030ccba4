"""Does a sentence, in its article, answer *this* question? What is missing when it does not.

BM25 and coverage find sentences that share words with the question; a sentence about
another bank, another year or another fact of the same company shares many words too. So a
candidate answer is checked against what the question is about (`retrieval.question`):

* every entity of the question occurs in the supporting article (after folding, so
  Traditional and Simplified spellings match; 「乐山市」 also matches 「乐山」), and so does every
  year, date and number the question states: a question about 2026 is not answered from an
  article that never mentions 2026;
* the article mentions what is asked about the entities (the focus nouns, 「董事长」): an
  article about the right bank that never names its chairman does not answer 「董事长是谁」;
* where the question asks for a type, the sentence holds a candidate of that type that the
  question does not already state: a number for 多少 (「380万元」「一周」「三班」, in
  currency for 「总投资」), a person or organisation for 谁 (in a sentence naming the role
  asked about: 「创始人」), a date for 哪一年, a place for 哪里, or a name ending in the noun
  the question asks for (「马萨卡医院」 for 「在哪些医院」); it must stand near the
  question's names, nouns or verbs;
* a question about 「明天」 or 「下周」 is answered only from an article of the last few days;
  one about how a year turned out (「2024年…最终谁胜出」) only from an article of that year or
  later (after it, for a whole year's figure).

`missing` returns what failed, as plain data (the names the article lacks, ``"about:<word>"``
for a stated fact or a thing asked about that it does not mention, the answer type as
``"type:number"``): the front end words it for the user.
"""

from __future__ import annotations

import datetime as dt
import re

import rjieba

from retrieval.answer_candidates import asked_text, folded_candidates, folded_near, squash
from retrieval.article_facts import (
    ABOUT,
    DESCRIPTIONS,
    Support,
    article_gaps,
)
from retrieval.figure_period import Period, asked_period, period_of, told_years
from retrieval.folding import fold
from retrieval.question import QuestionAnalysis

#: Years named relative to today: the article must be from this year.
_RELATIVE_YEARS = frozenset({"明年", "后年"})
#: From this length a role is a compound whose last word names it (`_role_tail`).
_COMPOUND_ROLE = 4
#: Besides 谁, question words that ask who holds a role after 是 or 为 (「冠军是哪支队伍」),
#: for nouns ending as a holder's do (「冠军」「得主」「供应商」; 「案子是哪家法院判的」 asks
#: no holder of a case).
_WHICH_HOLDER = ("哪支", "哪家", "哪位", "哪一家", "哪所")
_HOLDER_ENDS = frozenset("军主手者商方人员长师")
#: Last characters of roles people hold (「董事长」「发言人」「主教练」「书记」「总经理」).
_ROLE_LAST = _HOLDER_ENDS | frozenset("官家记理练监裁编导事委")
#: Nouns that are themselves the name 「叫什么」 asks (「题目叫什么」 is told by 「题为《…》」).
_NAMES_ASKED = frozenset({"题目", "标题", "名称", "名字", "称号", "简称", "全称", "姓名"})
#: How a question asks the name of a role's holder (「教练叫啥」).
_NAMING_ASKS = ("叫什么", "叫啥", "的名字", "的姓名")
#: An organisation's name right before a role it owns (「永辉超市的」「苹果公司联合」).
_ROLE_OWNER = re.compile(
    r"([\u4e00-\u9fff]{2,8}?(?:公司|集团|超市|银行|大学|医院|基金会|协会|俱乐部))的?(?:联合|副)?$"
)
#: The words of an organisation's legal form, not of its name proper.
_ORG_FORM = re.compile(r"股份|有限|责任|公司|集团|超市|银行|大学|医院|基金会|协会|俱乐部")
#: How far before a role its owner's name may start.
_OWNER_REACH = 14
#: The prefix of a gap that is the role a 谁 question asks the holder of (「董事长是谁」).
ROLE = "role:"
#: A question about 「明天」 needs an article at most this many days old.
RELATIVE_DAY_WINDOW = dt.timedelta(days=3)

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
}
#: How a sentence tells a birth (`QuestionAnalysis.must_tell` "birth"): 「1958年4月生」, 「出生于」,
#: or a life's span in brackets, 「（1565年－1635年）」 (「2009年至2021年」 is a tenure).
_TELLS_BIRTH = re.compile(r"出生|生于|年生|月生|诞生|生人|生日|[（(]\d{4}年?\s*[-－—–~～]\s*\d{4}")
#: How a sentence tells where a person comes from ("origin").
_TELLS_ORIGIN = re.compile(
    # 「四川仁寿人」, not 「舒兰市人民武装部」 or 「市人大」
    r"籍贯|祖籍|出生|生于|老家|家乡|人氏|[省市县州]人(?![民大社员口才事])|[区镇乡村]人[，。,、）)]"
)
#: How far from a birth or an origin the person it belongs to is named (characters).
_PROFILE_REACH = 20
#: Words with which a sentence tells a post held before ("earlier_post").
_TELLS_PAST = re.compile(r"曾|此前|之前|以前|早年|原任|历任|先后|从前|过去")
#: Words with which a sentence tells a founding ("founding"): 「成立于」, 「始建于」, 「创办」.
_TELLS_FOUNDING = re.compile(r"成立|创立|创办|创建|建立|组建|设立|始建|建于|建校|创刊|诞生|问世")
#: Words with which a sentence tells a cause ("cause"); 「原因」 alone names one untold.
_TELLS_CAUSE = re.compile(
    r"因为|由于|(?<![原起])因(?!此|而)|导致|造成|引起|引发|所致|源于|归因|缘于|诱发|"
    r"原因(?:是|为|系|在于|包括)|系[^统列数]"
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
#: A fine told ("penalty").
_TELLS_PENALTY = re.compile(r"罚")
#: An illness told only as one (「因病去世」), which names no disease ("disease").
_UNNAMED_ILLNESS = re.compile(r"因病|患病|病逝|病故|病情|病房|病床|病人")
#: How a sentence names an illness (「肺癌」「心肌梗塞」「肾衰竭」).
_ILLNESS = re.compile(r"癌|瘤|炎|症|病|梗|衰竭|中风|猝死|感染|新冠|障碍|抑郁|诊断|确诊")
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
_UNDISCLOSED = re.compile(r"未披露|未透露|未公布|姓名不详|身份不详|无名|不知名|尚不清楚|暂不清楚")
#: Words with which a sentence gives something a name ("alias").
_NAMING = re.compile(r"称|名为|名叫|命名|别名|又名|名字|叫做|叫作|外号|绰号|昵称|dub")
#: Words with which a sentence says what a term means or holds.
_DEFINING = re.compile(r"指|包括|包含|涵盖|即|分别|：|:")
#: A year a question asks about as the time of its fact: not a target (「到2030年」「2025年前」).
_ASKED_YEAR = re.compile(r"(?<![到至])((?:19|20)\d{2})\s*年(?!前|以前|之前|底前)")
#: Years named by the story's own (「今年」 is the year the story is of): a 哪一年 answer.
_YEAR_OF_STORY = re.compile(r"今年|去年|明年|前年")
#: Words with which a story names its own year.
_THIS_YEAR = re.compile(r"今年|本年|当年")
#: Words with which a story names the years after its own: 「明年」 is its year + 1.
_YEARS_AHEAD = {1: "明年", 2: "后年"}
#: A year an article names (「2024年」): an undated story was written in or after the latest.
_NAMED_YEAR = re.compile(r"(?:19|20)\d{2}(?=年)")


def question_terms(question: QuestionAnalysis) -> list[str]:
    """The question's words an answer candidate should stand near."""
    return [n for names in question.entities for n in names] + [*question.focus, *question.verbs]


def type_fits(question: QuestionAnalysis, sentence: str) -> bool | None:
    """Whether `sentence` (lowercase and Simplified, as news text mostly is: it is not
    folded) holds a number or date of the asked kind near the question's words; None for
    questions of no type or of a type (person, place) that only the part-of-speech tagger
    can find, too slow to run on every candidate."""
    if question.answer_type not in ("number", "date"):
        return None
    folded = squash(sentence)
    found = folded_candidates(
        folded, question.answer_type, question.text, question.units,
        year=question.wants_year, day=question.wants_day,
    )
    return folded_near(folded, found, question_terms(question))


def relative_day_gap(question: QuestionAnalysis, support: Support, today: dt.date) -> bool:
    """True when the question is about 「明天」-like days and the article is older than that;
    for 「明年」, when the article is from another year (its 「明年」 is not the reader's)."""
    if not question.relative_day:
        return False
    try:
        published = dt.date.fromisoformat(support.date[:10])
    except ValueError:
        return True
    if question.relative_day in _RELATIVE_YEARS:
        return published.year != today.year
    return today - published > RELATIVE_DAY_WINDOW


def _tells_of_them(telling: re.Pattern[str], question: QuestionAnalysis, folded: str) -> bool:
    """True when the sentence (`folded`) tells a birth or an origin (`telling`) and names one
    of the question's entities within `_PROFILE_REACH` characters of it: it belongs to the
    person named beside it, and profiles come several to a story (「出生于1969年1月的刘玉杰，
    …于2019年任阜阳市委副书记」 is not the birth of 阜阳's former secretary)."""
    text = squash(folded)
    told = [m.start() for m in telling.finditer(text)]
    if not told:
        return False
    names = [squash(n) for spellings in question.entities for n in spellings]
    return not names or any(
        abs(m.start() - at) <= _PROFILE_REACH
        for name in names
        for m in re.finditer(re.escape(name), text)
        for at in told
    )


def names_the_role(question: QuestionAnalysis, folded: str) -> bool:
    """False when a 谁 question asks for the holder of a role (「创始人是谁」) and the sentence
    (`folded`) never names the role: the people and companies it names are there in another
    one (「霸王茶姬或选择通过美国银行和花旗赴美IPO」)."""
    roles = asked_roles(question)
    asked = asked_text(question.text)
    return not roles or any(
        _holds_role(name, folded, asked, deputy=f"副{name}" in asked)
        for role in roles
        for name in (role, _role_tail(role))
    )


def _holds_role(role: str, folded: str, asked: str, *, deputy: bool) -> bool:
    """True when `folded` names `role`; unless the question asks for a deputy (`deputy`), the
    role itself, not only its deputy (「副局长于雷」 is no 局长); and not only as another
    organisation's (「苹果公司联合创始人」 for 「半天妖烤鱼的创始人」)."""
    return any(
        (deputy or m.start() == 0 or folded[m.start() - 1] != "副")
        and not _anothers(folded[max(0, m.start() - _OWNER_REACH) : m.start()], asked)
        for m in re.finditer(re.escape(role), folded)
    )


def _anothers(before: str, asked: str) -> bool:
    """True when the text right before a role (`before`) ends in an organisation's name the
    question (`asked`) does not name, in any spelling: no two characters of its name proper
    stand in the question (「中土尼日利亚有限公司」 is the question's 「中土尼日利亚公司」)."""
    owner = _ROLE_OWNER.search(before)
    if owner is None:
        return False
    proper = _ORG_FORM.sub("", owner.group(1))
    return not any(proper[i : i + 2] in asked for i in range(len(proper) - 1))


def asked_roles(question: QuestionAnalysis) -> list[str]:
    """The roles a 谁 question asks the holder of: the noun 谁 asks about (「创始人是谁」), not
    one describing the subject of another question word (「李俊升医生在哪个医院」)."""
    if question.answer_type != "who" and "name" not in question.must_tell:
        return []
    names = {n for spellings in question.entities for n in spellings}
    asked = asked_text(question.text)
    return [
        h for h in question.head
        if h not in names and h not in DESCRIPTIONS
        # 「消息是谁透露的」 asks who did the deed (`tells_deed`), and 消息 is no one's role
        and not (question.deed and h[-1] not in _ROLE_LAST)
        and (
            any(f"{h}{link}谁" in asked for link in ("", "是", "为", "由"))
            or (h not in _NAMES_ASKED
                and any(f"{h}{naming}" in asked for naming in _NAMING_ASKS))
            or (h[-1] in _HOLDER_ENDS
            and any(f"{h}{link}{who}" in asked for link in ("是", "为") for who in _WHICH_HOLDER))
        )
    ]


def _role_tail(role: str) -> str:
    """The role noun ending a compound of four characters or more (「事务所律师」 → 「律师」,
    「区委书记」 → 「书记」: a sentence writes 「律师事务所丁金坤律师」); a shorter role whole
    (「董事长」 is no 「事长」)."""
    tail = role[-2:]
    return tail if len(role) >= _COMPOUND_ROLE and rjieba.has_word(tail) else role


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


def too_early(question: QuestionAnalysis, support: Support) -> bool:
    """True when the question asks how a year turned out and the article was written before
    it could know (its date; undated, the latest year it names)."""
    first_year = question.outcome[1]
    if not first_year:
        return False
    written = support.date[:4]
    if not written.isdigit():
        named = _NAMED_YEAR.findall(support.text)
        written = max(named) if named else ""
    return not written or int(written) < first_year


def year_not_yet(question: QuestionAnalysis, folded: str, support: Support) -> str:
    """The year the question asks about (「2024年7月份西安市CPI」) when the article was written
    before it and the sentence (`folded`) does not name that year, "" otherwise.

    A story of 2023 that mentions 2024 somewhere still tells 2023's July in a sentence that
    says 「7月份」; only a sentence naming the later year (a plan, a forecast: 「2024年巴黎
    奥运会将…」, 「明年」) speaks of it.
    """
    asked = _ASKED_YEAR.findall(asked_text(question.text))
    if not asked:
        return ""
    # The years the story tells of, not as targets or comparison bases (「到2030年」,
    # 「较2019年同期」): an undated story was written in the latest; a story telling of years
    # long after its date was not written then (an encyclopedic text is dated by the first
    # date it holds, a birth).
    latest = max(told_years(support.text), default=0)
    dated = support.date[:4]
    published = int(dated) if dated.isdigit() else latest
    if not published or latest > published + 1:
        return ""
    for year in asked:
        ahead = int(year) - published
        if ahead <= 0 or year in folded or _YEARS_AHEAD.get(ahead, year) in folded:
            continue
        # An undated story may be of any year after the last it names: its 「今年」 may be it,
        # unless the sentence names that last year (「今年9月…举办2023年中国图书馆年会」).
        if not dated.isdigit() and _THIS_YEAR.search(folded) and str(published) not in folded:
            continue
        return f"{year}年"
    return ""


def missing(
    question: QuestionAnalysis,
    sentence: str,
    support: Support,
    today: dt.date,
) -> list[str]:
    """What keeps `sentence` (from the article `support`) from answering `question`.

    Empty when it answers. Terms come first (they are what a reader can check); the answer
    type comes as ``"type:<kind>"`` (``"type:outcome"`` when a result was asked and the
    sentence tells none), news older than the day or year asked about as ``"date:<word>"``.
    """
    # 「董事长是谁」 in a story that never names a chairman: the reply says so in those words
    roles = {f"{ABOUT}{role}" for role in asked_roles(question)}
    gaps = [
        f"{ROLE}{gap.removeprefix(ABOUT)}" if gap in roles else gap
        for gap in article_gaps(question, support)
    ]
    folded = fold(sentence)
    if relative_day_gap(question, support, today):
        gaps.append(f"date:{question.relative_day}")
    if too_early(question, support):
        gaps.append(f"date:{question.outcome[0]}")
    elif ahead := year_not_yet(question, folded, support):
        gaps.append(f"date:{ahead}")  # 「2024年7月份」 from a 2023 story's 「7月份」
    elif question.outcome[2] and not tells_result(folded):
        gaps.append("type:outcome")  # 「…选举参选人侯友宜」 names a candidate, not the winner
    found = folded_candidates(
        folded, question.answer_type, question.text, question.units,
        year=question.wants_year, day=question.wants_day, classes=question.answer_class,
    )
    if (
        question.answer_type == "date" and question.wants_year and question.verbs
        and all(verb in folded for verb in question.verbs)
    ):
        # 「今年…计划招录消防员15000名」 tells the year of the story, shown beside it, when it
        # tells what the question asks was done that year (not 「今年1月，张佰成当选…」)
        found += [y for y in _YEAR_OF_STORY.findall(folded) if y not in found]
    asked = asked_period(asked_text(question.text))
    if asked != Period() and question.answer_type == "number":
        # 「Q2营收为120亿美元」 gives the second quarter's figure, not the first's, and
        # 「2023年上半年，…营业收入36.69亿元」 neither the second quarter's nor 2022's
        squashed = squash(folded)
        found = [c for c in found if not period_of(squashed, c).contradicts(asked)]
    if question.answer_type and not folded_near(
        squash(folded), found, question_terms(question)
    ):
        gaps.append(f"type:{question.answer_type}")
    elif not names_the_role(question, folded):
        gaps.append("type:who")
    elif question.deed and not tells_deed(question.deed, folded):
        # 「荣休仪式由哪位主持」: not who handed the flowers; 「GPT-5是哪天发布的」: not the day
        # its trademark was filed
        gaps.append(f"type:{question.answer_type or 'who'}")
    elif question.measures and question.measures not in folded:
        gaps.append(f"type:{question.answer_type}")  # 「身高」: not the 「100米」 of a race
    elif "origin" in question.must_tell and not _tells_of_them(_TELLS_ORIGIN, question, folded):
        gaps.append("type:place")  # 「赵迎春是哪里人」: where from, not where they went
    elif "birth" in question.must_tell and not _tells_of_them(_TELLS_BIRTH, question, folded):
        # 「赵波是哪一年出生的」: not the year of a meeting he spoke at, nor the birth of the
        # colleague a story's next sentence profiles
        gaps.append("type:date")
    elif "founding" in question.must_tell and not _TELLS_FOUNDING.search(folded):
        gaps.append("type:date")  # 「字节跳动是哪一年成立的」: not the year of its revenue
    elif "cause" in question.must_tell and not tells_cause(folded):
        gaps.append("type:cause")  # 「起火原因正在调查」「事故原因已经查明，后续将公布」
    elif "disease" in question.must_tell and not _ILLNESS.search(
        _UNNAMED_ILLNESS.sub("", folded)
    ):
        gaps.append("type:cause")  # 「因病去世」 for 「因为什么病去世」
    elif "crime" in question.must_tell and not _TELLS_CRIME.search(folded):
        gaps.append(f"type:{question.answer_type or 'cause'}")  # 「因为什么罪被判过刑」
    elif any(
        kind.startswith("casualty:") and not _TELLS_CASUALTY[kind[9:]].search(folded)
        for kind in question.must_tell
    ):
        gaps.append(f"type:{question.answer_type or 'number'}")  # 「2人死亡」 for 「多少人失踪」
    elif _other_end_only(question.text, folded):
        gaps.append(f"type:{question.answer_type or 'number'}")  # 「下限为2420元」 for 「上限」
    elif "verdict" in question.must_tell and not _TELLS_VERDICT.search(folded):
        gaps.append(f"type:{question.answer_type or 'outcome'}")  # 「在过去的7年里挪用」
    elif "penalty" in question.must_tell and not _TELLS_PENALTY.search(folded):
        gaps.append(f"type:{question.answer_type or 'outcome'}")  # 「座位40元一位」
    elif "plan" in question.must_tell and not _TELLS_PLAN.search(folded):
        gaps.append("type:date")  # 「预计什么时候开通」: not the day reporters visited
    elif "until" in question.must_tell and not _TELLS_END.search(folded):
        gaps.append("type:date")  # 「展出持续到哪天」: not 「8月1日，…图片展开幕」
    if "earlier_post" in question.must_tell and not _TELLS_PAST.search(folded):
        gaps.append("type:who")  # 「执掌瑞幸之前在哪家公司任职」: not what he says as chairman
    if "alias" in question.must_tell and not _NAMING.search(folded):
        gaps.append("type:definition")  # 「吸砂船有什么别称」: not a description of the boat
    if (question.answer_type or "name" in question.must_tell) and _UNDISCLOSED.search(folded):
        gaps.append(f"type:{question.answer_type or 'who'}")  # 「融资金额未披露」「两无名勇士」
    if question.defines and not _DEFINING.search(folded):
        gaps.append("type:definition")  # 「为乐山“241”现代工业产业体系注入动力」 names it only
    return gaps
