// The chat button for a customer-facing web page: one script tag, e.g.
//   <script src="https://helpdesk.example.com/static/js/chat-embed.js" defer
//           data-label="Chat with support"></script>
// It adds a button that opens the helpdesk's public chat page (/chat/public/) in a small window of
// its own (the helpdesk's pages are never framed: X-Frame-Options and frame-ancestors forbid it).
// The page itself says whether chat is open now and, if not, when it opens.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, window.location.href).origin;
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = script.getAttribute("data-label") || "Chat";
  button.setAttribute("data-helpdesk-chat", "");
  button.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:2147483000;padding:.6rem 1rem;" +
    "border:0;border-radius:2rem;background:#0d6efd;color:#fff;font:inherit;cursor:pointer;" +
    "box-shadow:0 .25rem .75rem rgba(0,0,0,.2)";
  button.addEventListener("click", function () {
    var opened = window.open(origin + "/chat/public/", "helpdesk-chat", "width=420,height=640");
    if (opened) opened.opener = null;
    else window.location.href = origin + "/chat/public/";  // a pop-up blocker: go there instead
  });
  (document.body || document.documentElement).appendChild(button);
})();
