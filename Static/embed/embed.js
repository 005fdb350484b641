// Draws the chart of an embed page. The Chart.js config arrives as a JSON data block (never executed),
// so the page needs no inline script and its Content-Security-Policy can forbid them.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("chartcraft-config").textContent);
  config.options = config.options || {};
  config.options.responsive = true;
  config.options.maintainAspectRatio = false;
  new Chart(document.getElementById("chartcraft-chart"), config);
})();
