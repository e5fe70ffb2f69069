import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LOCAL_TWILIO, LOCAL_AUTH_TOKEN } from "../../../lambda/local/defaults";
import { startLocalMediaHost, type LocalMediaHost } from "../../../lambda/local/mediaHost";
import {
  MediaFetchError,
  MediaTooLargeError,
  downloadMedia,
  readAll,
} from "../../../lambda/media/download";
import { TWILIO_HOST_RULES, basicAuth } from "../../../lambda/media/twilioHost";

const AUTH = basicAuth(LOCAL_TWILIO.accountSid, LOCAL_AUTH_TOKEN);
const MESSAGE = `MM${"1".repeat(32)}`;
const IMAGE = Buffer.from("\x89PNG fake image bytes".repeat(50));

/** A server standing in for some host that is not Twilio's, recording what reaches it. */
async function foreignHost(): Promise<{
  url: string;
  seen: IncomingHttpHeaders[];
  server: Server;
}> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { "content-type": "image/png", "content-length": "2" }).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, seen, server };
}

describe("downloadMedia against the local twin of Twilio's media host and its CDN", () => {
  let twin: LocalMediaHost;

  beforeEach(async () => {
    twin = await startLocalMediaHost();
  });
  afterEach(async () => {
    await twin.close();
  });

  const download = (url: string, overrides: Partial<Parameters<typeof downloadMedia>[1]> = {}) =>
    downloadMedia(url, { authorization: AUTH, rules: twin.rules, maxBytes: 10_000, ...overrides });

  test("follows Twilio's redirect: the credentials reach the Twilio host, none reach the CDN", async () => {
    const url = twin.add(MESSAGE, IMAGE, "image/png");
    const fetched = await download(url);
    expect(await readAll(fetched.body)).toEqual(IMAGE);
    expect(fetched.length).toBe(IMAGE.length);
    expect(twin.requests.map((r) => [r.server, r.method, r.authorization])).toEqual([
      ["twilio", "GET", AUTH],
      ["cdn", "GET", undefined],
    ]);
  });

  test("the CDN stand-in refuses a request that carries credentials, as S3 does", async () => {
    const url = twin.add(MESSAGE, IMAGE, "image/png");
    const redirect = await fetch(url, { headers: { authorization: AUTH }, redirect: "manual" });
    expect(redirect.status).toBe(307);
    const location = redirect.headers.get("location") as string;
    expect((await fetch(location, { headers: { authorization: AUTH } })).status).toBe(400);
  });

  test("a media item Twilio does not have is a fetch error with its 404", async () => {
    const missing = `${twin.url}/2010-04-01/Accounts/${LOCAL_TWILIO.accountSid}/Messages/${MESSAGE}/Media/ME${"f".repeat(32)}`;
    const error = await download(missing).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MediaFetchError);
    expect((error as MediaFetchError).status).toBe(404);
    expect(twin.requests.map((r) => r.server)).toEqual(["twilio"]);
  });

  test("wrong credentials are a fetch error with Twilio's 401", async () => {
    const url = twin.add(MESSAGE, IMAGE, "image/png");
    const error = await download(url, {
      authorization: basicAuth(LOCAL_TWILIO.accountSid, "wrong"),
    }).catch((err: unknown) => err);
    expect((error as MediaFetchError).status).toBe(401);
  });

  test("a slow host is given up on when the deadline's signal fires", async () => {
    const url = twin.add(MESSAGE, IMAGE, "image/png", { delayMs: 5_000 });
    const started = Date.now();
    const error = await download(url, { signal: AbortSignal.timeout(200) }).catch(
      (err: unknown) => err,
    );
    expect((error as Error).name).toBe("TimeoutError");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test("an item whose declared length is over the limit is refused before its body is read", async () => {
    const url = twin.add(MESSAGE, IMAGE, "image/png");
    const error = await download(url, { maxBytes: IMAGE.length - 1 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect((error as Error).message).toContain(`Content-Length ${IMAGE.length}`);
  });

  test("an item without a length fails while streaming once it passes the limit", async () => {
    const url = twin.add(MESSAGE, IMAGE, "image/png", { omitLength: true });
    const fetched = await download(url, { maxBytes: 100 });
    expect(fetched.length).toBeUndefined();
    await expect(readAll(fetched.body)).rejects.toBeInstanceOf(MediaTooLargeError);
  });

  test("a redirect to a host that is not Twilio's is followed without the credentials", async () => {
    const foreign = await foreignHost();
    try {
      const url = twin.add(MESSAGE, IMAGE, "image/png", { redirectTo: `${foreign.url}/steal` });
      const fetched = await download(url);
      expect((await readAll(fetched.body)).toString()).toBe("ok");
      expect(foreign.seen).toHaveLength(1);
      expect(foreign.seen[0].authorization).toBeUndefined();
      expect(JSON.stringify(foreign.seen)).not.toContain(LOCAL_AUTH_TOKEN);
    } finally {
      foreign.server.close();
    }
  });

  test("a redirect back to the Twilio host carries no credentials either, so it is refused there", async () => {
    const loop = twin.add(MESSAGE, IMAGE, "image/png");
    const url = twin.add(MESSAGE, IMAGE, "image/png", { redirectTo: loop });
    const error = await download(url).catch((err: unknown) => err);
    expect((error as MediaFetchError).status).toBe(401);
    expect(twin.requests.map((r) => r.authorization === undefined)).toEqual([false, true]);
  });

  test("a media URL on a host that is not Twilio's is not fetched at all", async () => {
    const foreign = await foreignHost();
    try {
      const url = `${foreign.url}/2010-04-01/Accounts/${LOCAL_TWILIO.accountSid}/Messages/${MESSAGE}/Media/ME${"0".repeat(32)}`;
      const error = await download(url).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(MediaFetchError);
      expect((error as Error).message).toContain("not a Twilio API host");
      expect(foreign.seen).toEqual([]);
    } finally {
      foreign.server.close();
    }
  });
});

describe("downloadMedia with the deployed bot's rules", () => {
  /** A fetch that answers from a table by URL and records each request's Authorization. */
  function scripted(answers: Record<string, Response>) {
    const calls: { url: string; authorization?: string; redirect?: string }[] = [];
    const fake = (async (input: URL | string | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : input.toString();
      const headers = new Headers(init?.headers);
      calls.push({
        url,
        authorization: headers.get("authorization") ?? undefined,
        redirect: init?.redirect,
      });
      const answer = answers[url];
      if (!answer) throw new Error(`unexpected fetch ${url}`);
      return answer;
    }) as typeof fetch;
    return { fake, calls };
  }

  const MEDIA_URL = `https://api.twilio.com/2010-04-01/Accounts/${LOCAL_TWILIO.accountSid}/Messages/${MESSAGE}/Media/ME${"2".repeat(32)}`;
  const CDN_URL = "https://media.twiliocdn.com/a/b?Signature=x";

  test("sends the credentials to api.twilio.com only, and follows the redirect by hand", async () => {
    const { fake, calls } = scripted({
      [MEDIA_URL]: new Response(null, { status: 307, headers: { location: CDN_URL } }),
      [CDN_URL]: new Response("jpeg", { headers: { "content-length": "4" } }),
    });
    const fetched = await downloadMedia(MEDIA_URL, {
      authorization: AUTH,
      rules: TWILIO_HOST_RULES,
      maxBytes: 10,
      fetch: fake,
    });
    expect((await readAll(fetched.body)).toString()).toBe("jpeg");
    expect(calls).toEqual([
      { url: MEDIA_URL, authorization: AUTH, redirect: "manual" },
      { url: CDN_URL, authorization: undefined, redirect: "manual" },
    ]);
  });

  test.each([
    ["http://api.twilio.com/x", "plain http"],
    ["https://api.twilio.com.evil.example/x", "a look-alike host"],
    ["https://twilio.com@evil.example/x", "user info before another host"],
  ])("refuses a media URL on %s (%s) without fetching it", async (url) => {
    const { fake, calls } = scripted({});
    await expect(
      downloadMedia(url, {
        authorization: AUTH,
        rules: TWILIO_HOST_RULES,
        maxBytes: 10,
        fetch: fake,
      }),
    ).rejects.toBeInstanceOf(MediaFetchError);
    expect(calls).toEqual([]);
  });

  test("refuses a redirect to plain http", async () => {
    const { fake, calls } = scripted({
      [MEDIA_URL]: new Response(null, {
        status: 307,
        headers: { location: "http://cdn.example/x" },
      }),
    });
    await expect(
      downloadMedia(MEDIA_URL, {
        authorization: AUTH,
        rules: TWILIO_HOST_RULES,
        maxBytes: 10,
        fetch: fake,
      }),
    ).rejects.toThrow("https only");
    expect(calls).toHaveLength(1);
  });

  test("gives up after three redirects", async () => {
    const hop = (n: number) => `https://media.twiliocdn.com/${n}`;
    const { fake, calls } = scripted({
      [MEDIA_URL]: new Response(null, { status: 302, headers: { location: hop(1) } }),
      [hop(1)]: new Response(null, { status: 302, headers: { location: hop(2) } }),
      [hop(2)]: new Response(null, { status: 302, headers: { location: hop(3) } }),
      [hop(3)]: new Response(null, { status: 302, headers: { location: hop(4) } }),
    });
    await expect(
      downloadMedia(MEDIA_URL, {
        authorization: AUTH,
        rules: TWILIO_HOST_RULES,
        maxBytes: 10,
        fetch: fake,
      }),
    ).rejects.toThrow("more than 3 redirects");
    expect(calls.filter((c) => c.authorization !== undefined)).toHaveLength(1);
  });
});
