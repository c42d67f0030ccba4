"""Tests for splitting layout-extracted newspaper pages into articles.

The seed is a real front page (乐山日报) whose headlines follow their bodies; OWN_PAGE is a
small hand-written one in the same layout but with other headline shapes, to show the
rules are about layout, not about that one page.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from retrieval.records import Article
from retrieval.sources.newspaper import looks_like_page, parse_page

ROOT = Path(__file__).parents[3]
SEED = ROOT / "seeds" / "000_844d4cf99fbf511c.txt"
# A hand-written page of another (invented) paper in the same layout: masthead and dateline,
# a feature with a leading byline and two section headings, a 本报讯 story with Latin words,
# an untitled commentary ended by the next story's 本报讯 lead, kicker + two-line title, and
# an editor credit. Kept inline because the repository ignores `data/` directories.
OWN_PAGE = """\
江城晚报

2024年3月5日 星期二

■ 本报记者 陈晓

惊蛰刚过，城东区的田野里已是一
派繁忙景象。记者连日走访发现，全
区 2024 年计划播种粮食作物 12 万
亩，目前备耕工作已完成七成。

农资保障：货足价稳送下乡

在城东农资超市，化肥、种子堆放
得整整齐齐。店主张建国告诉记者，
今年提前一个月备货，还开通了送货
上门服务，农户在手机上下单，当天
就能

送到田头。

【科技助农】

在东湖村的育秧工厂里，一排排秧盘
整齐码放。村党支部书记刘强说，今
年引进的智能育秧设备让出苗率提高
到 95%以上。

“种地越来越省心了。”种粮大户王
海平笑着说。

春风拂过千顷田
万亩良田备耕忙

城东区春耕生产一线见闻

本报讯（记者 周宁）3月 4日，第
三届“Smart City”智慧城市论坛在江
城国际会展中心开幕，来自全国各地
的 300 余名专家学者参会。

论坛期间，江城发布了城市数据开放
平台，首批开放交通、气象等 20 类数

据集，供企业和市民免费使用。

智慧城市论坛在江城开幕

春天是播种的季节，也是实干的季
节。抓好春耕生产，既要保障农资供
应，也要用好科技手段。

唯有不误农时、精耕细作，才能收获
丰年的喜悦。

本报讯（记者 孙丽 通讯员 赵一）
记者从市交通运输局获悉，地铁 3 号
线将于本月底开通试运营。

据介绍，3号线全长 28.5 公里，设站
22 座，串联起城东和城西两大片区。

市交通运输局发布消息

地铁3号线
本月底开通试运营

