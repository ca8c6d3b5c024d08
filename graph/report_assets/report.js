"use strict";
// Crawled text reaches the page only through el()/append (text nodes) and setAttribute,
// never parsed as HTML, so a hostile page title shows as text.

const data = JSON.parse(document.getElementById("report-data").textContent);
const topics = new Map(data.topics.map((topic) => [topic.id, topic]));
const DEAD = ["gone", "not_found"];
const GOOD = ["ok", "partial", "pending"];
const COLORS = { ok: "#2e9e5b", partial: "#d9891a", pending: "#9aa5b1" };
const SVG = "http://www.w3.org/2000/svg";

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

function hours(seconds) {
  const minutes = Math.round(seconds / 60);
  if (minutes >= 60) return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
  return `${minutes}m`;
}

function count(number, noun) {
  return `${number} ${noun}${number === 1 ? "" : "s"}`;
}

function statusClass(status) {
  if (DEAD.includes(status)) return "dead";
  return GOOD.includes(status) ? status : "failed";
}

function resourceLength(resource) {
  if (resource.duration) return hours(resource.duration);
  if (resource.reading_time) return `${hours(resource.reading_time)} read`;
  return "";
}

function resourceMeta(resource) {
  const parts = [];
  if (resource.stars !== undefined) parts.push(`★ ${resource.stars.toLocaleString("en")}`);
  if (resource.pushed_at) parts.push(`pushed ${resource.pushed_at.slice(0, 10)}`);
  if (resource.archived) parts.push("archived");
  const length = resourceLength(resource);
  if (length) parts.push(length);
  return parts.join(" · ");
}

function resourceItem(id) {
  const resource = data.resources[id];
  const title = resource.title || id;
  const link = resource.url
    ? el("a", { href: resource.url, target: "_blank", rel: "noopener noreferrer" }, title)
    : title;
  const cls = statusClass(resource.status);
  const status = el("span", { class: `status ${cls}`, title: resource.http_status ? `HTTP ${resource.http_status}` : null },
    resource.status);
  const error = resource.error && cls !== "ok" ? el("span", { class: "error" }, resource.error) : null;
  return el("li", { class: cls },
    el("span", { class: "done", title: resource.done ? "marked done in the roadmap" : null }, resource.done ? "✓" : ""),
    el("span", { class: "badge" }, resource.kind),
    el("span", { class: "title" }, link, status, error),
    el("span", { class: "meta" }, resourceMeta(resource)));
}

function resourceList(ids) {
  return el("ul", { class: "resources" }, ...ids.map(resourceItem));
}

// A topic the page does not know (the served graph gained it since) shows as text.
function topicButton(id, name) {
  if (!topics.has(id)) return el("span", {}, name || id);
  const button = el("button", { class: "linklike", type: "button" }, topics.get(id).name);
  button.addEventListener("click", () => select(id));
  return button;
}

function header() {
  document.getElementById("title").append(data.title || "Roadmap");
  document.title = `${data.title} · learngraph report`;
  document.getElementById("subtitle").append(`${data.source} · generated ${data.generated_at}`);
  const resources = Object.values(data.resources);
  const time = data.topics.reduce((sum, topic) => sum + topic.time, 0);
  const figures = [
    ["topics", data.topics.length],
    ["resources", resources.length],
    ["done", resources.filter((r) => r.done).length],
    ["study time", hours(time)],
    ["dead links", data.gaps.dead_links.length, data.gaps.dead_links.length > 0],
    ["failed", data.gaps.failed_metadata.length, data.gaps.failed_metadata.length > 0],
  ];
  document.getElementById("summary").append(...figures.map(([label, value, bad]) =>
    el("div", { class: bad ? "bad" : null }, el("dt", {}, label), el("dd", {}, String(value)))));
}

// The graph: topics and prerequisite edges, laid out left to right in learning order.
let graph;

