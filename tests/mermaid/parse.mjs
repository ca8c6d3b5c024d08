// Reads a flowchart with Mermaid's own parser and prints what Mermaid understood, as JSON:
// each node's label (entity codes decoded, as Mermaid shows them), the edges, the subgraphs.
// A syntax error exits 1 with Mermaid's message.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

// Mermaid keeps "#34;" as "ﬂ°°34¶ß" until it renders the label as HTML "&#34;".
const decoded = (text) => text.replace(/ﬂ°°(\d+)¶ß/g, (_, code) => String.fromCodePoint(Number(code)));
const text = readFileSync(process.argv[2], "utf8");
try {
  await mermaid.parse(text);
} catch (error) {
  console.error(String(error.message || error));
  process.exit(1);
}
const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
console.log(
  JSON.stringify({
    labels: Object.fromEntries([...db.getVertices().values()].map((v) => [v.id, decoded(v.text)])),
    edges: db.getEdges().map((e) => [e.start, e.end, decoded(e.text)]),
    sections: db.getSubGraphs().map((s) => [decoded(s.title), s.nodes]),
  }),
);
