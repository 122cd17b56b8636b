"""What the user should write down: accounts, holders, phones, links, amounts, apps, contacts."""

from __future__ import annotations

import pytest

from fanzha.entities import extract, parse_amount, parse_chinese_number
from fanzha.normalize import fold


def _entities(text: str) -> dict:
    return extract(fold(text).text)


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("卡号 6222 0212 3456 7890 123", "accounts", "6222021234567890123"),
        ("账号：6217000012345678", "accounts", "6217000012345678"),
        ("户名：张伟，开户行建设银行", "accounts", "户名:张伟"),
        ("打我电话 138-1234-5678", "phones", "13812345678"),
        ("客服热线 400-123-4567", "phones", "4001234567"),
        ("座机 0571-87654321", "phones", "057187654321"),
        ("来电 +85212345678", "phones", "+85212345678"),
        ("来电 0085212345678", "phones", "0085212345678"),
        ("下载地址 http://1.2.3.4/app.apk 快点", "urls", "http://1.2.3.4/app.apk"),
        ("登录 www.abc-loan.top 申请", "urls", "www.abc-loan.top"),
        ("加ＱＱ：123456789 详聊", "contacts", "QQ:123456789"),
        ("加V信 abc_888 详聊", "contacts", "微信:abc_888"),
        ("下载《鼎盛理财》APP注册", "apps", "鼎盛理财"),
    ],
)
def test_extracts(text: str, key: str, expected: str) -> None:
    assert expected in _entities(text)[key]


def test_apk_and_ip_links_are_marked() -> None:
    flags = _entities("点 http://1.2.3.4/app.apk 安装")["url_flags"]
    assert flags == {"http://1.2.3.4/app.apk": ["apk", "ip_host"]}


@pytest.mark.parametrize(
    ("num", "unit", "yuan"),
    [("5", "w", 50000), ("3", "k", 3000), ("两", "万", 20000), ("伍仟", "元", 5000), ("1.5", "万", 15000),
     ("十二万三千", "元", 123000), ("2,000", "元", 2000)],
)
def test_amounts_in_yuan(num: str, unit: str, yuan: int) -> None:
    assert parse_amount(num, unit) == yuan


def test_amounts_from_text() -> None:
    assert _entities("先转两万，再转5w，手续费伍佰元")["amounts"] == [20000, 50000, 500]


def test_not_numbers() -> None:
    assert parse_chinese_number("万一") is not None  # a number word, but only read with a unit
    assert _entities("万一他不同意呢")["amounts"] == []
    assert _entities("1234")["phones"] == []
