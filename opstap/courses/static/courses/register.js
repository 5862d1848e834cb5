// Attendance register from the keyboard: P = present, A = absent with a reason,
// U = absent without reason, for the participant whose row has the focus; then the next row.
(function () {
  var keys = { p: "present", a: "excused", u: "unexcused" };
  function rows() { return Array.prototype.slice.call(document.querySelectorAll(".register-row")); }
  function sync(row) {
    var excused = row.querySelector("input[value=excused]");
    var reason = row.querySelector("select");
    if (reason) { reason.disabled = !(excused && excused.checked); }
  }
  document.addEventListener("change", function (e) {
    var row = e.target.closest && e.target.closest(".register-row");
    if (row) { sync(row); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var status = keys[(e.key || "").toLowerCase()];
    var row = e.target.closest && e.target.closest(".register-row");
    if (!status || !row || e.target.tagName === "SELECT") { return; }
    var input = row.querySelector("input[value=" + status + "]");
    if (!input) { return; }
    e.preventDefault();
    input.checked = true;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    if (status === "excused") { row.querySelector("select").focus(); return; }
    var all = rows(), next = all[all.indexOf(row) + 1];
    if (next) {
      (next.querySelector("input:checked") || next.querySelector("input")).focus();
    } else {
      document.getElementById("save-register").focus();
    }
  });
  document.addEventListener("DOMContentLoaded", function () { rows().forEach(sync); });
  document.addEventListener("htmx:afterSwap", function () { rows().forEach(sync); });
})();
