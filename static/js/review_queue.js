// The review queue's keyboard: j/k (or the arrow keys) move between rows, a accepts, r rejects,
// o or Enter opens the mention, x ticks the row for a bulk action. Keys typed into a field (search,
// severity) are left alone. The row in focus is remembered across the page reload an accept or a
// reject causes, so the reviewer carries on with the next row.
(function () {
  "use strict";
  var KEY = "sift-review-row:" + location.pathname;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#result_list tbody tr"));
  }

  function focusRow(index) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) { row.classList.toggle("review-focus", i === index); });
    all[index].scrollIntoView({ block: "nearest" });
    sessionStorage.setItem(KEY, String(index));
  }

  function current() {
    return rows().findIndex(function (row) { return row.classList.contains("review-focus"); });
  }

  function press(selector) {
    var row = rows()[current()];
    var button = row && row.querySelector(selector);
    if (button) button.click();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.getElementById("result_list")) return;
    focusRow(parseInt(sessionStorage.getItem(KEY) || "0", 10));
    rows().forEach(function (row, i) {
      row.addEventListener("click", function () { focusRow(i); });
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (!document.getElementById("result_list")) return;
    var handled = true;
    switch (event.key) {
      case "j": case "ArrowDown": focusRow(current() + 1); break;
      case "k": case "ArrowUp": focusRow(current() - 1); break;
      case "a": press("button.review-accepted"); break;
      case "r": press("button.review-rejected"); break;
      case "x": press("input.action-select"); break;
      case "o": case "Enter": press("th a, td.field-in_context a, a[href*='/change/']"); break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
