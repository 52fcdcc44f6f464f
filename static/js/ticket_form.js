// Filing forms (portal and phone): what the form needs, shown before anything is sent. No framework,
// no inline scripts; everything here only improves a form that works without it.
// - Fields required for some categories carry them in data-required-for (from the form's rule):
//   their asterisk, `required` and aria-required follow the chosen category.
// - A block with data-shown-for is shown only for those categories (the severity).
// - A file input with data-max-bytes refuses files over the limit before the upload, saying so
//   (data-too-large, with the sizes as precise as the server's message).
// - A [data-dropzone] takes dropped files; [data-upload-progress] shows the upload of an htmx submit.
(function () {
  "use strict";

  var KILOBYTE = 1024, MEGABYTE = 1024 * 1024;

  function categoriesOf(element, attribute) {
    return (element.getAttribute(attribute) || "").split(" ").filter(Boolean);
  }

  function chosenCategory(form) {
    var field = form.querySelector("[name=category]");
    if (!field) return "";
    if (field.type === "radio") {
      var checked = form.querySelector("[name=category]:checked");
      return checked ? checked.value : "";
    }
    return field.value;
  }

  function markRequired(wrapper, needed) {
    var label = wrapper.querySelector("legend, label.form-label, label");
    if (!label) return;
    var mark = label.querySelector(".asteriskField");
    if (needed && !mark) {
      mark = document.createElement("span");
      mark.className = "asteriskField";
      mark.textContent = "*";
      label.appendChild(mark);
    } else if (!needed && mark) {
      mark.remove();
    }
  }

  function applyCategory(form) {
    var category = chosenCategory(form);
    form.querySelectorAll("[data-required-for]").forEach(function (input) {
      var needed = categoriesOf(input, "data-required-for").indexOf(category) !== -1;
      input.required = needed;
      input.setAttribute("aria-required", needed ? "true" : "false");
      var wrapper = input.closest("[id^=div_id_]");
      if (wrapper) markRequired(wrapper, needed);
    });
    form.querySelectorAll("[data-shown-for]").forEach(function (input) {
      var block = input.closest("[id^=div_id_]") || input;
      block.hidden = categoriesOf(input, "data-shown-for").indexOf(category) === -1;
    });
  }

  function sizeText(size, beside, lang) {
    var larger = Math.max(size, beside || 0);
    var unit = larger >= MEGABYTE ? MEGABYTE : KILOBYTE, name = larger >= MEGABYTE ? "MB" : "KB";
    if (larger < KILOBYTE) return size + " bytes";
    var value = size / unit, other = beside ? beside / unit : null;
    if (Number.isInteger(value)) return value.toLocaleString(lang) + " " + name;
    for (var places = 2; places <= 6; places++) {
      var factor = Math.pow(10, places), shown = Math.round(value * factor) / factor;
      if (shown !== other && shown !== 0) {
        return shown.toLocaleString(lang, { minimumFractionDigits: places, maximumFractionDigits: places }) + " " + name;
      }
    }
    return size.toLocaleString(lang) + " bytes";
  }

  // Keeps only the files within the limit; says which were left out and why.
  function checkSizes(input) {
    var limit = parseInt(input.dataset.maxBytes || "0", 10);
    var box = input.closest("[data-dropzone]");
    var errors = box ? box.querySelector("[data-size-errors]") : null;
    if (!limit || !input.files) return;
    var lang = document.documentElement.lang || undefined;
    var kept = new DataTransfer(), messages = [];
    Array.prototype.forEach.call(input.files, function (file) {
      if (file.size > limit) {
        messages.push(input.dataset.tooLarge
          .replace("%(name)s", file.name)
          .replace("%(size)s", sizeText(file.size, limit, lang))
          .replace("%(limit)s", input.dataset.maxLabel));
      } else {
        kept.items.add(file);
      }
    });
    if (messages.length) input.files = kept.files;
    if (errors) {
      errors.textContent = "";
      messages.forEach(function (text) {
        var line = document.createElement("div");
        line.textContent = text;
        errors.appendChild(line);
      });
    }
  }

  function addFiles(input, files) {
    var all = new DataTransfer();
    Array.prototype.forEach.call(input.files || [], function (file) { all.items.add(file); });
    Array.prototype.forEach.call(files, function (file) { all.items.add(file); });
    input.files = all.files;
    checkSizes(input);
  }

  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) found.unshift(root);
    return found;
  }

  function setUp(root) {
    within(root, "[data-category-form]").forEach(function (form) {
      applyCategory(form);
      var first = form.querySelector(".is-invalid");
      if (first && root !== document) first.focus();  // after an htmx re-render: the first error
    });
    within(root, "[data-dropzone]").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      var hint = zone.querySelector("[data-dropzone-hint]");
      if (!input || zone.dataset.ready) return;
      zone.dataset.ready = "1";
      if (hint) hint.classList.remove("d-none");
      zone.addEventListener("dragover", function (event) {
        event.preventDefault();
        zone.classList.add("dropzone-active");
      });
      zone.addEventListener("dragleave", function () { zone.classList.remove("dropzone-active"); });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        zone.classList.remove("dropzone-active");
        if (event.dataTransfer && event.dataTransfer.files.length) addFiles(input, event.dataTransfer.files);
      });
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "category") {
      var form = target.closest("[data-category-form]");
      if (form) applyCategory(form);
    }
    if (target.type === "file" && target.dataset.maxBytes) checkSizes(target);
  });

  // Upload progress of an htmx submit (the portal form posts through htmx).
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target;  // the element that sent the request: only the form's own submit counts
    if (!form.matches || !form.matches("form[data-category-form]")) return;
    var bar = form.querySelector("[data-upload-progress]");
    if (!bar || !event.detail.lengthComputable) return;
    bar.classList.remove("d-none");
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });

  if (window.htmx) {
    window.htmx.onLoad(function (element) { setUp(element === document.body ? document : element); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  }
})();
