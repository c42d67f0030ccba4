"""Message kinds: chit-chat, tasks and bare keywords are told apart from real questions."""

from __future__ import annotations

import pytest

from retrieval.message_kind import classify


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你好", "chitchat"),
        ("在吗", "chitchat"),
        ("谢谢", "chitchat"),
        ("hi", "chitchat"),
        ("你今天心情怎么样？", "chitchat"),
        ("给我讲个笑话吧", "chitchat"),
        ("37乘以48等于多少？", "offtopic"),
        ("解方程：x² - 5x + 6 = 0", "offtopic"),
        ("用JavaScript怎么给数组去重？", "offtopic"),
        ("把“我爱你”翻译成日语", "offtopic"),
        ("帮我写一首关于秋天的七言绝句", "offtopic"),
        ("红烧肉怎么做才能肥而不腻？", "offtopic"),
        ("我和男朋友吵架了，应该先道歉吗？", "offtopic"),
        ("火", "search"),
        ("新闻", "search"),
        ("123", "search"),
        ("？？", "search"),
        ("乐山农商银行向哪家公司发放了贷款？", "question"),
        ("柏林村在哪个镇？", "question"),
        ("杭州亚运会开幕式的总导演是谁？", "question"),
        # A news question may mention what a task is about; only asking for the task is one.
        ("美国哪个机构否认在空中交通运营系统中用ChatGPT写代码？", "question"),
        ("谁会在09-10赛季被借到亚特兰大？", "question"),
        ("当注册中心更换时，代码需不需要进行修改？", "question"),
        ("德国环境与自然保护联盟的英文是什么？", "question"),
        ("女子与男朋友吵架后落水，是谁把她救上岸的？", "question"),
        ("电影《我和我的祖国》的总导演是谁？", "question"),
        ("翻译家许渊冲是哪一年去世的？", "question"),
        ("科研团队是怎么做到让水稻增产的？", "question"),
        ("法院如何启动再审程序？", "question"),
        ("请问平台的推荐算法要如何备案？", "question"),
        ("Python里怎么读取一个CSV文件？", "offtopic"),
        ("写一段SQL查询每个部门的平均工资", "offtopic"),
        ("3 + 5 = ?", "offtopic"),
        ("请把“早上好”翻译成英语", "offtopic"),
        ("从1加到50的和是多少？", "offtopic"),
        ("帮我给这段话起个标题", "offtopic"),
        ("推荐几本好看的科幻小说", "offtopic"),
        ("面试时该怎么回答离职原因比较好？", "offtopic"),
        ("鲈鱼怎么蒸才好吃？", "offtopic"),
        # about the bot itself, not the news
        ("你是用什么模型做的？", "chitchat"),
        ("你们的数据是从哪来的？", "chitchat"),
        ("你是否知道杭州亚运会何时开幕？", "question"),
        ("价格从10元加到20元后销量下降了多少？", "question"),
        ("100华氏度换算成摄氏度是多少？", "offtopic"),
        ("Windows怎么查看电脑的IP地址？", "offtopic"),
        ("你一天到晚回答问题会不会觉得无聊？", "chitchat"),
        ("同事结婚送什么好？", "offtopic"),
        ("腊肉怎么自己在家熏？", "offtopic"),
        ("一个正方形的边长是3厘米，周长是多少？", "offtopic"),
        ("我25岁，该考研还是工作？", "offtopic"),
        ("世界杯最后一场比赛在哪里举行？", "question"),
        ("端口城市的进出口总额是多少？", "question"),
        # the asker's own life, in other words than the cases above
        ("我这几天一直头晕，要不要去看医生？", "offtopic"),
        ("女儿不爱写作业，我该如何劝她？", "offtopic"),
        ("我国首个“全国生态日”是几月几日？", "question"),
        ("教我画一只熊猫", "offtopic"),
        ("猜个谜语：什么东西越洗越小？", "offtopic"),
        ("红烧排骨的汤汁怎么熬才浓？", "offtopic"),
        ("原价200元的鞋打八折是多少钱？", "offtopic"),
        ("商场国庆期间打几折？", "question"),
        # small talk about the bot's own life; a choice in the asker's life; keywords typed
        # with spaces, as into a search box (an English sentence is not keywords)
        ("你晚上会做梦吗？", "chitchat"),
        ("老板总让我加班，我是该忍着还是辞职？", "offtopic"),
        ("房贷 利率", "search"),
        ("乐山 农商银行 贷款", "search"),
        ("what happened in chengdu today", "question"),
        ("乐山 农商银行 向谁 贷款", "question"),
        # an essay in the news is no writing request; asking for one is
        ("“环保少年说”专栏推荐的作文《以吾辈薪火，为环保掌灯》是谁写的？", "question"),
        ("帮我写一篇500字的作文", "offtopic"),
        ("高考作文怎么写才能拿高分？", "offtopic"),
        # a unit conversion is arithmetic; an amount the news converted is not
        ("请问5英尺8英寸折合多少厘米？", "offtopic"),
        ("该项目投资5亿美元，折合人民币多少元？", "question"),
        # a bare follow-up is small talk: there is no conversation to follow
        ("然后呢", "chitchat"),
        ("真的吗", "chitchat"),
        ("什么意思", "chitchat"),
        ("你平时喜欢听什么音乐？", "chitchat"),
        ("用Go语言怎么按行读取一个文本文件？", "offtopic"),
        ("如果你能变成一种动物，你最想变成什么？", "chitchat"),
        ("帮我制定一个适合健身新手的一周减脂计划", "offtopic"),
        ("夜里睡觉小腿突然抽筋，应该怎么缓解？", "offtopic"),
        ("你现在在干嘛呢？", "chitchat"),
        ("跑步跑得膝盖疼，要不要买个护膝", "offtopic"),
        ("勾股定理怎么证明？", "offtopic"),
        ("警方如何证明他到过现场？", "question"),
        ("Docker镜像和容器有什么区别？", "offtopic"),
        ("ChatGPT和文心一言有什么区别？", "question"),
        ("番茄炒蛋到底是先下蛋还是先下番茄啊？", "offtopic"),
        ("最近老失眠，睡前喝杯热牛奶真的管用吗？", "offtopic"),
        ("预算两千，扫地机器人和洗地机买哪个更划算？", "offtopic"),
        ("“胸有成竹”是什么意思？出自哪个典故", "offtopic"),
        # chatting is small talk only as the whole message, not a chat log in the news
        ("古蔺县皇华镇政府就网传工作人员聊天记录一事，是什么时候发的通报？", "question"),
        ("聊天吗", "chitchat"),
        ("一个数乘以3再减去7等于20，这个数是几？", "offtopic"),
        ("你有自己的生日吗？一般哪天过？", "chitchat"),
        ("厦门莲西社区志愿服务积分超市的评论里说，注册志愿者超过多少？", "question"),
        ("你会不会吃醋呀？我最近老跟别的AI聊天", "chitchat"),
        ("衣服上沾了圆珠笔印，用啥能洗掉？", "offtopic"),
        ("娃快两岁了还只会喊爸爸妈妈，要不要带去医院查查？", "offtopic"),
        ("iPhone怎么截长图？", "offtopic"),
        ("帮我把证件照的背景换成白色", "offtopic"),
        ("落枕了脖子转不动，怎么揉才能快点好？", "offtopic"),
        ("这周六南京热不热，适合去爬紫金山吗？", "offtopic"),
        ("你会说四川话不？说两句来听听嘛", "chitchat"),
        ("你怕不怕打雷呀？", "chitchat"),
        ("我家猫刚吃了两颗葡萄，要不要紧？", "offtopic"),
        # three characters are too few to tell which story is meant
        ("多少钱", "search"),
        ("涨了吗", "search"),
        ("停电了？", "search"),
    ],
)
def test_classify(text: str, kind: str) -> None:
    assert classify(text) == kind


