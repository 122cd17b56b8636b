// The learn view: the notice's four reminders and the common fraud types (content/learn.js), each type
// with its example chat to try in the checker, and a "复制转发" button on every reminder and type.
import { FRAUD_TYPES, REMINDERS, reminderMessage, typeMessage } from "../content/learn.js";
import { $, el } from "./dom.js";
import { checkerAddress } from "./modes.js";

const canShare = () => typeof navigator.share === "function";

/**
 * "复制转发": a short message for a WeChat or DingTalk group, to the phone's share sheet where there is one
 * (the user picks the group), else to the clipboard. The message is our own text and the checker's address.
 * @param {string} what  the type or reminder, for the button's name
 * @param {(address: string) => string} message
 * @param {(text: string) => Promise<boolean>} copyText
 */
function forwardButton(what, message, copyText) {
  const status = el("span", { class: "copy-status", role: "status" });
  const button = el(
    "button",
    { type: "button", class: "secondary forward", "data-testid": "forward", "aria-label": `复制转发：${what}` },
    "复制转发",
  );
  button.addEventListener("click", async () => {
    const text = message(await checkerAddress());
    status.textContent = "";
    if (canShare()) {
      try {
        await navigator.share({ text });
        return;
      } catch (err) {
        if (err && err.name === "AbortError") return; // the user closed the share sheet
      }
    }
    const ok = await copyText(text);
    status.textContent = ok ? "已复制，可以粘贴到单位的微信群、钉钉群里。" : "没能复制，请手动抄下来转发。";
  });
  return el("div", { class: "forward-row" }, button, status);
}

function typeCard(type, tryExample, copyText) {
  const button = el(
    "button",
    { type: "button", class: "secondary", "data-testid": "example", "data-type": type.id },
    "放进检查框试试",
  );
  button.addEventListener("click", () => tryExample(type.example));
  return el(
    "article",
    { class: "type-card", "data-testid": "fraud-type", "data-type": type.id },
    el("h3", {}, type.name, type.notice ? el("span", { class: "badge" }, "通知列出") : ""),
    el("p", {}, type.looks),
    el("p", { class: "example-label" }, "聊天示例（编写的，不是真实记录）："),
    el("p", { class: "example" }, type.example),
    button,
    el("p", { class: "example-label" }, "警方提醒："),
    el("ul", { class: "police-advice" }, ...type.advice.map((a) => el("li", {}, a))),
    forwardButton(type.name, (address) => typeMessage(type, address), copyText),
  );
}

/**
 * Fills the learn view (#reminders, #types).
 * @param {{tryExample: (text: string) => void, copyText: (text: string) => Promise<boolean>}} actions
 *   tryExample puts an example chat into the checker and checks it; copyText copies to the clipboard.
 */
export function buildLearnView({ tryExample, copyText }) {
  $("reminders").replaceChildren(
    ...REMINDERS.map((r, i) =>
      el("li", {}, el("span", {}, r), forwardButton(`第 ${i + 1} 条提醒`, (address) => reminderMessage(i, address), copyText)),
    ),
  );
  $("types").replaceChildren(...FRAUD_TYPES.map((type) => typeCard(type, tryExample, copyText)));
}
