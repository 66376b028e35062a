// The site's search: its index is the JSON in #kg-search-index (no fetch: file:// forbids it).
// A query matches an entry when every word of it begins a word of the entry's text or of
// its "more" (aliases, an article's title), case and accents aside. Results are built from
// text nodes: data never becomes markup.
(function () {
  "use strict";
  var entries = JSON.parse(document.getElementById("kg-search-index").textContent);
  var input = document.getElementById("kg-q");
  var list = document.getElementById("kg-results");
  var count = document.getElementById("kg-count");
  var LIMIT = 200;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function words(text) {
    return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
  }
  entries.forEach(function (e) { e.words = words(e.text + " " + e.more); });

  function matches(entry, query) {
    return query.every(function (q) {
      return entry.words.some(function (w) { return w.startsWith(q); });
    });
  }

  function show() {
    var query = words(input.value);
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!query.length) { count.textContent = ""; return; }
    var found = entries.filter(function (e) { return matches(e, query); });
    count.textContent = found.length + (found.length === 1 ? " match" : " matches") +
      (found.length > LIMIT ? " (the first " + LIMIT + " shown)" : "");
    found.slice(0, LIMIT).forEach(function (e) {
      var item = document.createElement("li");
      item.className = "result " + e.kind;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = e.kind;
      var a = document.createElement("a");
      a.setAttribute("href", e.href);
      a.textContent = e.text;
      item.appendChild(kind);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(a);
      if (e.more) {
        var more = document.createElement("span");
        more.className = "meta";
        more.textContent = " \u2014 " + e.more;
        item.appendChild(more);
      }
      list.appendChild(item);
    });
  }

  input.addEventListener("input", show);
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) { input.value = asked; }
  show();
  window.kgSearch = { ready: true, entries: entries.length };
})();