function drawGraph() {
  const maxTime = Math.max(1, ...data.topics.map((topic) => topic.time));
  const deadTopics = new Set(data.topics.filter((topic) =>
    topic.resources.some((id) => DEAD.includes(data.resources[id].status))).map((topic) => topic.id));
  const elements = [
    ...data.topics.map((topic) => ({
      data: { id: topic.id, name: topic.name, size: 22 + 30 * Math.sqrt(topic.time / maxTime) },
      classes: [topic.resources.length ? "" : "empty", deadTopics.has(topic.id) ? "dead" : ""].join(" "),
    })),
    ...data.edges.map((edge, index) => ({
      data: { id: `e${index}`, source: edge.from, target: edge.to }, classes: edge.basis,
    })),
  ];
  graph = cytoscape({
    container: document.getElementById("graph"),
    elements,
    style: [
      { selector: "node", style: {
        width: "data(size)", height: "data(size)", label: "data(name)", "font-size": 13, color: "#1f2933",
        "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "wrap", "text-max-width": 130,
        "background-color": "#dbe7fb", "border-width": 2, "border-color": "#2f6fde",
        "text-background-color": "#fbfcfd", "text-background-opacity": 0.8, "text-background-padding": 1 } },
      { selector: "node.empty", style: { "background-color": "#eef1f4", "border-color": "#9aa5b1", color: "#6b7785" } },
      { selector: "node.dead", style: { "border-color": "#d64545", "border-width": 3 } },
      { selector: "node.in-plan", style: { "background-color": "#9cc0f5" } },
      { selector: "node:selected", style: { "background-color": "#2f6fde", "font-weight": "bold" } },
      { selector: "edge", style: {
        width: 1.5, "line-color": "#7b8794", "target-arrow-color": "#7b8794",
        "target-arrow-shape": "triangle", "arrow-scale": 0.9, "curve-style": "bezier" } },
      { selector: "edge.explicit", style: { width: 2.5, "line-color": "#1f2933", "target-arrow-color": "#1f2933" } },
      { selector: "edge.order", style: { "line-style": "dashed" } },
      { selector: "edge.mention", style: { "line-style": "dotted", width: 2 } },
      { selector: "edge.in-plan", style: { "line-color": "#2f6fde", "target-arrow-color": "#2f6fde" } },
    ],
  });
  layOut();
  graph.on("tap", "node", (event) => select(event.target.id()));
  window.reportGraph = graph; // for the browser console and the browser test
}

// Linked topics flow left to right in learning order; topics no prerequisite touches
// (section headings, mostly) wait in rows beneath, in roadmap order.
function layOut() {
  const alone = graph.nodes().filter((node) => node.degree() === 0);
  const linked = graph.elements().not(alone);
  linked.layout({
    name: "breadthfirst", directed: true, spacingFactor: 1, avoidOverlap: true,
    nodeDimensionsIncludeLabels: true, fit: false,
    transform: (node, position) => ({ x: position.y, y: position.x * 1.1 }),
  }).run();
  const box = linked.nonempty() ? linked.boundingBox() : { x1: 0, x2: 800, y2: 0 };
  const perRow = Math.max(1, Math.floor((box.x2 - box.x1) / 120));
  alone.forEach((node, index) => node.position({
    x: box.x1 + 60 + (index % perRow) * 120, y: box.y2 + 70 + Math.floor(index / perRow) * 70 }));
  graph.fit(undefined, 20);
}

// Served by `learngraph serve`, a plan comes from its API, so it follows the graph as the
// server reads it again; opened from a file, or with no API behind the page, it is the
// page's own.
async function planFor(id) {
  if (location.protocol === "http:" || location.protocol === "https:") {
    try {
      const response = await fetch(`api/plan/${encodeURIComponent(id)}`);
      if (response.ok) return livePlan(await response.json());
    } catch {
      // No API answered: the page's own plan below.
    }
  }
  return data.plans[id];
}

