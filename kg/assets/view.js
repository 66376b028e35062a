// The page of a kg view. All data comes from the JSON block #kg-data and reaches the page
// as text: elements are built with createElement and textContent, never innerHTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);

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
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var edge = Object.assign({}, e);
    edge.title = tooltip([e.relation + " · " + e.count + " fact(s), score " + e.score]);
    return edge;
  }));

  // filters: relation, date range, article
  var relation = document.getElementById("kg-relation");
  relation.appendChild(new Option("all relations", ""));
  Array.from(new Set(data.edges.map(function (e) { return e.relation; }))).sort().forEach(function (r) {
    relation.appendChild(new Option(r, r));
  });
  var article = document.getElementById("kg-article");
  article.appendChild(new Option("all articles", ""));
  (data.articles || []).forEach(function (a) { article.appendChild(new Option(a, a)); });
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

  var options = {
    autoResize: true,
    nodes: { font: { size: 13 } },
    edges: { smooth: { type: "dynamic" }, font: { size: 9, color: "#666", strokeWidth: 0 } },
    interaction: { hover: true, tooltipDelay: 150 },
    physics: data.physics
      ? { enabled: true, solver: "forceAtlas2Based", stabilization: { enabled: true, iterations: data.iterations } }
      : { enabled: false }
  };
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edgeView }, options);
  var state = { still: !data.physics, network: network, nodes: nodes, edges: edges };
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    state.still = true;
  });
  if (!data.physics) network.fit();

  // the side panel: each supporting fact with its date, type, quotes and articles
  var panel = document.getElementById("kg-panel");
  function clear() { while (panel.firstChild) panel.removeChild(panel.firstChild); }
  function hint() { clear(); panel.appendChild(el("p", "Click an actor or a tie to see the facts behind it.", "meta")); }
  function listFacts(facts) {
    facts.forEach(function (f) {
      var box = el("div", null, "fact");
      box.appendChild(el("div", [f.when || "undated", f.type, f.modality].join(" · "), "meta"));
      box.appendChild(el("div", f.label));
      f.quotes.forEach(function (q) {
        box.appendChild(el("blockquote", q.quote));
        // what this article says of the fact: its modality and date may differ from another's
        box.appendChild(el("div", [q.article, q.modality, q.when].filter(Boolean).join(" · "), "meta"));
      });
      if (f.more > 0) {
        // the page carries a few quotes per fact; the question that lists them all is named
        box.appendChild(el("div", f.more + " more quote(s) in " + f.articles.join(" ") +
          ": kg query fact-reports -p fact=" + f.fact, "meta"));
      }
      panel.appendChild(box);
    });
  }
  function showEdge(id) {
    var e = edges.get(id);
    if (!e) return;
    clear();
    var a = nodes.get(e.from), b = nodes.get(e.to);
    panel.appendChild(el("h2", (a ? a.label : e.from) + " — " + e.relation + " → " + (b ? b.label : e.to)));
    summarise(e);
  }
  function summarise(e) {
    // the tie in brief: its facts by type, its balance, its time and its articles
    var types = Object.keys(e.types || {}).map(function (t) { return t + " " + e.types[t]; });
    panel.appendChild(el("div", e.count + " fact(s): " + types.join(", ") + " · score " + e.score +
      " (cooperation " + e.cooperation + ", conflict " + e.conflict + ")", "meta"));
    var span = e.first || e.last ? (e.first || "..") + (e.last && e.last !== e.first ? " to " + e.last : "") : "undated";
    panel.appendChild(el("div", span + " · " + e.articles.length + " article(s): " + e.articles.join(" "), "meta"));
    listFacts(e.facts || []);
    if (e.more > 0) {
      // the page carries the first facts of a tie; the command that lists them all is named
      panel.appendChild(el("div", e.more + " more fact(s): " + e.command, "meta more"));
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
      var other = nodes.get(e.from === id ? e.to : e.from);
      panel.appendChild(el("div", (e.from === id ? "→ " : "← ") + e.relation + " " + (other ? other.label : ""), "meta"));
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
      network.focus(found[0].id, { scale: 1.2 });
      highlight(found[0].id);
      showNode(found[0].id);
    }
  });

  // the legend
  var legend = document.getElementById("kg-legend");
  data.legend.forEach(function (item) {
    var li = el("li", item.label, item.shape === "line" ? "line" : "");
    li.style.setProperty("--swatch", item.color);
    legend.appendChild(li);
  });

  hint();
  state.showEdge = showEdge;
  state.showNode = showNode;
  window.kgView = state;
})();
