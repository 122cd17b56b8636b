// Learn: the common fraud types, in our own words, grounded in the city anti-fraud notice (its six types
// and four reminders) and the national "ten high-incidence types". Every example chat must make the
// checker warn (tests/browser/test_guided_learn.py checks each one in the page). Each type's name is the
// rules data's (rules/_language.toml [category_labels]), which the build writes into content/labels.js.
import { CATEGORY_NAMES } from "./labels.js";

/**
 * @typedef {{id: string, name: string, notice: boolean, looks: string, example: string, short: string,
 *            tell: string, todo: string, advice: string[]}} FraudType
 *   looks: how it goes, for the learn page; short: the same in one sentence, for a message to forward;
 *   tell: the tell-tale sign in a few words (one line on the poster); todo: what to do, in one sentence.
 */

/** The notice's six types first, then the rest of the national ten; each named below. */
const TYPES = [
  {
    id: "impersonate_leader",
    notice: true,
    looks:
      "用领导或熟人的名字、头像注册新微信、QQ、钉钉号来加你，先问工作、问生活，再说自己在开会不方便，让你先帮忙把钱转给“合作方”“亲戚”，还会发一张假的转账截图。",
    example:
      "（新加的好友）王局：小周，我是王局长，这是我的新微信号，旧号不用了。\n王局：我在开会不方便接电话，有个朋友急需一笔钱，你先帮我转3万给他，账号6217000012345678901。\n王局：我已经把钱转给你了，截图你看一下，银行有延迟，晚点到账。\n王局：抓紧办，别跟其他人说。",
    short: "用领导、熟人的名字和头像换个新号加你，说在开会不便接电话，让你先替他把钱转给“合作方”。",
    tell: "新号加你，让你先垫钱转账",
    todo: "先打他本人原来的电话或当面问清楚；截图上的钱没到你账上，一分也别往外转。",
    advice: [
      "网上有人以领导、熟人的名义要钱，先打他本人原来的电话或当面核实，新加的账号一律不算。",
      "转账截图可以伪造，钱没到你自己的账户之前，不要替任何人往外转。",
      "发现可疑，第一时间记下对方的账号，拨打 110 报警。",
    ],
  },
  {
    id: "loan",
    notice: true,
    looks:
      "打着“低息、秒批、不看征信、无抵押”的旗号，让你扫码或点链接下载贷款软件，放款前先要你交保证金、手续费、解冻费，或者转账“刷流水”，交了一次还有下一次。",
    example:
      "客服：您好，我们是正规贷款平台，无抵押、不看征信，最快十分钟放款。\n客服：请点这个链接下载APP填资料。\n客服：您的银行卡号填错了，贷款被冻结，需要先交5000元解冻费，解冻后连同贷款一起退还给您。",
    short: "打着“低息秒批、不看征信”的旗号让你下载贷款软件，放款前先要交保证金、解冻费或转账刷流水。",
    tell: "放款前先要你交钱",
    todo: "贷款只找银行或正规持牌机构；放款前要交任何费用的，一律不交。",
    advice: [
      "放款前要你先交保证金、解冻费，或者转账刷流水的，都是诈骗。",
      "不下载陌生人发来的贷款软件，贷款请到银行或正规持牌机构。",
    ],
  },
  {
    id: "brushing",
    notice: true,
    looks:
      "以“在家就能做、轻松日赚几百”招人点赞、刷单，第一单返一点小钱让你尝甜头，后面说任务要连做几单、系统卡单，要你不断垫钱，最后不退本金。",
    example:
      "群主：招兼职，手机做任务，一单返佣金10%，日结。\n派单员：第一单你先垫付100元，完成后马上返本金和佣金。\n派单员：这是联单任务，要连做三单才能提现，第三单需要充值3000元，不做完本金也提不出来。",
    short: "招人在家做任务、刷单返佣金，第一单返点小钱，后面说要连做几单、系统卡单，让你不断垫钱。",
    tell: "做任务要先垫钱，说好返佣金",
    todo: "刷单本身违法；凡是要先垫钱的兼职，一律不做。",
    advice: [
      "刷单本身就违法。凡是要先垫钱才能做的兼职，一律是诈骗。",
      "不把支付账号、银行卡号、身份证号和验证码告诉别人。",
    ],
  },
  {
    id: "impersonate_police",
    notice: true,
    looks:
      "自称公安、检察院、法院或社保、医保工作人员打电话来，说你涉嫌洗钱或信息泄露，发来“通缉令”“传票”，要你保密、到没人的地方接受调查，把钱转进“安全账户”核查。",
    example:
      "对方：我是市公安局的民警，你的银行卡涉嫌一起洗钱案件，已经被冻结。\n对方：这个案子需要保密，不要告诉家人，到没人的房间配合调查。\n对方：为了证明你的清白，把卡里的钱转到我们的安全账户核查，查清后会退给你。",
    short: "自称公安、检察院、法院或社保、医保人员来电，说你涉案，要你保密，把钱转进“安全账户”。",
    tell: "电话里办案，要你转进“安全账户”",
    todo: "公检法不在电话里办案，也没有安全账户；挂断后自己拨 110 核实。",
    advice: [
      "公检法不会通过电话、网络办案，不会网上做笔录，更没有“安全账户”。",
      "来电号码可以伪装成公安的座机。拿不准就挂断，自己拨 110 或 96110 问。记住：不听、不信、不转账。",
    ],
  },
  {
    id: "fake_customer_service",
    notice: true,
    looks:
      "知道你的订单信息，冒充网店或快递客服说商品有质量问题、快递丢了要退款理赔，或说你开通了什么服务要关闭，让你点链接、共享屏幕、报银行卡号和验证码。",
    example:
      "对方：您好，我是某宝客服，您买的儿童玩具检测出质量问题，我们给您退款三倍赔偿。\n对方：请下载这个会议软件，开启屏幕共享，我指导您操作退款。\n对方：现在把收到的验证码告诉我，就能领到理赔款。",
    short: "“客服”说得出你的订单，称商品有问题要退款理赔，让你点链接、共享屏幕、报验证码。",
    tell: "“客服”主动退款，要你报验证码",
    todo: "自己打开购物软件或拨官方客服电话查；验证码、密码谁要都不给。",
    advice: [
      "订单有问题，自己登录购物软件或打官方客服电话查，不跟陌生“客服”私下退款。",
      "不点陌生链接和二维码，不共享屏幕，银行卡密码和验证码谁问都不给。",
    ],
  },
  {
    id: "investment",
    notice: true,
    looks:
      "拉你进“炒股群”“理财群”，有“老师”讲课、晒收益，说有内幕消息、稳赚不赔，让你在指定的平台或软件充值。小额能提现，投大了就亏损、冻结、提不出来。",
    example:
      "助理：欢迎进群！张老师有内幕消息，跟着老师操作稳赚不赔，月收益30%。\n助理：下载我们的投资APP，先充值1万元试试，有专人带单。\n助理：您的账户收益太高被风控冻结了，要先交20%的保证金才能提现。",
    short: "拉你进投资群，“老师”晒收益、讲内幕消息，让你到指定平台充值，小钱能提，投多了就提不出来。",
    tell: "“老师”带你投资，说稳赚不赔",
    todo: "不进陌生人的投资群，只在银行、证券公司的官方渠道投资。",
    advice: [
      "高收益、零风险的投资都是骗局；不信陌生人荐股、内幕消息，不进陌生人的投资群。",
      "只在正规证券公司、银行的官方渠道投资，不点陌生人发来的网址和软件。",
    ],
  },
  {
    id: "credit_repair",
    notice: false,
    looks:
      "自称贷款平台或银监部门工作人员，说你以前开过校园贷，不注销会影响征信，要你把钱转到“清查账户”，或者在几个平台借钱再转给他“清空额度”。",
    example:
      "对方：您好，我是某金融平台客服，查到您上学时开通过校园贷账户，按国家规定必须注销。\n对方：不注销会影响您的征信，以后买房贷款都办不了。\n对方：需要您先把额度里的钱借出来，转到我们的指定账户，清空额度后再退给您。",
    short: "自称平台或监管人员，说你开过校园贷、不注销会影响征信，要你借钱转到指定账户“清空额度”。",
    tell: "要你借钱转账“注销校园贷”",
    todo: "征信谁也改不了；要你借钱、转钱修征信的，挂断不理。",
    advice: [
      "征信只能由中国人民银行征信中心记录，任何人都没法“修复”或“注销”。",
      "要你借钱、转钱来清额度、修征信的，都是诈骗。",
    ],
  },
  {
    id: "fake_shopping",
    notice: false,
    looks:
      "朋友圈、二手平台上价格低得离谱的商品、代购、演唱会门票，说加微信私下交易能省手续费；付了款又说要补关税、保证金，最后拉黑。",
    example:
      "卖家：这款新手机内部渠道价，只要1999元，比官网便宜一半。\n卖家：平台扣手续费，加我微信私下交易，直接转账给我就行。\n卖家：货到海关被扣了，要你补交800元关税才能发货。",
    short: "价格低得离谱的商品、门票，要你加微信私下转账，付款后又要补关税、保证金。",
    tell: "低价好货，要你私下转账",
    todo: "买东西走平台的担保交易，不私下转账，不补交任何费用。",
    advice: [
      "天上不会掉馅饼，远低于市场价的东西多半有诈。",
      "买东西走平台担保交易，不私下转账，不要另交关税、保证金。",
    ],
  },
  {
    id: "game_trade",
    notice: false,
    looks:
      "低价卖游戏账号、装备、皮肤，或高价收你的账号，把你引到陌生的交易网站，再说“银行卡填错了”“账户被冻结”，要交保证金、解冻费才能拿到钱。",
    example:
      "买家：你的游戏账号我出5000元收，去这个交易平台下单。\n客服：您的收款银行卡号填错了，资金被冻结，需要先交2000元解冻费才能提现。",
    short: "高价收、低价卖游戏账号装备，把你引到陌生网站交易，再说资金冻结，要交解冻费。",
    tell: "交易完说资金冻结，要交解冻费",
    todo: "只在游戏官方平台交易；要交解冻费、保证金的，一律不交。",
    advice: [
      "游戏账号、装备只在官方平台买卖，不去陌生网站交易。",
      "要你交解冻费、保证金才能提现的，都是诈骗。",
    ],
  },
  {
    id: "romance",
    notice: false,
    looks:
      "网上认识的“高富帅”“白富美”天天嘘寒问暖，却总找理由不见面、不视频；感情升温后带你去他的平台投资、赌博，或说家里出事急用钱。",
    example:
      "网友：宝宝，我们网恋半年了，等见面就结婚。\n网友：我舅舅在博彩平台做技术，这个平台有漏洞，稳赚，你先充值5000元试试，我带你赚。\n网友：这事先别告诉你家里人。",
    short: "网上认识、没见过面的“恋人”天天嘘寒问暖，熟了就带你上平台投资、赌博，或者开口借钱。",
    tell: "没见过面的网友带你投资、借钱",
    todo: "先见面、视频核实身份，不给没见过面的网友转账。",
    advice: [
      "没见过面的网友带你投资、赌博，或者开口借钱，都是诈骗。",
      "交友先见面、先视频核实身份，不向网友转账。",
    ],
  },
  {
    id: "flight_refund",
    notice: false,
    looks:
      "冒充航空公司发短信、打电话，说航班取消或延误，可以退票、改签、领补偿，要你下载会议软件、共享屏幕，或交“保证金”、转账验证流水。",
    example:
      "短信：【航空公司】尊敬的旅客，您预订的航班因机械故障已取消，请致电4001234567办理改签，每人可获300元延误补偿。\n客服：领补偿需要验证您的银行卡流水，请先转入5000元，系统核实后连同补偿一起退回。",
    short: "假冒航空公司发短信、打电话，说航班取消可以改签、领补偿，要你共享屏幕或先转钱“验证流水”。",
    tell: "领补偿要你先转钱、共享屏幕",
    todo: "航班变动只认航空公司官方 App 和官网，自己打官方客服电话核实。",
    advice: [
      "航班变动以航空公司官方 App 或官网为准，自己打官方客服电话核实。",
      "非本人原因改签免费，要你先交钱、共享屏幕的，都是诈骗。",
    ],
  },
];

