"""Stage 2: recognise what people paste and split it into messages with speakers.

Handles WeChat copies ("名字: …", time lines), QQ exports ("2024-01-02 10:21:33 名字(12345)"),
DingTalk/PC headers ("名字 10:21"), SMS ("【某银行】…") and plain prose (no speakers).
Works on folded text, so full-width colons and brackets are already ASCII.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
_DATE = r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}[-/月]\d{1,2}日?)"
_DAY = r"(?:昨天|前天|今天|星期[一二三四五六日天]|周[一二三四五六日天]|上午|下午|晚上|凌晨|中午)"
TIME_LINE = re.compile(rf"^\s*(?:{_DATE}\s*)?(?:{_DAY}\s*)?(?:{_DAY}\s*)?{_TIME}\s*$")
# QQ export: "2024-01-02 10:21:33 名字(12345)" or "名字 2024-01-02 10:21:33"
QQ_HEADER = re.compile(
    rf"^\s*(?:{_DATE}\s+{_TIME}\s+(?P<a>[^\s].{{0,23}}?)(?:\(\d{{5,12}}\)|<[^>]{{1,40}}>)?"
    rf"|(?P<b>[^\s\d].{{0,23}}?)\s+(?:{_DATE}\s+)?(?:{_DAY}\s*)?{_TIME})\s*$"
)
PREFIX_SPEAKER = re.compile(r"^\s*(?P<name>[^\s:：\[\]【】()]{1,16}?)\s*[:：]\s*(?P<body>\S.*)$")
SMS_SENDER = re.compile(r"^\s*[\[【](?P<name>[^\[\]【】]{2,20})[\]】]|[\[【](?P<tail>[^\[\]【】]{2,20})[\]】]\s*$")
# "卡号：6222…" is a field, not a speaker.
FIELD_LABELS = frozenset(
    "卡号 账号 户名 姓名 金额 地址 电话 手机 手机号 备注 开户行 开户银行 收款人 收款账号 注意 提示 时间 日期 "
    "链接 网址 微信 微信号 qq 验证码 密码 订单号 单号 编号 标题 主题 事由 原因 附件 说明 温馨提示 "
    "http https 步骤 第一步 第二步 第三步 客服电话 电话号码 联系方式 联系电话".split()
)
# Chat placeholders stand for a picture, transfer or red packet; they are not SMS senders.
PLACEHOLDERS = frozenset(
    "图片 转账 红包 语音 链接 文件 视频 表情 动画表情 位置 名片 收款 撤回 语音通话 视频通话 聊天记录".split()
)
USER_NAMES = frozenset({"我", "本人", "自己", "me", "我方"})
# A chat app's own notice ("你已添加了…", "对方已收款"), as screenshot reading writes it (web/ocr/layout.js):
# nobody's words, so it neither takes nor changes a speaker.
SYSTEM_NOTICE = re.compile(r"^\s*\(系统提示\)")


class Message(NamedTuple):
    """One message: the speaker (None for prose) and its span in the folded text."""

    speaker: str | None
    start: int
    end: int

    @property
    def is_user(self) -> bool:
        return self.speaker in USER_NAMES


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _prefix_name(line: str) -> str | None:
    m = PREFIX_SPEAKER.match(line)
    if not m or m.group("name") in FIELD_LABELS or m.group("name").isdigit():
        return None
    return m.group("name")


def _sms_sender(line: str) -> str | None:
    m = SMS_SENDER.search(line)
    name = m and (m.group("name") or m.group("tail"))
    return name if name and name not in PLACEHOLDERS else None


def split_messages(text: str) -> list[Message]:
    """Split folded text into messages. Lines without a recognised speaker keep the current one."""
    spans = _lines(text)
    prefix_names = [_prefix_name(text[a:b]) for a, b in spans]
    # One "name: text" line in a long prose text is more likely a label than a speaker; two or more make a chat.
    named = [n for n in prefix_names if n]
    trusted = set(named) if len(named) >= 2 or len(spans) <= 3 else set()
    messages: list[Message] = []
    speaker: str | None = None
    for (a, b), pname in zip(spans, prefix_names, strict=True):
        line = text[a:b]
        if not line.strip() or TIME_LINE.match(line):
            continue
        if SYSTEM_NOTICE.match(line):
            messages.append(Message(None, a, b))
            continue
        header = QQ_HEADER.match(line)
        if header and not PREFIX_SPEAKER.match(line):
            speaker = (header.group("a") or header.group("b") or "").strip() or None
            continue
        if pname in trusted:
            speaker = pname
            messages.append(Message(pname, a + line.index(":") + 1 if ":" in line else a, b))
            continue
        sender = _sms_sender(line)
        if sender:
            speaker = sender
        messages.append(Message(speaker, a, b))
    return messages
