// Small behaviours shared by the pages: the organization picker and confirmation prompts.
(function () {
  document.addEventListener("click", function (event) {
    var pick = event.target.closest("[data-pick-id]");
    if (pick) {
      event.preventDefault();
      var box = pick.closest("[data-org-picker]");
      box.querySelector("input[type=hidden]").value = pick.dataset.pickId;
      box.querySelector("input[type=search]").value = pick.dataset.pickLabel;
      box.querySelector(".xf-picker-results").innerHTML = "";
      box.dispatchEvent(new Event("picked", { bubbles: true }));
    }
  });
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.matches("[data-org-picker] input[type=search]") && input.value === "") {
      input.closest("[data-org-picker]").querySelector("input[type=hidden]").value = "";
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    // A form that acts on "the current list" (export) takes the filter form's values as they are now,
    // including a search made in place by htmx after the page loaded.
    var source = form.dataset.includeForm && document.querySelector(form.dataset.includeForm);
    if (source) {
      form.querySelectorAll("input[data-included]").forEach(function (el) { el.remove(); });
      new FormData(source).forEach(function (value, key) {
        if (key.slice(-6) === "_label" || value === "") return;
        var input = document.createElement("input");
        input.type = "hidden"; input.name = key; input.value = value; input.dataset.included = "1";
        form.appendChild(input);
      });
    }
  });
})();
