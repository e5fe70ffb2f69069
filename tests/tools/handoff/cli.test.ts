import { validateRequest } from "twilio/lib/webhooks/webhooks";
import { HandoffArgsError, parseHandoffArgs } from "../../../tools/handoff/args";
import { EXIT, runHandoffCli } from "../../../tools/handoff/cli";
import { signRelease } from "../../../tools/handoff/release";
import { AuthTokenNotFoundError, readAuthToken } from "../../../tools/handoff/token";
import { LOCAL_AUTH_TOKEN } from "../../../lambda/local/defaults";

const TOKEN = "0123456789abcdef0123456789abcdef";
const URL_BASE = "https://abc.execute-api.eu-west-1.amazonaws.com";

describe("npm run handoff -- release: arguments", () => {
  test("reads --to, --url (trailing slash dropped) and --stack, also as --x=y", () => {
    expect(
      parseHandoffArgs([
        "release",
        "--to=whatsapp:+34600111222",
        "--url",
        `${URL_BASE}/`,
        "--stack",
        "prod",
      ]),
    ).toEqual({ command: "release", to: "whatsapp:+34600111222", url: URL_BASE, stack: "prod" });
  });

  test.each([
    [[], /unknown command ""/],
    [["free", "--to", "whatsapp:+34600111222"], /unknown command "free"/],
    [["release", "--url", URL_BASE], /--to is required/],
    [["release", "--to", "+34600111222", "--url", URL_BASE], /--to must be a WhatsApp address/],
    [["release", "--to", "whatsapp:+34600111222"], /--url is required/],
    [
      ["release", "--to", "whatsapp:+34600111222", "--url", "abc"],
      /--url must be the API endpoint/,
    ],
    [
      ["release", "--to", "whatsapp:+34600111222", "--url", URL_BASE, "--force"],
      /unknown option --force/,
    ],
  ])("refuses %j naming the fix", (argv, message) => {
    expect(() => parseHandoffArgs(argv)).toThrow(HandoffArgsError);
    expect(() => parseHandoffArgs(argv)).toThrow(message);
    expect(() => parseHandoffArgs(argv)).toThrow(/Usage: npm run handoff -- release/);
  });
});

describe("npm run handoff -- release: the token", () => {
  test("takes TWILIO_AUTH_TOKEN first and never runs pulumi then", async () => {
    const exec = jest.fn();
    expect(await readAuthToken({ TWILIO_AUTH_TOKEN: ` ${TOKEN} ` }, "prod", exec)).toBe(TOKEN);
    expect(exec).not.toHaveBeenCalled();
  });

  test.each(["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"])(
    "uses the local server's default token for %s without --stack, never running pulumi",
    async (url) => {
      const exec = jest.fn();
      expect(await readAuthToken({}, undefined, exec, url)).toBe(LOCAL_AUTH_TOKEN);
      expect(exec).not.toHaveBeenCalled();
    },
  );

  test("asks pulumi, not the local default, for a deployed URL or with --stack", async () => {
    const exec = jest.fn().mockResolvedValue(`${TOKEN}\n`);
    expect(await readAuthToken({}, undefined, exec, URL_BASE)).toBe(TOKEN);
    expect(await readAuthToken({}, "dev", exec, "http://localhost:3000")).toBe(TOKEN);
    expect(exec).toHaveBeenCalledTimes(2);
  });

  test("else asks `pulumi config get twilio:authToken` for the given stack", async () => {
    const exec = jest.fn().mockResolvedValue(`${TOKEN}\n`);
    expect(await readAuthToken({}, "prod", exec)).toBe(TOKEN);
    expect(exec).toHaveBeenCalledWith("pulumi", [
      "config",
      "get",
      "twilio:authToken",
      "--stack",
      "prod",
    ]);
  });

  test("says where it looked when pulumi fails", async () => {
    const exec = jest.fn().mockRejectedValue(new Error("no stack selected"));
    await expect(readAuthToken({}, undefined, exec)).rejects.toThrow(AuthTokenNotFoundError);
    await expect(readAuthToken({}, undefined, exec)).rejects.toThrow(
      /TWILIO_AUTH_TOKEN is unset.*no stack selected.*pass --stack/,
    );
  });
});

describe("npm run handoff -- release: the request", () => {
  test("is signed over the release URL and its fields as Twilio signs, with the time", () => {
    const signed = signRelease(
      URL_BASE,
      "whatsapp:+34600111222",
      TOKEN,
      new Date(1_700_000_000_500),
    );
    expect(signed.url).toBe(`${URL_BASE}/handoff/release`);
    const params = Object.fromEntries(new URLSearchParams(signed.body));
    expect(params).toEqual({ To: "whatsapp:+34600111222", Timestamp: "1700000000" });
    expect(validateRequest(TOKEN, signed.headers["x-twilio-signature"], signed.url, params)).toBe(
      true,
    );
    expect(
      validateRequest("f".repeat(32), signed.headers["x-twilio-signature"], signed.url, params),
    ).toBe(false);
  });

  test.each([
    [200, '{"released":true}', EXIT.released, /released whatsapp/],
    [200, '{"released":false}', EXIT.nothingToRelease, /no hand-off recorded/],
    [403, "signature mismatch", EXIT.error, /HTTP 403/],
  ])("maps HTTP %i %s to exit code %i", async (status, body, code, line) => {
    const lines: string[] = [];
    const posted: Array<{ url: string; init?: RequestInit }> = [];
    const result = await runHandoffCli(
      ["release", "--to", "whatsapp:+34600111222", "--url", URL_BASE],
      {
        env: { TWILIO_AUTH_TOKEN: TOKEN },
        fetch: async (url, init) => {
          posted.push({ url: url as string, init });
          return new Response(body, { status });
        },
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      },
    );
    expect(result).toBe(code);
    expect(lines.join("\n")).toMatch(line);
    expect(lines.join("\n")).not.toContain(TOKEN);
    expect(posted[0]).toMatchObject({
      url: `${URL_BASE}/handoff/release`,
      init: { method: "POST" },
    });
  });
});
