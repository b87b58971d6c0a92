"""extractors.metadata: document-field cases first seen on the blind held-out sets (holdout2-4), as snippets."""

from __future__ import annotations

import pytest

from extractors.contract import NoticeDocument, ParsedDocument
from extractors.metadata import parsed_to_document
from extractors.normalise import text_to_normalised

BODY = "为做好2025年度城乡居民基本医疗保险参保缴费工作，现将有关事项通知如下。一、个人缴费标准为每人每年400元。"
TITLE = "临泉县医疗保障局 临泉县财政局 国家税务总局临泉县税务局关于做好2025年度城乡居民基本医疗保险集中参保缴费工作的通知"


def _doc(text: str, *, meta: dict[str, str] | None = None, title_hint: str | None = None,
         fmt: str = "txt") -> NoticeDocument:
    parsed = ParsedDocument(source="t." + fmt, sha256="0" * 64, format=fmt, text=text,  # type: ignore[arg-type]
                            meta=meta or {}, title_hint=title_hint)
    return parsed_to_document(parsed, text_to_normalised(text), [])


@pytest.mark.parametrize("portal", ["临泉县人民政府", "首都之窗 临泉县人民政府门户网站"])
@pytest.mark.parametrize("nav", ["首页 > 信息公开 > 通知公告\n", ""])
def test_portal_name_line_is_not_glued_onto_a_title_that_names_its_issuers(portal: str, nav: str) -> None:
    d = _doc(f"{portal}\n{nav}{TITLE}\n各乡镇人民政府：\n{BODY}\n")
    assert d.title == TITLE
    assert d.issuers == ["临泉县医疗保障局", "临泉县财政局", "国家税务总局临泉县税务局"]


def test_issuer_lines_above_a_title_without_issuers_are_still_joined() -> None:
    # a red-head document: the issuers on lines of their own, then 关于…的通知
    d = _doc(f"临泉县人民政府\n关于做好2025年度城乡居民基本医疗保险集中参保缴费工作的通知\n各乡镇人民政府：\n{BODY}\n")
    assert d.title == "临泉县人民政府关于做好2025年度城乡居民基本医疗保险集中参保缴费工作的通知"


def test_a_running_header_naming_the_issuer_is_not_joined_onto_a_title_that_names_it() -> None:
    # holdout24 h24_03: a PDF page's running header 大冶市医疗保障局 above 大冶市医疗保障局关于…的通知
    d = _doc(f"大冶市医疗保障局\n大冶市医疗保障局关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知\n各乡镇人民政府：\n{BODY}\n")
    assert d.title == "大冶市医疗保障局关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知"


def test_the_speaker_after_a_headline_tag_stays_in_the_title() -> None:
    d = _doc("【重要通知】岩口镇向家村关于缴纳2023年度城乡居民医疗保险的通知\n各位村民朋友们：\n" + BODY)
    assert d.title == "岩口镇向家村关于缴纳2023年度城乡居民医疗保险的通知"
    assert d.policy_year == 2023


@pytest.mark.parametrize("head,title", [
    # the headline as written keeps its closing ！ (the gold of four posters by four readers does)
    ("【联合村】2025年度城乡居民医保开始缴费啦！", "2025年度城乡居民医保开始缴费啦！"),
    ("【温馨提示】2025年度城乡居民医保开始缴费啦!", "2025年度城乡居民医保开始缴费啦!"),
    ("📢【温馨提示】2025年度城乡居民医保开始缴费啦！！～～", "2025年度城乡居民医保开始缴费啦！"),
    ("2025年度城乡居民医保开始缴费啦～", "2025年度城乡居民医保开始缴费啦"),
    ("2025年城乡居民医疗保险缴费开始了", "2025年城乡居民医疗保险缴费开始了"),
])
def test_a_scheme_headline_is_the_title_when_there_is_no_other(head: str, title: str) -> None:
    d = _doc(f"{head}\n各位村民：\n{BODY}\n联合村村民委员会\n2024年9月3日\n")
    assert d.title == title
    assert d.policy_year == 2025


