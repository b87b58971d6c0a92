"""Relevance: notices not about resident medical-insurance enrollment yield no rules."""

from __future__ import annotations

import pytest

from extractors.relevance import text_is_relevant

# fmt: off
@pytest.mark.parametrize("text,title,expected", [
    ("2024年度全省居民医保个人缴费标准为每人每年380元。集中缴费期为2023年10月1日至12月31日。", None, True),
    ("各县区:现将城乡居民医保参保缴费有关事项通知如下。", None, True),  # normalised (simplified) text
    ("对城乡特困人员给予全额资助。", "关于做好2024年度城乡居民基本医疗保险参保缴费工作的通知", True),
    ("关于2024年调整退休人员基本养老金的通知。基本养老金调整采取定额调整办法,退休人员基本养老金每人每月增加50元。"
     "参加居民医保的退休人员不在此列。", "关于2024年调整退休人员基本养老金的通知", False),
    ("城乡居民基本医疗保险参保缴费宣传服务项目公开招标公告。投标人须知。采购需求。",
     "2025年度城乡居民基本医疗保险参保缴费宣传服务项目公开招标公告", False),
    ("关于做好2024年职工基本医疗保险个人账户管理的通知。", None, False),
    # an employee contribution-base notice that names resident insurance once, in passing (holdout2 h2_07)
    ("一、2024年度职工基本医疗保险缴费基数下限为4,367元/月。用人单位按照本单位职工缴费基数之和的8%缴纳。"
     "城乡居民基本医疗保险参保人员不适用本通知,其缴费标准另行通知。",
     "大连市医疗保障局关于公布2024年度职工基本医疗保险缴费基数上下限的通知", False),
    # an office's other subject: a 医保电子凭证 promotion that counts resident enrollees (holdout15 h15_09)
    ("到2024年6月底,全市参保人员(含城乡居民医保参保人员)医保电子凭证激活率达到80%以上。引导参保群众扫码就医。",
     "天长市医疗保障局关于全面推广应用医保电子凭证的通知", False),
    # … but the same subject beside enrollment in the title, or a text that dwells on the scheme, is relevant
    ("城乡居民医保个人缴费标准为每人每年400元,可通过医保电子凭证缴费。",
     "关于使用医保电子凭证缴纳2025年度城乡居民医保费的通知", True),
    ("2025年度城乡居民医保个人缴费400元。城乡居民医保参保人员可用医保码缴费。", "关于推广医保码的通知", True),
    # another scheme's notice whose text tells who may move over from the resident scheme (holdout23 h23_09)
    ("灵活就业人员参加职工基本医疗保险,缴费基数为6540元。已参加城乡居民医保的,可在城乡居民医保待遇期满后转入。"
     "城乡居民医保参保人员参保缴费不受影响。城乡居民医保缴费标准另行通知。",
     "青铜峡市医疗保障局关于做好2026年度灵活就业人员参加职工基本医疗保险缴费工作的通知", False),
    ("2026年度城乡居民医保个人缴费400元。", "关于做好2026年度城乡居民医保和职工医保参保缴费工作的通知", True),
])
# fmt: on
def test_relevance(text: str, title: str | None, expected: bool) -> None:
    assert text_is_relevant(text, title) is expected


def test_a_chronic_disease_notice_that_names_the_scheme_is_not_relevant() -> None:
    # holdout27 h27_09 / holdout30 h30_08: 门诊慢特病 recognition for resident insurees
    text = ("参加城乡居民基本医疗保险的患者可申请门诊慢特病待遇资格认定。城乡居民医保参保人员认定后按规定享受待遇,"
            "报销比例为65%。")
    assert text_is_relevant(text, "洛川县医疗保障局关于开展2025年度门诊慢特病待遇资格认定工作的通知") is False
    # the same title over a text about contributions stays relevant
    assert text_is_relevant(text + "城乡居民医保个人缴费标准为每人每年400元。",
                            "洛川县医疗保障局关于开展2025年度门诊慢特病待遇资格认定工作的通知") is True


def test_a_resident_pension_notice_is_not_relevant() -> None:
    # holdout33 h33_09: 城乡居民基本养老保险 (another scheme) that mentions medical insurance in passing
    assert text_is_relevant("城乡居民基本养老保险缴费档次为200元至3000元。同时做好居民医疗保险参保宣传。",
                            "瑞昌市人力资源和社会保障局关于做好2024年度城乡居民基本养老保险费征缴工作的通知") is False
