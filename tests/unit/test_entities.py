"""What the user should write down, exactly as the other side wrote it: accounts, holders, banks, phones,
links, amounts, apps, contacts. Each case asserts every list, so a wrong extra entity fails too."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fanzha
from fanzha.entities import AMOUNT, KEYS, extract, parse_amount, parse_chinese_number
from fanzha.normalize import fold
from fanzha.patterns import spans as regex_spans
from fanzha.rulefiles import CODE_FRAGMENTS

LISTS = ("accounts", "phones", "urls", "amounts", "apps", "contacts", "names", "banks")


def _entities(text: str) -> dict:
    return extract(fold(text), text)


def _lists(text: str) -> dict:
    """The non-empty lists of ``text``'s entities (url_flags and spans have their own tests)."""
    found = _entities(text)
    assert set(found) == {*LISTS, "url_flags", "spans"}
    return {key: found[key] for key in LISTS if found[key]}


def _spans(text: str, key: str) -> list[tuple[str, object]]:
    spans = _entities(text)["spans"][key]
    for s in spans:
        assert text[s["start"]:s["end"]] == s["text"]
    return [(s["text"], s["value"]) for s in spans]


CASES = [
    # (pasted, every non-empty list, why)
    # accounts: card numbers as digits, in any grouping; 16-19 digits are a card, not a phone
    ("卡号 6222 0212 3456 7890 123", {"accounts": ["6222021234567890123"]}, "a spaced 19-digit card"),
    ("账号：6217000012345678", {"accounts": ["6217000012345678"]}, "a 16-digit card"),
    ("卡号6217138001380001234", {"accounts": ["6217138001380001234"]}, "a card with a mobile number inside"),
    ("卡号 6217 1380 0138 0001", {"accounts": ["6217138001380001"]}, "a spaced card with a mobile inside"),
    ("订单号 621713800138000", {"phones": []}, "15 digits: no card, and no phone inside a longer number"),
    # holders and banks
    ("户名：张伟，开户行建设银行", {"accounts": ["户名:张伟"], "names": ["张伟"], "banks": ["建设银行"]},
     "holder and bank"),
    ("户名：张建国", {"accounts": ["户名:张建国"], "names": ["张建国"]}, "户名 with a colon"),
    ("开户行：中国农业银行深圳分行", {"banks": ["中国农业银行深圳分行"]}, "a bank and its branch"),
    ("开户银行：工商银行北京分行朝阳支行", {"banks": ["工商银行北京分行朝阳支行"]}, "a branch of a branch"),
    ("收款人 李四", {"accounts": ["户名:李四"], "names": ["李四"]}, "收款人 and a space"),
    ("户名张建国账号6222021001234567890",
     {"accounts": ["6222021001234567890", "户名:张建国"], "names": ["张建国"]}, "a name run into the next field"),
    ("户名：深圳市某某科技有限公司", {"accounts": ["户名:深圳市某某科技有限公司"], "names": ["深圳市某某科技有限公司"]},
     "a company as holder"),
    ("你的姓名是什么", {}, "a question is not a name"),
    ("开户行不对", {}, "no bank named"),
    # phones, exactly as written
    ("打我电话 138-1234-5678", {"phones": ["138-1234-5678"]}, "a mobile with dashes"),
    ("手机 138 0013 8000 联系", {"phones": ["138 0013 8000"]}, "a mobile with spaces"),
    ("手机138-0013-8000", {"phones": ["138-0013-8000"]}, "a mobile with dashes, Chinese before it"),
    ("138 0013 8000，138-0013-8000，13800138000", {"phones": ["138 0013 8000"]}, "one number written three ways"),
    ("+86 138 0013 8000", {"phones": ["+86 138 0013 8000"]}, "a mobile with the country code"),
    ("座机010-5723 8816", {"phones": ["010-5723 8816"]}, "a Beijing landline, dash and space"),
    ("电话0755-12345678", {"phones": ["0755-12345678"]}, "a landline with a 4-digit area code"),
    ("座机 0571-87654321", {"phones": ["0571-87654321"]}, "a landline"),
    ("(021)6123 4567", {"phones": ["(021)6123 4567"]}, "an area code in brackets"),
    ("（021）6123 4567", {"phones": ["（021）6123 4567"]}, "full-width brackets, as written"),
    ("客服热线 400-820-8820", {"phones": ["400-820-8820"]}, "a 400 number with dashes"),
    ("客服热线4008208820", {"phones": ["4008208820"]}, "a 400 number in one run"),
    ("拨打800-123-4567", {"phones": ["800-123-4567"]}, "an 800 number"),
    ("工行客服95588，招行95555", {"phones": ["95588", "95555"]}, "bank service numbers"),
    ("来电 +85212345678", {"phones": ["+85212345678"]}, "international with +"),
    ("来电 0085212345678", {"phones": ["0085212345678"]}, "international with 00"),
    ("１３８００１３８０００", {"phones": ["１３８００１３８０００"]}, "full-width digits, as written"),
    ("1234", {}, "four digits are no phone"),
    # dates and times are no phones
    ("2024-03-05 下午三点开会", {}, "an ISO date"),
    ("2024-03-05 14:30 到 2024-03-06", {}, "dates and a time"),
    ("20240305", {}, "a date without dashes"),
    ("2024/03/05", {}, "a date with slashes"),
    # amounts, in yuan; a number with a unit is an amount, not a phone
    ("先转8万", {"amounts": [80000]}, "8万"),
    ("先转80000元", {"amounts": [80000]}, "80000元"),
    ("先转8万，也就是80000元", {"amounts": [80000]}, "the same amount twice, listed once"),
    ("转95000元", {"amounts": [95000]}, "95000元 is no 95xxx service number"),
    ("打138 0013 8000元", {"phones": ["138 0013 8000"]}, "a spaced phone's last group is no amount"),
    ("先转两万，再转5w，手续费伍佰元", {"amounts": [20000, 50000, 500]}, "Chinese numerals and w"),
    ("万一他不同意呢", {}, "万一 is no amount"),
    ("千万别点这个链接", {}, "千万 alone is 'by all means', no amount"),
    ("转了千万元", {"amounts": [10000000]}, "千万元 is ten million"),
    ("转到我给的账户，3000元。", {"amounts": [3000]}, "an amount after a full-width comma"),
    ("付了12345678901234元", {}, "the end of a longer number is no amount"),
    # links, case and all
    ("点 http://t.cn/A6xYz9Q 领取", {"urls": ["http://t.cn/A6xYz9Q"]}, "a short link keeps its case"),
    ("http://t.cn/A6xYz9Q点击领取", {"urls": ["http://t.cn/A6xYz9Q"]}, "Chinese right after the link"),
    ("网址t.cn/Ab12，复制打开", {"urls": ["t.cn/Ab12"]}, "no scheme, a full-width comma after"),
    ("http://t.cn/A6xYz9Q 和 http://t.cn/a6xyz9q", {"urls": ["http://t.cn/A6xYz9Q", "http://t.cn/a6xyz9q"]},
     "links differing in case are two links"),
    ("登录 www.abc-loan.top 申请", {"urls": ["www.abc-loan.top"]}, "www without a scheme"),
    ("打开https://wx-pay.cn/Pay?id=A1看看", {"urls": ["https://wx-pay.cn/Pay?id=A1"]},
     "wx inside a link is not 微信"),
    ("点 http://t.cn/13800138000 查看", {"urls": ["http://t.cn/13800138000"]}, "a phone inside a link is the link"),
    ("http://x.cn/?card=6222021234567890123&amt=5w", {"urls": ["http://x.cn/?card=6222021234567890123&amt=5w"]},
     "a card and an amount inside a link are the link"),
    ("（见 http://x.cn/a(b)）", {"urls": ["http://x.cn/a(b)"]}, "a bracket the link opened stays"),
    ("利率是3.5，不是1.2.3", {}, "decimals are no hosts"),
    ("下载地址 http://1.2.3.4/app.apk 快点", {"urls": ["http://1.2.3.4/app.apk"]}, "an IP host"),
    # apps: the name only
    ("她下载一个叫云会议的", {"apps": ["云会议"]}, "叫…的"),
    ("下载这个", {}, "no name"),
    ("下载这个软件", {}, "这个 is no name"),
    ("下载“安心办”App", {"apps": ["安心办"]}, "a quoted name before App"),
    ("下载安心办app", {"apps": ["安心办"]}, "the verb is not part of the name"),
    ("下载《鼎盛理财》APP注册", {"apps": ["鼎盛理财"]}, "a name in book-title marks"),
    # contacts
    ("加ＱＱ：123456789 详聊", {"contacts": ["QQ:123456789"]}, "full-width QQ"),
    ("加V信 abc_888 详聊", {"contacts": ["微信:abc_888"]}, "V信 is 微信"),
    ("我的微信 13800138000", {"contacts": ["微信:13800138000"], "phones": ["13800138000"]},
     "a phone number as a WeChat id is both"),
]


