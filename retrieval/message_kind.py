"""What kind of message a user sent: only a real question about the news can be answered.

`ask` receives everything a user types: real questions, greetings, bare keywords, requests
for arithmetic or code. The kinds:

* ``chitchat`` — greetings, thanks, small talk addressed to the bot (「你好」「你今天心情怎么样」);
* ``search`` — one or two characters, or a bare keyword with no question in it (「火」「新闻」);
* ``offtopic`` — a task rather than a question about reported facts: arithmetic, code,
  translation, writing, recipes, personal advice;
* ``question`` — everything else (analysed further by `retrieval.question`).
"""

from __future__ import annotations

import re
from typing import Literal

from retrieval.folding import fold
from retrieval.text import HAN

Kind = Literal["question", "chitchat", "search", "offtopic"]

_PUNCT = re.compile(r"[\W_]+")
#: One Chinese character.
HAN_CHAR = re.compile(rf"[{HAN}]")

#: Greetings, thanks, fillers and small talk addressed to the bot.
_CHITCHAT = re.compile(
    r"^(?:你好|您好|大家好|hi|hello|hey|嗨|哈喽|在吗|在不在|在么|谢谢|多谢|感谢|谢啦|"
    r"拜拜|再见|早上好|早安|中午好|下午好|晚上好|晚安|嗯+|哦+|噢+|啊+|哈+|呵+|好的?|ok|"
    r"好吧|对|是的|不是|没事|没有|行|可以|测试一?下?|test|然后呢|还有呢|后来呢|所以呢|真的吗|"
    r"是吗|为什么呢|怎么说|什么意思|啥意思|怎么了|为啥|为什么)$"
    # the bot imagined otherwise (「如果你能变成一种动物」), its favourites
    r"|^(?:如果|假如|要是|假设)你|你最(?:想|喜欢|爱|讨厌)"
    r"|^你(?:平时|平常|一般|通常|每天|也|还)?"
    r"(?:是谁|叫什么|多大|几岁|会什么|能做什么|能干什么|好吗|还好吗|开心吗|累吗|喜欢|爱我|觉得我)"
    # about the bot itself: who made it, what runs it (「你是否知道」 asks about the news)
    r"|^你们?(?:是(?!否|不是)|由谁|背后|用的是|的(?:名字|模型|开发|数据|训练))"
    # how the bot feels (「你每天回答这么多问题，会不会觉得累」)
    r"|^你.{0,16}(?:觉得|感到|会不会|会)(?:累|烦|无聊|孤独|开心|高兴|难过|做梦|睡觉|饿|困|害怕|生气|"
    r"哭|吃醋|嫉妒|伤心)"
    r"|你(?:今天|最近|现在)?(?:心情|过得|感觉)(?:怎么样|如何|好吗)"
    # what the bot is doing now (「你现在在干嘛呢」)
    r"|^你(?:现在|这会儿|今天|最近)?(?:在|正在)?(?:干嘛|干什么|做什么|忙什么|忙啥)"
    r"|^你有(?:自己的|没有)?(?:生日|名字|家人|朋友|爱好|感情|梦想)|^你会(?:说|讲|唱)|^你怕不怕"
    r"|(?:讲|说)(?:个|一个|几个)?(?:笑话|故事)|陪我(?:聊|说|玩)|^(?:我们)?聊聊?天|^无聊|好无聊|无聊死"
    # the bot's opinion and memory (「你觉得猫和狗哪个更可爱」「你能记住我们上一次聊了什么吗」)
    r"|^你(?:觉得|认为)|^你(?:能|还|会)?(?:记得|记住|记性)|你刚才|是不是有点?(?:笨|傻|蠢)"
)

