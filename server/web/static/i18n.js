// Language state (Bahasa Indonesia first, English second) and translation lookup.
// Each page brings its own small dictionaries: { id: {...}, en: {...} }.

export const LANGUAGES = ["id", "en"];
const STORAGE_KEY = "antre.lang";

const COMMON = {
  id: {
    offline: "Koneksi terputus. Menyambungkan ulang…",
    network_error: "Tidak dapat terhubung ke server. Coba lagi.",
  },
  en: {
    offline: "Connection lost. Reconnecting…",
    network_error: "Cannot reach the server. Please try again.",
  },
};

function storedLanguage() {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(value) ? value : null;
  } catch {
    return null;
  }
}

function storeLanguage(lang) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
}

/**
 * A translator for one page. `fixed` pins a language (the hall display speaks Indonesian).
 * `remember: false` neither reads nor stores the choice (a kiosk starts each visitor in
 * Bahasa Indonesia). Text with `{name}` placeholders is filled from `params`.
 */
export function createI18n(dictionaries, { fixed = null, remember = true } = {}) {
  let lang = fixed || (remember && storedLanguage()) || "id";
  const listeners = [];

  function t(key, params = {}) {
    const text =
      dictionaries[lang]?.[key] ?? COMMON[lang]?.[key] ?? dictionaries.id?.[key] ?? COMMON.id[key];
    if (text === undefined) return key;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
  }

  /** Fill every `[data-i18n]` element's text, and `[data-i18n-label]` aria-labels. */
  function translate(root = document) {
    root.querySelectorAll("[data-i18n]").forEach((element) => {
      element.textContent = t(element.dataset.i18n);
    });
    root.querySelectorAll("[data-i18n-label]").forEach((element) => {
      element.setAttribute("aria-label", t(element.dataset.i18nLabel));
    });
    root.querySelectorAll("[data-set-lang]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.setLang === lang));
    });
  }

  function setLang(next) {
    if (!LANGUAGES.includes(next) || fixed) return;
    lang = next;
    if (remember) storeLanguage(next);
    document.documentElement.lang = next;
    translate();
    listeners.forEach((listener) => listener(next));
  }

  /** Buttons with `data-set-lang="id|en"` inside `root` switch the language. */
  function bindToggle(root = document) {
    root.querySelectorAll("[data-set-lang]").forEach((button) => {
      button.addEventListener("click", () => setLang(button.dataset.setLang));
    });
  }

  /** A record's name in the current language: `name_en` in English when it has one. */
  function pick(record, field = "name") {
    if (!record) return "";
    return (lang === "en" && record[`${field}_en`]) || record[field] || "";
  }

  document.documentElement.lang = lang;
  return {
    t,
    translate,
    setLang,
    bindToggle,
    pick,
    get lang() {
      return lang;
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