责任编辑：刘洋
"""


# Text from the seed page that must never end up inside a body: slogan box, bylines, headlines.
STRAYS = ("富强", "社会主义核心价值观", "■", "记者 ", "黄曦", "张清", "侧记", "赵迎春主持赖")


@pytest.fixture(scope="module")
def seed() -> list[Article]:
    return parse_page(SEED.read_text(encoding="utf-8"), source="乐山日报", page_id="ls")


@pytest.fixture(scope="module")
def own() -> list[Article]:
    return parse_page(OWN_PAGE, source="江城晚报", page_id="jc")


def all_text(article: Article) -> str:
    return "\n".join([article.kicker, article.title, article.subtitle, article.text])


# --------------------------------------------------------------------------- seed page


def test_seed_has_five_articles_in_page_order(seed: list[Article]) -> None:
    assert [a.id for a in seed] == [f"ls-{n}" for n in range(1, 6)]
    assert all(a.source == "乐山日报" for a in seed)
    assert all(a.date == "" for a in seed)  # no full date printed on the page
    assert all(a.title for a in seed)


def test_seed_lead_story_headline_parts_and_byline(seed: list[Article]) -> None:
    lead = seed[0]
    assert lead.kicker == "赵波在乐山市2025年二季度产业招商暨产业项目建设工作推进会上强调"
    assert lead.title == (
        "坚持项目为王实干为先强化担当作为攻坚突破 以高质量项目建设助推经济社会高质量发展"
    )
    assert lead.subtitle == "赵迎春主持赖淑芳文甦出席"
    assert lead.author == "记者 白建伟"
    assert len(lead.paragraphs) == 9
    assert lead.paragraphs[0].text.startswith("6月9日至10日，乐山市2025年二季度")
    assert "本报讯" not in lead.text
    assert lead.paragraphs[-1].text.endswith("负责同志参加。")


def test_seed_column_breaks_are_rejoined(seed: list[Article]) -> None:
    text = seed[0].text
    for joined in ("项目建设现场一派火热", "抓住用好国省政策机遇", "要强化效率意识"):
        assert joined in text
    # Each rejoined paragraph is one paragraph, not two fragments.
    assert not any(p.text.endswith(("项目建", "抓", "要")) for p in seed[0].paragraphs)
    feature = seed[4].text
    assert "各地端出的“特色菜”给与会人员留下深刻印象：向新而行——瞄准战略性新兴产业前沿，" in feature
    assert "助力打造千亿化工产业集群；犍为" in feature


def test_seed_spaces_are_normalised(seed: list[Article]) -> None:
    assert "6月9日至10日上午" in seed[0].text
    assert "全市2025年二季度" in seed[1].text
    assert "将成为全球首个实现高效异质结（HBC）技术量产" in seed[4].text
    assert "10GW高效异质结" in seed[4].text
    assert "日处理鸡粪能力达90吨" in seed[2].text
    assert not any(" " in p.text for a in seed for p in a.paragraphs)


def test_seed_untitled_commentary_gets_derived_title(seed: list[Article]) -> None:
    comment = seed[1]
    assert comment.title == "6月的乐山，草木葱茏，生机勃发"
    assert len(comment.title) <= 30
    assert comment.kicker == comment.subtitle == comment.author == ""
    assert comment.paragraphs[0].text.startswith("6月的乐山，草木葱茏")
    assert comment.paragraphs[-1].text.endswith("以高质量项目建设助推经济社会高质量发展。")
    assert len(comment.paragraphs) == 6


def test_seed_glued_frame_starts_new_article(seed: list[Article]) -> None:
    bank = seed[2]
    assert bank.kicker.rstrip("：") == "乐山农商银行"
    assert "落地符合农业转型金融标准贷款" in bank.title
    assert "赋能农业绿色转型“加速度”" in bank.title + bank.subtitle
    assert bank.author == "记者 祝贺"
    assert bank.paragraphs[0].text.startswith("近日，在人民银行乐山市分行指导下")
    assert bank.paragraphs[-1].text.endswith("贡献更强劲的金融动能。")
    assert "确保金融资源精准投向减碳关键环节" in bank.text  # column break rejoined


def test_seed_photo_caption(seed: list[Article]) -> None:
    photo = seed[3]
    assert photo.title == "柏林村“荷花宴” 游客赏荷拍照"
    assert photo.author == "记者 黄曦"
    assert len(photo.paragraphs) == 2
    assert photo.paragraphs[0].text.startswith("近日，沙湾区踏水镇柏林村")
    assert "摄" not in photo.text


def test_seed_feature_with_section_headings(seed: list[Article]) -> None:
    feature = seed[4]
    assert feature.title == "“项”上拔节 奋力冲刺“双过半”"
    assert feature.subtitle == "乐山市2025年二季度产业招商暨产业项目建设工作推进会侧记"
    assert feature.author == "记者 张清"
    headings = [p.heading for p in feature.paragraphs]
    assert headings[0] == ""
    assert feature.paragraphs[0].text.startswith("激情夏日，万物竞发。6月9日至10日")
    first = headings.index("项目拉练：互学互鉴奋进赶超")
    second = headings.index("部署攻坚：凝心聚力奔跑实干")
    assert feature.paragraphs[first].text.startswith("展板前听规划")
    assert feature.paragraphs[second].text.startswith("工作推进会上")
    assert headings[first:second] == ["项目拉练：互学互鉴奋进赶超"] * (second - first)
    assert feature.paragraphs[-1].text == "“项”上拔节，奋力冲刺“双过半”，乐山正凝心聚力，全速奔跑。"
    assert not any(p.text.startswith(("项目拉练", "部署攻坚")) for p in feature.paragraphs)


def test_seed_paragraphs_hold_no_headlines_bylines_or_slogan(seed: list[Article]) -> None:
    for article in seed:
        body = article.text
        for stray in STRAYS:
            assert stray not in body, (article.id, stray)
        if article.title and not article.title.startswith("6月的乐山"):
            assert article.title not in body
    assert not any("富强" in all_text(a) or "核心价值观" in all_text(a) for a in seed)


# --------------------------------------------------------------------------- own page


def test_own_page_articles(own: list[Article]) -> None:
    assert [a.title for a in own] == [
        "春风拂过千顷田 万亩良田备耕忙",
        "智慧城市论坛在江城开幕",
        "春天是播种的季节，也是实干的季节",
        "地铁3号线 本月底开通试运营",
    ]
    assert [a.id for a in own] == ["jc-1", "jc-2", "jc-3", "jc-4"]
    assert all(a.date == "2024-03-05" for a in own)  # printed dateline, as ISO
    assert not any("江城晚报" in all_text(a) or "责任编辑" in all_text(a) for a in own)


def test_own_page_headline_shapes(own: list[Article]) -> None:
    farm, forum, _, metro = own
    # Two-line title block, then a one-line block: title and subtitle, no kicker.
    assert (farm.kicker, farm.subtitle) == ("", "城东区春耕生产一线见闻")
    # A lone one-line headline is the title.
    assert (forum.kicker, forum.subtitle) == ("", "")
    # A one-line block before a two-line block: kicker and title.
    assert (metro.kicker, metro.subtitle) == ("市交通运输局发布消息", "")


def test_own_page_bylines_and_leads(own: list[Article]) -> None:
    farm, forum, comment, metro = own
    assert farm.author == "本报记者 陈晓"
    assert forum.author == "记者 周宁"
    assert forum.paragraphs[0].text.startswith("3月4日，第三届")
    assert comment.author == ""
    # A 本报讯 lead ends the untitled commentary above it, even after a blank line.
    assert comment.paragraphs[-1].text == "唯有不误农时、精耕细作，才能收获丰年的喜悦。"
    assert metro.author == "记者 孙丽 通讯员 赵一"
    assert metro.paragraphs[0].text == "记者从市交通运输局获悉，地铁3号线将于本月底开通试运营。"


def test_own_page_headings_and_column_breaks(own: list[Article]) -> None:
    farm = own[0]
    headings = [p.heading for p in farm.paragraphs]
    assert headings == ["", "农资保障：货足价稳送下乡", "科技助农", "科技助农"]
    assert farm.paragraphs[1].text.endswith("当天就能送到田头。")
    assert "全区2024年计划播种粮食作物12万亩" in farm.paragraphs[0].text
    assert "首批开放交通、气象等20类数据集，供企业" in own[1].text


def test_latin_spaces_are_kept(own: list[Article]) -> None:
    assert "第三届“Smart City”智慧城市论坛" in own[1].text
    page = "\n".join(
        [
            "本报讯（记者 王五）昨日，Hello",
            "World 编程大赛在 10 GW 示范园区开",
            "幕，吸引 200 名选手参赛。",
            "",
            "编程大赛开幕",
        ]
    )
    (article,) = parse_page(page)
    assert article.title == "编程大赛开幕"
    expected = "昨日，Hello World编程大赛在10 GW示范园区开幕，吸引200名选手参赛。"
    assert article.paragraphs[0].text == expected


def test_trailing_byline_and_orphan_label() -> None:
    page = "\n".join(
        [
            "专题报道",  # a label with no body above it: not an article
            "",
            "昨天下午，市图书馆新馆正式",
            "对外开放，首日接待读者 5000",
            "余人次。（记者 钱七）",
            "",
            "市图书馆新馆开放",
        ]
    )
    (article,) = parse_page(page, page_id="x")
    assert article.id == "x-1"
    assert article.title == "市图书馆新馆开放"
    assert article.author == "记者 钱七"
    assert article.text == "昨天下午，市图书馆新馆正式对外开放，首日接待读者5000余人次。"


# --------------------------------------------------------------------------- detection


def test_looks_like_page() -> None:
    assert looks_like_page(SEED.read_text(encoding="utf-8"))
    assert looks_like_page(OWN_PAGE)
    plain = "\n\n".join(
        [
            "乐山农商银行落地首笔农业转型贷款",
            "近日，在人民银行乐山市分行指导下，乐山农商银行成功向乐山市亚庆农牧科技有限责任公司"
            "发放380万元农业转型贷款，这是该行在农业转型金融领域的首笔创新贷款。",
            "据了解，贷款资金专项用于畜禽养殖粪污处理设施维修改造，"
            "并引入环境污染责任险为企业农业转型提供风险保障。",
            "目前，亚庆农牧日处理鸡粪能力达90吨，年产高品质有机肥10950吨，环境效益突出。",
        ]
    )
    assert not looks_like_page(plain)
    assert not looks_like_page("")


# --------------------------------------------------------------------------- generated pages

GENERATED = ["t1_above", "t2_after", "t3_briefs", "t4_jump_a", "t4_jump_b", "t5_theory", "t6_mixed"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.pages.generate import build
    from tests.pages.stories import CORPUS

    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is missing: the generated pages are built from its stories")
    folder = tmp_path_factory.mktemp("pages")
    build(folder)
    return folder


def read_page(folder: Path, name: str) -> list[Article]:
    from retrieval.sources.files import ReadOptions, read_file

    # t6 has no masthead: the paper and date come from the ingest options.
    options = ReadOptions(source="新城日报", date="2023-11-01") if name == "t6_mixed" else None
    result = read_file(folder / f"{name}.txt", options)
    assert not result.errors
    return result.articles


@pytest.mark.parametrize("name", GENERATED)
def test_generated_text_page_matches_expected(pages: Path, name: str) -> None:
    from tests.pages.compare import compare, load_expected

    score = compare(name, read_page(pages, name), load_expected(pages / f"{name}.txt"))
    assert score.problems == [], score.line()


def test_generated_pages_hold_no_furniture(pages: Path) -> None:
    furniture = ("责任编辑", "美编", "校对", "咨询热线", "扫码", "星期", "富强", "今日天气")
    for name in GENERATED:
        for article in read_page(pages, name):
            text = all_text(article) + article.caption + article.author
            assert not any(word in text for word in furniture), (name, article.title)


def test_jump_parts_join_when_both_pages_are_read(pages: Path) -> None:
    from retrieval.sources.jumps import join_jumps

    first, second = read_page(pages, "t4_jump_a"), read_page(pages, "t4_jump_b")
    assert first[-1].text.endswith("（下转第2版）")  # alone, the note is kept
    assert second[0].paragraphs[0].text.startswith("（上接第1版）")
    joined = join_jumps(first + second)
    assert len(joined) == len(first) + len(second) - 1
    whole = joined[len(first) - 1]
    assert whole.title == first[-1].title and whole.page == "1"
    assert "下转" not in whole.text and "上接" not in whole.text
    assert whole.text.endswith(second[0].paragraphs[-1].text)
    # Another paper's page 2 does not continue this paper's story.
    other = [dataclasses.replace(a, source="别的报") for a in second]
    assert len(join_jumps(first + other)) == len(first) + len(other)


def test_masthead_wins_over_options_and_seed_keeps_file_name(tmp_path: Path) -> None:
    from retrieval.sources.files import ReadOptions, read_file

    page = tmp_path / "own.txt"
    page.write_text(OWN_PAGE, encoding="utf-8")
    articles = read_file(page, ReadOptions(source="别的报", date="2000-01-01")).articles
    assert {(a.source, a.date) for a in articles} == {("江城晚报", "2024-03-05")}
    seed = read_file(SEED).articles
    assert {(a.source, a.date) for a in seed} == {(SEED.name, "")}
    assert seed[0].region.startswith("lines ")


# --------------------------------------------------------------------------- single rules


def test_headline_before_body_with_dash_subtitle_and_photo_story_credit() -> None:
    # The shapes from issue 11: a headline printed above its body with a —— subtitle, after a
    # headline-after story, and a photo story whose credit uses 全媒体记者.
    page = "\n".join([
        "昨天，市图书馆新馆正式",
        "对外开放，首日接待读者 5000",
        "余人次。",
        "",
        "市图书馆新馆开放",
        "",
        "民企助力振兴高端峰会举行",
        "——百家企业签约落地",
        "",
        "8月2日至4日，全国知名民企助力",
        "振兴高端峰会在沈阳举行。",
        "",
        "峰会期间，共有 120 个项目签约。",
        "",
        "秋日的千山层林尽染，吸引",
        "众多游客前来观赏。",
        "",
        "全媒体记者 刘洋 摄",
        "",
        "千山迎来赏秋季",
    ])
    library, summit, photo = parse_page(page)
    assert library.title == "市图书馆新馆开放"
    assert (summit.title, summit.subtitle) == ("民企助力振兴高端峰会举行", "百家企业签约落地")
    assert summit.paragraphs[0].text.startswith("8月2日至4日")
    assert photo.title == "千山迎来赏秋季"
    assert photo.author == "全媒体记者 刘洋"
    assert photo.caption == "秋日的千山层林尽染，吸引众多游客前来观赏。（全媒体记者 刘洋 摄）"


def test_justified_spaces_vertical_headline_and_author_before_headline() -> None:
    page = "\n".join([
        "人民论坛  2024年5月6日  星期一  第9版  理论",
        "",
        "李 明",
        "",
        "坚",
        "持",
        "系",
        "统",
        "观",
        "念",
        "",
        "系 统 观 念 是 具 有 基 础 性 的",
        "思想和工作方法，必须坚持好、",
        "运 用 好 。",
        "",
        "（作者单位：某大学）",
    ])
    (article,) = parse_page(page)
    assert article.title == "坚持系统观念"
    assert article.author == "李明"
    # The author's unit note stays with the text it follows.
    assert article.text == (
        "系统观念是具有基础性的思想和工作方法，必须坚持好、运用好。（作者单位：某大学）"
    )
    assert (article.source, article.date, article.page) == ("人民论坛", "2024-05-06", "9")


def test_briefs_column_items_are_articles_of_their_own() -> None:
    page = "\n".join([
        "简讯",
        "",
        "■ 市图书馆延长开放时间",
        "即日起，市图书馆每晚开放至 21 时。",
        "（记者 王五）",
        "",
        "● 城东新增 3 个口袋公园 近日，城东区",
        "新建的 3 个口袋公园对市民开放。",
        "",
        "【地铁站点调整】因施工需要，地铁",
        "2号线东湖站临时封闭。",
    ])
    briefs = parse_page(page)
    titles = ["市图书馆延长开放时间", "城东新增3个口袋公园", "地铁站点调整"]
    assert [a.title for a in briefs] == titles
    assert [a.text for a in briefs] == [
        "即日起，市图书馆每晚开放至21时。",
        "近日，城东区新建的3个口袋公园对市民开放。",
        "因施工需要，地铁2号线东湖站临时封闭。",
    ]
    assert briefs[0].author == "记者 王五"
