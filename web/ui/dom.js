// DOM helpers for the main thread. User text becomes text nodes only, never HTML.

/**
 * Makes an element with attributes and children (strings become text nodes, never HTML).
 * @param {string} tag
 * @param {Object<string, string>} [attrs]
 * @param {...(Node | string)} children
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

export const $ = (id) => document.getElementById(id);