@pytest.mark.parametrize(("text", "expected", "why"), CASES, ids=[c[2] for c in CASES])
def test_extracts_exactly(text: str, expected: dict, why: str) -> None:
    assert _lists(text) == {key: value for key, value in expected.items() if value}


def test_spans_are_the_original_slices() -> None:
    text = "点 http://t.cn/A6xYz9Q 领取，先转8万，也就是80000元，电话138 0013 8000或13800138000"
    assert _spans(text, "urls") == [("http://t.cn/A6xYz9Q", "http://t.cn/A6xYz9Q")]
    assert _spans(text, "amounts") == [("8万", 80000), ("80000元", 80000)]
    # every occurrence is marked; each carries the value listed for it
    assert _spans(text, "phones") == [("138 0013 8000", "138 0013 8000"), ("13800138000", "138 0013 8000")]


def test_spans_of_every_kind() -> None:
    text = "户名：张建国，开户行：中国农业银行深圳分行，卡号 6222 0212 3456 7890 123，下载“安心办”App，加V信 abc_888"
    assert _spans(text, "accounts") == [("张建国", "户名:张建国"), ("6222 0212 3456 7890 123", "6222021234567890123")]
    assert _spans(text, "names") == [("张建国", "张建国")]
    assert _spans(text, "banks") == [("中国农业银行深圳分行", "中国农业银行深圳分行")]
    assert _spans(text, "apps") == [("安心办", "安心办")]
    assert _spans(text, "contacts") == [("V信 abc_888", "微信:abc_888")]
    assert set(_entities(text)["spans"]) == set(KEYS)


