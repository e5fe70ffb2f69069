import { toPayloadV2Event } from "../../../lambda/local/event";

const NOW = new Date("2026-11-26T09:05:07Z");

describe("toPayloadV2Event", () => {
  const body = Buffer.from("Body=hola+mundo&To=whatsapp%3A%2B14155238886");
  const event = toPayloadV2Event(
    {
      method: "post",
      url: "/whatsapp/incoming?tenant=a+b&q=%22x%22",
      headers: {
        host: "localhost:3000",
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": "abc=",
        "x-forwarded-for": "1.1.1.1",
        cookie: "a=1; b=2",
      },
      body,
      sourceIp: "::1",
    },
    NOW,
  );

  test("keeps rawPath and rawQueryString exactly as sent", () => {
    expect(event.rawPath).toBe("/whatsapp/incoming");
    expect(event.rawQueryString).toBe("tenant=a+b&q=%22x%22");
  });

  test("decodes queryStringParameters as API Gateway does", () => {
    expect(event.queryStringParameters).toEqual({ tenant: "a b", q: '"x"' });
  });

  test("base64-encodes the body and flags it", () => {
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? "", "base64").equals(body)).toBe(true);
  });

  test("fills requestContext like HTTP API payload 2.0", () => {
    expect(event.version).toBe("2.0");
    expect(event.routeKey).toBe("POST /whatsapp/incoming");
    expect(event.requestContext).toMatchObject({
      http: { method: "POST", path: "/whatsapp/incoming", protocol: "HTTP/1.1", sourceIp: "::1" },
      stage: "$default",
      time: "26/Nov/2026:09:05:07 +0000",
      timeEpoch: NOW.getTime(),
      domainName: "localhost:3000",
    });
  });

  test("moves cookies out of the headers", () => {
    expect(event.cookies).toEqual(["a=1", "b=2"]);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers["x-twilio-signature"]).toBe("abc=");
  });

  test.each([
    ["/", "", "$default"],
    ["/other?x=1", "x=1", "$default"],
  ])("routes %p to %p", (url, query, routeKey) => {
    const e = toPayloadV2Event({ method: "GET", url, headers: {}, body: Buffer.alloc(0) });
    expect(e.rawQueryString).toBe(query);
    expect(e.routeKey).toBe(routeKey);
    expect(e.body).toBeUndefined();
    expect(e.isBase64Encoded).toBe(false);
  });

  test("joins repeated headers with commas", () => {
    const e = toPayloadV2Event({
      method: "POST",
      url: "/",
      headers: { "x-a": ["1", "2"] },
      body: Buffer.alloc(0),
    });
    expect(e.headers["x-a"]).toBe("1,2");
  });
});
