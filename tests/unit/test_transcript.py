"""What people paste: WeChat, QQ, DingTalk, SMS and prose, split into messages with speakers."""

from __future__ import annotations

import pytest

from fanzha.normalize import fold
from fanzha.transcript import split_messages

from .chats import LEADER_CHAT


def _speakers(text: str) -> list[str | None]:
    return [m.speaker for m in split_messages(fold(text).text)]


@pytest.mark.parametrize(
    ("text", "speakers", "why"),
    [
        ("张三：你好\n李四: 在吗\n张三：帮个忙", ["张三", "李四", "张三"], "WeChat copy, full- and half-width colons"),
        ("昨天 10:21\n张三：你好\n2024-01-02 10:22\n我：嗯", ["张三", "我"], "time lines are not messages"),
        ("2024-01-02 10:21:33 王局(12345678)\n借我两万\n明天还\n2024-01-02 10:22:01 我(87654321)\n好",
         ["王局", "王局", "我"], "QQ export headers, multi-line messages"),
        ("2024-01-02 10:21:33 老同学(12345678)\n借我两万\n2024-01-02 10:22:01 我(87654321)\n好", ["老同学", "我"],
         "QQ export headers, one line each"),
        (LEADER_CHAT, ["刘局长", "我", "刘局长", "刘局长", "我"], "a WeChat copy with a time line"),
        ("王主任 10:21\n明天开会\n我 10:22\n收到", ["王主任", "我"], "DingTalk/PC header lines"),
        ("【某某银行】您尾号1234的卡支出500元。", ["某某银行"], "SMS sender in brackets"),
        ("他说他是我领导，让我先转两万给他朋友。", [None], "prose has no speaker"),
        ("卡号：6222021234567890\n户名：张三", [None, None], "field labels are not speakers"),
        ("张三：[转账]\n[图片]\n我：收到", ["张三", "张三", "我"], "placeholders are not SMS senders"),
        ("王局长：你好\n（系统提示）对方已收款\n晚上好\n我：好", ["王局长", None, "王局长", "我"],
         "a chat app's notice, as screenshot reading writes it, is nobody's and keeps the speaker"),
    ],
)
def test_speakers(text: str, speakers: list[str | None], why: str) -> None:
    assert _speakers(text) == speakers, why


def test_message_spans_cover_the_body() -> None:
    text = fold("张三：请把验证码发给我\n我：不行").text
    first = split_messages(text)[0]
    assert text[first.start:first.end] == "请把验证码发给我"