def test_spans_map_through_folds() -> None:
    text = "链接\u200bhttp://T.cn/A\u200b6x 客服 ４００-８２０-８８２０"
    found = _entities(text)
    assert found["urls"] == ["http://T.cn/A6x"]  # the zero-width space is no part of the link
    assert found["phones"] == ["４００-８２０-８８２０"]
    url = found["spans"]["urls"][0]
    assert url["text"] == "http://T.cn/A\u200b6x" == text[url["start"]:url["end"]]


def test_apk_and_ip_links_are_marked() -> None:
    flags = _entities("点 http://1.2.3.4/App.APK 安装")["url_flags"]
    assert flags == {"http://1.2.3.4/App.APK": ["apk", "ip_host"]}


def test_a_plain_string_is_folded_text_and_original() -> None:
    assert extract("打我电话 138-1234-5678")["phones"] == ["138-1234-5678"]


def test_a_check_reports_entities_as_written() -> None:
    text = "领导：你先转8万到这个账户，户名张建国，账号6222021001234567890，开户行中国农业银行深圳分行，详情看 http://t.cn/A6xYz9Q"
    report = fanzha.check(text).to_dict()
    found = report["entities"]
    assert found["urls"] == ["http://t.cn/A6xYz9Q"]
    assert found["accounts"] == ["6222021001234567890", "户名:张建国"]
    assert found["names"] == ["张建国"]
    assert found["banks"] == ["中国农业银行深圳分行"]
    assert found["amounts"] == [80000]
    for spans in found["spans"].values():
        for s in spans:
            assert text[s["start"]:s["end"]] == s["text"]
    json.dumps(report, ensure_ascii=False)


PIECES = list("0123456789 -+().:/htpswwwcnAZ元万户名：张三下载叫的app\u200b１Ｘ")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(PIECES), max_size=60))
def test_every_span_is_a_slice_of_the_original(text: str) -> None:
    found = _entities(text)
    for key in KEYS:
        for s in found["spans"][key]:
            assert 0 <= s["start"] < s["end"] <= len(text)
            assert text[s["start"]:s["end"]] == s["text"]
        listed = found[key]
        assert [s["value"] for s in found["spans"][key] if s["value"] not in listed] == []


@pytest.mark.parametrize(
    ("num", "unit", "yuan"),
    [("5", "w", 50000), ("3", "k", 3000), ("两", "万", 20000), ("伍仟", "元", 5000), ("1.5", "万", 15000),
     ("十二万三千", "元", 123000), ("2,000", "元", 2000)],
)
def test_amounts_in_yuan(num: str, unit: str, yuan: int) -> None:
    assert parse_amount(num, unit) == yuan


def test_the_rules_amount_is_this_one() -> None:
    """{AMOUNT} in a rule is AMOUNT with its groups unnamed: the same matches, one definition."""
    rules_amount = re.compile(CODE_FRAGMENTS["AMOUNT"])
    for text, *_ in CASES:
        folded = fold(text).text
        assert [m.span() for m in rules_amount.finditer(folded)] == regex_spans(AMOUNT, folded)


def test_not_numbers() -> None:
    assert parse_chinese_number("万一") is not None  # a number word, but only read with a unit
