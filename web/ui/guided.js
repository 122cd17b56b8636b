// Guided mode "描述转账请求": plain questions whose answers compose a first-person description in Chinese.
// The description goes through the same engine and result view as a pasted chat. The questions and compose()
// are data and a pure function (tests/unit/test_descriptions.py reads them from this file); stepThrough() is
// how the lobby kiosk shows them: one question on screen at a time, for touch.

/**
 * @typedef {{value: string, label: string, says: string}} Choice   says: the clause it adds ("" adds none)
 * @typedef {{id: string, legend: string, kind: "one" | "many", choices: Choice[]}} Question
 */

/** @type {Question[]} */
export const QUESTIONS = [
  {
    id: "who",
    legend: "1. 是谁让你转钱？",
    kind: "one",
    choices: [
      { value: "leader", label: "单位领导，或领导的秘书、司机", says: "对方自称“我是你们单位的领导”" },
      { value: "acquaintance", label: "亲戚、朋友或同事", says: "对方自称是我的亲戚朋友" },
      { value: "police", label: "公安、检察院、法院，或社保、医保的工作人员", says: "对方自称“我是公安局的民警”" },
      { value: "service", label: "网店、快递或航空公司的客服", says: "对方自称“我是网店的客服”" },
      { value: "loan_platform", label: "贷款平台或网贷客服", says: "对方自称是贷款平台的工作人员" },
      { value: "invest_platform", label: "投资理财平台、荐股老师", says: "对方自称是投资理财平台的老师" },
      { value: "task_platform", label: "兼职、刷单、做任务的平台", says: "对方自称是兼职平台的派单员" },
      { value: "online_friend", label: "网上认识、没见过面的朋友或恋人", says: "对方是我网上认识的网友，我们还没见过面" },
      { value: "stranger", label: "不认识的人", says: "对方是我不认识的人" },
    ],
  },
  {
    id: "channel",
    legend: "2. 对方怎么联系上你的？",
    kind: "one",
    choices: [
      { value: "new_friend", label: "新加的微信、QQ 或钉钉好友", says: "对方发来好友申请，加了我的微信，在微信上联系我" },
      { value: "call", label: "打电话来", says: "对方打电话给我" },
      { value: "sms", label: "发短信或链接", says: "对方给我发了短信和链接" },
      { value: "group", label: "拉我进了一个群", says: "对方把我拉进了一个群" },
      { value: "known", label: "用我原来就有的联系方式，或当面说的", says: "" },
    ],
  },
  {
    id: "new_account",
    legend: "3. 对方用的是新账号或新号码吗？",
    kind: "one",
    choices: [
      { value: "yes", label: "是，说换了新号", says: "对方说这是新微信号，原来的号不用了" },
      { value: "no", label: "不是，是原来就有的", says: "" },
      { value: "unsure", label: "不清楚", says: "" },
    ],
  },
  {
    id: "purpose",
    legend: "4. 对方说这笔钱是做什么的？",
    kind: "one",
    choices: [
      { value: "forward", label: "让你先替他垫钱，转给别人（说是合作方、亲戚，资金周转）",
        says: "对方让我先垫付一笔钱转给他的合作方，说是资金周转" },
      { value: "fee", label: "交保证金、手续费或解冻费", says: "对方让我先交一笔保证金和手续费" },
      { value: "safe_account", label: "配合调查，把钱转到指定账户", says: "对方说我涉嫌洗钱，要我把钱转到安全账户配合调查" },
      { value: "refund", label: "退款、理赔或领补偿", says: "对方说我买的东西有质量问题，要给我退款理赔" },
      { value: "invest", label: "投资、充值，说能赚钱", says: "对方让我在他给的平台上充值投资，说稳赚不赔、收益很高" },
      { value: "task", label: "做任务、刷单，要先垫钱", says: "对方让我做刷单任务，要我先垫付本金，说完成后返佣金" },
      { value: "borrow", label: "借钱应急", says: "对方说家里出了急事，找我借钱，让我转到他给的银行卡号上" },
      { value: "other", label: "别的理由", says: "对方让我给他转账" },
    ],
  },
  {
    id: "signs",
    legend: "5. 下面这些情况，有就勾上（可以多选）",
    kind: "many",
    choices: [
      { value: "pay_first", label: "要你先交钱，才能拿到贷款、返利、退款或奖品",
        says: "对方说要先交钱，才能拿到贷款、返利或者退款" },
      { value: "screenshot", label: "发来转账截图说已经给你打了钱，可你的钱还没到账",
        says: "对方发来一张转账截图，说钱已经转给我了，可我这边还没到账" },
      { value: "code", label: "向你要验证码或密码", says: "对方还说：“把你手机收到的验证码发给我。”" },
      { value: "screen", label: "要你下载软件、共享屏幕", says: "对方让我下载一个会议软件，开启屏幕共享" },
      { value: "secret", label: "要你保密，别告诉别人", says: "对方让我保密，不要告诉别人" },
      { value: "hurry", label: "催你快点、马上办", says: "对方一直催我马上转账，说很急" },
    ],
  },
];

/**
 * The description for a set of answers: {who: "leader", ..., signs: ["hurry", ...]}.
 * Returns "" when nothing was answered that says anything.
 * @param {Object<string, string | string[]>} answers
 */
export function compose(answers) {
  const clauses = [];
  for (const question of QUESTIONS) {
    const picked = [answers[question.id] ?? []].flat();
    for (const choice of question.choices) {
      if (picked.includes(choice.value) && choice.says) clauses.push(choice.says);
    }
  }
  // After the first sentence "他" reads more naturally than a string of "对方".
  return clauses
    .map((clause, i) => (i > 0 ? clause.replace(/^对方/, "他") : clause))
    .map((clause) => (/。”$/.test(clause) ? clause : `${clause}。`))
    .join("");
}

/**
 * Kiosk: the questions as a strip of cards, one on screen at a time (a horizontal scroll-snap strip; a swipe
 * or 上一题 / 下一题 moves it), with "第 n 题，共 5 题". Every question stays in the form and in the page's
 * order, so the keyboard (the strip scrolls to a focused choice), a screen reader and the form see them all.
 * @param {HTMLElement} strip  the questions' container
 * @param {{prev: HTMLButtonElement, next: HTMLButtonElement, count: HTMLElement}} controls
 * @returns {{reset: () => void}}
 */
export function stepThrough(strip, { prev, next, count }) {
  const total = QUESTIONS.length;
  const current = () => Math.max(0, Math.min(total - 1, Math.round(strip.scrollLeft / Math.max(1, strip.clientWidth))));
  const calm = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function show() {
    const at = current();
    count.textContent = `第 ${at + 1} 题，共 ${total} 题`;
    prev.disabled = at === 0;
    next.disabled = at === total - 1;
  }
  function go(step) {
    const to = Math.max(0, Math.min(total - 1, step));
    strip.scrollTo({ left: to * strip.clientWidth, behavior: calm() ? "auto" : "smooth" });
  }
  prev.addEventListener("click", () => go(current() - 1));
  next.addEventListener("click", () => go(current() + 1));
  strip.addEventListener("scroll", show, { passive: true });
  show();
  return {
    reset() {
      strip.scrollTo({ left: 0, behavior: "auto" });
      show();
    },
  };
}
