// Agent queue and workspace: small helpers on top of htmx. No framework, no inline scripts.
(function () {
  "use strict";

  // Queue: "select all on this page" (the row checkboxes keep their state across the htmx
  // refresh through hx-preserve; this box follows them).
  document.addEventListener("change", function (event) {
    if (event.target.id !== "select-all") return;
    document.querySelectorAll("input[name=tickets][form=bulk-form]").forEach(function (box) {
      box.checked = event.target.checked;
    });
  });

  // Workspace: a canned reply goes into the reply box at the cursor.
  document.addEventListener("change", function (event) {
    if (event.target.id !== "canned-reply") return;
    var option = event.target.selectedOptions[0];
    var text = option && option.dataset.text;
    var box = document.querySelector("form[data-testid=agent-reply-form] textarea[name=body]");
    if (!text || !box) return;
    var start = box.selectionStart || 0, end = box.selectionEnd || 0;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    box.focus();
    box.selectionStart = box.selectionEnd = start + text.length;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    event.target.value = "";
  });

  // Workspace: tell the presence poll that this agent is writing (for 20 s after a keystroke).
  var typingTimer = null;
  document.addEventListener("input", function (event) {
    if (!event.target.closest("form[data-testid=agent-reply-form]")) return;
    var flag = document.getElementById("typing-flag");
    if (!flag) return;
    flag.value = "1";
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { flag.value = "0"; }, 20000);
  });

  // Workspace: leaving the page removes this agent's hint at once (otherwise it expires).
  window.addEventListener("pagehide", function () {
    var area = document.getElementById("presence");
    if (!area || !navigator.sendBeacon) return;
    var data = new FormData();
    data.append("leave", "1");
    var page = document.getElementById("presence-page");
    if (page) data.append("page", page.value);
    try {
      data.append("csrfmiddlewaretoken", JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]);
    } catch (error) {
      return;
    }
    navigator.sendBeacon(area.getAttribute("hx-post"), data);
  });
})();
