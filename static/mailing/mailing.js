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
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
