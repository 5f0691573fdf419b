/// <reference lib="dom" />
// A tiny element builder for the playground's plain-DOM views (no framework besides GraphiQL's React).

type Attributes = Record<string, string | boolean | ((event: Event) => void)>;

/** `h('button', { type: 'button', onclick }, 'Send')`: attributes, `on*` listeners, text or element children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

export const errorText = (error: unknown): string => {
  if (error instanceof Error) {
    const type = (error as { errorType?: unknown }).errorType;
    return typeof type === 'string' ? `${type}: ${error.message}` : error.message;
  }
  return String(error);
};

/** A file's size as people read it: 68 bytes, 12.3 KB, 3.4 MB. */
export const byteSize = (bytes: number): string => {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
};