#: Units of length, weight and temperature, for unit conversions.
_UNIT = r"(?:英尺|英寸|英里|海里|磅|盎司|华氏度|摄氏度|公斤|千克|斤|克|厘米|毫米|公里|千米|米|度)"
#: What a programming question is about.
_CODE = (
    r"(?:代码|编程|函数|正则|脚本|数组|字符串|javascript|python|java|sql|c\+\+|go语言|golang|"
    r"rust|php|c语言|读取|docker|kubernetes|k8s|截图|截屏|截长图|录屏|刷机|重装系统|"
    r"html|css|bug|linux|windows|macos|excel|word文档|wps|ppt|页码|页眉|页脚|命令行|端口|进程|路由器)"
)
#: Tasks that are not questions about reported facts. A task is recognised by how it is
#: asked, not by its subject alone: a news question may well mention code (「用ChatGPT写代码」),
#: a score (「09-10赛季」), a translator or a boyfriend.
_OFFTOPIC = re.compile(
    # arithmetic: Chinese operators, or symbols with a result asked for
    r"\d\s*(?:乘以|乘|加上|加到|加|减去|减到|减|除以)\s*\d|"
    r"\d\s*[+\-*/×÷^]\s*\d.*(?:=|等于|是多少|得多少|结果)|等于(?:几|多少)|方程(?:式|组|的|[：:？?，,]|$)|解方程|求解|"
    r"算一下|计算一下|求导|(?:定|不定|求)积分|平方根|[xy]²|换算成|换算为"
    # a sum or product over numbers (「1到100之间所有奇数的和是多少」)
    r"|(?:奇数|偶数|整数|质数|素数|自然数)(?:的)?(?:和|积|之和|个数)"
    # a number riddle (「一个数乘以3再减去7等于20，这个数是几」)
    r"|这个数是(?:几|多少)|[乘除]以\s*\d[^，。？?]{0,12}等于"
    # a proof to write out (「勾股定理怎么证明」): homework, not a fact reported
    r"|(?:定理|公式|不等式|猜想)[^，。？?]{0,4}(?:怎么|如何|怎样)证明"
    # a unit conversion: a measure given in one unit, asked in another
    rf"|\d\s*{_UNIT}[^，。？?]{{0,8}}(?:折合|换算|等于|合|是)多少{_UNIT}"
    # a geometry exercise: a shape given, its measure asked
    r"|一个(?:圆|三角形|正方形|长方形|正方体|长方体|球)[^，。？?]{0,4}的?(?:半径|直径|边长|底|高)"
    r"|一个(?:半径|直径|边长)[^，。？?]{0,8}的(?:圆|正方形|正方体|球)"
    # how to program something
    rf"|{_CODE}.*(?:怎么|怎样|如何|有(?:什么|啥)(?:区别|不同)|是什么意思)|(?:怎么|怎样|如何|帮我|给我|教我|请(?!问)|^写).*{_CODE}"
    # translation
    r"|翻译成|翻成|译成|翻译为|翻译一下|怎么翻译|用(?:中文|英文|英语|日语|日文|韩语|法语|德语|"
    r"俄语)(?:怎么)?说|(?:中文|英文|英语|日语)怎么说"
    # a job done for the asker (「帮我把证件照的背景换成白色」)
    r"|^(?:请|麻烦)?帮我把"
    # writing (「帮我给这篇新闻起个标题」: what it is written for may come first)
    r"|(?:帮我|给我|教我|请)(?:给[^，。？?]{1,10}?)?(?:一步一步|一下)?"
    r"(?:写|编|作|创作|做|画|生成|想|起|拟|改写|润色|制定|列|排|安排|规划|设计)|写一(?:首|篇|段|个|封)|[诗词][？?]?$|"
    r"绝句|律诗|写.{0,8}作文|作文(?:怎么|如何)写"
    # shopping arithmetic (「原价360元的衣服打七五折，现在卖多少钱」)
    r"|原价[^，。？?]*打[^，。？?]{1,3}折"
    # riddles
    r"|谜语|脑筋急转弯"
    # school knowledge (「圆周率小数点后第10位」「元素周期表里第26号元素」)
    r"|圆周率|小数点后第|元素周期表|勾股定理|(?:面积|体积|周长)公式"
    # recipes
    r"|怎么做(?!到|的|出|成)|(?<!什么)(?<!哪些)(?<!啥)做法[？?]?$|家常做法|菜谱|食谱|怎么(?:煮|炒|烧|蒸|炖|腌|煎|炸|卤|烤|熬|焖|拌)|好吃吗"
    r"|自己在家|在家自己|在家(?:怎么|如何)|(?:怎么|如何|怎样)用[^，。？?]{1,8}做|怎么弄"
    r"|(?:准备|放|用|加)(?:哪些|什么)(?:调料|食材|配料|佐料)|(?:调料|食材|配料|佐料)有?(?:哪些|什么)"
    r"|(?:蒸|煮|炖|烤|炸|焖|煎|焯)(?:多久|几分钟|多长时间)|才(?:能|会)?(?:刚好|正好)?熟"
    # how to use software (「Excel里用什么公式能算出两个日期之间差几天」)
    r"|(?:用|拿)(?:什么|哪个|啥)(?:公式|函数|命令|快捷键)|快捷键是(?:什么|啥)"
    # household chores (「圆珠笔印用啥能洗掉」)
    r"|(?:用什么|用啥|怎么|怎样|如何)(?:才)?能?(?:洗|去|擦|除)掉"
    # personal advice
    r"|我(?:应该|该不该|要不要|能不能|可以|想|家的?(?:猫|狗|孩子|宝宝|娃)|的(?:猫|狗|孩子|男朋友|女朋友|老公|老婆|"
    r"父母|妈妈|爸爸|宠物|电脑|手机))|我和|怎么办|给我(?:推荐|建议)|"
    r"有什么建议|推荐[一几]?(?:下|个|些|本|部|首|款)|怎么.{0,6}比较好|该怎么(?:回答|说|选)|"
    r"(?:送|买|选|吃|穿|带|去)(?:什么|哪个|哪款|哪里)[^，。？?]{0,4}?(?:好|合适|比较好)|"
    r"(?:我|自己)是?(?:该|应该)[^，。？?]{1,8}还是|^我\d+岁|我该(?:怎么|如何)|应该(?:怎么|如何)|"
    # the asker's own state (「我最近老是腰疼」), not a story's; a purchase to decide
    r"^我[^，。？?]{0,4}?(?:最近|这几天|这段时间|一直|总是|老是|经常)|要不要(?:买|带|换|报)|买哪(?:个|款|种)"
    r"|^我[^？?]{0,12}(?:该不该|要不要|应不应该|值不值得)"  # 「我工作三年了，该不该辞职」
    # 「见家长应该带什么礼物」「爬山要带哪些东西」
    r"|(?:应该|该|要)(?:送|买|带|穿|准备)(?:点)?(?:什么|哪些)(?:礼物|东西|衣服)?"
    r"|快点好|好得快|适合去[^，。？?]{0,8}吗"
    r"|有什么(?:好的?)?(?:推荐|办法|方法|妙招|窍门|诀窍)|去哪(?:里|儿)?玩(?:好|比较好|合适)"
    r"|好还是[^，。？?]{1,10}好|哪个(?:更|比较)?好"  # 「是买基金好还是存定期好」
    r"|起个?[^，。？?]{0,6}名字"  # 「给我家新养的小猫起个好听的名字」
    r"|哪(?:个|款)更划算"
    r"|^(?:最近|这几天|这段时间)(?:老是?|总是?|一直|经常)"
    # self-help and household how-to (「怎么克服怕水的心理」「多肉植物多久浇一次水」)
    r"|让自己|(?:怎么|如何|怎样)克服[^，。？?]{0,6}(?:心理|恐惧|焦虑|紧张|拖延|害怕|怕)|多久[^，。？?]{0,3}一次[^，。？?]{0,6}(?:好|合适)"
    r"|(?:用|使用)之?前(?:要|需要|要不要|需不需要)"
    # a cooking order (「番茄炒蛋先下蛋还是先下番茄」)
    r"|先(?:放|下|加|炒|煮)[^，。？?]{1,8}还是"
    # why pets do what they do (「猫为什么老喜欢踩奶」): animal lore, not a story
    r"|^(?:猫咪?|狗狗?|小猫|小狗|宠物|仓鼠|兔子)[^，。？?]{0,4}(?:为什么|为啥|怎么老|干嘛)"
    # an idiom's source or meaning (「胸有成竹出自哪个典故」)
    r"|典故|(?:这个)?成语(?:是什么意思|怎么用)"
)
#: Titles and quotations: what they name (《我和我的祖国》) says nothing of what is asked.
_QUOTED = re.compile(r"《[^》]*》|“[^”]*”|「[^」]*」|\"[^\"]*\"")

