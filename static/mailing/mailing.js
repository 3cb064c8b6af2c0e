// Mailing pages, without inline handlers (the Content-Security-Policy forbids them):
// [data-apply] re-submits the form as "apply" when changed; [data-confirm] asks first.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-apply]");
  if (!field || !field.form) return;
  const apply = document.createElement("input");
  apply.type = "hidden";
  apply.name = "action";
  apply.value = "apply";
  field.form.appendChild(apply);
  field.form.submit();
});
// The site-wide static/js/confirm.js asks the same questions when the page loads it: then
// this file leaves [data-confirm] to it, so nothing is asked twice.
const siteConfirms = () => document.querySelector('script[src*="js/confirm.js"]') !== null;
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !siteConfirms() && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !siteConfirms() && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
