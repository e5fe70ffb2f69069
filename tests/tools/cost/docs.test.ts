import * as fs from "fs";
import * as path from "path";
import { parseCostArgs } from "../../../tools/cost/args";
import { estimate } from "../../../tools/cost/estimate";
import { formatTable } from "../../../tools/cost/format";
import { defaultPrices } from "../../../tools/cost/prices";

const COMMAND = "npm run cost -- --conversations 1000 --messages 10 --country CL";

/** The output docs/cost.md shows under `$ <COMMAND>`. */
function documentedExample(): string {
  const section = fs.readFileSync(
    path.join(__dirname, "..", "..", "..", "docs", "cost.md"),
    "utf8",
  );
  const start = section.indexOf(`$ ${COMMAND}\n`);
  if (start < 0) throw new Error(`docs/cost.md does not show "$ ${COMMAND}"`);
  const output = section.slice(start + COMMAND.length + 3);
  return output.slice(0, output.indexOf("\n```"));
}

describe("docs/cost.md", () => {
  test("the worked example is what the tool prints today, prices included", () => {
    const args = parseCostArgs(COMMAND.split(" ").slice(4), defaultPrices);
    if (args.kind !== "estimate") throw new Error("the docs/cost.md command is not an estimate");
    const printed = formatTable(estimate(args.inputs, defaultPrices));
    expect(documentedExample()).toBe(printed);
    expect(printed).toMatch(/Subtotal Twilio\s+50\.00$/m);
  });
});