// The API's plan in the shape of the page's own: each step with the time to study it once.
function livePlan(answer) {
  const time = (resources) => resources.reduce((sum, r) => sum + (r.duration || 0) + (r.reading_time || 0), 0);
  return { ...answer, steps: answer.steps.map((step) => ({ ...step, time: time(step.resources) })) };
}

// The topic the panel is to show: a plan that arrives after another click is dropped.
let wanted;

// The study plan's totals and steps.
function planView(plan) {
  const steps = plan.steps.map((step) => el("li", {},
    topicButton(step.topic, step.name),
    el("span", { class: "meta" }, `${count(step.resources.length, "resource")}${step.time ? " · " + hours(step.time) : ""}`)));
  return [
    el("dl", { class: "totals", id: "plan-totals" },
      el("dt", {}, "study time"), el("dd", { class: "big" }, hours(plan.study_time)),
      el("dt", {}, "video"), el("dd", {}, hours(plan.video_time)),
      el("dt", {}, "reading"), el("dd", {}, hours(plan.reading_time)),
      el("dt", {}, "resources"), el("dd", {}, `${plan.resources} in ${count(plan.steps.length, "step")}, ${count(plan.papers, "paper")}`),
      plan.unknown_length.length ? el("dt", {}, "length unknown") : null,
      plan.unknown_length.length ? el("dd", {}, `${count(plan.unknown_length.length, "resource")}, not counted`) : null),
    el("ol", { class: "steps", id: "plan-steps" }, ...steps),
  ];
}

// The side panel: the topic's own resources and its study plan.
async function select(id) {
  wanted = id;
  const plan = await planFor(id);
  if (wanted !== id) return;
  const topic = topics.get(id);
  const panel = document.getElementById("topic-panel");
  panel.replaceChildren(
    el("h2", {}, topic.name),
    el("h3", {}, `Resources (${topic.resources.length})`),
    topic.resources.length ? resourceList(topic.resources) : el("p", { class: "muted" }, "Nothing listed under this topic."),
    el("h3", {}, "Study plan"),
    // A served page carries no plans of its own (they come from the API).
    ...(plan ? planView(plan) : [el("p", { class: "muted" }, "No plan: the server of this page did not answer.")]));
  graph.elements().unselect().removeClass("in-plan");
  const inPlan = graph.collection((plan ? plan.steps : []).map((step) => graph.getElementById(step.topic)));
  inPlan.addClass("in-plan");
  inPlan.edgesWith(inPlan).addClass("in-plan");
  graph.getElementById(id).select();
  document.querySelectorAll("#tree .selected").forEach((node) => node.classList.remove("selected"));
  document.getElementById(`tree-${id}`)?.classList.add("selected");
}

