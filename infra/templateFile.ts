import { readdirSync, readFileSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import {
  APPROVAL_NAME_PATTERN,
  CALL_TO_ACTION_TYPES,
  CATEGORIES,
  validateContentTemplate,
  type ContentTemplateInputs,
} from "./twilio/contentTemplate";

/** The project directory (where Pulumi.yaml is), which `whatsapp-bot:templatesDir` is relative to. */
export const PROJECT_DIR = join(__dirname, "..");

/** The default folder of template files, one `<name>.yaml` per template. */
export const TEMPLATES_DIR = join(PROJECT_DIR, "templates");

/** The templates folder a `whatsapp-bot:templatesDir` value names (absolute, or relative to the project). */
export function templatesDirFor(configured: string): string {
  return resolve(PROJECT_DIR, configured);
}

/** A sample value: YAML reads `2026` as a number, which is still a fine sample. */
const sample = z.union([z.string(), z.number()]).transform(String);

/**
 * The shape of a template file. The rules (lengths, button counts, placeholders, approval names)
 * are the ContentTemplate provider's own `check`, run on every file here too, so a file is refused
 * at load with its name and the same words `pulumi preview` would use.
 */
export const templateFileSchema = z
  .strictObject({
    friendlyName: z.string().optional(),
    language: z.string(),
    variables: z.record(z.string(), sample).optional(),
    types: z.strictObject({
      "twilio/text": z.strictObject({ body: z.string() }).optional(),
      "twilio/media": z
        .strictObject({ body: z.string().optional(), media: z.array(z.string()) })
        .optional(),
      "twilio/quick-reply": z
        .strictObject({
          body: z.string(),
          actions: z.array(z.strictObject({ title: z.string(), id: z.string().optional() })),
        })
        .optional(),
      "twilio/call-to-action": z
        .strictObject({
          body: z.string(),
          actions: z.array(
            z.strictObject({
              type: z.enum(CALL_TO_ACTION_TYPES),
              title: z.string(),
              url: z.string().optional(),
              phone: z.string().optional(),
              code: z.string().optional(),
            }),
          ),
        })
        .optional(),
    }),
    approval: z.strictObject({ name: z.string(), category: z.enum(CATEGORIES) }).optional(),
  })
  .superRefine((file, ctx) => {
    for (const failure of validateContentTemplate({ friendlyName: "x", ...file }))
      ctx.addIssue({ code: "custom", message: failure.reason, path: [failure.property] });
  });

/** A declared template: its name (the file's) and the ContentTemplate inputs. */
export interface TemplateDeclaration {
  name: string;
  inputs: Omit<ContentTemplateInputs, "providerVersion">;
}

/** Raised when a template file is missing, unreadable or breaks a rule. */
export class TemplateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateFileError";
  }
}

/** Parses one template file's text; `name` is its file name without `.yaml`. */
export function parseTemplateFile(
  name: string,
  text: string,
  file = `${name}.yaml`,
): TemplateDeclaration {
  if (!APPROVAL_NAME_PATTERN.test(name))
    throw new TemplateFileError(
      `${file}: a template's file name is its name in TEMPLATE_SIDS and must be lower-case words joined by underscores (e.g. appointment_reminder.yaml)`,
    );
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new TemplateFileError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const result = templateFileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  - ${issue.path.map(String).join(".") || "(file)"}: ${issue.message}`,
    );
    throw new TemplateFileError(`${file} is not a valid template:\n${problems.join("\n")}`);
  }
  const { friendlyName, ...rest } = result.data;
  return { name, inputs: { friendlyName: friendlyName ?? name, ...rest } };
}

/** Every `*.yaml`/`*.yml` template in a folder, by name; none when the folder does not exist. */
export function loadTemplateFiles(dir: string = TEMPLATES_DIR): TemplateDeclaration[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  return entries
    .filter((f) => [".yaml", ".yml"].includes(extname(f)))
    .sort()
    .map((f) => parseTemplateFile(basename(f, extname(f)), readFileSync(join(dir, f), "utf8"), f));
}