#: Words that make a message a question (their absence, in a short message, a keyword).
ASKS = re.compile(
    r"[?？吗呢谁啥]|什么|哪|多少|几|怎|如何|为何|为什么|是否|有没有|是不是|能否|何时|"
    r"何地|何人|多大|多高|多长|多久|多远|请问|介绍|告诉|有哪些"
)

#: A message this short is a keyword, asked or not (「多少钱」「涨了吗」「停电了？」): too little
#: to tell what story it is about.
_SHORT_CHARS = 3
#: Up to this many space-separated Chinese words, none asking anything, are keywords.
_KEYWORDS = 4
_KEYWORD_CHARS = 12


def _core(text: str) -> str:
    return _PUNCT.sub("", fold(text))


#: Colloquial question words and the words a question is analysed with (「叫啥型号」 asks
#: 「叫什么型号」): typed on a phone, most questions use them.
_PLAIN_WORDING = (
    ("咋样", "怎么样"), ("咋", "怎么"), ("啥时候", "什么时候"), ("啥", "什么"), ("哪儿", "哪里"),
    ("多会儿", "什么时候"), ("孩子他爸", "孩子的父亲"), ("他爸", "他父亲"), ("她爸", "她父亲"),
    ("老爸", "父亲"), ("她妈", "她母亲"), ("老妈", "母亲"),
)


def plain_wording(text: str) -> str:
    """`text` with colloquial question words replaced by the standard ones."""
    for colloquial, standard in _PLAIN_WORDING:
        text = text.replace(colloquial, standard)
    return text


def classify(text: str) -> Kind:
    """The kind of message `text` is (see the module docstring)."""
    folded = fold(text).strip()
    core = _core(text)
    if not core:
        return "search"
    if _CHITCHAT.search(core):
        return "chitchat"
    if _OFFTOPIC.search(plain_wording(_QUOTED.sub("", folded))):  # 「咋办」 is 「怎么办」
        return "offtopic"
    asks = ASKS.search(folded) is not None
    if len(core) <= _SHORT_CHARS or core.isdigit():
        return "search"
    if not asks and len(HAN_CHAR.findall(core)) <= 4 and " " not in folded.strip():
        return "search"
    pieces = folded.split()
    if not asks and len(pieces) <= _KEYWORDS and all(HAN_CHAR.search(p) for p in pieces) and len(
        HAN_CHAR.findall(core)
    ) <= _KEYWORD_CHARS:
        return "search"  # 「房贷 利率」: keywords, as typed into a search box
    return "question"
