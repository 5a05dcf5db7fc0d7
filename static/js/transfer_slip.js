/* The transfer slip: print it (button or P outside a field). */
const button = document.getElementById("print-slip");
button.addEventListener("click", () => window.print());
document.addEventListener("keydown", (event) => {
  if (event.key.toLowerCase() === "p" && !event.target.closest("input, select, textarea")) window.print();
});
