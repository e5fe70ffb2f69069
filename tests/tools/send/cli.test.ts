import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { createServer, type AddressInfo } from "node:net";
import { sendChatMessage } from "../../../lambda/local/chat";
import { LOCAL_AUTH_TOKEN } from "../../../lambda/local/defaults";
import { startLocalServer, type LocalServer } from "../../../lambda/local/server";
import { silentLogger } from "../../../lambda/logger";
import { MemoryStore } from "../../../lambda/store/memory";
import { EXIT, runSendCli } from "../../../tools/send/cli";
import { parseSendArgs, resolveTemplate, SendArgsError } from "../../../tools/send/args";
import { createTwilioStandIn } from "../../helpers/twilio";

const HX = `HX${"f".repeat(32)}`;
const USER = "whatsapp:+34611000077";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, deps: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe("npm run send: arguments", () => {
  test("text with media, and a template with its variables", () => {
    expect(parseSendArgs(["--to", USER, "--body", "hola", "--media", "https://e.x/a.jpg"])).toEqual(
      {
        message: { to: USER, body: "hola", mediaUrls: ["https://e.x/a.jpg"] },
      },
    );
    expect(
      parseSendArgs([`--to=${USER}`, "--template", "order_ready", "--var", "1=Ana", "--var=2=x=y"]),
    ).toEqual({
      message: {
        to: USER,
        template: { contentSid: "order_ready", variables: { "1": "Ana", "2": "x=y" } },
      },
      template: "order_ready",
    });
  });

  test.each([
    [[], /--to is required/],
    [["--to", USER, "--var", "1=a"], /--var goes with --template/],
    [["--to", USER, "--template", "t", "--var", "nope"], /--var takes name=value/],
    [["--to", USER, "--colour", "red"], /unknown option --colour/],
    [["--to"], /--to needs a value/],
  ])("%j is refused with the usage", (argv, message) => {
    expect(() => parseSendArgs(argv)).toThrow(SendArgsError);
    expect(() => parseSendArgs(argv)).toThrow(message);
    expect(() => parseSendArgs(argv)).toThrow(/Usage: npm run send/);
  });

  test("a template name is looked up in TEMPLATE_SIDS; an HX SID is taken as it is", () => {
    const env = { TEMPLATE_SIDS: JSON.stringify({ order_ready: HX }) };
    expect(resolveTemplate("order_ready", env)).toBe(HX);
    expect(resolveTemplate(HX, {})).toBe(HX);
    expect(() => resolveTemplate("other", env)).toThrow(
      /no template named "other".*declared: order_ready/,
    );
    expect(() => resolveTemplate("other", {})).toThrow(/none declared/);
  });
});

