/* What every page does: Alt+1…6 shortcuts, the grouped navigation menus, the store picker, print buttons. */

document.addEventListener("keydown", (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  const link = document.querySelector(`[data-nav="${event.key}"]`);
  if (link) {
    event.preventDefault();
    window.location.href = link.href;
  }
});

/* Menus: a button opens its list of links (disclosure pattern); ↓/↑ move through the links, Esc closes and gives
   focus back to the button, a click elsewhere or focus leaving the menu closes it. */
const menus = Array.from(document.querySelectorAll("[data-menu]"));

function setOpen(menu, open) {
  const button = menu.querySelector("[data-menu-button]");
  menu.querySelector("[data-menu-list]").hidden = !open;
  button.setAttribute("aria-expanded", String(open));
}

function links(menu) {
  return Array.from(menu.querySelectorAll("[data-menu-list] a"));
}

for (const menu of menus) {
  const button = menu.querySelector("[data-menu-button]");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    menus.forEach((other) => setOpen(other, other === menu && open));
  });
  menu.addEventListener("keydown", (event) => {
    const items = links(menu);
    const at = items.indexOf(document.activeElement);
    if (event.key === "Escape") {
      setOpen(menu, false);
      button.focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(menu, true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = at < 0 ? (step > 0 ? 0 : items.length - 1) : (at + step + items.length) % items.length;
      items[next].focus();
    } else {
      return;
    }
    event.stopPropagation();
  });
  menu.addEventListener("focusout", (event) => {
    if (!menu.contains(event.relatedTarget)) setOpen(menu, false);
  });
}

document.addEventListener("click", (event) => {
  for (const menu of menus) if (!menu.contains(event.target)) setOpen(menu, false);
});

for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.submit());
}

for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}

/* File inputs: the browser draws "Choose File / No file chosen" in its own language; a button and the chosen
   file's name in the page's language stand in for it (the input itself stays in the form, visually hidden). */
const pageStrings = JSON.parse(document.getElementById("page-strings").textContent);
for (const input of document.querySelectorAll('input[type="file"]')) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "file-choose";
  button.textContent = pageStrings.choose_file;
  const name = document.createElement("span");
  name.className = "file-name hint";
  name.textContent = pageStrings.no_file;
  input.classList.add("visually-hidden");
  input.after(button, name);
  button.addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    name.textContent = input.files.length ? input.files[0].name : pageStrings.no_file;
  });
}