def test_the_bots_opinion_memory_and_wit_are_small_talk() -> None:
    for text in ("你觉得猫和狗哪个更可爱？", "你能记住我们上一次聊了什么吗？",
                 "你记性好不好啊，能记住我上次问过啥吗", "哈哈你刚才那个都答不上来，是不是有点笨",
                 "周末一个人在家好无聊，干点啥好呢"):
        assert classify(text) == "chitchat", text
    assert classify("你知道乐山农商银行向哪家公司发放了贷款吗？") == "question"


def test_self_help_and_household_how_to_are_not_news_questions() -> None:
    for text in ("最近心情一直很低落，有什么办法能让自己开心起来？",
                 "成年人学游泳，怎么克服怕水的心理？", "多肉植物多久浇一次水比较合适？",
                 "新买的不粘锅第一次用之前需要开锅吗？"):
        assert classify(text) == "offtopic", text
    assert classify("中国女排如何克服伤病夺得冠军？") == "question"  # a story's, not the asker's


def test_office_software_geometry_naming_a_child_and_sleepless_nights_are_tasks() -> None:
    for text in ("Word文档里怎么设置从第三页开始编页码？",
                 "一个半径是5厘米的圆，面积是多少平方厘米？",
                 "帮我给刚出生的女儿起个好听的名字，她姓李",
                 "我晚上总是失眠，睡前应该做些什么来放松？",
                 "我工作三年了，该不该辞职去考研？",
                 "第一次去女朋友家见家长，应该带什么礼物？",
                 "圆周率小数点后第10位是几？", "元素周期表里第26号元素是什么？",
                 "可乐鸡翅的家常做法是什么？", "圆的面积公式是啥"):
        assert classify(text) == "offtopic", text
    assert classify("微软Word文档出现了什么漏洞？") == "question"
    assert classify("专家怎么看该不该延迟退休？") == "question"  # the asker's own choice only


