"""What the user should write down for the police: accounts, holders, banks, phones, links, amounts, apps, contacts.

Entities are found in the folded text (full-width digits are ASCII, letters lower case, V信 is 微信) and
taken, exactly as written, from the original: each match's span maps back through ``normalize.Folded``.
A link is what the other side typed, case and all (``t.cn/A6xYz9Q`` is not ``t.cn/a6xyz9q``); a phone
keeps its spaces and dashes. Account numbers are given as their digits and amounts in yuan; every
entity's span in the original text, with the exact slice, is under ``entities["spans"]``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, NamedTuple

from . import normalize
from .normalize import Folded
from .patterns import scan, scanner

_CJK = "\u4e00-\u9fff"
# Patterns run over the whole paste are compiled in patterns.scanning's form, behind the characters their
# matches start with (a test checks these against patterns.first_chars): a position that starts none is
# skipped in the regex engine's own loop. Their matches are read with patterns.scan.
CARD = scanner(r"(?<![\d.])(?:\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?|\d{16,19})(?![\d.])", r"\d")
# Who the money goes to: a company (up to its suffix) or a person's name of 2-4 characters that ends
# where the text stops being Chinese or another field starts ("户名张建国账号6222…").
HOLDER = re.compile(
    r"(?:户名|收款人|开户名|姓名)\s{0,3}[:：为是]?\s{0,3}"
    rf"(?P<name>[{_CJK}]{{2,30}}?(?:有限责任公司|有限公司|公司|商行|经营部|工作室)"
    rf"|(?![和与及或的])[{_CJK}]{{2,4}}?"
    rf"(?=$|[^{_CJK}]|账号|卡号|账户|开户|银行|电话|手机|身份证|收款|微信|支付宝|qq))"
)
NOT_NAMES = frozenset({
    "什么", "多少", "一致", "不一致", "正确", "错误", "不对", "不符", "相同", "核对", "填写", "一下",
})
BANK = re.compile(
    r"开户(?:银)?行\s{0,3}[:：为是]?\s{0,3}"
    rf"(?P<name>[{_CJK}]{{0,20}}?(?:银行|信用合作社|信用社|农商行|农信社|农行|工行|建行|中行|交行|招行|邮储)"
    rf"(?:[{_CJK}]{{1,12}}?(?:分行|支行|营业部|分理处|储蓄所))*)"
)
_LOCAL = r"(?:\d{7,8}|\d{3,4}[ -]\d{4})"  # a landline's local part: 12345678, 6123 4567, 5723-8816
PHONE = scanner(
    r"(?<![\d])(?:"
    r"(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}"  # mobile
    r"|(?:\+|00)[1-9]\d{6,14}"  # international, +xx or 00xx
    r"|[48]00[ -]?\d{3}[ -]?\d{4}"  # 400 / 800 service numbers
    rf"|0\d{{2,3}}[ -]?{_LOCAL}"  # landline with area code
    rf"|\(0\d{{2,3}}\)[ -]?{_LOCAL}"  # (021)6123 4567
    r"|95\d{3,4}"  # bank and carrier short numbers
    r")(?![\d])",
    r"01489\(\+",
)
URL = re.compile(
    r"(?:https?://|www\.)[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]{2,200}"
    r"|(?<![a-z0-9@.])(?:[a-z0-9-]{1,40}\.){1,4}(?:com|cn|net|org|top|xyz|vip|cc|me|info|app|io|club|shop|"
    r"site|online|ink|icu|tk|ml|link|co)(?:/[a-z0-9\-._~/?#=&%]{0,120})?(?![a-z0-9])"
    r"|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{2,5})?(?:/[a-z0-9\-._~/?#=&%]{0,120})?"
)
IP_HOST = re.compile(r"^(?:https?://)?(?:\d{1,3}\.){3}\d{1,3}", re.IGNORECASE)
APK = re.compile(r"\.apk(?:$|[?#])", re.IGNORECASE)
APP_QUOTED = re.compile(r"[《「“‘\"']([^《》「」“”‘’\"'\n]{2,16})[》」”’\"']")
APP_NAMED = re.compile(rf"([{_CJK}a-z0-9]{{2,10}})\s?(?:app|软件|客户端)")
# "下载一个叫云会议的", "安装了名为安心办的": a name told, with no "app" after it.
APP_CALLED = re.compile(
    r"(?:下载|安装|装上|注册)了?(?:一个|一款|个|款)?(?:叫做|叫|名叫|名为|名字叫)"
    rf"([{_CJK}a-z0-9]{{2,10}}?)(?=的|app|软件|客户端|平台|[^{_CJK}a-z0-9]|$)"
)
APP_CONTEXT = re.compile(r"下载|安装|app|软件|平台|客户端|注册|扫码")
# What comes before an app's name in "下载一个叫X的软件": the verb, a measure word, "叫".
APP_LEAD = re.compile(
    r"^(?:.*?(?:下载|安装|装上|注册|打开|登录|使用|用|进入|去))?了?"
    r"(?:一个|一款|这个|那个|这款|那款|个|款)?(?:叫做|叫|名叫|名为|名字叫)?"
)
NOT_APPS = frozenset({
    "这个", "那个", "一个", "这款", "那款", "一款", "手机", "官方", "正规", "我们", "你们", "他们", "对方", "其他",
    "这", "那", "下载", "安装", "注册", "视频", "会议", "聊天", "直播", "远程", "办公", "新的", "专用", "指定",
})
CONTACT = re.compile(
    r"(qq|微信|钉钉|telegram|tg|飞机)\s{0,3}(?:号|账号|id)?\s{0,3}[:：是为]?\s{0,3}([a-z0-9][-_a-z0-9]{4,19})(?![-_a-z0-9])"
)
INVISIBLE = re.compile(f"[{normalize.ZERO_WIDTH}{normalize.BIDI_CONTROLS}]")

DIGITS = "0123456789"
CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}
_CN_NUM = "零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿"
# A sum of money, in the folded text: the one definition. Entities list its matches; the rules' signals
# write {AMOUNT} and get it with its groups unnamed (fanzha.rulefiles), so its repeats stay bounded.
AMOUNT_PATTERN = (
    r"(?!千万(?!元))"  # 千万 alone is "by all means" (千万别点), not ten million
    # Not the end of a longer number, nor the last group of a spaced one ("138 0013 8000元" is no 8000 yuan);
    # after a comma is fine ("账户，3000元" folds to "账户,3000元").
    rf"(?P<num>(?<!\d)(?<!\d[.,])(?<!\d[ -])\d{{1,12}}(?:,\d{{3}}){{0,4}}(?:\.\d{{1,2}})?|[{_CN_NUM}]{{1,12}})\s?"
    r"(?P<unit>万元|万块|万|w|千元|千块|千|k|元|块钱|块|rmb)(?![a-z])"
)
AMOUNT = scanner(AMOUNT_PATTERN, rf"\d{_CN_NUM}")
KEYS = ("accounts", "names", "banks", "phones", "urls", "amounts", "apps", "contacts")


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


class Found(NamedTuple):
    """One entity: its span in the original text, and the value listed for it."""

    start: int
    end: int
    value: Any


class _Source:
    """The folded text and the way back to the original, for one extraction."""

    def __init__(self, folded: Folded, original: str) -> None:
        self.text, self.original = folded.text, original
        self.starts, self.ends = folded.starts, folded.ends

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.starts[a], self.ends[b - 1]

    def exact(self, a: int, b: int) -> str:
        """The original slice of folded [a, b), without invisible marks (a zero-width space is no part of a link)."""
        start, end = self.span(a, b)
        return INVISIBLE.sub("", self.original[start:end])


def _overlaps(f: Found, others: list[Found]) -> bool:
    return any(f.start < o.end and o.start < f.end for o in others)


def _cards(src: _Source) -> list[Found]:
    return [Found(*src.span(a, b), re.sub(r"[ -]", "", src.text[a:b])) for _, a, b in scan(CARD, src.text)]


def _holders(src: _Source, pattern: re.Pattern[str]) -> list[Found]:
    out = []
    for m in pattern.finditer(src.text):
        if m.group("name") not in NOT_NAMES:
            out.append(Found(*src.span(*m.span("name")), src.exact(*m.span("name"))))
    return out


def _phones(src: _Source) -> list[Found]:
    return [Found(*src.span(a, b), src.exact(a, b)) for _, a, b in scan(PHONE, src.text)]


def _amounts(src: _Source) -> list[Found]:
    out = []
    for m, a, b in scan(AMOUNT, src.text):
        value = parse_amount(m.group("num"), m.group("unit"))
        if value is not None and value > 0:
            out.append(Found(*src.span(a, b), int(value) if value == int(value) else round(value, 2)))
    return out


def _strip_url(url: str) -> str:
    """A link without the sentence's punctuation after it; a closing bracket stays if the link opened one."""
    while url and url[-1] in ".,;:!?)'\"":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _urls(src: _Source) -> list[tuple[Found, str]]:
    """Links, each with its folded form (for the flags). Found in the original folded one character at a
    time, without the homophone folds: "wx" inside a link is not 微信."""
    if "." not in src.text and "://" not in src.text:
        return []
    chars, starts, ends = normalize._char_folds(src.original)
    plain = _Source(Folded("".join(chars), starts, ends), src.original)
    out = []
    for m in URL.finditer(plain.text):
        url = _strip_url(m.group())
        if re.fullmatch(r"[\d.]+", url) and not IP_HOST.match(url):
            continue  # a decimal amount, not a host
        a = m.start()
        out.append((Found(*plain.span(a, a + len(url)), plain.exact(a, a + len(url))), url))
    return out


