/* The product list a search shows under a scan box: ↑/↓ to move, Enter or a click to choose. Shared by the goods
   receipt and transfer forms. `say(text, kind)` reports; `onChoose(product)` adds the line. */
export function makePicker(results, T, say, onChoose) {
  let found = [];
  let index = 0;

  function highlight() { Array.from(results.children).forEach((li, i) => li.classList.toggle("selected", i === index)); }

  function choose(i, list = found) {
    const p = list[i];
    found = [];
    results.innerHTML = "";
    onChoose(p);
  }

  function show(list) {
    found = list;
    index = 0;
    results.innerHTML = "";
    if (!list.length) { say(T.not_found, "error"); return; }
    say(T.pick);
    list.forEach((p, i) => {
      const item = document.createElement("li");
      item.textContent = p.name + (p.active_ingredient ? ` — ${p.active_ingredient}` : "");
      item.addEventListener("click", () => choose(i));
      results.appendChild(item);
    });
    highlight();
  }

  /* Arrow keys and Enter on an empty box while a list shows; true when the key was used. */
  function key(event, box) {
    if (!found.length) return false;
    if (event.key === "ArrowDown") { index = Math.min(found.length - 1, index + 1); highlight(); event.preventDefault(); return true; }
    if (event.key === "ArrowUp") { index = Math.max(0, index - 1); highlight(); event.preventDefault(); return true; }
    if (event.key === "Enter" && !box.value.trim()) { event.preventDefault(); choose(index); return true; }
    return false;
  }

  /* A scan answer of status "search": one result is chosen at once, several are listed. */
  function search(list) { if (list.length === 1) choose(0, list); else show(list); }

  return { key, search };
}