@pytest.mark.parametrize("head", [
    "2025年度我市居民医保个人缴费标准分为两档：",  # a lead-in to a list
    "郑医保〔2023〕58号",  # a document number
    "2025年度城乡居民医保缴费已经开始，请大家相互转告！",  # a sentence
    "【温馨提示】医保开始缴费啦！",  # no year
    "2025年度秋季学期开学通知事项安排",  # no scheme
])
def test_lines_that_are_no_scheme_headline(head: str) -> None:
    assert _doc(f"{head}\n各位村民：\n{BODY}\n").title is None


def test_a_headline_does_not_replace_a_real_title() -> None:
    d = _doc(f"2025年度城乡居民医保开始缴费啦\n{TITLE}\n各乡镇人民政府：\n{BODY}\n")
    assert d.title == TITLE


def test_a_tenders_purchaser_is_its_issuer() -> None:
    text = ("佳木斯市城乡居民大病保险承办服务项目公开招标公告\n项目编号：JMSZC-2024-0031\n"
            "一、项目基本情况\n采购人：佳木斯市医疗保障局\n预算金额：1850万元\n"
            "采购需求：为全市参加城乡居民基本医疗保险的人员提供大病保险承办服务。\n")
    d = _doc(text)
    assert d.issuers == ["佳木斯市医疗保障局"]
    assert d.region.code == "230800"


@pytest.mark.parametrize("orgs,code", [
    ("魏县医疗保障局 魏县财政局 国家税务总局魏县税务局", "130434"),  # 河北省邯郸市魏县
    ("盂县医疗保障局", "140322"),  # 山西省阳泉市盂县
])
def test_a_two_character_county_heading_the_issuers_name_is_the_region(orgs: str, code: str) -> None:
    text = (f"{orgs.split()[0]}关于做好2019年度城乡居民基本医疗保险费征缴工作的通知\n各乡镇人民政府：\n{BODY}\n"
            + "\n".join(orgs.split()) + "\n2018年10月9日\n")
    d = _doc(text)
    assert d.region.code == code
    assert d.region.county is not None


def test_an_ambiguous_two_character_district_needs_the_text_to_point_at_it() -> None:
    # 城区 names three districts: without a city in the text no county is guessed
    d = _doc(f"城区医疗保障局关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知\n各街道：\n{BODY}\n城区医疗保障局\n2024年9月10日\n")
    assert d.region.county is None
    d = _doc(f"城区医疗保障局关于做好2025年度城乡居民基本医疗保险参保缴费工作的通知\n各街道：\n"
             f"根据阳泉市医疗保障局的部署，{BODY}\n城区医疗保障局\n2024年9月10日\n")
    assert d.region.code == "140302"  # 阳泉市城区


REPOST_TITLE = "北流市2024年度城乡居民基本医疗保险参保缴费政策解读"


@pytest.mark.parametrize("headline", [
    "2023年北流城乡居民医保缴费问答来了，赶紧收藏！",
    "阆中市2023年城乡居民医保缴费标准及缴费时间公布(附缴费入口)",
])
def test_a_headline_with_other_years_above_the_title_is_a_repost_wrapper(headline: str) -> None:
    text = (f"北流生活网 > 新闻中心 > 本地民生\n{headline}\n发布时间：2023-09-12\n{REPOST_TITLE}\n"
            "2024年度城乡居民医保集中缴费工作已经开始，为方便群众了解政策，整理了以下问答。\n" + BODY)
    d = _doc(text)
    assert d.title == REPOST_TITLE
    assert "repost_wrapper" in d.flags


@pytest.mark.parametrize("above", [
    "北流市2024年度城乡居民医保缴费政策来了",  # the same year: the page's own headline
    "关于做好2023年度城乡居民基本医疗保险参保缴费工作的通知",  # another notice's title listed above
    "北流市人民政府",  # no year, no scheme
])
def test_no_wrapper_without_a_headline_of_other_years(above: str) -> None:
    d = _doc(f"{above}\n发布时间：2023-09-12\n{REPOST_TITLE}\n各乡镇人民政府：\n{BODY}\n")
    assert d.title == REPOST_TITLE
    assert "repost_wrapper" not in d.flags


def test_a_title_is_not_joined_across_a_metadata_line() -> None:
    # the page's headline, its 发布时间 line, then the document's own title line
    d = _doc(f"临泉县人民政府办公室\n发布时间:2024-09-10 09:32\n临泉县医疗保障局\n"
             f"关于做好2025年度城乡居民基本医疗保险集中参保缴费工作的通知\n各乡镇人民政府：\n{BODY}\n")
    assert d.title == "临泉县医疗保障局关于做好2025年度城乡居民基本医疗保险集中参保缴费工作的通知"


