"""What the user should write down for the police: accounts, phones, links, amounts, apps, contacts.

Works on the folded text (full-width digits are already ASCII) and returns plain strings, except
amounts, which are normalised to yuan.
"""

from __future__ import annotations

import re
from typing import Any

CARD = re.compile(r"(?<![\d.])(?:\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?|\d{16,19})(?![\d.])")
HOLDER = re.compile(r"(?:户名|收款人|开户名|姓名)\s{0,3}[:：为是]?\s{0,3}([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff]{2})")
PHONE = re.compile(
    r"(?<![\d])(?:"
    r"(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}"  # mobile
    r"|(?:\+|00)[1-9]\d{6,14}"  # international, +xx or 00xx
    r"|[48]00[ -]?\d{3}[ -]?\d{4}"  # 400 / 800 service numbers
    r"|0\d{2,3}[ -]?\d{7,8}"  # landline with area code
    r"|95\d{3,4}"  # bank and carrier short numbers
    r")(?![\d])"
)
URL = re.compile(
    r"(?:https?://|www\.)[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]{2,200}"
    r"|(?<![a-z0-9@.])(?:[a-z0-9-]{1,40}\.){1,4}(?:com|cn|net|org|top|xyz|vip|cc|me|info|app|io|club|shop|"
    r"site|online|ink|icu|tk|ml|link|co)(?:/[a-z0-9\-._~/?#=&%]{0,120})?(?![a-z0-9])"
    r"|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{2,5})?(?:/[a-z0-9\-._~/?#=&%]{0,120})?"
)
IP_HOST = re.compile(r"^(?:https?://)?(?:\d{1,3}\.){3}\d{1,3}")
APP_QUOTED = re.compile(r"[《「“‘\"']([^《》「」“”‘’\"'\n]{2,16})[》」”’\"']")
APP_NAMED = re.compile(r"([\u4e00-\u9fffa-z0-9]{2,10})\s?(?:app|软件|客户端)")
APP_CONTEXT = re.compile(r"下载|安装|app|软件|平台|客户端|注册|扫码")
CONTACT = re.compile(
    r"(qq|微信|钉钉|telegram|tg|飞机)\s{0,3}(?:号|账号|id)?\s{0,3}[:：是为]?\s{0,3}([a-z0-9][-_a-z0-9]{4,19})(?![-_a-z0-9])"
)

DIGITS = "0123456789"
CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}
_CN_NUM = "零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿"
AMOUNT = re.compile(
    rf"(?P<num>(?<![\d.,])\d{{1,12}}(?:,\d{{3}}){{0,4}}(?:\.\d{{1,2}})?|[{_CN_NUM}]{{1,12}})\s?"
    r"(?P<unit>万元|万块|万|w|千元|千块|千|k|元|块钱|块|rmb)(?![a-z])"
)


def parse_chinese_number(text: str) -> float | None:
    """两万 -> 20000, 伍仟 -> 5000, 十二万三千 -> 123000. None if it is not a number."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (digit if digit is not None else 1) * CN_UNITS[ch]
            digit = None
        elif ch in CN_BIG:
            total = (total + section + (digit or 0)) * CN_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def parse_amount(num: str, unit: str) -> float | None:
    """An amount in yuan from a number and its unit (5w, 3k, 两万, 伍仟元)."""
    if num[0] in DIGITS:
        value = float(num.replace(",", ""))
    else:
        parsed = parse_chinese_number(num)
        if parsed is None or parsed == 0:
            return None
        value = float(parsed)
    if unit.startswith(("万", "w")):
        value *= 10_000
    elif unit.startswith(("千", "k")):
        value *= 1000
    return value


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _amounts(text: str) -> list[float | int]:
    out: list[float | int] = []
    for m in AMOUNT.finditer(text):
        value = parse_amount(m.group("num"), m.group("unit"))
        if value is not None and value > 0:
            out.append(int(value) if value == int(value) else round(value, 2))
    return list(dict.fromkeys(out))


def _urls(text: str) -> list[str]:
    out = []
    for m in URL.finditer(text):
        url = m.group().rstrip(".,;:!?)'\"")
        if re.fullmatch(r"[\d.]+", url) and not IP_HOST.match(url):
            continue  # a decimal amount, not a host
        out.append(url)
    return _unique(out)


def url_flags(urls: list[str]) -> dict[str, list[str]]:
    """Which links look worse than others: an installable APK, or a bare IP address for a host."""
    flags: dict[str, list[str]] = {}
    for url in urls:
        marks = (["apk"] if re.search(r"\.apk(?:$|[?#])", url) else []) + (["ip_host"] if IP_HOST.match(url) else [])
        if marks:
            flags[url] = marks
    return flags


def _apps(text: str) -> list[str]:
    names = [
        m.group(1)
        for m in APP_QUOTED.finditer(text)
        if APP_CONTEXT.search(text, max(0, m.start() - 12), m.end() + 12)
    ]
    names += [m.group(1) for m in APP_NAMED.finditer(text)]
    return _unique([n.strip() for n in names if n.strip() and not n.strip().isdigit()])


def extract(text: str) -> dict[str, Any]:
    """Entities of a folded text, in order of first appearance, without duplicates."""
    cards = [re.sub(r"[ -]", "", m.group()) for m in CARD.finditer(text)]
    phones = [re.sub(r"[ -]", "", m.group()) for m in PHONE.finditer(text)]
    phones = [p for p in phones if not any(p in c for c in cards)]
    contacts = [f"{m.group(1).upper() if m.group(1) in ('qq', 'tg') else m.group(1)}:{m.group(2)}"
                for m in CONTACT.finditer(text)]
    urls = _urls(text)
    return {
        "accounts": _unique(cards + [f"户名:{m.group(1)}" for m in HOLDER.finditer(text)]),
        "phones": _unique(phones),
        "urls": urls,
        "url_flags": url_flags(urls),
        "amounts": _amounts(text),
        "apps": _apps(text),
        "contacts": _unique(contacts),
    }