def url_flags(urls: list[str]) -> dict[str, list[str]]:
    """Which links look worse than others: an installable APK, or a bare IP address for a host."""
    flags: dict[str, list[str]] = {}
    for url in urls:
        folded = unicodedata.normalize("NFKC", url).lower()
        marks = (["apk"] if APK.search(folded) else []) + (["ip_host"] if IP_HOST.match(folded) else [])
        if marks:
            flags[url] = marks
    return flags


def _app_name(src: _Source, a: int, b: int) -> Found | None:
    """The name in folded [a, b) without what leads to it ("下载一个叫"), or None if it is no name ("这个")."""
    lead = APP_LEAD.match(src.text, a, b)
    if lead:
        a = lead.end()
    name = src.text[a:b].strip()
    if len(name) < 2 or name in NOT_APPS or name.isdigit():
        return None
    return Found(*src.span(a, b), src.exact(a, b).strip())


def _apps(src: _Source) -> list[Found]:
    text = src.text
    found = [
        _app_name(src, *m.span(1))
        for m in APP_QUOTED.finditer(text)
        if APP_CONTEXT.search(text, max(0, m.start() - 12), m.end() + 12)
    ]
    if "app" in text or "软件" in text or "客户端" in text:  # APP_NAMED tries a name at every Chinese character
        found += [_app_name(src, *m.span(1)) for m in APP_NAMED.finditer(text)]
    found += [_app_name(src, *m.span(1)) for m in APP_CALLED.finditer(text)]
    return sorted((f for f in found if f is not None), key=lambda f: f.start)


