"""Stage 1: fold what scammers and OCR do to text, keeping a map back to the original.

Every folded character remembers the slice of the original text it came from, so a span
found in the folded text maps back exactly: ``original[start:end]`` is the evidence.
Offsets are Python code points; the page converts them to UTF-16 for JavaScript.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from .patterns import scan, scanner, spans

# Named character classes (as ftfy does), so each fold says what it acts on.
ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad\u180e\u034f"
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Marks people put between Chinese characters to dodge keyword filters ("转 账", "安-全-账-户").
# Sentence punctuation (。，！？) is not here: it separates clauses and matters for negation.
FILLER_MARKS = " \t\u3000\u00a0-_·•.*/\\|~^'\"`+=#@丶、`﹏▪◆●★☆♡♥"
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# Homophones and abbreviations that stand for fraud words. Longest first; ASCII keys only
# match as whole ASCII words (``wx`` but not ``wxyz``). Keys are already NFKC-folded and lower case.
SUBSTITUTES: dict[str, str] = {
    # chat apps and ids
    "v信": "微信", "薇信": "微信", "威信": "微信", "徽信": "微信", "徽僖": "微信", "微芯": "微信",
    "vx": "微信", "wx": "微信", "weixin": "微信", "wechat": "微信", "扣扣": "qq", "企鹅号": "qq",
    # money words
    "zfb": "支付宝", "支fu宝": "支付宝", "yhk": "银行卡", "yh卡": "银行卡", "yzm": "验证码",
    "验正码": "验证码", "帐": "账", "带款": "贷款", "袋款": "贷款", "货款额度": "贷款额度",
    "刷dan": "刷单", "jian职": "兼职", "兼值": "兼职", "返俐": "返利", "返里": "返利",
    "佣筋": "佣金", "冲值": "充值", "提xian": "提现", "转zhang": "转账", "zhuan账": "转账",
    "公jian法": "公检法", "jing察": "警察", "洗qian": "洗钱",
}
_ASCII_LETTER = re.compile(r"[a-z]")


class Folded(NamedTuple):
    """The folded text and, per folded character, the original slice it came from."""

    text: str
    starts: list[int]
    ends: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span [start, end) to the original text."""
        if end <= start:
            return (self.starts[start], self.starts[start]) if start < len(self.starts) else (0, 0)
        return self.starts[start], self.ends[end - 1]


_DROP = frozenset(ZERO_WIDTH + BIDI_CONTROLS)
_fold_cache: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    """One character folded: NFKC (full-width to half-width) and lower case; invisible controls dropped."""
    out = _fold_cache.get(ch)
    if out is None:
        out = "" if ch in _DROP else unicodedata.normalize("NFKC", ch).lower()
        if len(_fold_cache) < 20_000:  # bounded: a paste of random Unicode must not grow it forever
            _fold_cache[ch] = out
    return out


def _char_folds(text: str) -> tuple[list[str], list[int], list[int]]:
    """Per-character folds, with each output character's source slice."""
    text = text.replace("\r\n", "\n\u200b").replace("\r", "\n")  # keep offsets: \r\n -> \n + a dropped mark
    folds = {ch: _fold_char(ch) for ch in set(text)}  # a chat repeats its characters: fold each once
    if all(len(f) == 1 for f in folds.values()):  # the common case: one character in, one out
        changed = {ord(ch): f for ch, f in folds.items() if f != ch}
        return list(text.translate(changed)), list(range(len(text))), list(range(1, len(text) + 1))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, out in enumerate(folds[ch] for ch in text):
        for o in out:
            chars.append(o)
            starts.append(i)
            ends.append(i + 1)
    return chars, starts, ends


# A run of at most three filler marks with a CJK character on each side. The lookarounds make the run
# maximal: a CJK character is no filler, so the run can neither start nor end inside a longer one.
_FILLER_RUN = scanner(f"(?<=[{CJK}])[{re.escape(FILLER_MARKS)}]{{1,3}}(?=[{CJK}])", re.escape(FILLER_MARKS))


def _drop_fillers(chars: list[str], starts: list[int], ends: list[int]) -> None:
    """Remove filler marks that stand between two CJK characters ("转 账" -> "转账")."""
    runs = spans(_FILLER_RUN, "".join(chars))
    if not runs:
        return
    keep = [True] * len(chars)
    for a, b in runs:
        keep[a:b] = [False] * (b - a)
    chars[:] = [c for c, k in zip(chars, keep, strict=True) if k]
    starts[:] = [s for s, k in zip(starts, keep, strict=True) if k]
    ends[:] = [e for e, k in zip(ends, keep, strict=True) if k]


def _substitute_pattern() -> re.Pattern[str]:
    parts = []
    for key in sorted(SUBSTITUTES, key=len, reverse=True):
        # ASCII ends only match at ASCII word edges: "wx" and "加v" but not "wxyz" or "加vip".
        before = r"(?<![a-z])" if _ASCII_LETTER.match(key[0]) else ""
        after = r"(?![a-z])" if _ASCII_LETTER.match(key[-1]) else ""
        parts.append(before + re.escape(key) + after)
    # Behind the keys' first characters (patterns.scanning): a position that starts no key is skipped in the
    # regex engine's own loop, not tried against forty keys.
    firsts = "".join(sorted({key[0] for key in SUBSTITUTES}))
    return scanner("|".join(parts), re.escape(firsts))


_SUBSTITUTE_RE = _substitute_pattern()


def _apply_substitutes(chars: list[str], starts: list[int], ends: list[int]) -> Folded:
    """Replace homophones and abbreviations; each new character maps to the whole source slice."""
    text = "".join(chars)
    out: list[str] = []
    o_starts: list[int] = []
    o_ends: list[int] = []
    pos = 0
    for _, a, b in scan(_SUBSTITUTE_RE, text):
        out.append(text[pos:a])
        o_starts.extend(starts[pos:a])
        o_ends.extend(ends[pos:a])
        repl = SUBSTITUTES[text[a:b]]
        src_start, src_end = starts[a], ends[b - 1]
        out.append(repl)
        o_starts.extend([src_start] * len(repl))
        o_ends.extend([src_end] * len(repl))
        pos = b
    out.append(text[pos:])
    o_starts.extend(starts[pos:])
    o_ends.extend(ends[pos:])
    return Folded("".join(out), o_starts, o_ends)


def fold(text: str) -> Folded:
    """Fold ``text`` for matching. The result's spans map back to ``text`` exactly."""
    chars, starts, ends = _char_folds(text)
    _drop_fillers(chars, starts, ends)
    return _apply_substitutes(chars, starts, ends)
