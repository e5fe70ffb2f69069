import * as fs from "fs";
import * as path from "path";
import { parseCostArgs } from "../../../tools/cost/args";
import { estimate } from "../../../tools/cost/estimate";
import { formatTable } from "../../../tools/cost/format";
import { defaultPrices } from "../../../tools/cost/prices";

const COMMAND = "npm run cost -- --conversations 1000 --messages 10 --country CL";

/** The output the README's cost section shows under `$ <COMMAND>`. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "..", "README.md"), "utf8");
  const section = /<!-- section:cost -->([\s\S]*?)<!-- \/section:cost -->/.exec(readme)?.[1] ?? "";
  const start = section.indexOf(`$ ${COMMAND}\n`);
  if (start < 0) throw new Error(`the README's cost section does not show "$ ${COMMAND}"`);
  const output = section.slice(start + COMMAND.length + 3);
  return output.slice(0, output.indexOf("\n```"));
}

describe("README, section cost", () => {
  test("the worked example is what the tool prints today, prices included", () => {
    const args = parseCostArgs(COMMAND.split(" ").slice(4), defaultPrices);
    if (args.kind !== "estimate") throw new Error("the README command is not an estimate");
    const printed = formatTable(estimate(args.inputs, defaultPrices));
    expect(readmeExample()).toBe(printed);
    expect(printed).toMatch(/Subtotal Twilio\s+50\.00$/m);
  });
});
