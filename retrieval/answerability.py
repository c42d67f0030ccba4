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
* beyond the type, what the question asks a sentence to tell (a birth for 「哪一年出生」, a
  ruling for 「被判了几年」, the deed of 「由谁设计」: `retrieval.sentence_tells`);
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
from retrieval.sentence_tells import also_untold, first_untold, tells_result

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
#: Verbs and pointers before a bare 「公司」: what follows them names no organisation.
_BEFORE_A_NAME = re.compile(r"担任|任职|出任|在|于|该|本|其|这家|此|的|为|是")
#: How far before a role its owner's name may start.
_OWNER_REACH = 14
#: The prefix of a gap that is the role a 谁 question asks the holder of (「董事长是谁」).
ROLE = "role:"
#: A question about 「明天」 needs an article at most this many days old.
RELATIVE_DAY_WINDOW = dt.timedelta(days=3)

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
    # 「担任公司的董事长」「在该公司的」: the company spoken of, no name of another's
    proper = _BEFORE_A_NAME.split(_ORG_FORM.sub("", owner.group(1)))[-1]
    return bool(proper) and not any(proper[i : i + 2] in asked for i in range(len(proper) - 1))


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
    elif first := first_untold(question, folded):
        gaps.append(first)
    gaps += also_untold(question, folded)
    return gaps
