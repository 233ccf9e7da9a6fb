// The query page's SPARQL editor (bundled by build.mjs into kg/serve/static/editor.js as the
// global `KgEditor`). CodeMirror 6 with the SPARQL mode of @codemirror/legacy-modes, and a
// completion source fed by the page: prefixes, classes, properties, and known entities looked up
// as the user types.
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput } from "@codemirror/language";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";

const KEYWORDS = ["SELECT", "DISTINCT", "REDUCED", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH",
  "SERVICE", "BIND", "VALUES", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT",
  "DESCRIBE", "PREFIX", "BASE", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "STR", "LANG",
  "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "REGEX", "CONTAINS", "STRSTARTS", "STRENDS", "LCASE", "UCASE",
  "YEAR", "MONTH", "DAY", "NOW", "COALESCE", "IF", "EXISTS", "NOT EXISTS", "AS", "a"];

/**
 * A SPARQL editor in `parent`.
 * options.doc: the initial text; options.onRun(): called on Ctrl/Cmd-Enter;
 * options.terms(): {prefixes: {p: iri}, terms: [{label: "kg:Cartel", detail, info}]};
 * options.lookup(prefix, text): a Promise of more terms (known entities) for what is typed.
 */
export function createEditor(parent, options) {
  const source = async (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w.-]*:?[\w.-]*|\?\w*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const text = word.text;
    if (text.startsWith("?")) return null;
    const known = options.terms ? options.terms() : { prefixes: {}, terms: [] };
    const items = [];
    if (!text.includes(":")) {
      for (const k of KEYWORDS) items.push({ label: k, type: "keyword" });
      for (const [p, iri] of Object.entries(known.prefixes)) items.push({ label: p + ":", type: "namespace", detail: iri });
    }
    for (const t of known.terms) items.push(t);
    const colon = text.indexOf(":");
    if (colon >= 0 && options.lookup) {
      const seen = new Set(items.map((t) => t.label));
      try {
        const more = await options.lookup(text.slice(0, colon), text.slice(colon + 1));
        for (const t of more) if (!seen.has(t.label)) { seen.add(t.label); items.push(t); }
      } catch (err) { /* no entity suggestions this time */ }
    }
    return { from: word.from, options: items, validFor: /^[\w.:-]*$/ };
  };
  const run = () => { if (options.onRun) options.onRun(); return true; };
  const state = EditorState.create({
    doc: options.doc || "",
    extensions: [
      lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(), indentOnInput(),
      StreamLanguage.define(sparql), syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      bracketMatching(), closeBrackets(), highlightActiveLine(), highlightSelectionMatches(),
      autocompletion({ override: [source], activateOnTyping: true }),
      keymap.of([{ key: "Mod-Enter", run }, ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap,
        ...historyKeymap, ...completionKeymap, indentWithTab]),
      EditorView.lineWrapping,
      EditorView.theme({
        "&": { minHeight: "14em", maxHeight: "60vh", fontSize: "13px", backgroundColor: "#fff" },
        "&.cm-focused": { outline: "2px solid #90caf9" },
        ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", overflow: "auto" },
      }),
      EditorView.contentAttributes.of({ "aria-label": "SPARQL query" }),
    ],
  });
  // In a shadow root, CodeMirror's styles go into constructed style sheets (adoptedStyleSheets)
  // rather than a <style> element, which the query page's Content-Security-Policy (style-src
  // 'self') would refuse.
  const root = parent.attachShadow ? parent.attachShadow({ mode: "open" }) : null;
  const view = new EditorView({ state, parent: root || parent, root: root || undefined });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    onChange: (fn) => { parent.addEventListener("input", fn); parent.addEventListener("keyup", fn); },
    focus: () => view.focus(),
  };
}
