// The monthly report's "Print" button (no inline handlers: the Content-Security-Policy forbids them).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-action=print]")) {
      window.print();
    }
  });
})();
