import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { KEYS, PROJECT, TWILIO_KEYS, type KeyDef, type KeyName } from "../infra/configSchema";

/** Repository root, so the files are found from any working directory. */
const ROOT = resolve(__dirname, "..");

/** Where the generated reference goes. */
export const CONFIG_DOC = join(ROOT, "docs", "configuration.md");
/** The project file whose `config:` section is generated. */
export const PROJECT_FILE = join(ROOT, "Pulumi.yaml");

/** The line after which Pulumi.yaml is generated; everything above it is kept as written. */
const MARKER =
  "# config: generated from infra/configSchema.ts by `npm run config:docs`; do not edit.";

const entries = Object.entries(KEYS as Record<KeyName, KeyDef>);

/**
 * Whether Pulumi.yaml can declare a key: Pulumi's project schema takes only string, integer, boolean
 * and array keys, and makes a typed key without a default required, so keys whose default depends
 * on the environment stay undeclared (the program applies their defaults).
 */
function declarable(def: KeyDef): boolean {
  return def.kind !== "object" && def.defaultFor === undefined;
}

function yamlDefault(def: KeyDef): string {
  if (def.defaultFor !== undefined) {
    return `${JSON.stringify(def.defaultFor("prod"))} for prod, ${JSON.stringify(def.defaultFor("dev"))} otherwise`;
  }
  if (def.default === undefined) return "required";
  return JSON.stringify(def.default);
}

/** A Markdown table with its columns padded the way Prettier lays them out, so lint passes on it. */
function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** The item type of a list key, read off its default (whole percentages, MIME types). */
function arrayItemType(def: KeyDef): "integer" | "string" {
  const first: unknown = Array.isArray(def.default) ? (def.default as unknown[])[0] : undefined;
  return typeof first === "string" ? "string" : "integer";
}

/** Pulumi.yaml as it should be: the hand-written head, then the generated `config:` section. */
export function renderProjectFile(current: string): string {
  const head = current.split(MARKER)[0].trimEnd();
  const config = Object.fromEntries(
    entries
      .filter(([, def]) => declarable(def))
      .map(([name, def]) => [
        `${PROJECT}:${name}`,
        {
          type: def.kind,
          ...(def.kind === "array" ? { items: { type: arrayItemType(def) } } : {}),
          description: def.description,
          ...(def.default !== undefined ? { default: def.default } : {}),
        },
      ]),
  );
  const undeclared = entries
    .filter(([, def]) => !declarable(def))
    .map(([name]) => `${PROJECT}:${name}`)
    .concat(Object.keys(TWILIO_KEYS).map((name) => `twilio:${name}`));
  const text = [
    head,
    "",
    MARKER,
    "# Not declared here (Pulumi's schema cannot express them), but read and checked by",
    `# infra/config.ts and described in docs/configuration.md: ${undeclared.join(", ")}.`,
    stringify({ config }, { lineWidth: 0 }).trimEnd(),
    "",
  ].join("\n");
  return text;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** docs/configuration.md: every key with its type, default, rule and the command that sets it. */
export function renderConfigReference(): string {
  const own = entries.map(([name, def]) => [
    `\`${PROJECT}:${name}\``,
    def.kind,
    cell(yamlDefault(def)),
    cell([def.description, def.details].filter(Boolean).join(" ")),
    `\`${cell((def.fix ?? `pulumi config set ${PROJECT}:${name} ${def.example}`).replace(/ \(.*$/, ""))}\``,
  ]);
  const twilio = Object.entries(TWILIO_KEYS).map(([name, def]) => [
    `\`twilio:${name}\``,
    def.secret ? "secret" : "plain",
    cell(def.description),
    `\`pulumi config set ${def.secret ? "--secret " : ""}twilio:${name} ${def.secret ? `<${def.example}>` : def.example}\``,
  ]);
  const text = [
    "# Configuration reference",
    "",
    "<!-- Generated from infra/configSchema.ts by `npm run config:docs`; a test keeps it current. -->",
    "",
    "Every key the stack reads. `infra/config.ts` checks them all before any resource is declared and",
    "names the key and the command that fixes it; unknown keys in the `whatsapp-bot:` namespace are",
    "refused as typos. Set them with `pulumi config set` (maps and lists with `--path`), or edit",
    "`Pulumi.<stack>.yaml`. Examples per environment: [environments.md](environments.md).",
    "",
    `## \`${PROJECT}:\` keys`,
    "",
    ...table(["Key", "Type", "Default", "What it does", "Set it"], own),
    "",
    "## `twilio:` keys",
    "",
    "Credentials are read by the program (the auth token goes to Secrets Manager for signature checks)",
    "and by the Twilio provider. Secrets must be set with `--secret`; plaintext ones are refused.",
    "",
    ...table(["Key", "Kind", "What it is", "Set it"], twilio),
    "",
    "## Adding a key",
    "",
    "Add one entry to `KEYS` in `infra/configSchema.ts` (schema, default, description, example), run",
    "`npm run config:docs` to regenerate this page and `Pulumi.yaml`, and read the value from",
    "`StackConfig` where it is used.",
    "",
  ].join("\n");
  return text;
}

/** Writes both generated files. */
export function writeConfigDocs(): void {
  writeFileSync(CONFIG_DOC, renderConfigReference());
  writeFileSync(PROJECT_FILE, renderProjectFile(readFileSync(PROJECT_FILE, "utf8")));
}

if (require.main === module) writeConfigDocs();
