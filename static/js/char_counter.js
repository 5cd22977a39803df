// A counter under each long answer (textarea[data-max-chars]). The browser never cuts a paste: the
// field has no maxlength; past the limit the counter says by how much, and the server's message
// says it again beside the field when the form is sent.
(function () {
  "use strict";
  function fmt(n) { return n.toLocaleString("en-US"); }
  function attach(area) {
    var max = parseInt(area.dataset.maxChars, 10);
    var counter = document.createElement("p");
    counter.className = "char-counter";
    counter.id = area.id + "-counter";
    counter.setAttribute("aria-live", "polite");
    area.setAttribute("aria-describedby", ((area.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
    area.insertAdjacentElement("afterend", counter);
    function update() {
      var n = area.value.length;
      var over = n - max;
      counter.classList.toggle("over", over > 0);
      counter.textContent = over > 0
        ? fmt(n) + " / " + fmt(max) + " characters: " + fmt(over) + " over the limit. Shorten it, or the form will be sent back with this answer kept as it is."
        : fmt(n) + " / " + fmt(max) + " characters";
    }
    area.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-max-chars]").forEach(attach);
  });
})();