// Plots: horizontal bars, one per row of [label, value].
function barChart(rows, format, color = () => "#2f6fde") {
  const rowHeight = 22, labelWidth = 128, width = 420, barWidth = width - labelWidth - 70;
  const max = Math.max(1, ...rows.map(([, value]) => value));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${rows.length * rowHeight + 4}`);
  rows.forEach(([label, value], index) => {
    const y = index * rowHeight + 2;
    const name = document.createElementNS(SVG, "text");
    name.setAttribute("x", labelWidth - 6);
    name.setAttribute("y", y + 14);
    name.setAttribute("text-anchor", "end");
    name.textContent = label.length > 20 ? `${label.slice(0, 19)}…` : label;
    const title = document.createElementNS(SVG, "title");
    title.textContent = label;
    const bar = document.createElementNS(SVG, "rect");
    bar.setAttribute("x", labelWidth);
    bar.setAttribute("y", y + 3);
    bar.setAttribute("height", rowHeight - 7);
    bar.setAttribute("width", Math.max(2, (barWidth * value) / max));
    bar.setAttribute("rx", 3);
    bar.setAttribute("fill", color(label));
    const amount = document.createElementNS(SVG, "text");
    amount.setAttribute("class", "value");
    amount.setAttribute("x", labelWidth + Math.max(2, (barWidth * value) / max) + 5);
    amount.setAttribute("y", y + 14);
    amount.textContent = format(value);
    const row = document.createElementNS(SVG, "g");
    row.append(title, name, bar, amount);
    svg.append(row);
  });
  return svg;
}

function drawPlots() {
  const statusColor = (status) => COLORS[status] || "#d64545";
  document.getElementById("plot-time").append(barChart(data.plots.study_time, hours));
  document.getElementById("plot-kinds").append(barChart(data.plots.kinds, String, () => "#7c6fd6"));
  document.getElementById("plot-statuses").append(barChart(data.plots.statuses, String, statusColor));
}

function drawGaps() {
  const sections = [
    ["Topics without resources", data.gaps.topics_without_resources, (id) => topicButton(id)],
    ["Dead links", data.gaps.dead_links, resourceGap],
    ["Failed metadata", data.gaps.failed_metadata, resourceGap],
    ["Not crawled", data.gaps.not_crawled, resourceGap],
    ["Papers the roadmap is missing", data.suggestions.map((_, i) => i), suggestionGap],
  ];
  document.getElementById("gaps").append(el("div", { class: "columns" }, ...sections.map(([label, ids, show]) =>
    el("div", {}, el("h3", {}, `${label} (${ids.length})`),
      ids.length ? el("ul", {}, ...ids.map((id) => el("li", {}, show(id)))) : el("p", { class: "muted" }, "None.")))));
}

function resourceGap(id) {
  const resource = data.resources[id];
  const title = resource.url
    ? el("a", { href: resource.url, target: "_blank", rel: "noopener noreferrer" }, resource.title || id)
    : resource.title || id;
  return el("span", {}, title, el("span", { class: "error" }, [resource.status, resource.error].filter(Boolean).join(": ")));
}

function suggestionGap(index) {
  const paper = data.suggestions[index];
  const title = paper.url
    ? el("a", { href: paper.url, target: "_blank", rel: "noopener noreferrer" }, paper.title)
    : paper.title;
  const topic = paper.topic ? data.topics.find((t) => t.id === paper.topic)?.name ?? paper.topic : "";
  const why = paper.found
    ? ` found by Semantic Scholar's search for ${topic}, which has nothing to study`
    : ` cited by ${paper.cited_by} of its papers${topic ? ` — under ${topic}` : ""}`;
  return el("span", {}, title, el("span", { class: "muted" }, why));
}

function drawChanges() {
  if (!data.changes.length) return;
  const show = (value) => (value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value));
  const named = (change) => {
    const title = change.title || data.resources[change.id]?.title || change.url || change.id;
    return change.url
      ? el("a", { href: change.url, target: "_blank", rel: "noopener noreferrer" }, show(title))
      : show(title);
  };
  const section = document.getElementById("changes");
  section.hidden = false;
  section.append(el("table", { class: "changes" },
    el("tr", {}, el("th", {}, "change"), el("th", {}, "resource"), el("th", {}, "before"), el("th", {}, "after")),
    ...data.changes.map((change) => el("tr", {},
      el("td", {}, show(change.kind).replaceAll("_", " ")), el("td", { class: "title" }, named(change)),
      el("td", {}, show(change.before)), el("td", {}, show(change.after))))));
}

// The topic tree: each heading with its resources, nested as in the roadmap.
function drawTree() {
  const containers = new Map();
  const root = document.getElementById("tree");
  for (const topic of data.topics) {
    const summary = el("summary", {}, topicButton(topic.id),
      el("span", { class: "meta" }, `${count(topic.resources.length, "resource")}${topic.time ? " · " + hours(topic.time) : ""}`));
    const details = el("details", { id: `tree-${topic.id}`, open: "" }, summary);
    if (topic.resources.length) details.append(resourceList(topic.resources));
    (containers.get(topic.parent) || root).append(details);
    containers.set(topic.id, details);
  }
}

header();
drawGraph();
drawPlots();
drawChanges();
drawGaps();
drawTree();
