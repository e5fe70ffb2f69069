import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  loadTemplateFiles,
  parseTemplateFile,
  TemplateFileError,
  TEMPLATES_DIR,
} from "../../infra/templateFile";
import { validateContentTemplate } from "../../infra/twilio/contentTemplate";

const valid = `
language: en
variables:
  "1": Ana
types:
  twilio/text:
    body: "Hello {{1}}, see you tomorrow."
approval:
  name: reminder
  category: UTILITY
`;

describe("template files", () => {
  test("the committed templates load and pass the provider's check", () => {
    const templates = loadTemplateFiles();
    expect(templates.map((t) => t.name)).toContain("appointment_reminder");
    for (const t of templates) expect(validateContentTemplate(t.inputs)).toEqual([]);
    const reminder = templates.find((t) => t.name === "appointment_reminder");
    expect(reminder?.inputs.approval).toEqual({
      name: "appointment_reminder",
      category: "UTILITY",
    });
  });

  test("a file becomes ContentTemplate inputs, the friendly name defaulting to the file name", () => {
    expect(parseTemplateFile("reminder", valid)).toEqual({
      name: "reminder",
      inputs: {
        friendlyName: "reminder",
        language: "en",
        variables: { "1": "Ana" },
        types: { "twilio/text": { body: "Hello {{1}}, see you tomorrow." } },
        approval: { name: "reminder", category: "UTILITY" },
      },
    });
  });

  test("a numeric sample is read as text", () => {
    const file = valid.replace('"1": Ana', '"1": 2026');
    expect(parseTemplateFile("reminder", file).inputs.variables).toEqual({ "1": "2026" });
  });

  test.each([
    ["an unknown category", valid.replace("UTILITY", "PROMO"), /approval\.category/],
    [
      "a variable without a sample",
      valid.replace('"1": Ana', '"1": ""'),
      /variables\["1"\].*no sample/,
    ],
    ["an undeclared placeholder", valid.replace("{{1}}, see", "{{1}} and {{2}}, see"), /no "2"/],
    ["a misspelt field", valid.replace("language:", "langauge:"), /langauge/],
    [
      "an approval name with capitals",
      valid.replace("name: reminder", "name: Reminder"),
      /lower-case words/,
    ],
    ["broken YAML", "language: [en", /not valid YAML/],
  ])("refuses %s, naming the file and the field", (_what, text, message) => {
    expect(() => parseTemplateFile("reminder", text)).toThrow(TemplateFileError);
    expect(() => parseTemplateFile("reminder", text)).toThrow(/reminder\.yaml/);
    expect(() => parseTemplateFile("reminder", text)).toThrow(message);
  });

  test("a file name that is not lower-case words is refused", () => {
    expect(() => parseTemplateFile("Reminder-1", valid)).toThrow(
      /file name is its name in TEMPLATE_SIDS/,
    );
  });

  test("a folder's .yaml and .yml files load in name order; other files and a missing folder are ignored", () => {
    const dir = mkdtempSync(join(tmpdir(), "templates-"));
    writeFileSync(join(dir, "b_second.yml"), valid);
    writeFileSync(join(dir, "a_first.yaml"), valid);
    writeFileSync(join(dir, "README.md"), "# not a template");
    expect(loadTemplateFiles(dir).map((t) => t.name)).toEqual(["a_first", "b_second"]);
    expect(loadTemplateFiles(join(dir, "missing"))).toEqual([]);
  });

  test("the templates folder is the repository's templates/", () => {
    expect(TEMPLATES_DIR).toBe(join(__dirname, "../../templates"));
  });
});
