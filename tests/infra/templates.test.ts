import { expect } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { PulumiRecorder, loadProgram, valueOf } from "../helpers/pulumiMocks";
import { loadTemplateFiles } from "../../infra/templateFile";

type Program = typeof import("../../infra/index");

const TEMPLATE = "pulumi-nodejs:dynamic/twilio:ContentTemplate";
const COMPONENT = "whatsapp-bot:index:Templates";
const CONFIG = {
  "whatsapp-bot:environment": "dev",
  "whatsapp-bot:sender": JSON.stringify({ mode: "adopt", number: "+15005550006", webhook: true }),
  "twilio:accountSid": `AC${"0".repeat(32)}`,
  "twilio:authToken": "fedcba9876543210fedcba9876543210",
};

describe("the program's templates (templates/ folder -> ContentTemplate -> TEMPLATE_SIDS)", () => {
  const recorder = new PulumiRecorder();
  let program: Program;
  const declared = loadTemplateFiles();

  beforeAll(async () => {
    program = await loadProgram(recorder, () => import("../../infra/index"), {
      stack: "dev",
      config: CONFIG,
      secretKeys: ["twilio:authToken"],
    });
    await Promise.all(
      Object.values(program).map((output: unknown) =>
        pulumi.Output.isInstance(output) ? valueOf(output) : Promise.resolve(output),
      ),
    );
  }, 120_000);

  test("one ContentTemplate per file, parented to the Templates component and named from it", () => {
    const component = recorder.one(COMPONENT);
    expect(component.name).toBe("whatsapp-bot-dev-templates");
    const templates = recorder.ofType(TEMPLATE);
    expect(templates.map((t) => t.name).sort()).toEqual(
      declared.map((d) => `whatsapp-bot-dev-templates-${d.name}`).sort(),
    );
    for (const t of templates) expect(t.parent).toMatch(/::whatsapp-bot-dev-templates$/);
  });

  test("each template's inputs are its file's, stamped with the provider version", () => {
    for (const d of declared) {
      const inputs = recorder.named(TEMPLATE, `whatsapp-bot-dev-templates-${d.name}`).inputs;
      expect(inputs).toMatchObject({ ...d.inputs, providerVersion: expect.any(Number) });
    }
  });

  test("templates depend on nothing of the backend, so there is no cycle with the Lambda", () => {
    for (const t of recorder.ofType(TEMPLATE)) expect(t.dependencies).toEqual([]);
  });

  test("the Lambda gets TEMPLATE_SIDS, a plain JSON map of name to HX SID, and the stack exports it", async () => {
    const sids = Object.fromEntries(
      declared.map((d) => [
        d.name,
        recorder.named(TEMPLATE, `whatsapp-bot-dev-templates-${d.name}`).state.sid as string,
      ]),
    );
    for (const sid of Object.values(sids)) expect(sid).toMatch(/^HX[0-9a-f]{32}$/);
    const fn = recorder.one("aws:lambda/function:Function");
    const env = (fn.inputs.environment as { variables: Record<string, unknown> }).variables;
    expect(typeof env.TEMPLATE_SIDS).toBe("string");
    expect(JSON.parse(env.TEMPLATE_SIDS as string) as unknown).toEqual(sids);
    expect(await valueOf(program.templateSids)).toEqual(sids);
  });
});
