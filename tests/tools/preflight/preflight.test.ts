import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTwilioStandIn, type TwilioStandIn } from "../../helpers/twilio";
import { serveTwilioOverHttps, type TwilioOverHttps } from "../../lifecycle/twilioOverHttps";

const ROOT = join(__dirname, "../../..");
const CLI = join(ROOT, "tools/preflight/cli.ts");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const NUMBER = "+15551230100";

let standIn: TwilioStandIn;
let https: TwilioOverHttps;

beforeAll(async () => {
  https = await serveTwilioOverHttps(() => standIn);
});
afterAll(() => https.close());
beforeEach(() => {
  standIn = createTwilioStandIn();
});
afterEach(() => {
  // Read-only: no POST, no DELETE, whatever it found.
  expect(standIn.writes()).toEqual([]);
  expect(standIn.violations).toEqual([]);
});

/** A project directory holding one Pulumi.<stack>.yaml with the given sender. */
function project(stack: string, sender: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "preflight-"));
  writeFileSync(
    join(dir, `Pulumi.${stack}.yaml`),
    `config:\n  whatsapp-bot:sender: ${JSON.stringify(sender)}\n`,
  );
  return dir;
}

/** Runs `npm run preflight -- ...` as a process whose Twilio calls reach the stand-in over HTTPS. */
function preflight(
  args: string[],
  cwd: string,
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [CLI, ...args],
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          HTTP_PROXY: https.proxyUrl,
          HTTPS_PROXY: https.proxyUrl,
          NODE_EXTRA_CA_CERTS: https.caFile,
          TWILIO_ACCOUNT_SID: standIn.accountSid,
          TWILIO_API_KEY: standIn.credentials.apiKey,
          TWILIO_API_SECRET: standIn.credentials.apiSecret,
          ...env,
        },
      },
      (error, out, err) => resolve({ code: error ? Number(error.code) : 0, out, err }),
    );
  });
}

describe("npm run preflight -- --stack <name>, against the Twilio stand-in", () => {
  test("an upgraded account with an ONLINE adopted sender in no other pool is ready (exit 0)", async () => {
    const sid = standIn.seedSender({ number: NUMBER, status: "ONLINE" });
    const run = await preflight(["--stack", "dev"], project("dev", { mode: "adopt", sid }));
    expect(run.err).toBe("");
    expect(run.out).toContain(`Sender ${sid} (whatsapp:${NUMBER}) is ONLINE.`);
    expect(run.out).toContain("Stack dev is ready");
    expect(run.code).toBe(0);
  });

  test("a trial account is reported (exit 1)", async () => {
    standIn = createTwilioStandIn({ accountType: "Trial" });
    const run = await preflight(["--stack", "dev"], project("dev", { mode: "none" }));
    expect(run.out).toMatch(/is a trial account: it cannot run a production WhatsApp sender/);
    expect(run.code).toBe(1);
  });

  test("a missing sender is reported (exit 1)", async () => {
    const run = await preflight(
      ["--stack", "staging"],
      project("staging", { mode: "adopt", number: NUMBER }),
    );
    expect(run.out).toContain(`No WhatsApp sender with number whatsapp:${NUMBER}`);
    expect(run.code).toBe(1);
  });

  test("a sender not yet ONLINE is reported with its status (exit 1)", async () => {
    const sid = standIn.seedSender({ number: NUMBER, status: "OFFLINE" });
    const run = await preflight(["--stack", "dev"], project("dev", { mode: "adopt", sid }));
    expect(run.out).toContain(`is OFFLINE, not ONLINE`);
    expect(run.code).toBe(1);
  });

  test("a sender already in another service's pool is 21712 before it happens (exit 1)", async () => {
    const sid = standIn.seedSender({ number: NUMBER, status: "ONLINE" });
    const console = standIn.seedService("My first service");
    standIn.addToService(console, sid);
    const run = await preflight(["--stack", "prod"], project("prod", { mode: "adopt", sid }));
    expect(run.out).toContain(`already in Messaging Service ${console} ("My first service")`);
    expect(run.out).toContain("21712");
    expect(run.code).toBe(1);
  });

  test("the stack's own service holding the sender is not a conflict", async () => {
    const sid = standIn.seedSender({ number: NUMBER, status: "ONLINE" });
    standIn.addToService(standIn.seedService("whatsapp-bot-prod"), sid);
    const run = await preflight(["--stack", "prod"], project("prod", { mode: "adopt", sid }));
    expect(run.code).toBe(0);
  });

  test("a verificationCode set while nothing is pending is reported (exit 1)", async () => {
    standIn.seedSender({ number: NUMBER, status: "ONLINE" });
    const run = await preflight(
      ["--stack", "prod"],
      project("prod", {
        mode: "register",
        number: NUMBER,
        wabaId: "104567890123456",
        verificationMethod: "sms",
        displayName: "Acme",
        verificationCode: "123456",
      }),
    );
    expect(run.out).toMatch(/verificationCode is set, but no verification is pending/);
    expect(run.code).toBe(1);
  });

  test("usage and credential errors exit 2", async () => {
    const dir = project("dev", { mode: "none" });
    expect((await preflight([], dir)).code).toBe(2);
    expect((await preflight(["--stack", "nope"], dir)).code).toBe(2);
    const noCreds = await preflight(["--stack", "dev"], dir, {
      TWILIO_API_KEY: undefined,
      TWILIO_API_SECRET: undefined,
    });
    expect(noCreds.code).toBe(2);
    expect(noCreds.err).toMatch(/TWILIO_API_KEY and TWILIO_API_SECRET \(or TWILIO_AUTH_TOKEN\)/);
    const wrong = await preflight(["--stack", "dev"], dir, { TWILIO_API_SECRET: "wrong" });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/could not read from Twilio.*TWILIO_ACCOUNT_SID/);
  });
});
