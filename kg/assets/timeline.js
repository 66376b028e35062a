// The kg timeline: the figures come from the data block (their strings already escaped for
// plotly's text markup); the controls, the legend and the quotes panel are built here from
// text nodes, never from markup.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const div = document.getElementById("kg-timeline");
  const panel = document.getElementById("kg-panel");
  const select = document.getElementById("kg-lanes");
  const state = { data: data, div: div, lanes: data.lanes, still: false, show: show, draw: draw };
  window.kgTimeline = state;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  document.getElementById("kg-title").textContent = data.title;
  const note = document.getElementById("kg-note");
  note.textContent = data.note || "";
  note.hidden = !data.note;

  for (const mode of Object.keys(data.modes)) {
    const option = el("option", data.modes[mode]);
    option.value = mode;
    select.append(option);
  }
  select.value = data.lanes;

  const legend = document.getElementById("kg-legend");
  const swatches = [
    ["cooperation", data.colours.cooperation, ""],
    ["conflict", data.colours.conflict, ""],
    ["neither", data.colours.neutral, ""],
    ["pale: planned or hypothetical", "#888888", "pale"],
    ["hatched: one bound known", "#888888", "open"],
  ];
  for (const [label, colour, cls] of swatches) {
    const item = el("li", label, cls);
    item.style.setProperty("--swatch", colour);
    if (cls === "pale") item.style.setProperty("--opacity", "0.42");
    legend.append(item);
  }

  function intro() {
    panel.replaceChildren(
      el("h2", "Quotes"),
      el("p", "Click an item to read the quotes it stands on, with their articles.", "meta")
    );
  }

  function show(index) {
    const item = data.items[index];
    const parts = [el("h2", item.label), el("p", item.words + " \u00b7 " + item.time + " \u00b7 " + item.modality, "meta"),
      el("p", item.who, "who")];
    const list = el("ol");
    for (const q of item.quotes) {
      const entry = el("li");
      entry.append(el("blockquote", "\u201c" + q.quote + "\u201d"));
      const source = [q.title || q.article];
      if (q.date) source.push(q.date);
      entry.append(el("p", source.join(" \u00b7 "), "source"));
      const says = [q.modality];
      if (q.when) says.push(q.when);
      entry.append(el("p", "this article: " + says.join(", "), "meta"));
      list.append(entry);
    }
    parts.push(list);
    if (item.more > 0) {
      parts.push(el("p", item.more + " more quote(s): kg query fact-reports -p fact=" + item.fact, "meta"));
    }
    panel.replaceChildren(...parts);
    state.shown = item.fact;
  }

  function draw(mode) {
    state.still = false;
    const figure = data.figures[mode];
    return Plotly.react(div, figure.data, figure.layout, data.config).then(function () {
      state.lanes = mode;
      select.value = mode;
      state.still = true;
    });
  }

  intro();
  select.addEventListener("change", function () { draw(select.value); });
  if (!data.figures[data.lanes]) {
    select.disabled = true;
    state.still = true;
    return;
  }
  draw(data.lanes).then(function () {
    div.on("plotly_click", function (event) {
      const point = event.points && event.points[0];
      if (point && point.customdata !== undefined) show(point.customdata);
    });
  });
})();