def _contacts(src: _Source) -> list[Found]:
    out = []
    for m in CONTACT.finditer(src.text):
        app = m.group(1).upper() if m.group(1) in ("qq", "tg") else m.group(1)
        out.append(Found(*src.span(*m.span()), f"{app}:{m.group(2)}"))
    return out


def _phone_key(phone: str) -> str:
    """What makes two phones the same: "138 0013 8000" is "138-0013-8000"."""
    return re.sub(r"[^\d+]", "", unicodedata.normalize("NFKC", phone))


def _listed(found: list[Found], key: Any = None) -> list[Found]:
    """Each value once, in order of first appearance; ``key`` says which values are the same, and an
    occurrence of a value already listed is given the listed one."""
    first: dict[Any, Any] = {}
    out = []
    for f in found:
        value = first.setdefault(key(f.value) if key else f.value, f.value)
        out.append(f._replace(value=value))
    return out


def extract(folded: Folded | str, original: str | None = None) -> dict[str, Any]:
    """Entities of a text, in order of first appearance, without duplicates.

    ``folded`` is ``normalize.fold(original)``; a plain string is taken as both the folded text and the
    original. Besides the lists, ``"spans"`` gives for each kind every occurrence in the original text:
    ``{"start", "end", "text"}`` (``original[start:end]``, code points) and the ``"value"`` listed for it.
    """
    if isinstance(folded, str):
        n = len(folded)
        folded = Folded(folded, list(range(n)), list(range(1, n + 1)))
    src = _Source(folded, folded.text if original is None else original)

    url_hits = _urls(src)
    urls = [f for f, _ in url_hits]
    cards = [f for f in _cards(src) if not _overlaps(f, urls)]
    amounts = [f for f in _amounts(src) if not _overlaps(f, urls)]
    phones = [f for f in _phones(src) if not _overlaps(f, cards + urls + amounts)]
    names = _holders(src, HOLDER)
    holders = [f._replace(value=f"户名:{f.value}") for f in names]
    found = {
        "accounts": _listed(cards + holders),
        "names": _listed(names),
        "banks": _listed(_holders(src, BANK)),
        "phones": _listed(phones, key=_phone_key),
        "urls": _listed(urls),
        "amounts": _listed(amounts),
        "apps": _listed(_apps(src)),
        "contacts": _listed(_contacts(src)),
    }
    lists = {key: list(dict.fromkeys(f.value for f in found[key])) for key in KEYS}
    out: dict[str, Any] = {
        "accounts": lists["accounts"],
        "phones": lists["phones"],
        "urls": lists["urls"],
        "url_flags": url_flags(lists["urls"]),
        "amounts": lists["amounts"],
        "apps": lists["apps"],
        "contacts": lists["contacts"],
        "names": lists["names"],
        "banks": lists["banks"],
    }
    out["spans"] = {
        key: [{"start": f.start, "end": f.end, "text": src.original[f.start:f.end], "value": f.value}
              for f in sorted(found[key], key=lambda f: f.start)]
        for key in KEYS
    }
    return out