NEWS_PAGE = ("北流生活网 > 新闻中心 > 本地民生\n2023年北流城乡居民医保缴费问答来了，赶紧收藏！\n"
             "来源：北流市医疗保障局　作者：医保局　发布时间：2023-09-12　阅读：2856\n" + REPOST_TITLE + "\n"
             "2024年度城乡居民医保集中缴费工作已经开始，为方便群众了解政策，整理了以下问答。\n"
             "问一：什么时候缴费？\n答：集中缴费期为2023年9月1日至2023年12月31日。\n{end}\n"
             "责任编辑：小林\n上一篇：北流市开展夏季防溺水宣传　下一篇：北流市新建3所乡镇卫生院\n")


def test_a_news_pages_byline_date_and_closing_attribution() -> None:
    d = _doc(NEWS_PAGE.format(end="（北流市医疗保障局）"))
    assert "repost_wrapper" in d.flags
    assert d.published == "2023-09-12"  # the byline's 发布时间 (its third pair), not a body date
    assert d.issuers == ["北流市医疗保障局"]
    assert d.region.code == "450981"


@pytest.mark.parametrize("end", ["（责任编辑:李小编）", "（完）", "北流市医疗保障局"])
def test_only_a_bracketed_org_line_is_a_closing_attribution(end: str) -> None:
    # with the site itself as 来源 (an office's 来源 would name the issuer: see the byline test)
    page = NEWS_PAGE.replace("来源：北流市医疗保障局", "来源：北流生活网")
    assert _doc(page.format(end=end)).issuers == []


def test_a_dated_signature_wins_over_a_closing_attribution() -> None:
    d = _doc(f"{TITLE}\n各乡镇人民政府：\n{BODY}\n临泉县医疗保障局\n2024年9月10日\n（临泉县人民政府办公室）\n")
    # (the title names the joint issuers; the signature only the lead office: the title's three)
    assert d.issuers == ["临泉县医疗保障局", "临泉县财政局", "国家税务总局临泉县税务局"]
    d = _doc(f"关于做好2025年度城乡居民基本医疗保险集中参保缴费工作的通知\n各乡镇人民政府：\n{BODY}\n临泉县医疗保障局\n"
             "2024年9月10日\n（临泉县人民政府办公室）\n")
    assert d.issuers == ["临泉县医疗保障局"]


def test_a_rules_issuing_note_under_its_title_gives_number_and_issuer() -> None:
    d = _doc("睢宁县城乡居民基本医疗保险参保缴费实施细则\n(2024年9月10日睢宁县人民政府办公室印发 睢政办规〔2024〕3号)\n\n"
             "第一条 为规范我县城乡居民基本医疗保险参保缴费管理,根据《徐州市城乡居民基本医疗保险办法》(徐政规〔2022〕5号)"
             "等规定,制定本细则。\n" + BODY)
    assert (d.doc_number, d.issuers, d.published) == ("睢政办规〔2024〕3号", ["睢宁县人民政府办公室"], "2024-09-10")
    assert d.cites == ["徐政规〔2022〕5号"]


def test_a_cited_document_issued_by_someone_else_is_still_a_citation() -> None:
    d = _doc(f"{TITLE}\n各乡镇人民政府：\n根据省政府办公厅印发的《实施办法》(皖政办〔2023〕7号),{BODY}\n")
    assert d.doc_number is None and d.cites == ["皖政办〔2023〕7号"]


def test_a_title_naming_two_insurance_years_governs_from_the_first() -> None:
    d = _doc("宝鸡市凤翔区医疗保障局关于2026—2027年度城乡居民基本医疗保险参保缴费有关事项的公告\n" + BODY)
    assert d.policy_year == 2026


def test_a_cover_letters_signature_above_the_attached_plan() -> None:
    plan = "凤凰县2025年度城乡居民基本医疗保险参保缴费工作方案\n一、工作目标\n" + BODY * 8
    d = _doc("凤凰县人民政府办公室关于印发《凤凰县2025年度城乡居民基本医疗保险参保缴费工作方案》的通知\n凤政办发〔2024〕15号\n"
             "各乡镇人民政府,县直机关各单位:\n《工作方案》已经县人民政府同意,现印发给你们,请认真贯彻落实。\n\n"
             "凤凰县人民政府办公室\n2024年8月30日\n\n" + plan)
    assert (d.published, d.issuers) == ("2024-08-30", ["凤凰县人民政府办公室"])