/** @type {FraudType[]} */
export const FRAUD_TYPES = TYPES.map((type) => ({ ...type, name: CATEGORY_NAMES[type.id] }));

/** The notice's "四个时刻提醒", in our own words. */
export const REMINDERS = [
  "天上不会掉馅饼：白送的钱、低得离谱的价格、轻松赚大钱，都是陷阱。",
  "不轻信来历不明、高收益零风险的投资理财信息。",
  "不对外透露个人信息：身份证号、银行卡号、密码、验证码。",
  "不向陌生账户汇款、转账；熟人要求转账，一定当面核实。",
];

/** One line each on what to do about a reminder, for the message a unit forwards to its staff groups. */
export const REMINDER_TIPS = [
  "“中奖”“返利”“轻松日赚几百”，先想想凭什么轮到你；要你先交钱的，一律不交。",
  "投资只走银行、证券公司的官方渠道；陌生人拉的投资群、发的软件，不进不下。",
  "谁来要验证码、密码、银行卡号都不给；真的银行和公安不会这样问。",
  "有人要钱，先打他原来的电话或当面问清楚；新号、新群里的“熟人”一律先核实。",
];

/** What every message and the poster end with: whom to call. */
export const CALL_LINE = "拿不准，打反诈专线 96110；已经转了钱，马上打 110 报警。";

/**
 * The message a unit forwards to a WeChat or DingTalk group about one fraud type: the pattern, its
 * tell-tale sign, what to do, whom to call and the checker's address.
 * @param {FraudType} type
 * @param {string} address
 */
export function typeMessage(type, address) {
  return [
    `【防骗提醒】小心“${type.name}”诈骗`,
    `怎么骗：${type.short}`,
    `一看就是骗局：${type.tell}。`,
    `怎么办：${type.todo}`,
    CALL_LINE,
    `收到可疑聊天，转账前先查一查：${address}`,
  ].join("\n");
}

/** The same for one of the four reminders (index into REMINDERS). */
export function reminderMessage(index, address) {
  return [
    `【防骗提醒】时刻提醒：${REMINDERS[index]}`,
    `怎么做：${REMINDER_TIPS[index]}`,
    CALL_LINE,
    `收到可疑聊天，转账前先查一查：${address}`,
  ].join("\n");
}
