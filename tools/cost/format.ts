import type { Estimate, LineItem, Vendor } from "./estimate";

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Formats a USD amount to cents, showing "<0.01" rather than a misleading 0.00. */
export function usd(x: number): string {
  if (x > 0 && x < 0.005) return "<0.01";
  return x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Formats a quantity: whole counts with separators, fractional ones with 3 significant digits. */
export function quantity(x: number): string {
  if (Number.isInteger(x)) return int.format(x);
  if (x >= 1000) return int.format(Math.round(x));
  return Number(x.toPrecision(3)).toLocaleString("en-US", { maximumFractionDigits: 6 });
}

/** Formats a unit price without trailing noise (0.0000133334 stays as is, 1 becomes 1.00). */
export function unitPrice(x: number): string {
  const s = String(Number(x.toPrecision(6)));
  const decimals = s.includes(".") ? s.split(".")[1].length : 0;
  return decimals < 2 ? Number(s).toFixed(2) : s;
}

const HEADINGS: Record<Vendor, (e: Estimate) => string> = {
  twilio: () => "Twilio",
  meta: (e) => `Meta (${e.countryName})`,
  aws: (e) => `AWS (${e.inputs.region}, ${e.regionName})`,
};

/** Wraps prose at the table width so the output stays readable in a terminal and the README. */
function wrap(text: string, indent: string, width = 98): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/)) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && indent.length + candidate.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current) lines.push(current);
  return lines.map((l, n) => (n === 0 ? indent.slice(2) + "- " : indent) + l);
}

function row(cols: [string, string, string, string]): string {
  const [item, qty, price, amount] = cols;
  const text = `${item.padEnd(46)}${qty.padStart(16)}  ${price.padEnd(24)}${amount.padStart(10)}`;
  return text.trimEnd();
}

function lineRow(l: LineItem): string {
  const mark = l.verified ? "" : " *";
  return row([
    `  ${l.label}${mark}`,
    `${quantity(l.quantity)} ${l.quantityUnit}`,
    `${unitPrice(l.unitPrice)} /${l.perLabel}`,
    usd(l.usd),
  ]);
}

/** Renders the estimate as the plain-text table `npm run cost` prints. */
export function formatTable(e: Estimate): string {
  const v = e.volumes;
  const i = e.inputs;
  const out: string[] = [
    `Monthly cost estimate (USD, prices compiled ${e.pricesCompiled})`,
    `${int.format(i.conversations)} conversations x ` +
      `${int.format(i.messagesPerConversation)} messages = ${int.format(v.messages)} messages ` +
      `to ${e.countryName} (${i.country}), AWS ${i.region}`,
    "",
    row(["Item", "Quantity", "Unit price", "USD"]),
    "-".repeat(98),
  ];
  for (const vendor of ["twilio", "meta", "aws"] as const) {
    out.push(HEADINGS[vendor](e));
    for (const l of e.lines.filter((x) => x.vendor === vendor)) out.push(lineRow(l));
    const name = HEADINGS[vendor](e).split(" (")[0];
    out.push(row([`  Subtotal ${name}`, "", "", usd(e.subtotals[vendor])]));
  }
  out.push("-".repeat(98), row(["Total per month", "", "", usd(e.total)]), "");
  if (e.lines.some((l) => !l.verified)) {
    out.push(
      "* price not verified against a public source; see its note in tools/cost/prices.json",
    );
  }
  out.push("Assumptions (tools/cost/prices.json, aws.assumptions):");
  for (const [key, a] of Object.entries(e.assumptions)) {
    out.push(...wrap(`${key} = ${a.value}: ${a.note}`, "    "));
  }
  out.push("Notes:");
  for (const n of e.notes) out.push(...wrap(n, "    "));
  return out.join("\n");
}

/** Renders the estimate as pretty-printed JSON (the same object the table is drawn from). */
export function formatJson(e: Estimate): string {
  return JSON.stringify(e, null, 2);
}
