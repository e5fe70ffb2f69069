import * as fs from "fs";
import * as path from "path";
import { DEFAULTS, KNOWN_KEYS } from "../../infra/config";

const ROOT = path.join(__dirname, "..", "..");

/** The README's `cloud` section, the one that documents the stack's keys and outputs. */
function cloudSection(): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const match = /<!-- section:cloud -->([\s\S]*?)<!-- \/section:cloud -->/.exec(readme);
  if (!match) throw new Error("README.md has no cloud section");
  return match[1];
}

/** The config table's rows as [key cell, default cell]. */
function configRows(): Array<[string, string]> {
  return cloudSection()
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split("|").map((cell) => cell.trim()))
    .map((cells) => [cells[1], cells[2]]);
}

/** The row whose key cell names `key` (as `whatsapp-bot:key`, or `key` after a ` / `). */
function rowOf(key: string): [string, string] | undefined {
  return configRows().find(
    ([keys]) => keys.includes(`\`whatsapp-bot:${key}\``) || keys.includes(`/ \`${key}\``),
  );
}

describe("README, section cloud", () => {
  test.each([...KNOWN_KEYS])("documents whatsapp-bot:%s in the config table", (key) => {
    expect(rowOf(key)).toBeDefined();
  });

  test.each(
    Object.entries(DEFAULTS).filter(([, value]) => value !== "" && typeof value !== "object"),
  )("gives %s the default the program applies (%p)", (key, value) => {
    const shown = Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
    const [keys, defaults] = rowOf(key) ?? ["", ""];
    // A row may document two keys, "`a` / `b`", with their defaults as "x / y".
    const position = keys.split(" / ").findIndex((cell) => cell.includes(`${key}\``));
    const cell = defaults.split(" / ")[position] ?? "";
    const text = cell.replace(/`/g, "");
    expect(text === shown || text.startsWith(`${shown} `) ? shown : text).toBe(shown);
  });

  test("lists exactly the stack outputs infra/index.ts exports", () => {
    const source = fs.readFileSync(path.join(ROOT, "infra", "index.ts"), "utf8");
    const exported = [...source.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
    const paragraph = /Stack outputs:([\s\S]*?)\n\n/.exec(cloudSection())?.[1] ?? "";
    const listed = [...paragraph.matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]);
    expect(exported.length).toBeGreaterThan(10);
    expect(listed.sort()).toEqual(exported.sort());
  });
});
