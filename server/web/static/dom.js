// Building DOM from server data without ever parsing it as HTML.

/**
 * `element("li", {className: "row", dataset: {id: 3}}, "text", child)`: children are nodes or
 * strings (strings become text nodes, so server data is never read as markup).
 */
export function element(tag, properties = {}, ...children) {
  const node = document.createElement(tag);
  const { dataset, attributes, ...rest } = properties;
  Object.assign(node, rest);
  Object.entries(dataset || {}).forEach(([key, value]) => {
    node.dataset[key] = String(value);
  });
  Object.entries(attributes || {}).forEach(([key, value]) => node.setAttribute(key, value));
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** Replace everything inside `parent` with `children`. */
export function fill(parent, ...children) {
  parent.replaceChildren(...children.filter((child) => child !== null && child !== undefined));
}

/**
 * Run `action` once, `waitMs` (plus up to `jitterMs` at random) after the first of a burst of
 * requests; requests during the wait join that run. Spreads many screens' refetches apart.
 */
export function coalesce(action, waitMs, jitterMs = 0) {
  let timer = null;
  return () => {
    if (timer !== null) return;
    timer = window.setTimeout(() => {
      timer = null;
      action();
    }, waitMs + Math.random() * jitterMs);
  };
}
