import { expect } from "@jest/globals";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTwilioStandIn, type TwilioStandIn } from "../helpers/twilio";
import { startStackAgainst, type StackCli } from "./stack";
import { programRun, STACKS } from "./stacks";
import type { TwilioOverHttps } from "./twilioOverHttps";

jest.setTimeout(90_000);

const TEMPLATE = "whatsapp-bot-dev-templates-appointment_reminder";
const COMMITTED = readFileSync(
  join(__dirname, "../../templates/appointment_reminder.yaml"),
  "utf8",
);

// A template's life through Pulumi's dynamic-provider host and the stand-in over HTTPS: create
// and submit, WhatsApp's decision read by refresh, a content change previewed as a replace (refused
// until the approval name changes), and destroy.
describe("a WhatsApp template in the dev stack, from create to destroy", () => {
  let standIn: TwilioStandIn;
  let https: TwilioOverHttps;
  let cli: StackCli;
  const dir = mkdtempSync(join(tmpdir(), "templates-"));
  const file = join(dir, "appointment_reminder.yaml");
  const run = () => programRun(STACKS[0], standIn, { "whatsapp-bot:templatesDir": dir });
  const templateState = async () => (await cli.state(run())).find((e) => e.name === TEMPLATE);
  const lambdaSids = async (): Promise<unknown> => {
    const fn = (await cli.state(run())).find((e) => e.type === "aws:lambda/function:Function");
    // The engine stand-in keeps an updated AWS resource's inputs; its outputs are the first ones.
    const env = (fn?.inputs.environment as { variables: Record<string, string> }).variables;
    return JSON.parse(env.TEMPLATE_SIDS);
  };

  beforeAll(async () => {
    writeFileSync(file, COMMITTED);
    standIn = createTwilioStandIn({ accountSid: "AC00000000000000000000000000000000" });
    ({ https, cli } = await startStackAgainst(() => standIn));
  });
  afterAll(async () => {
    cli?.stop();
    await https?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => expect(standIn.violations).toEqual([]));

  test("up creates the template, submits it for approval, and the Lambda gets its SID", async () => {
    await cli.up(run());
    const [sid] = [...standIn.state.contents.keys()];
    expect(sid).toMatch(/^HX[0-9a-f]{32}$/);
    expect(standIn.state.approvals.get(sid)).toMatchObject({
      name: "appointment_reminder",
      category: "UTILITY",
      status: "received",
    });
    expect((await templateState())?.outputs).toMatchObject({ sid, approvalStatus: "received" });
    expect(await lambdaSids()).toEqual({ appointment_reminder: sid });
  });

  test("refresh reads WhatsApp's decision into approvalStatus, with no write", async () => {
    const [sid] = [...standIn.state.contents.keys()];
    standIn.setApproval(sid, "approved");
    standIn.resetCalls();
    const refresh = await cli.refresh(run());
    expect(standIn.writes()).toHaveLength(0);
    expect(refresh.drift).toContainEqual(
      expect.objectContaining({ name: TEMPLATE, property: "approvalStatus", to: "approved" }),
    );
    expect((await templateState())?.outputs.approvalStatus).toBe("approved");
  });

  test("a body change that keeps the approval name is refused at preview, with no call", async () => {
    writeFileSync(file, COMMITTED.replace("Can you make it?", "Will you come?"));
    standIn.resetCalls();
    await expect(cli.preview(run())).rejects.toThrow(
      /approval\.name must change.*appointment_reminder_v2/s,
    );
    expect(standIn.calls).toHaveLength(0);
  });

  test("with a new approval name the preview shows a replace, and up swaps the template", async () => {
    const [oldSid] = [...standIn.state.contents.keys()];
    writeFileSync(
      file,
      COMMITTED.replace("Can you make it?", "Will you come?").replace(
        "name: appointment_reminder",
        "name: appointment_reminder_v2",
      ),
    );
    standIn.resetCalls();
    const preview = await cli.preview(run());
    expect(standIn.calls).toHaveLength(0);
    const step = preview.steps.find((s) => s.name === TEMPLATE);
    expect(step).toMatchObject({ op: "replace", replaces: expect.arrayContaining(["types"]) });

    await cli.up(run());
    const sids = [...standIn.state.contents.keys()];
    expect(sids).toHaveLength(1);
    expect(sids[0]).not.toBe(oldSid);
    expect(standIn.state.approvals.get(sids[0])).toMatchObject({
      name: "appointment_reminder_v2",
      status: "received",
    });
    // The Lambda follows the new SID under the same name.
    expect(await lambdaSids()).toEqual({ appointment_reminder: sids[0] });
  });

  test("destroy deletes the template", async () => {
    await cli.destroy(run());
    expect(standIn.state.contents.size).toBe(0);
    expect(await cli.state(run())).toEqual([]);
  });
});
