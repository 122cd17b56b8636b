// Guided mode "描述转账请求": plain questions whose answers compose a first-person description in Chinese.
// The description goes through the same engine and result view as a pasted chat. The questions and compose()
// are data and a pure function (tests/browser/test_guided_table.py imports this module in the page and checks
// what each answer combination composes); buildGuided() draws the form; stepThrough() is how the lobby kiosk
// shows them: one question on screen at a time, for touch.
//
// Reassuring answers ("a contact I already had", "said to my face", "not a new number") are weighed HERE, in
// the composer, and the engine is told the result as a fact beside the text (knownContact), never by words in
// it: only the user's own answer can vouch that a number is one they already had, while the same words in a
// pasted chat may be the scammer's ("我没换号") and must not lower a warning. So:
//  - vouches() holds for a person the user knows (a leader, a relative or friend) on an old contact, with no
//    warning answer at all (a new account, a fee or other pretext, a code, hurry…). For anyone else (a "police
//    officer", a platform, a stranger) an old contact proves nothing about who they are;
//  - then the wording states the facts ("对方是我们单位的领导", not "对方自称…"; "用的是我原来就存着的联系方式")
//    and the engine gives its learned scorer no say (its "resembles a scam" would read our own wording); its
//    rules still see the text. Otherwise the old contact is not written down and the check is the ordinary
//    one, so every warning answer keeps its full weight.
import { $, el } from "./dom.js";

/**
 * @typedef {{value: string, label: string, says: string, known?: string, contact?: "old" | "new", warns?: true}} Choice
 *   says: the clause it adds ("" adds none); known: a person the user knows, said without "自称" when they
 *   came on an old contact; contact: what the answer says about the account they came on; warns: a warning
 *   sign whatever else was answered (no vouching then).
 * @typedef {{id: string, legend: string, kind: "one" | "many", choices: Choice[]}} Question
 */

/** @type {Question[]} */
export const QUESTIONS = [
  {
    id: "who",
    legend: "1. 是谁让你转钱？",
    kind: "one",
    choices: [
      { value: "leader", label: "单位领导，或领导的秘书、司机", says: "对方自称“我是你们单位的领导”", known: "对方是我们单位的领导" },
      { value: "acquaintance", label: "亲戚、朋友或同事", says: "对方自称是我的亲戚朋友", known: "对方是我认识的亲戚朋友" },
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
      { value: "new_friend", label: "新加的微信、QQ 或钉钉好友", says: "对方发来好友申请，加了我的微信，在微信上联系我", contact: "new" },
      { value: "call", label: "打电话来", says: "对方打电话给我" },
      { value: "sms", label: "发短信或链接", says: "对方给我发了短信和链接", contact: "new" },
      { value: "group", label: "拉我进了一个群", says: "对方把我拉进了一个群", contact: "new" },
      { value: "known", label: "用我原来就存着的电话、微信或 QQ", says: "对方用的是我手机里原来就存着的联系方式", contact: "old" },
      { value: "in_person", label: "当面跟我说的", says: "对方是当面跟我说的", contact: "old" },
    ],
  },
  {
    id: "new_account",
    legend: "3. 对方用的是新账号或新号码吗？",
    kind: "one",
    choices: [
      { value: "yes", label: "是，说换了新号", says: "对方说这是新微信号，原来的号不用了", contact: "new" },
      { value: "no", label: "不是，是原来就有的", says: "对方用的不是新号，是我原来就有的号码", contact: "old" },
      { value: "unsure", label: "不清楚", says: "" },
    ],
  },
  {
    id: "purpose",
    legend: "4. 对方说这笔钱是做什么的？",
    kind: "one",
    choices: [
      { value: "forward", label: "让你先替他垫钱，转给别人（说是合作方、亲戚，资金周转）",
        says: "对方让我先垫付一笔钱转给他的合作方，说是资金周转", warns: true },
      { value: "fee", label: "交保证金、手续费或解冻费", says: "对方让我先交一笔保证金和手续费", warns: true },
      { value: "safe_account", label: "配合调查，把钱转到指定账户", says: "对方说我涉嫌洗钱，要我把钱转到安全账户配合调查", warns: true },
      { value: "refund", label: "退款、理赔或领补偿", says: "对方说我买的东西有质量问题，要给我退款理赔", warns: true },
      { value: "invest", label: "投资、充值，说能赚钱", says: "对方让我在他给的平台上充值投资，说稳赚不赔、收益很高", warns: true },
      { value: "task", label: "做任务、刷单，要先垫钱", says: "对方让我做刷单任务，要我先垫付本金，说完成后返佣金", warns: true },
      { value: "borrow", label: "借钱应急", says: "对方说家里出了急事，找我借钱，让我转到他给的银行卡号上", warns: true },
      { value: "other", label: "别的理由", says: "对方让我给他转账" },
    ],
  },
  {
    id: "signs",
    legend: "5. 下面这些情况，有就勾上（可以多选）",
    kind: "many",
    choices: [
      { value: "pay_first", label: "要你先交钱，才能拿到贷款、返利、退款或奖品",
        says: "对方说要先交钱，才能拿到贷款、返利或者退款", warns: true },
      { value: "screenshot", label: "发来转账截图说已经给你打了钱，可你的钱还没到账",
        says: "对方发来一张转账截图，说钱已经转给我了，可我这边还没到账", warns: true },
      { value: "code", label: "向你要验证码或密码", says: "对方还说：“把你手机收到的验证码发给我。”", warns: true },
      { value: "screen", label: "要你下载软件、共享屏幕", says: "对方让我下载一个会议软件，开启屏幕共享", warns: true },
      { value: "secret", label: "要你保密，别告诉别人", says: "对方叮嘱我这件事要保密，谁都不能告诉", warns: true },
      { value: "hurry", label: "催你快点、马上办", says: "对方一直催我马上转账，说很急", warns: true },
    ],
  },
];