def test_cooking_times_recipes_ingredients_and_this_or_that_advice_are_tasks() -> None:
    for text in ("怎么用电饭煲做一个简单的蛋糕？", "在家自己酿葡萄酒咋弄啊？要不要放糖？",
                 "糖醋排骨需要准备哪些调料？", "周末带娃去哪儿玩好啊，有啥推荐不？",
                 "清蒸鲈鱼上锅要蒸几分钟才刚好熟？", "晚上总是失眠，有什么办法能快点睡着？",
                 "我手上有五万块钱，是买基金好还是存定期好？"):
        assert classify(text) == "offtopic", text
    # a story's practice is no recipe, and a story's timing no cooking time
    assert classify("长三角体育健身服务合同示范文本针对跨省市连锁经营倡导什么做法？") == "question"
    assert classify("救援队用了多长时间把被困群众转移出来？") == "question"


def test_naming_a_pet_and_which_is_better_are_tasks() -> None:
    for text in ("给我家新养的小猫起个好听的名字呗", "考研和直接工作哪个好啊，纠结死了"):
        assert classify(text) == "offtopic", text
    assert classify("新加坡的新总理叫什么名字？") == "question"


def test_colloquial_advice_and_an_equation_as_a_word_are_tasks_a_brand_is_not() -> None:
    assert classify("我失眠好几天了，咋办啊？") == "offtopic"  # 咋办 is 怎么办
    assert classify("一元二次方程的求根公式是怎么推出来的？") == "offtopic"
    assert classify("比亚迪方程豹的豹5将基于哪个全新混动平台打造？") == "question"


def test_how_to_use_software_is_a_task() -> None:
    assert classify("Excel里用什么公式能算出两个日期之间差几天？") == "offtopic"
    assert classify("复制粘贴的快捷键是什么？") == "offtopic"
    assert classify("微软宣布Excel将支持哪种编程语言？") == "question"


def test_why_pets_do_what_they_do_is_no_news_question() -> None:
    assert classify("猫为什么老喜欢踩奶啊？") == "offtopic"
    assert classify("猫咪为什么喜欢踩奶？") == "offtopic"
    assert classify("虐猫博主为什么被封号？") == "question"


def test_gift_advice_and_sums_over_numbers_are_tasks() -> None:
    assert classify("给男朋友过生日送什么礼物比较好啊？") == "offtopic"
    assert classify("1到100之间所有奇数的和是多少？") == "offtopic"
    assert classify("今年奇数月份的CPI涨了多少？") == "question"


def test_what_to_take_on_an_outing_is_advice() -> None:
    assert classify("周末去爬山要带哪些东西？") == "offtopic"
