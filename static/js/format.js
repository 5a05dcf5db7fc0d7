/* How the pages write numbers, money, days and quantities (Vietnamese conventions: 1.234.500 ₫, 30/06/2027). */

const TIME_ZONE = "Asia/Ho_Chi_Minh";
const numberFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });

export function formatNumber(value) {
  return numberFormat.format(value || 0);
}

export function formatMoney(amount) {
  return `${formatNumber(amount)}\u00a0₫`;
}

/* dd/MM/yyyy from an ISO 8601 day ("2027-06-30") or date-time ("2026-11-20T01:30:00Z", read in Vietnam's time
   zone); null, empty or unreadable values give "". */
export function formatDay(value) {
  if (!value) return "";
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) return `${day[3]}/${day[2]}/${day[1]}`;
  const moment = new Date(value);
  if (Number.isNaN(moment.getTime())) return "";
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone: TIME_ZONE, day: "2-digit", month: "2-digit", year: "numeric",
  }).formatToParts(moment).map((part) => [part.type, part.value]));
  return `${parts.day}/${parts.month}/${parts.year}`;
}

/* A quantity of base units said in `unitName` first, then the rest in smaller units:
   381 Viên with Vỉ = 10 → "38 Vỉ 1 Viên"; units are [{name, factor}], factor 1 is the base unit. */
export function formatQuantity(base, units, unitName) {
  const sorted = [...(units || [])].sort((a, b) => b.factor - a.factor);
  const first = sorted.findIndex((unit) => unit.name === unitName);
  const usable = first >= 0 ? sorted.slice(first) : sorted.filter((unit) => unit.factor === 1);
  if (!usable.length || base === 0) return `${formatNumber(base)} ${usable.length ? usable[0].name : ""}`.trim();
  const parts = [];
  let left = base;
  for (const unit of usable) {
    const count = Math.floor(left / unit.factor);
    if (count) parts.push(`${formatNumber(count)} ${unit.name}`);
    left -= count * unit.factor;
  }
  return parts.join(" ");
}

/* "%(name)s" placeholders filled from `values` (the server's translated sentences use them). */
export function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => (key in values ? String(values[key]) : ""));
}
