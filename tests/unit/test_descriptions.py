"""The product's second input path: a staff member DESCRIBES a transfer request in their own words
(first or third person, no speaker labels), or the page's guided mode composes such a description
(web/ui/guided.js). Each scam description must warn at least at the expected level with the expected
top category; each benign description must not warn. Written in our own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import fanzha

GUIDED_JS = Path(__file__).resolve().parents[2] / "web" / "ui" / "guided.js"


def _guided_clauses() -> dict[tuple[str, str], str]:
    """(question id, choice value) -> the clause guided mode adds, read from guided.js itself."""
    clauses: dict[tuple[str, str], str] = {}
    question = ""
    for line in GUIDED_JS.read_text(encoding="utf-8").splitlines():
        found = re.search(r'\bid: "(\w+)"', line)
        if found:
            question = found.group(1)
        choice = re.search(r'value: "(\w+)"', line)
        if choice:
            clauses[(question, choice.group(1))] = ""
            last = (question, choice.group(1))
        says = re.search(r'says: "([^"]*)"', line)
        if says:
            clauses[last] = says.group(1)
    return clauses


def compose(**answers: str | list[str]) -> str:
    """Python twin of guided.js compose(): the clauses in question order, 对方 -> 他 after the first."""
    order = ["who", "channel", "new_account", "purpose", "signs"]
    clauses = _guided_clauses()
    picked: list[str] = []
    for question in order:
        values = answers.get(question, [])
        values = [values] if isinstance(values, str) else values
        for (q, value), says in clauses.items():
            if q == question and value in values and says:
                picked.append(says)
    out = []
    for i, clause in enumerate(picked):
        if i > 0:
            clause = re.sub(r"^对方", "他", clause)
        out.append(clause if clause.endswith("。”") else clause + "。")
    return "".join(out)


# (description, minimum verdict, top category)
SCAMS: list[tuple[str, str, str | None]] = [
    # impersonate_leader
    ("有人加我微信说是我们局长，让我马上给他朋友转五万块钱，说是急用。", "high", "impersonate_leader"),
    ("单位群里有个人冒充主任，让财务赶紧把一笔合同款转到他发的账户上。", "medium", "impersonate_leader"),
    ("领导在微信上说要我先帮他转一笔钱给合作方，催得很急。", "medium", "impersonate_leader"),
    ("我们科长发消息让我转账两万，说他在开会不方便接电话。", "medium", "impersonate_leader"),
    ("一个自称是我们书记的人叫我先垫付三万块给他的亲戚，回头再还我。", "medium", "impersonate_leader"),
    ("对方说他是我们处长，让我帮他交一笔保证金，他现在不方便出面。", "medium", "impersonate_leader"),
    ("领导打电话来说要转账，让我马上办，别跟别人说。", "medium", "impersonate_leader"),
    ("我表哥在QQ上说他在外地出了点事，让我帮他转一万块钱给他朋友。", "medium", "impersonate_leader"),
    ("对方让我先帮他转两万给他的合作伙伴，说他的卡限额了。", "medium", "impersonate_leader"),
    ("他说他是我老同学，手头周转不开，让我先转五千块到他给的卡号上。", "medium", "impersonate_leader"),
    ("有个陌生人说先把钱打给我，让我再转给他的朋友，他发来一张转账截图，可我没收到钱。", "high", "impersonate_leader"),
    ("主任让我把钱转给他说的那个账户，说是要交一笔手续费，很着急。", "medium", "impersonate_leader"),
    # impersonate_police
    ("刚才一个自称公安局的打电话说我涉嫌洗钱，要我把存款转到安全账户配合调查。", "high", "impersonate_police"),
    ("有人打电话说是检察院的，说我的银行卡涉案，让我开视频做笔录，还不能告诉任何人。", "medium", "impersonate_police"),
    ("一个自称民警的人说我的身份信息被冒用了，让我把卡里的钱转出来做资金核查。", "medium", "impersonate_police"),
    ("对方说他是公安局的，说有一张我的通缉令，让我下载一个软件配合调查。", "medium", "impersonate_police"),
    # fake customer service
    ("我妈说有个客服让她开屏幕共享退款。", "medium", "fake_customer_service"),
    ("一个自称快递客服的人说我的包裹丢了要给我理赔，让我下载一个会议软件开屏幕共享。", "high", "fake_customer_service"),
    ("有人打电话说我开通了百万保障，不取消每个月要扣费，让我按他说的操作。", "medium", "fake_customer_service"),
    ("自称是淘宝客服的人叫我把验证码告诉他，说要给我退款。", "medium", "fake_customer_service"),
    # a fake customer service that makes you borrow on 借呗 to "cancel": reported as credit_repair,
    # whose 借呗/注销 rule scores higher (both are named in the police guidance; the advice is the same)
    ("对方说是京东客服，说我的会员要扣钱，让我在借呗里借钱转到他给的账户注销。", "medium", None),
    # code / screen share alone
    ("有人打电话来问我要手机验证码。", "medium", "other"),
    ("对方让我开屏幕共享，说帮我操作一下。", "medium", "other"),
    # romance
    ("网上认识的男朋友让我在一个平台充值，说他知道平台的漏洞，稳赚不赔。", "medium", "romance"),
    ("网恋对象一直叫我宝贝，说他在一个投资平台赚了很多，让我也充钱进去。", "medium", "romance"),
    ("在婚恋网站认识的女朋友说她家里出事了，让我给她转两万块钱救急。", "medium", "romance"),
    # investment
    ("有个人说他知道漏洞，稳赚不赔，让我跟着他在平台上充值。", "medium", "investment"),
    ("有人把我拉进一个炒股群，群里的老师说有内幕消息，让我下载APP入金。", "medium", "investment"),
    # loan / fees
    ("我在一个贷款App上申请了贷款，对方说我的银行卡号填错了，要先交解冻金才能放款。", "high", "loan"),
    ("对方说给我办无抵押贷款，但要先交两千块保证金证明还款能力。", "medium", "loan"),
    # brushing
    ("有人拉我做刷单兼职，让我先垫付本金，说做完任务返佣金。", "medium", "brushing"),
    ("一个网友说点赞就能赚钱，后来让我先充值做任务才能提现。", "medium", "brushing"),
    # credit
    ("有人说我的征信有问题，要交钱才能修复。", "medium", "credit_repair"),
    # generic stranger forwarding
    ("一个不认识的人让我帮他转钱给他朋友，说他的卡转不了。", "medium", "impersonate_leader"),
    # narrative phrasing, more voices
    ("对方让我先帮他转三万给他的客户，说明天一早就还我。", "medium", "impersonate_leader"),
    ("他说他在外地开会，让我先把钱打给他朋友，回来再给我。", "medium", "impersonate_leader"),
    ("自称是教育局王局长的人叫我给一个账户转两万块，说很急。", "medium", "impersonate_leader"),
    ("我爸说有个自称他老战友的人加他微信，让他帮忙垫付一笔住院费。", "medium", "impersonate_leader"),
    ("一个说是我们董事长的人要求财务马上给供应商打款，还说不要声张。", "medium", "impersonate_leader"),
    ("我姐说她领导在QQ上让她先交五千块保证金，说是单位要签合同。", "medium", "impersonate_leader"),
    ("对方说是银行的，说我的卡有风险，让我把验证码发给他。", "medium", "other"),
    ("他说他是公安，说我的账户涉嫌诈骗，要求我把钱转到指定账户，还不让我挂电话。", "high", "impersonate_police"),
    ("一个自称航空公司的人说我的航班取消了，要给我退改签补偿，让我提供银行卡号和验证码。", "medium", "flight_refund"),
    ("网上认识的姐姐说她有内部数据，叫我跟着她下注，保证回本。", "medium", "romance"),
    ("有人在抖音上说带我做任务赚佣金，要我先垫付几百块。", "medium", "brushing"),
    ("我同事说有人冒充我们主任加他微信，让他转一万块钱给一个账户。", "medium", "impersonate_leader"),
    ("有人用我们校长的头像加我，说让我先给一个老师转八千块的培训费。", "high", "impersonate_leader"),
    ("对方自称是社保局的，说我的社保卡被冻结了，要交钱解冻。", "medium", "impersonate_police"),
    ("我舅舅发微信说他手机坏了换了新号，让我帮他给他朋友转一万。", "high", "impersonate_leader"),
    ("他说他是我们镇长，在外面开会，让我马上转两万给一个老板。", "medium", "impersonate_leader"),
    ("网上认识的女朋友一直喊我老公，让我在她推荐的app上投钱，说稳赚。", "high", "romance"),
    ("对方打电话说是我们单位的纪委书记，让我把钱转过去核查，别告诉别人。", "medium", "impersonate_leader"),
    ("有人说能帮我刷信用分，让我先交手续费。", "medium", "credit_repair"),
    ("对方说我中奖了，要先交税费才能领奖。", "medium", "other"),
    ("一个客服说我在网上买的衣服有问题，要赔我三倍，让我加他微信。", "medium", "fake_customer_service"),
    ("刚才有人打电话问我要银行卡密码，说是银行的。", "medium", "other"),
    ("对方叫我下载一个叫什么会议的软件，然后开共享屏幕。", "medium", "other"),
    ("对方说先把钱转给我，让我再帮他转给他亲戚，可是钱一直没到账。", "high", "impersonate_leader"),
    # guided mode outputs
    (
        compose(who="leader", channel="new_friend", new_account="yes", purpose="forward", signs=["hurry"]),
        "high",
        "impersonate_leader",
    ),
    (compose(who="leader", channel="known", purpose="other", signs=["hurry"]), "medium", "impersonate_leader"),
    (compose(who="leader", channel="new_friend", purpose="fee"), "medium", "impersonate_leader"),
    (compose(who="acquaintance", channel="new_friend", purpose="fee"), "medium", "impersonate_leader"),
    (
        compose(who="acquaintance", channel="new_friend", purpose="borrow", signs=["hurry"]),
        "medium",
        "impersonate_leader",
    ),
    (compose(who="stranger", channel="call", purpose="forward"), "medium", "impersonate_leader"),
    (compose(who="stranger", channel="known", purpose="other", signs=["code"]), "medium", "other"),
    (compose(who="stranger", channel="call", purpose="other", signs=["screen"]), "medium", "other"),
    (compose(who="police", channel="call", purpose="safe_account", signs=["secret"]), "high", "impersonate_police"),
    (compose(who="service", channel="call", purpose="refund", signs=["screen"]), "medium", "fake_customer_service"),
    (compose(who="service", channel="sms", purpose="refund", signs=["code"]), "medium", "fake_customer_service"),
    (compose(who="invest_platform", channel="new_friend", purpose="invest"), "medium", "investment"),
    (compose(who="task_platform", channel="group", purpose="task", signs=["pay_first"]), "medium", "brushing"),
    # "贷款、投资理财或兼职平台" with a fee and "贷款、返利或者退款": any of those schemes is a fair report
    (compose(who="loan_platform", channel="call", purpose="fee", signs=["pay_first"]), "medium", "loan"),
    (compose(who="online_friend", channel="new_friend", purpose="invest"), "medium", "romance"),
    (compose(who="online_friend", channel="new_friend", purpose="borrow"), "medium", "romance"),
    (compose(who="leader", channel="known", purpose="forward", signs=["screenshot"]), "high", "impersonate_leader"),
]

BENIGN: list[str] = [
    "领导让我把报销单交给财务。",
    "我给我妈转了生活费。",
    "同事AA聚餐钱转给我了。",
    "单位发通知提醒大家谨防冒充领导诈骗。",
    "客服让我在App里申请退货退款。",
    "我在银行柜台办理了转账。",
    "主任让我把上个月的差旅费报销材料整理好交到财务科。",
    "局长让我通知各科室下午三点开会。",
    "领导让我把会议室预定一下，明天要接待检查组。",
    "我老公让我把这个月的房贷还了。",
    "我让儿子把学费转给学校，收据已经拿到了。",
    "同事让我帮忙在食堂代订一份午饭，中午把钱给我。",
    "财务科按流程把工程款付到了合同里的对公账户。",
    "快递员打电话说包裹放在门卫室了。",
    "银行发短信说我的验证码是362718，五分钟内有效，请勿泄露。",
    "社区民警来单位做反诈宣传，提醒大家不要开屏幕共享。",
    "我在淘宝买的鞋子有质量问题，已经在订单页面申请了退款。",
    "我给孩子班级交了一百元班费，班主任在群里发了收款码。",
    "朋友结婚，我用微信转了八百块礼金。",
    "科长说下周要去市里开会，让我准备一下汇报材料。",
    "我们单位的会计说这个月工资推迟两天发。",
    "妈妈说她在超市买东西，手机没电了，回家后把钱还给她。",
    "主任提醒我们：凡是自称领导加微信要求转账的，都是诈骗，要当面核实。",
    "我在单位组织的会议上用腾讯会议做了汇报。",
    "主任催我尽快把这笔采购款走对公账户转给供应商，审批单已经签了。",
    "会议主持人让我开屏幕共享，讲一下我们科室的工作总结。",
    "我在路上遇到一个陌生人问路，给他指了方向。",
    "我表哥结婚，我给他转了一千块份子钱。",
    "领导让我帮他转发一下明天的会议通知。",
    "我妈让我帮她转五百块给我舅舅，钱她已经给我了。",
    "网上认识的书友推荐了一本书，我在书店买了。",
    "客服打电话回访，问我对维修服务满不满意。",
    "财务说下个月开始工资卡要换成新开户的银行。",
    "局长在大会上强调，冒充领导要求转账的，务必当面核实。",
    "我在手机银行App里自己把定期转成了活期。",
    "银行的工作人员提醒我，验证码不要告诉任何人。",
    "局长让我下午把文件送到区政府。",
    "我朋友借了我两千块，说下个月发工资还我。",
    "网友在论坛上推荐了一款理财产品，我没买。",
    "财务科长让大家核对一下工资卡号，发工资用。",
    "单位要求每人交一百块工会会费，交给工会小组长。",
    "我让同事帮我转交一份材料给处长。",
    "我在柜台办理了定期存款，工作人员让我输入密码。",
    "老同学聚会，大家AA，我把钱转给了组织的人。",
]


@pytest.mark.parametrize(("text", "level", "category"), SCAMS, ids=[f"scam{i:02d}" for i in range(len(SCAMS))])
def test_scam_description_warns(text: str, level: str, category: str | None) -> None:
    report = fanzha.check(text)
    allowed = ("high",) if level == "high" else ("high", "medium")
    assert report.verdict in allowed, (text, report.verdict, report.score, [f.rule for f in report.findings])
    if category is not None:
        assert report.categories and report.categories[0] == category, (text, report.categories)


@pytest.mark.parametrize("text", BENIGN, ids=[f"benign{i:02d}" for i in range(len(BENIGN))])
def test_benign_description_stays_quiet(text: str) -> None:
    report = fanzha.check(text)
    assert not report.warned, (text, report.verdict, [f.rule for f in report.findings])


def test_compose_matches_guided_js() -> None:
    text = compose(who="leader", channel="known", purpose="other", signs=["hurry"])
    assert text == "对方自称“我是你们单位的领导”。他让我给他转账。他一直催我马上转账，说很急。"