def test_a_qa_with_its_issuer_and_date_under_the_title() -> None:
    d = _doc("门源回族自治县2026年度城乡居民基本医疗保险参保缴费政策问答\n门源回族自治县医疗保障局\n2025年9月10日\n"
             "问一:哪些人可以参加居民医保?\n答:" + BODY * 6)
    assert (d.published, d.issuers) == ("2025-09-10", ["门源回族自治县医疗保障局"])


@pytest.mark.parametrize("source,issuers", [("宜宾市南溪区医疗保障局", ["宜宾市南溪区医疗保障局"]), ("南充社保网", [])])
def test_an_offices_byline_names_an_unsigned_qa_but_a_sites_does_not(source: str, issuers: list[str]) -> None:
    d = _doc(f"南溪区2020年度城乡居民基本医疗保险参保缴费政策问答\n来源：{source}　　发布时间：2019年9月10日\n"
             "问一：哪些人可以参加居民医保？\n答：" + BODY * 4)
    assert d.issuers == issuers


@pytest.mark.parametrize("byline,issuers", [
    ("来源：青州市医疗保障局　2025-09-03", ["青州市医疗保障局"]),  # a date after the name, no label
    ("来源：博白县融媒体中心  发布时间：2024-09-03 10:21", ["博白县融媒体中心"]),  # a county's news item
    ("来源：博白县新闻网 2024-09-03", []),  # a site
    ("发布时间：2025-09-10　　来源：博白县医疗保障局　　【字体：大 中 小】", ["博白县医疗保障局"]),  # page chrome after it
    ("2026-09-08 10:32　来源：博白县医疗保障局　　浏览量：2316", ["博白县医疗保障局"]),  # an unlabelled date first
])
def test_an_unsigned_items_byline_names_its_writer(byline: str, issuers: list[str]) -> None:
    d = _doc(f"博白县2025年度城乡居民医保集中缴费启动\n{byline}\n\n本报讯 9月1日，" + BODY * 4)
    assert d.issuers == issuers


def test_a_title_and_number_in_chinese_numerals() -> None:
    from extractors.facts import normalised_to_facts

    text = ("隆德县人民政府办公室关于做好二〇二三年度城乡居民基本医疗保险参保缴费工作的通知\n隆政办发〔二〇二二〕八十六号\n"
            "各乡镇人民政府:\n" + BODY)
    norm = text_to_normalised(text)
    facts, _ = normalised_to_facts(norm)
    d = parsed_to_document(ParsedDocument(source="t.txt", sha256="0" * 64, format="txt", text=text), norm, facts)
    assert (d.policy_year, d.doc_number) == (2023, "隆政办发〔2022〕86号")


def test_a_notice_flattened_onto_one_line_with_a_trailer_keeps_its_title() -> None:
    line = ("临朐县医疗保障局 国家税务总局临朐县税务局关于2026年度城乡居民基本医疗保险费集中征缴的通告 临医保发[2025]19号 "
            "2025-10-9 广大城乡居民: " + BODY * 6 + " 本文来源:临朐新闻网 投稿邮箱:news@example.cn 版权所有")
    d = _doc(line)
    assert d.title == "临朐县医疗保障局 国家税务总局临朐县税务局关于2026年度城乡居民基本医疗保险费集中征缴的通告"
    assert d.policy_year == 2026


def test_a_glued_signature_date() -> None:
    d = _doc(f"{TITLE}\n各乡镇人民政府：\n{BODY}\n临泉县医疗保障局\n20250105日\n")
    assert d.published == "2025-01-05"


def test_an_explainers_title_names_the_notice() -> None:
    d = _doc("《富平县医疗保障局关于做好2026年度城乡居民基本医疗保险参保缴费工作的通知》政策解读\n"
             "发布时间：2025-09-15　来源：富平县医疗保障局\n问一：今年个人缴多少？\n答：" + BODY)
    assert d.title == "《富平县医疗保障局关于做好2026年度城乡居民基本医疗保险参保缴费工作的通知》政策解读"
    assert d.policy_year == 2026


