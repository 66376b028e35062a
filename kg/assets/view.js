// The page of a kg view. All data comes from the JSON block #kg-data and reaches the page
// as text: elements are built with createElement and textContent, never innerHTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var LABEL_PX = 14;       // node labels are at least this tall on screen at the first fit
  var EDGE_LABEL_PX = 13;  // a tie's words, on hover or zoomed in
  var ZOOMED = 1.8;        // zoomed in this far past the first fit, every tie says its relation

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function tooltip(lines) {
    var box = el("div", null, "tip");
    lines.forEach(function (line) { box.appendChild(el("div", line)); });
    return box;
  }

  // a relation in words: as the page gives it, else made from its name (metWith: met with)
  function words(e) {
    return e.words || String(e.relation || "").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  }

  // the articles by id, with their titles and addresses (a Map: an id is never a property name)
  var articleInfo = new Map();
  (data.articles || []).forEach(function (a) {
    if (typeof a === "string") articleInfo.set(a, { id: a, title: a, url: null });
    else articleInfo.set(a.id, a);
  });
  function titleOf(id) { var a = articleInfo.get(id); return a && a.title ? a.title : id; }
  function urlOf(id) {
    var a = articleInfo.get(id);
    // only an address on the web: never javascript:, data: or a file
    return a && typeof a.url === "string" && /^https?:\/\/[^\s]+$/i.test(a.url) ? a.url : null;
  }

  document.getElementById("kg-title").textContent = data.title;
  if (data.note) {
    // a large network is drawn in part: the page says which part, and how to see more
    var note = document.getElementById("kg-note");
    note.textContent = data.note;
    note.hidden = false;
  }

  // nodes and edges, with tooltips made of text nodes
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var node = Object.assign({}, n);
    node.baseColor = n.color;
    node.title = tooltip([n.label, [n.kind, n.country].filter(Boolean).join(" · ")]);
    return node;
  }));
  var labelOf = function (id) { var n = nodes.get(id); return n ? n.label : id; };
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var edge = Object.assign({}, e);
    delete edge.label;  // a tie says its relation on hover, or once zoomed in: never piled up
    edge.title = tooltip([labelOf(e.from) + " " + words(e) + " " + labelOf(e.to),
      e.count + " fact(s), score " + e.score]);
    return edge;
  }));

  // filters: relation, date range, article
  var relation = document.getElementById("kg-relation");
  relation.appendChild(new Option("all relations", ""));
  var relations = new Map();
  data.edges.forEach(function (e) { relations.set(e.relation, words(e)); });
  Array.from(relations.keys()).sort(function (a, b) {
    return relations.get(a).localeCompare(relations.get(b));
  }).forEach(function (r) { relation.appendChild(new Option(relations.get(r), r)); });
  var article = document.getElementById("kg-article");
  article.appendChild(new Option("all articles", ""));
  articleInfo.forEach(function (a) { article.appendChild(new Option(titleOf(a.id), a.id)); });
  var from = document.getElementById("kg-from");
  var to = document.getElementById("kg-to");

  function keep(edge) {
    if (relation.value && edge.relation !== relation.value) return false;
    if (article.value && (edge.articles || []).indexOf(article.value) < 0) return false;
    if (from.value || to.value) {
      // a tie is kept when the interval of one of its facts (first..last, either end open) reaches into the range
      return (edge.spans || []).some(function (span) {
        return (!from.value || !span[1] || span[1] >= from.value) && (!to.value || !span[0] || span[0] <= to.value);
      });
    }
    return true;
  }
  var edgeView = new vis.DataView(edges, { filter: keep });
  [relation, from, to, article].forEach(function (control) {
    control.addEventListener("change", function () { edgeView.refresh(); });
  });

  // the legend: each class in the shape and colour the network draws it with
  function swatch(shape, color) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("data-shape", shape);
    var polygons = {
      triangle: "8,1.5 15,14.5 1,14.5",
      triangleDown: "1,1.5 15,1.5 8,14.5",
      diamond: "8,0.5 15.5,8 8,15.5 0.5,8",
      star: "8,0.5 9.9,5.6 15.2,5.7 11,9 12.5,14.3 8,11.2 3.5,14.3 5,9 0.8,5.7 6.1,5.6",
      hexagon: "4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8"
    };
    var mark;
    if (shape === "line") {
      mark = document.createElementNS(SVG, "line");
      [["x1", "0"], ["y1", "8"], ["x2", "16"], ["y2", "8"], ["stroke-width", "3"]].forEach(function (a) { mark.setAttribute(a[0], a[1]); });
      mark.setAttribute("stroke", color);
    } else if (shape === "square" || shape === "box") {
      mark = document.createElementNS(SVG, "rect");
      [["x", "1.5"], ["y", "1.5"], ["width", "13"], ["height", "13"]].forEach(function (a) { mark.setAttribute(a[0], a[1]); });
    } else if (polygons[shape]) {
      mark = document.createElementNS(SVG, "polygon");
      mark.setAttribute("points", polygons[shape]);
    } else {
      mark = document.createElementNS(SVG, "circle");  // dot, and any other round shape
      [["cx", "8"], ["cy", "8"], ["r", "7"]].forEach(function (a) { mark.setAttribute(a[0], a[1]); });
    }
    if (shape !== "line") mark.setAttribute("fill", color);
    svg.appendChild(mark);
    return svg;
  }
  var legend = document.getElementById("kg-legend");
  data.legend.forEach(function (item) {
    var li = el("li", null, item.shape === "line" ? "line" : "");
    li.appendChild(swatch(item.shape, item.color));
    li.appendChild(document.createTextNode(item.label));
    li.setAttribute("data-label", item.label);
    legend.appendChild(li);
  });

  // drawn where the page says: the layout is computed (seeded) before the page is written,
  // so there is no simulation, and every load draws the same picture
  var options = {
    autoResize: true,
    layout: { randomSeed: 1, improvedLayout: false },
    nodes: { font: { size: LABEL_PX, color: "#222", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { smooth: false, font: { size: EDGE_LABEL_PX, color: "#333", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" } },
    interaction: { hover: true, tooltipDelay: 150 },
    physics: { enabled: false }
  };
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edgeView }, options);
  var state = { still: false, network: network, nodes: nodes, edges: edges };

  // labels readable at the first fit: font sizes are in the drawing's units, so they are
  // set from the scale the fit chose (fitting again, as larger labels take more room);
  // done once the first drawing has measured the labels
  var fitScale = 1, hovered = null, zoomed = false;
  network.once("afterDrawing", function () {
    network.fit({ animation: false });
    var fontSize = LABEL_PX;
    for (var i = 0; i < 4 && fontSize * network.getScale() < LABEL_PX; i++) {
      fontSize = Math.ceil(LABEL_PX / network.getScale() * 10) / 10 + 0.1;
      network.setOptions({ nodes: { font: { size: fontSize } } });
      network.redraw();
      network.fit({ animation: false });
    }
    placeLabels();
    frame();  // the labels drawn inside the view too, not only the actors
    fontSize = LABEL_PX / network.getScale();
    network.setOptions({ nodes: { font: { size: fontSize } } });
    network.redraw();
    placeLabels();
    fitScale = network.getScale();
    state.fitScale = fitScale;
    state.fontSize = fontSize;
    state.still = true;
  });

  // centre the drawing on the actors and their shown labels, zooming out as far as they need
  function frame() {
    var box = null;
    nodes.getIds().forEach(function (id) {
      if (hiddenLabels.has(id)) return;
      var b = network.getBoundingBox(id);
      box = box === null ? b : { left: Math.min(box.left, b.left), right: Math.max(box.right, b.right),
                                 top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom) };
    });
    if (box === null) return;
    var room = 0.96 * Math.min(container.clientWidth / Math.max(box.right - box.left, 1),
                               container.clientHeight / Math.max(box.bottom - box.top, 1));
    network.moveTo({ position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
                     scale: Math.min(network.getScale(), room), animation: false });
  }

  // a label that would cover one already drawn waits, invisible, for the pointer on its
  // actor or a zoom that makes room: the larger (more central) actors are labelled first
  var HIDDEN = { color: "rgba(0,0,0,0)", strokeColor: "rgba(0,0,0,0)" };
  var SHOWN = { color: "#222", strokeColor: "#ffffff" };
  var hiddenLabels = new Set();
  function overlaps(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  function placeLabels() {
    var kept = [];
    hiddenLabels = new Set();
    nodes.get().sort(function (a, b) {
      return (b.size || 0) - (a.size || 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    }).forEach(function (n) {
      var box = network.getBoundingBox(n.id);  // the shape and the whole label, drawn or not
      if (kept.some(function (k) { return overlaps(k, box); })) hiddenLabels.add(n.id);
      else kept.push(box);
    });
    nodes.update(nodes.get().map(function (n) { return { id: n.id, font: hiddenLabels.has(n.id) ? HIDDEN : SHOWN }; }));
    state.hiddenLabels = Array.from(hiddenLabels).sort();
  }
  network.on("hoverNode", function (params) { nodes.update({ id: params.node, font: SHOWN }); });
  network.on("blurNode", function (params) {
    if (hiddenLabels.has(params.node)) nodes.update({ id: params.node, font: HIDDEN });
  });
  network.on("zoom", function () {
    // labels stay LABEL_PX tall on the screen: zoomed in, they take less of the drawing
    network.setOptions({ nodes: { font: { size: LABEL_PX / network.getScale() } } });
    network.redraw();
    placeLabels();
  });

  // a tie's words: on the tie under the pointer, and on every tie once zoomed in
  function labelEdges() {
    var font = { size: EDGE_LABEL_PX / network.getScale() };
    edges.update(edges.get().map(function (e) {
      var shown = zoomed || e.id === hovered;
      return { id: e.id, label: shown ? words(e) : " ", font: font };
    }));
  }
  network.on("hoverEdge", function (params) { hovered = params.edge; labelEdges(); });
  network.on("blurEdge", function () { hovered = null; labelEdges(); });
  network.on("zoom", function () {
    var now = network.getScale() >= fitScale * ZOOMED;
    if (now !== zoomed || now) { zoomed = now; labelEdges(); }
  });

  // the side panel: each supporting fact with its date, type, quotes and articles
  var panel = document.getElementById("kg-panel");
  function clear() { while (panel.firstChild) panel.removeChild(panel.firstChild); }
  function hint() { clear(); panel.appendChild(el("p", "Click an actor or a tie to see the facts behind it.", "meta")); }
  function articleName(id) {
    // an article by its title, linked to its text where its address is known
    var url = urlOf(id);
    if (!url) return el("cite", titleOf(id));
    var link = el("a", titleOf(id));
    link.setAttribute("href", url);
    link.setAttribute("rel", "noopener noreferrer");
    link.setAttribute("target", "_blank");
    var cite = el("cite");
    cite.appendChild(link);
    return cite;
  }
  function line(parts, cls) {
    // a line of text and elements: strings become text nodes
    var box = el("div", null, cls || "meta");
    parts.forEach(function (part) {
      box.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
    return box;
  }
  function listed(ids) {
    var parts = [];
    ids.forEach(function (id, i) { if (i) parts.push("; "); parts.push(articleName(id)); });
    return parts;
  }
  function listFacts(facts) {
    facts.forEach(function (f) {
      var box = el("div", null, "fact");
      box.appendChild(el("div", [f.when || "undated", f.type, f.modality].join(" · "), "meta"));
      box.appendChild(el("div", f.label));
      f.quotes.forEach(function (q) {
        box.appendChild(el("blockquote", q.quote));
        // what this article says of the fact: its modality and date may differ from another's
        var said = [q.modality, q.when].filter(Boolean).join(" · ");
        box.appendChild(line([articleName(q.article)].concat(said ? [" · " + said] : []), "meta source"));
      });
      if (f.more > 0) {
        // the page carries a few quotes per fact; the question that lists them all is named
        box.appendChild(line([f.more + " more quote(s) in "].concat(listed(f.articles), [": "],
          [el("code", "kg query fact-reports -p fact=" + f.fact)])));
      }
      panel.appendChild(box);
    });
  }
  function showEdge(id) {
    var e = edges.get(id);
    if (!e) return;
    clear();
    panel.appendChild(el("h2", labelOf(e.from) + " — " + words(e) + " → " + labelOf(e.to)));
    summarise(e);
  }
  function summarise(e) {
    // the tie in brief: its facts by type, its balance, its time and its articles
    var types = Object.keys(e.types || {}).map(function (t) { return t + " " + e.types[t]; });
    panel.appendChild(el("div", e.count + " fact(s): " + types.join(", ") + " · score " + e.score +
      " (cooperation " + e.cooperation + ", conflict " + e.conflict + ")", "meta"));
    var span = e.first || e.last ? (e.first || "..") + (e.last && e.last !== e.first ? " to " + e.last : "") : "undated";
    panel.appendChild(line([span + " · " + e.articles.length + " article(s): "].concat(listed(e.articles))));
    listFacts(e.facts || []);
    if (e.more > 0) {
      // the page carries the first facts of a tie; the command that lists them all is named
      panel.appendChild(line([e.more + " more fact(s): ", el("code", e.command)], "meta more"));
    }
  }
  function showNode(id) {
    var n = nodes.get(id);
    if (!n) return;
    clear();
    panel.appendChild(el("h2", n.label));
    panel.appendChild(el("div", [n.kind, n.country].concat(n.posts || []).filter(Boolean).join(" · "), "meta"));
    if ((n.aliases || []).length) panel.appendChild(el("div", "also: " + n.aliases.join(", "), "meta"));
    if (n.facts) listFacts(n.facts);
    edges.get({ filter: function (e) { return e.from === id || e.to === id; } }).forEach(function (e) {
      var text = e.from === id ? "→ " + words(e) + " " + labelOf(e.to) : "← " + labelOf(e.from) + " " + words(e);
      panel.appendChild(el("h3", text));
      summarise(e);
    });
  }
  function highlight(id) {
    var near = id === null ? null : new Set(network.getConnectedNodes(id).concat([id]));
    nodes.update(nodes.get().map(function (n) {
      return { id: n.id, color: near === null || near.has(n.id) ? n.baseColor : "#e0e0e0" };
    }));
  }
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0]); showNode(params.nodes[0]); }
    else if (params.edges.length) { highlight(null); showEdge(params.edges[0]); }
    else { highlight(null); hint(); }
  });

  // search by label or alias
  document.getElementById("kg-search").addEventListener("input", function (event) {
    var text = event.target.value.trim().toLowerCase();
    if (!text) return;
    var found = nodes.get({ filter: function (n) {
      return [n.label].concat(n.aliases || []).some(function (name) { return String(name).toLowerCase().indexOf(text) >= 0; });
    } });
    if (found.length) {
      network.selectNodes([found[0].id]);
      network.focus(found[0].id, { scale: Math.max(1.2, fitScale) });
      highlight(found[0].id);
      showNode(found[0].id);
    }
  });

  hint();
  state.showEdge = showEdge;
  state.showNode = showNode;
  window.kgView = state;
})();
