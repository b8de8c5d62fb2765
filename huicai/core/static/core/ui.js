/* Small behaviours every page shares (CSP script-src 'self': no inline script anywhere).
 *
 * - the main menu folds behind one button on a phone;
 * - a form being sent cannot be sent twice: its submit buttons are disabled and say 提交中…
 *   (HTMX forms get hx-disabled-elt, so htmx disables them for the request's duration);
 * - uploads show a progress bar (determinate for htmx requests, which report progress);
 * - fields with a maxlength show how many characters are left as the user types;
 * - <select data-filter> gets a small text box that narrows its options (e.g. 110 departments).
 * The server keeps its own protections (idempotency keys, version checks): this is only feedback.
 */
(function () {
  "use strict";

  var SENDING = "提交中…";

  function each(root, selector, fn) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  // --- the menu -------------------------------------------------------------------------------------
  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("main-menu");
    if (!toggle || !nav) return;
    toggle.hidden = false;
    document.documentElement.classList.add("js-menu");
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // --- sending once ---------------------------------------------------------------------------------
  function submitButtons(form) {
    var inside = Array.prototype.slice.call(form.querySelectorAll("button:not([type=button]):not([type=reset]), input[type=submit]"));
    if (form.id) {
      each(document, '[form="' + form.id + '"]', function (b) { if (b.type === "submit") inside.push(b); });
    }
    return inside;
  }

  function markSending(buttons) {
    buttons.forEach(function (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      if (button.tagName === "BUTTON") {
        if (!button.dataset.label) button.dataset.label = button.innerHTML;
        button.textContent = SENDING;
      } else {
        if (!button.dataset.label) button.dataset.label = button.value;
        button.value = SENDING;
      }
    });
  }

  function restore(buttons) {
    buttons.forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      if (button.dataset.label !== undefined) {
        if (button.tagName === "BUTTON") button.innerHTML = button.dataset.label;
        else button.value = button.dataset.label;
        delete button.dataset.label;
      }
    });
  }

  function isHtmx(form) {
    return form.hasAttribute("hx-post") || form.hasAttribute("hx-put") || form.hasAttribute("hx-patch") ||
      form.hasAttribute("hx-delete") || form.hasAttribute("hx-get");
  }

  function hasFiles(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function progressFor(form) {
    var bar = form.querySelector("progress.upload-progress");
    if (!bar) {
      bar = document.createElement("progress");
      bar.className = "upload-progress";
      bar.max = 100;
      bar.setAttribute("aria-label", "上传进度");
      form.appendChild(bar);
    }
    bar.hidden = false;
    return bar;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || isHtmx(form) || form.hasAttribute("data-no-lock")) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.dataset.sending === "1") {
      event.preventDefault(); // the second click of a double click: already on its way
      return;
    }
    if (event.defaultPrevented) return;
    form.dataset.sending = "1";
    if (hasFiles(form)) progressFor(form).removeAttribute("value"); // indeterminate: the browser uploads
    var buttons = submitButtons(form);
    // After this event: a button disabled now would drop its own name=value from what is sent.
    window.setTimeout(function () { markSending(buttons); }, 0);
    // A download answers without leaving the page: give the form back after a while.
    window.setTimeout(function () { delete form.dataset.sending; restore(buttons); }, 15000);
  }, false);

  // Back/forward cache: a page shown again must not keep its buttons disabled.
  window.addEventListener("pageshow", function () {
    each(document, "form[data-sending]", function (form) {
      delete form.dataset.sending;
      restore(submitButtons(form));
    });
    each(document, "progress.upload-progress", function (bar) { bar.hidden = true; });
  });

  function setUpHtmx(root) {
    each(root, "form[hx-post], form[hx-put], form[hx-patch], form[hx-delete]", function (form) {
      if (!form.hasAttribute("hx-disabled-elt")) form.setAttribute("hx-disabled-elt", "find button[type=submit]");
    });
    each(root, "button[hx-post], button[hx-put], button[hx-patch], button[hx-delete]", function (button) {
      if (!button.hasAttribute("hx-disabled-elt")) button.setAttribute("hx-disabled-elt", "this");
    });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement)) return;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      if (!button.dataset.label) button.dataset.label = button.innerHTML;
      button.textContent = SENDING;
    });
    if (hasFiles(form)) progressFor(form).value = 0;
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.detail.elt;
    var bar = form && form.querySelector && form.querySelector("progress.upload-progress");
    if (bar && event.detail.lengthComputable) bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.isConnected) return;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      if (button.dataset.label !== undefined) {
        button.innerHTML = button.dataset.label;
        delete button.dataset.label;
      }
    });
    var bar = form.querySelector("progress.upload-progress");
    if (bar) bar.hidden = true;
  });

  // --- characters left ------------------------------------------------------------------------------
  function length(text) {
    return Array.from(text.replace(/\r?\n/g, "\r\n")).length; // the server counts a line break as \r\n
  }

  function setUpCounters(root) {
    each(root, "textarea[maxlength], input[type=text][maxlength]", function (field) {
      var max = parseInt(field.getAttribute("maxlength"), 10);
      if (!max || (field.tagName === "INPUT" && max < 100) || field.dataset.counted) return;
      field.dataset.counted = "1";
      var counter = document.createElement("small");
      counter.className = "counter";
      counter.id = (field.id || field.name) + "-counter";
      counter.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", counter);
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      function update() {
        var used = length(field.value);
        counter.textContent = "已输入 " + used + " / " + max + " 字";
        counter.classList.toggle("over", used > max);
        counter.classList.toggle("near", used <= max && used >= max * 0.9);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  // --- filtering a long select ----------------------------------------------------------------------
  function setUpFilters(root) {
    each(root, "select[data-filter]", function (select) {
      if (select.dataset.filtered) return;
      select.dataset.filtered = "1";
      var box = document.createElement("input");
      box.type = "search";
      box.className = "select-filter";
      box.placeholder = select.getAttribute("data-filter") || "输入名称筛选";
      box.setAttribute("aria-label", box.placeholder);
      box.setAttribute("aria-controls", select.id);
      select.insertAdjacentElement("beforebegin", box);
      box.addEventListener("input", function () {
        var needle = box.value.trim();
        var firstShown = null;
        each(select, "option", function (option) {
          var keep = !option.value || !needle || option.textContent.indexOf(needle) !== -1;
          option.hidden = !keep;
          option.disabled = !keep && !option.selected;
          if (keep && option.value && !firstShown) firstShown = option;
        });
        each(select, "optgroup", function (group) {
          group.hidden = !group.querySelector("option:not([hidden])");
        });
        if (needle && firstShown && select.selectedOptions.length && select.selectedOptions[0].hidden) {
          select.value = firstShown.value;
        }
      });
    });
  }

  function setUp(root) {
    setUpHtmx(root);
    setUpCounters(root);
    setUpFilters(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUp(document);
  });
  // Content htmx swaps in gets the same behaviours.
  document.addEventListener("htmx:load", function (event) { setUp(event.detail.elt.parentNode || document); });
})();
