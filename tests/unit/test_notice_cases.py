"""The notice's three staff cases (seed/notice.txt), retold as realistic chats: each must warn, and
the report's top category must be the notice's fraud type. Written in our own words."""

from __future__ import annotations

import pytest

import fanzha

# (1) 大荆镇: an "acquaintance" on WeChat who ends up taking 20万.
ACQUAINTANCE_200K = """老陈：在吗？我是老陈，这是我的新微信，旧号不用了。
我：陈哥好，最近怎么样？
老陈：挺好。问你个事，我亲戚公司急需一笔钱周转，20万，我这边不方便直接转过去。
老陈：我先转给你，你再帮我转给他，跨行可能有延迟，你先垫一下，越快越好。
老陈：[转账截图] 已经转给你了，2小时到账。
我：我这边还没到账啊。
老陈：跨行慢，你先把20万转到这个账户，户名王某，卡号6228开头。"""

# (2) 住建局: an "农业" loan app that wants money before the loan (2500元).
AGRI_LOAN_APP = """客服：您好，这里是农业惠民贷款平台，扫码下载我们的APP，无抵押、低利息，当天放款。
我：我申请了5万，怎么还没放款？
客服：系统显示您的银行卡号填写错误，资金已冻结，需要先交2500元解冻金，解冻后连同贷款一起到账。
客服：请在半小时内转账到平台指定账户，否则额度作废。"""

# (3) 城南街道: a fake street-office leader (the staff member saw through it; no loss).
FAKE_STREET_LEADER = """张主任：小李，我是街道张主任，这是我的私人微信，加一下。最近工作辛苦了。
我：张主任好，不辛苦。
张主任：我在区里开会，不方便接电话。有个合作单位要先交一笔保证金，签合同用，你马上转5万到这个账户，回头我让财务走报销。
张主任：这事先别跟别人说。"""


# (4) The notice's 网购消费 warning, as a canteen owner would see it: a "teacher" orders meals, points
# to a supplier, then says the money is paid and asks the shop to advance the supplier's bill.
FAKE_CUSTOMER_CANTEEN = """客户：老板您好，我是二中的王老师，下周家长会要订四十份盒饭。
我：好的，可以。
客户：另外学校还需要一批慰问品，我推荐一个厂家，你加他微信，从他那里订。
客户：订餐的钱我已经转你了，截图你看下，银行说晚点到账。
客户：厂家那边很急，你先帮我垫付8000元货款给他，回头一起结。"""

# (5) A second-hand seller who moves the buyer off the platform.
SECONDHAND_OFF_PLATFORM = """卖家：你好，看到你对这台相机感兴趣，平台抽成太高，我们加微信私下交易吧。
我：可以先在平台拍下吗？
卖家：不用，你直接转账2600元给我，收到钱就发顺丰，九成新保证没问题。"""


@pytest.mark.parametrize(
    ("text", "category"),
    [
        pytest.param(ACQUAINTANCE_200K, "impersonate_leader", id="acquaintance_200k"),
        pytest.param(AGRI_LOAN_APP, "loan", id="agri_loan_app_2500"),
        pytest.param(FAKE_STREET_LEADER, "impersonate_leader", id="fake_street_leader"),
        pytest.param(FAKE_CUSTOMER_CANTEEN, "fake_shopping", id="fake_customer_canteen"),
        pytest.param(SECONDHAND_OFF_PLATFORM, "fake_shopping", id="secondhand_off_platform"),
    ],
)
def test_notice_case_warns_with_right_category(text: str, category: str) -> None:
    report = fanzha.check(text)
    assert report.verdict in ("high", "medium"), report.to_dict()
    assert report.categories and report.categories[0] == category, report.categories


def test_unit_publicity_about_safe_accounts_does_not_warn() -> None:
    notice = (
        "各科室：根据市反诈中心通知，近期冒充公检法诈骗多发。警方提醒：公检法机关不会通过电话办案，"
        "更不存在所谓的安全账户，凡是要求把钱转到安全账户的都是诈骗。冒充领导加微信要求转账的，"
        "务必当面核实。请各位同事提高警惕，守好钱袋子。"
    )
    assert not fanzha.check(notice).warned
