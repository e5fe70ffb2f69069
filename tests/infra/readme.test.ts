import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("README", () => {
  test("its outputs table names exactly the stack outputs infra/index.ts exports", () => {
    const exported = [...read("infra/index.ts").matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
    const table = /### Outputs\n([\s\S]*?)\n\n/.exec(read("README.md"))?.[1] ?? "";
    const listed = table
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .flatMap((line) => [...line.split("|")[1].matchAll(/`(\w+)`/g)].map((m) => m[1]));
    expect(exported.length).toBeGreaterThan(10);
    expect(listed.sort()).toEqual(exported.sort());
  });

  test("every docs/ page it links to exists", () => {
    const links = [...read("README.md").matchAll(/\]\((docs\/[\w.-]+\.md)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(fs.existsSync(path.join(ROOT, link))).toBe(true);
  });
});
