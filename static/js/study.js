/* quizapp flashcards — progressive enhancement of templates/study/session.html.
   Without this file the page works by round trips: "Show answer" is a link (GET ?reveal=…),
   a rating is a POST form (then redirect → GET). With it: Space shows the answer in place
   (fetched from that same link, so the answer is never in the page before it is asked for)
   and 1–4 press Again, Hard, Good or Easy. No inline code, no globals. */
(function () {
  "use strict";

  var doc = document;
  var card = doc.getElementById("flashcard");
  if (!card) { return; }
  var back = doc.getElementById("flashcard-back");
  var busy = false;

  // Keys belong to what has focus when it is a text field or another control.
  var OWN_KEYS = "input, select, textarea, [contenteditable], summary, a, button";

  function revealLink() {
    return card.querySelector("a[data-reveal]");
  }

  function ratingButton(key) {
    return back.querySelector('button[data-rating="' + key + '"]');
  }

  function showBack(from) {
    var front = card.querySelector(".flashcard__front");
    back.replaceChildren.apply(back, Array.prototype.slice.call(from.childNodes).map(
      function (node) { return doc.importNode(node, true); }
    ));
    if (front) { front.remove(); }
    back.classList.add("flashcard__back--shown");
    back.focus();
  }

  function reveal() {
    var link = revealLink();
    if (!link || busy) { return; }
    busy = true;
    link.setAttribute("aria-disabled", "true");
    window.fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fetched = page.getElementById("flashcard-back");
        if (!fetched || !fetched.querySelector("form")) { throw new Error("no answer"); }
        showBack(fetched);
        busy = false;
      })
      .catch(function () {
        window.location.assign(link.href); // the plain round trip
      });
  }

  card.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-reveal]") : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    reveal();
  });

  doc.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey ||
        event.isComposing || event.repeat) { return; }
    var target = event.target;
    var own = target.closest && target.closest(OWN_KEYS);
    if (event.key === " " || event.key === "Spacebar") {
      if (own && !own.matches("a[data-reveal]")) { return; }
      if (!revealLink()) { return; }
      event.preventDefault();
      reveal();
    } else if (/^[1-4]$/.test(event.key)) {
      if (own && !own.matches("button[data-rating]")) { return; }
      var button = ratingButton(event.key);
      if (!button || button.disabled) { return; }
      event.preventDefault();
      button.click(); // submits the form with this button's rating; app.js stops a second
    }
  });
})();
