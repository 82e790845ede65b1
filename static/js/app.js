/* quizapp — progressive enhancement only; every page works without this file.
   Loaded with <script src="…/app.js" defer>; no inline code, no globals. See docs/ui.md. */
(function () {
  "use strict";

  var doc = document;
  doc.documentElement.classList.add("js");

  // Inputs where letters and digits are text, so the quiz shortcuts must not fire.
  var TYPING = "input:not([type=radio]):not([type=checkbox]):not([type=submit])" +
    ":not([type=button]):not([type=reset]), textarea, select, [contenteditable]";
  var FIELDS = "input:not([type=hidden]), select, textarea";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* ---- Quiz progress: "n of N answered" -------------------------------------------------- */
  function isAnswered(question) {
    return Array.prototype.some.call(question.querySelectorAll(FIELDS), function (field) {
      if (field.type === "radio" || field.type === "checkbox") { return field.checked; }
      if (field.type === "submit" || field.type === "button") { return false; }
      return field.value.trim() !== "";
    });
  }

  function updateProgress(form) {
    var questions = form.querySelectorAll(".question");
    var done = Array.prototype.filter.call(questions, isAnswered).length;
    // The bar may sit inside the form or just before it (then only one quiz per page).
    var scope = form.querySelector("[data-progress-text], [data-progress-bar]") ? form : doc;
    each(scope.querySelectorAll("[data-progress-text]"), function (el) {
      var pattern = el.getAttribute("data-progress-template") || "{n} of {total} answered";
      el.textContent = pattern.replace("{n}", done).replace("{total}", questions.length);
    });
    each(scope.querySelectorAll("progress[data-progress-bar]"), function (bar) {
      bar.max = Math.max(questions.length, 1);
      bar.value = done;
    });
  }

  /* ---- Quiz keyboard: 1–9 choose, j / k next / previous question ------------------------- */
  function firstField(question) {
    return question.querySelector("input[type=radio]:checked:not(:disabled)") ||
      question.querySelector("input:not([type=hidden]):not(:disabled), select, textarea");
  }

  function neighbour(form, from, forward) {
    var questions = Array.prototype.slice.call(form.querySelectorAll(".question"));
    if (!forward) { questions.reverse(); }
    var wanted = forward ? Node.DOCUMENT_POSITION_FOLLOWING : Node.DOCUMENT_POSITION_PRECEDING;
    return questions.find(function (q) {
      return !q.contains(from) && (from.compareDocumentPosition(q) & wanted) !== 0;
    });
  }

  function onQuizKey(event) {
    var form = event.currentTarget;
    var target = event.target;
    var key = event.key;
    // Enter in an answer box or on a choice moves to the next question instead of
    // submitting the whole quiz (the browser's implicit submission); at the end, to the button.
    if (key === "Enter" && form.hasAttribute("data-enter-next") && !event.isComposing &&
        !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey &&
        target.matches("input:not([type=hidden]):not([type=submit]):not([type=button])") &&
        target.closest(".question")) {
      event.preventDefault();
      var after = neighbour(form, target, true);
      var into = (after && firstField(after)) || form.querySelector("button[type=submit]");
      if (into) { into.focus(); }
      return;
    }
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey ||
        event.shiftKey || event.isComposing || target.closest(TYPING)) { return; }
    if (/^[1-9]$/.test(key)) {
      var question = target.closest(".question");
      if (!question || !form.contains(question)) { return; }
      var choice = question.querySelectorAll("input[type=radio]")[Number(key) - 1];
      if (!choice || choice.disabled) { return; }
      event.preventDefault();
      if (!choice.checked) { choice.click(); } // fires input/change like a real click
      choice.focus();
    } else if (key === "j" || key === "k") {
      var next = neighbour(form, target, key === "j");
      var field = next && firstField(next);
      if (!field) { return; }
      event.preventDefault();
      field.focus();
    }
  }

  /* ---- quiz drafts: unsent answers survive a failed submit --------------------------------
     While a quiz is open its answers and submission key are kept in this tab's sessionStorage.
     If the submit fails (a 503 while the database restarts, a dropped connection) and the quiz
     page is opened again, they are put back, with the same key: sent again, the quiz still makes
     one attempt. The result page (data-clear-draft) forgets the set's drafts. */
  var DRAFT = "quizapp:draft:";

  function draftKey(form) {
    var retry = form.elements.retry ? form.elements.retry.value : "";
    return DRAFT + form.getAttribute("action") + "|" + retry;
  }

  function saveDraft(form) {
    var data = {};
    each(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.name === "retry") return;
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) data[el.name] = el.value;
      } else if (el.value && (el.type !== "hidden" || el.name === "submission_key")) {
        data[el.name] = el.value;
      }
    });
    try { window.sessionStorage.setItem(draftKey(form), JSON.stringify(data)); } catch (e) { /* full or off */ }
  }

  function restoreDraft(form) {
    var data;
    try { data = JSON.parse(window.sessionStorage.getItem(draftKey(form)) || "null"); } catch (e) { data = null; }
    if (!data) return;
    var restored = 0;
    Object.keys(data).forEach(function (name) {
      if (name === "submission_key") return;
      var fields = form.querySelectorAll("[name='" + name.replace(/[^\w-]/g, "") + "']");
      each(fields, function (el) {
        if (el.type === "radio" || el.type === "checkbox") {
          var group = form.querySelectorAll("[name='" + el.name + "']:checked");
          if (!group.length && el.value === data[name]) { el.checked = true; restored++; }
        } else if (!el.value && el.type !== "hidden") {
          el.value = data[name];
          restored++;
        }
      });
    });
    if (restored && data.submission_key && form.elements.submission_key) {
      form.elements.submission_key.value = data.submission_key;
    }
    if (restored) {
      var note = doc.createElement("p");
      note.className = "flash flash--info";
      note.setAttribute("role", "status");
      note.textContent = "Your unsent answers from before were put back.";
      form.insertBefore(note, form.querySelector(".quiz-progress"));
    }
  }

  each(doc.querySelectorAll("[data-clear-draft]"), function (el) {
    var prefix = DRAFT + el.getAttribute("data-clear-draft") + "|";
    try {
      for (var i = window.sessionStorage.length - 1; i >= 0; i--) {
        var key = window.sessionStorage.key(i);
        if (key && key.indexOf(prefix) === 0) window.sessionStorage.removeItem(key);
      }
    } catch (e) { /* storage off */ }
  });

  each(doc.querySelectorAll("form.quiz-form"), function (form) {
    restoreDraft(form);
    var update = function () { updateProgress(form); };
    var keep = function () { saveDraft(form); };
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    form.addEventListener("change", keep);
    form.addEventListener("input", keep);
    form.addEventListener("submit", keep);
    form.addEventListener("keydown", onQuizKey);
    update(); // the browser may have restored answers (back button, reload)
  });

  /* ---- form[data-warn-unsaved]: answers typed but not submitted are not left by accident -- */
  each(doc.querySelectorAll("form[data-warn-unsaved]"), function (form) {
    var dirty = false;
    var submitting = false;
    var touch = function () { dirty = true; };
    form.addEventListener("input", touch);
    form.addEventListener("change", touch);
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });

  /* ---- time[data-local]: the server writes UTC; show the reader's own clock -------------- */
  if (window.Intl && Intl.DateTimeFormat) {
    var clock = new Intl.DateTimeFormat(undefined, {
      day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit"
    });
    each(doc.querySelectorAll("time[datetime][data-local]"), function (el) {
      var moment = new Date(el.getAttribute("datetime"));
      if (!isNaN(moment.getTime())) {
        el.setAttribute("title", el.textContent);
        el.textContent = clock.format(moment);
      }
    });
  }

  /* ---- [data-confirm]: ask before the button (or link) does its thing -------------------- */
  doc.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (!el || el.disabled) { return; }
    if (!window.confirm(el.getAttribute("data-confirm") || "Are you sure?")) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  /* ---- form[data-once]: no double submits (the server deduplicates too) ------------------ */
  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.type === "submit" || el.type === "image";
    });
  }

  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-once]")) { return; }
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    if (event.defaultPrevented) { return; }
    form.setAttribute("aria-busy", "true");
    // Later, so the clicked button's own name=value still goes with this submission.
    window.setTimeout(function () {
      submitButtons(form).forEach(function (button) {
        button.disabled = true;
        button.setAttribute("data-once-disabled", "");
      });
    }, 0);
  });

  /* ---- form[data-busy]: long work (generating questions) shows that it is under way ------ */
  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-busy]") || event.defaultPrevented) { return; }
    var note = form.querySelector(".busy-note");
    if (!note) { return; }
    note.textContent = form.getAttribute("data-busy");
    var bar = doc.createElement("progress"); // indeterminate: no value
    bar.setAttribute("aria-label", "Working");
    note.appendChild(bar);
    note.hidden = false;
  });

  /* ---- input[data-check-all=name]: tick or untick every checkbox of that name ------------- */
  each(doc.querySelectorAll("input[type=checkbox][data-check-all]"), function (all) {
    var name = all.getAttribute("data-check-all");
    var boxes = function () {
      return doc.querySelectorAll("input[type=checkbox][name='" + name + "']");
    };
    all.addEventListener("change", function () {
      each(boxes(), function (box) { box.checked = all.checked; });
    });
  });

  /* ---- .question-form: show the parts of the chosen format only -------------------------- */
  each(doc.querySelectorAll("form.question-form"), function (form) {
    var select = form.querySelector("select[name=format]");
    if (!select) { return; }
    var sync = function () {
      each(form.querySelectorAll(".format-part[data-format]"), function (part) {
        part.hidden = part.getAttribute("data-format") !== select.value;
      });
    };
    select.addEventListener("change", sync);
    sync();
  });

  // Back/forward cache: a restored page must not keep its buttons disabled.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    each(doc.querySelectorAll("form[data-once][aria-busy=true]"), function (form) {
      form.removeAttribute("aria-busy");
      each(form.querySelectorAll("[data-once-disabled]"), function (button) {
        button.disabled = false;
        button.removeAttribute("data-once-disabled");
      });
    });
  });
})();