/** The choices picked, in the questions' order. */
function pickedChoices(answers) {
  return QUESTIONS.flatMap((question) => {
    const picked = [answers[question.id] ?? []].flat();
    return question.choices.filter((choice) => picked.includes(choice.value));
  });
}

/**
 * True when the answers vouch for the request: the user knows the person (a choice with a `known` wording),
 * the person came on an old contact, no answer says the account is new, and no answer is a warning sign.
 * @param {Object<string, string | string[]>} answers
 */
export function vouches(answers) {
  const choices = pickedChoices(answers);
  return (
    choices.some((c) => c.known) &&
    choices.some((c) => c.contact === "old") &&
    !choices.some((c) => c.contact === "new" || c.warns)
  );
}

/**
 * The description for a set of answers: {who: "leader", ..., signs: ["hurry", ...]}.
 * Returns "" when nothing was answered that says anything.
 * @param {Object<string, string | string[]>} answers
 */
export function compose(answers) {
  const vouched = vouches(answers);
  const clauses = [];
  let oldSaid = false;
  for (const choice of pickedChoices(answers)) {
    // Beside a warning sign the old contact is left unsaid: a known person's account can be stolen, and
    // "原来就存着的号码" reads like the advice in a warning notice, which would soften the warning. Vouched,
    // it is said once ("原来就存着的联系方式" and "不是新号" say one thing).
    if (choice.contact === "old" && (!vouched || oldSaid)) continue;
    if (choice.contact === "old") oldSaid = true;
    const clause = vouched && choice.known ? choice.known : choice.says;
    if (clause) clauses.push(clause);
  }
  // After the first sentence "他" reads more naturally than a string of "对方".
  return clauses
    .map((clause, i) => (i > 0 ? clause.replace(/^对方/, "他") : clause))
    .map((clause) => (/。”$/.test(clause) ? clause : `${clause}。`))
    .join("");
}

/** The answers in a guided form: {question id: [values]}. */
function readAnswers(form) {
  const data = new FormData(form);
  const answers = {};
  for (const question of QUESTIONS) answers[question.id] = data.getAll(question.id).map(String);
  return answers;
}

/**
 * Draws the questions into #guided-questions and wires #guided-form: a submit composes the description and
 * hands it on with whether the answers vouch for it, or asks for one answer when none says anything.
 * @param {(text: string, facts: {knownContact: boolean}) => void} onDescription
 */
export function buildGuided(onDescription) {
  const fieldsets = QUESTIONS.map((question) => {
    const type = question.kind === "one" ? "radio" : "checkbox";
    const choices = question.choices.map((choice) => {
      const id = `q-${question.id}-${choice.value}`;
      return el(
        "div",
        { class: "choice" },
        el("input", { type, id, name: question.id, value: choice.value }),
        el("label", { for: id }, choice.label),
      );
    });
    return el("fieldset", { class: "question", "data-question": question.id }, el("legend", {}, question.legend), ...choices);
  });
  $("guided-questions").replaceChildren(...fieldsets);
  const form = $("guided-form");
  const status = $("guided-status");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const answers = readAnswers(form);
    const text = compose(answers);
    status.textContent = text ? "" : "请至少选一项，再生成描述。";
    if (text) onDescription(text, { knownContact: vouches(answers) });
  });
  form.addEventListener("reset", () => {
    status.textContent = "";
  });
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
