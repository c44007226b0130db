// The person page's neighbour graph and an entity's network page: cytoscape (served by the node, from npm at build time) draws the elements the
// page put in #graph's data-graph attribute. Labels are drawn on a canvas, never parsed as HTML.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  var container = document.getElementById('graph');
  if (!container || typeof cytoscape !== 'function') { return; }
  var elements = JSON.parse(container.dataset.graph);
  var rtl = document.documentElement.dir === 'rtl';
  window.jisrGraph = cytoscape({
    container: container,
    elements: elements,
    wheelSensitivity: 0.3,
    maxZoom: 1.5,
    minZoom: 0.2,
    // Rings by distance from the entity asked about where the page gives one (level), else the centre and the rest.
    layout: { name: 'concentric', concentric: function (n) { var level = n.data('level'); return typeof level === 'number' ? level : (n.data('centre') ? 2 : 1); },
      levelWidth: function () { return 1; }, minNodeSpacing: 60, padding: 30 },
    style: [
      { selector: 'node', style: { 'label': 'data(label)', 'background-color': '#0a5a8a', 'color': '#1b1f24', 'font-family': 'Noto Sans Arabic, sans-serif',
        'font-size': 12, 'text-valign': 'bottom', 'text-margin-y': 4, 'width': 26, 'height': 26, 'text-wrap': 'wrap', 'text-max-width': 160 } },
      { selector: 'node[?centre]', style: { 'background-color': '#c8102e', 'width': 36, 'height': 36, 'font-weight': 'bold' } },
      { selector: 'edge', style: { 'label': 'data(label)', 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'width': 2,
        'line-color': '#6b7682', 'target-arrow-color': '#6b7682', 'font-size': 11, 'text-rotation': 'autorotate', 'text-background-color': '#fff',
        'text-background-opacity': 1 } },
      // The network page's links come from the link graph, which keeps no direction: no arrow claims one.
      { selector: 'edge[?undirected]', style: { 'target-arrow-shape': 'none' } }
    ]
  });
  if (rtl) { container.setAttribute('dir', 'rtl'); }
  // Opening a neighbour goes to its page: the page put its address in href (the person page, or another entity's network).
  window.jisrGraph.on('tap', 'node', function (event) {
    var node = event.target;
    var href = node.data('href');
    if (node.data('centre')) { return; }
    if (typeof href === 'string' && href.charAt(0) === '/') { window.location.assign(href); }
    else if (node.data('person')) { window.location.assign('/persons/' + encodeURIComponent(node.id())); }
  });
});
