// Parse Mermaid diagrams with the real Mermaid parser (npm "mermaid", under Node).
//
// usage: node parse.mjs NODE_PREFIX < diagrams.json > results.json
// NODE_PREFIX is the folder where `npm install` put node_modules for package.json here.
// Input: a JSON list of diagram texts. Output: one JSON list, per diagram
// {"ok": true, "type": "flowchart-v2"} or {"ok": false, "error": "Parse error on line 3: ..."}.
// mermaid.parse needs a DOM for DOMPurify, so jsdom provides window and document.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const base = createRequire(process.argv[2] + "/package.json");
const load = async (name) => import(pathToFileURL(base.resolve(name)).href);

const { JSDOM } = await load("jsdom");
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await load("mermaid");
mermaid.initialize({ startOnLoad: false });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String(error.message || error).slice(0, 2000) });
  }
}
process.stdout.write(JSON.stringify(results) + "\n");
