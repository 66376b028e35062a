// A kg chart: the figure comes whole from the data block (its strings already escaped for
// plotly's text markup); the heading and the note are set as text.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  document.getElementById("kg-title").textContent = data.title;
  const note = document.getElementById("kg-note");
  note.textContent = data.note || "";
  note.hidden = !data.note;
  const div = document.getElementById("kg-chart");
  window.kgChart = { data: data, div: div, still: false };
  Plotly.newPlot(div, data.figure.data, data.figure.layout, data.config).then(function () {
    window.kgChart.still = true;
  });
})();
