/* The generation progress page (templates/teacher/job.html): poll the job's JSON status and
   update the bar and the steps; go on to the set (or the failure) when it ends. Without
   JavaScript the page refreshes itself (a meta refresh in <noscript>). */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-job-label]");
  var steps = box.querySelectorAll("[data-step]");
  var order = [];
  for (var i = 0; i < steps.length; i++) { order.push(steps[i].getAttribute("data-step")); }

  function show(status) {
    bar.value = status.progress;
    bar.textContent = status.progress + "%";
    label.textContent = status.label + "…";
    var current = order.indexOf(status.stage);
    for (var j = 0; j < steps.length; j++) {
      if (j === current) { steps[j].setAttribute("aria-current", "step"); }
      else { steps[j].removeAttribute("aria-current"); }
    }
  }

  function poll() {
    fetch(box.getAttribute("data-job-status"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { window.location.reload(); return; }
        show(status);
        if (status.next) { window.location.assign(status.next); return; }
        window.setTimeout(poll, 700);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();