@pytest.mark.parametrize("head,code", [("项城市丁集镇前李村 温馨提示\n2025年度城乡居民医保开始缴费啦！", "411681"),
                                       ("【通知】关于2024年度城乡居民医保缴费的温馨提示\n宾川县金牛镇前进村委会", "532924"),
                                       # a tag's 【 before the name still opens the header
                                       ("【肥乡区天台山镇前屯村委会温馨提示】2022年度城乡居民医保开始缴费啦!", "130407")])
def test_a_village_posters_header_names_its_county(head: str, code: str) -> None:
    d = _doc(f"{head}\n各位村民：\n通过“河南税务”“云南税务”或“河北税务”小程序缴费。" + BODY)
    assert d.region.code == code


def test_poster_titles_a_place_tip_or_the_headline_under_a_bare_tag() -> None:
    d = _doc("项城市丁集镇前李村 温馨提示\n2025年度城乡居民医保开始缴费啦！\n乡亲们：\n" + BODY)
    assert d.title == "项城市丁集镇前李村 温馨提示"
    d = _doc("📢📢温馨提示📢📢\n2020年度城乡居民医保开始缴费啦！\n\n各位居民朋友们：\n" + BODY)
    assert d.title == "2020年度城乡居民医保开始缴费啦！"


def test_an_explainers_title_without_the_office_line_above_it() -> None:
    d = _doc("大竹县医疗保障局\n《关于做好2026年度城乡居民基本医疗保险参保缴费工作的通知》政策解读\n问一：今年个人缴多少？\n答：" + BODY)
    assert d.title == "《关于做好2026年度城乡居民基本医疗保险参保缴费工作的通知》政策解读"


def test_a_date_alone_on_the_last_line_dates_an_unsigned_notice() -> None:
    # holdout26 h26_10: a tender's contact lines, then its date; the bid deadline above is not it
    d = _doc("平泉市医疗保障局2025年度城乡居民大病保险承办服务项目招标公告\n投标人应于2025年3月18日9点30分前递交投标文件。\n"
             + BODY + "\n采购人：平泉市医疗保障局　联系电话：0314-6021234\n\n2025年2月24日\n")
    assert d.published == "2025-02-24"


def test_a_wechat_articles_recommended_list_gives_no_title() -> None:
    # holdout29 h29_07: 往期推荐 and the other articles' titles under it at the end of a WeChat capture
    d = _doc("2025年度城乡居民医保缴费政策问答,一次看懂!\n\n原创 宿松县医保局 宿松医保 2024-10-09 08:30 安徽\n\n问一:交多少?\n答:"
             + BODY * 3 + "\n长按识别二维码 关注宿松医保\n\n阅读 1.2万  在看 36\n\n往期推荐\n宿松县开展医保基金监管集中宣传月活动\n"
             "2024年度居民医保“两病”门诊用药政策解读\n")
    assert d.title == "2025年度城乡居民医保缴费政策问答,一次看懂!"
    assert d.policy_year == 2025


def test_a_joint_notices_issuers_are_its_titles_when_the_signature_names_one() -> None:
    # holdout33 h33_06/h33_07: five issuers in the title, the lead office alone over the date
    d = _doc("桦甸市医疗保障局 桦甸市财政局 国家税务总局桦甸市税务局关于做好2023年度城乡居民基本医疗保险参保缴费工作的通知\n"
             "各乡镇人民政府:\n" + BODY + "\n桦甸市医疗保障局\n2022年9月6日\n")
    assert d.issuers == ["桦甸市医疗保障局", "桦甸市财政局", "国家税务总局桦甸市税务局"]


def test_a_two_character_countys_office_and_a_community_named_like_a_city() -> None:
    # holdout42 h42_04: 泾县医疗保障局负责人就…答记者问 (two-character counties are not scanned in running text)
    d = _doc("泾县医疗保障局负责人就2025年度城乡居民基本医疗保险参保缴费工作答记者问\n问：交多少？答：" + BODY * 3)
    assert d.region.code == "341823"
    # holdout42 h42_10: 朝阳社区 is a community, not 朝阳市 (辽宁)
    d = _doc("2021年度城乡居民医保开始缴费啦！\n根据台山市医疗保障局发布的通知，" + BODY * 3 + "\n台城街道朝阳社区居民委员会\n2020年9月1日\n")
    assert d.region.province != "辽宁省"