describe("npm run send against the local server", () => {
  let local: LocalServer;
  beforeAll(async () => {
    local = await startLocalServer({ port: 0, logger: silentLogger });
  });
  afterAll(async () => {
    await local.close();
  });
  const env = () => ({ SEND_URL: local.url });

  test("sends free-form text to a user inside the window, through the server's own send path", async () => {
    await sendChatMessage(
      { body: "hola" },
      { serverUrl: local.url, authToken: LOCAL_AUTH_TOKEN, from: USER },
    );
    const before = local.outbox.cursor;
    const { out, err, deps } = capture();
    const code = await runSendCli(["--to", USER, "--body", "Tu pedido ha salido"], {
      env: env(),
      ...deps,
    });
    expect([code, err]).toEqual([EXIT.sent, []]);
    expect(out[0]).toMatch(/^sent SM[0-9a-f]{32} \(accepted\) through the local server$/);
    expect(local.outbox.read(before).messages.map((m) => [m.to, m.body])).toEqual([
      [USER, "Tu pedido ha salido"],
    ]);
  });

  test("free-form text to someone who never wrote is refused, with the reason, and nothing is sent", async () => {
    const before = local.outbox.cursor;
    const { err, deps } = capture();
    const code = await runSendCli(["--to", "whatsapp:+34611000078", "--body", "hola"], {
      env: env(),
      ...deps,
    });
    expect(code).toBe(EXIT.refused);
    expect(err.join("\n")).toMatch(
      /^not sent: WindowClosedError: the user has never written.*template/,
    );
    expect(local.outbox.cursor).toBe(before);
  });

  test("a template by name goes to anyone", async () => {
    const { out, deps } = capture();
    const code = await runSendCli(
      ["--to", "whatsapp:+34611000079", "--template", "order_ready", "--var", "1=Ana"],
      {
        env: { ...env(), TEMPLATE_SIDS: JSON.stringify({ order_ready: HX }) },
        ...deps,
      },
    );
    expect(code).toBe(EXIT.sent);
    expect(out[0]).toMatch(/^sent SM/);
    const last = local.outbox.read(local.outbox.cursor - 1).messages[0];
    expect([last.contentSid, last.contentVariables]).toEqual([HX, { "1": "Ana" }]);
  });

  test("a bad command line exits 2 before anything is sent", async () => {
    const { err, deps } = capture();
    expect(await runSendCli(["--body", "x"], { env: env(), ...deps })).toBe(EXIT.error);
    expect(err[0]).toMatch(/--to is required/);
  });

  test("no server listening: says to start it", async () => {
    // A port nothing listens on: taken, then released.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const { err, deps } = capture();
    const code = await runSendCli(["--to", USER, "--body", "x"], {
      env: { SEND_URL: `http://127.0.0.1:${port}` },
      ...deps,
    });
    expect(code).toBe(EXIT.refused);
    expect(err.join("\n")).toMatch(/npm start/);
  });
});

describe("npm run send as the deployed stack", () => {
  const secrets = mockClient(SecretsManagerClient);
  afterAll(() => secrets.restore());

  test("with the function's environment it reads the secret and sends through Twilio", async () => {
    const standIn = createTwilioStandIn();
    const serviceSid = standIn.seedService("svc");
    const key = await standIn.client().api.v2010.accounts(standIn.accountSid).newKeys.create({});
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        accountSid: standIn.accountSid,
        apiKeySid: key.sid,
        apiKeySecret: key.secret,
        messagingServiceSid: serviceSid,
      }),
    });
    const env = {
      OUTBOUND_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x",
      PUBLIC_BASE_URL: "https://abc.execute-api.eu-west-1.amazonaws.com",
    };
    const { out, err, deps } = capture();
    const code = await runSendCli(["--to", USER, "--template", HX], {
      env,
      store: new MemoryStore(),
      api: { fetch: standIn.fetch },
      ...deps,
    });
    expect([code, err]).toEqual([EXIT.sent, []]);
    expect(out[0]).toMatch(/^sent SM[0-9a-f]{32} \(accepted\)$/);
    expect(standIn.sentMessages().map((m) => [m.to, m.contentSid, m.statusCallback])).toEqual([
      [USER, HX, "https://abc.execute-api.eu-west-1.amazonaws.com/whatsapp/status"],
    ]);
    // Free-form text to a user with no conversation in the table: refused before Twilio.
    const refused = capture();
    expect(
      await runSendCli(["--to", USER, "--body", "x"], {
        env,
        store: new MemoryStore(),
        api: { fetch: standIn.fetch },
        ...refused.deps,
      }),
    ).toBe(EXIT.refused);
    expect(refused.err[0]).toMatch(/^not sent: WindowClosedError/);
    expect(standIn.sentMessages()).toHaveLength(1);
  });

  test("without TABLE_NAME it will not guess where the conversations are", async () => {
    const { err, deps } = capture();
    const code = await runSendCli(["--to", USER, "--template", HX], {
      env: { OUTBOUND_SECRET_ARN: "arn:x", PUBLIC_BASE_URL: "https://a.example" },
      ...deps,
    });
    expect(code).toBe(EXIT.refused);
    expect(err[0]).toMatch(/TABLE_NAME is required/);
  });
});
