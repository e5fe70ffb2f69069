import fc from "fast-check";
import { createHmac } from "node:crypto";
import {
  BadRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "../../lambda/errors";
import {
  assertFormContentType,
  decodeBody,
  headerValue,
  isValidSignature,
  parseForm,
  publicUrl,
  signedContent,
  signedContentDigest,
} from "../../lambda/request";
import { TEST_AUTH_TOKEN, TEST_BASE_URL, twilioSignature } from "../helpers/events";

describe("decodeBody", () => {
  test("returns a base64 body as the UTF-8 text API Gateway encoded", () => {
    const text = "Body=%C2%BFQu%C3%A9+tal%3F&From=whatsapp%3A%2B34600111222";
    expect(decodeBody(Buffer.from(text).toString("base64"), true)).toBe(text);
  });

  test("returns a plain body unchanged", () => {
    expect(decodeBody("a=b", false)).toBe("a=b");
  });

  test("treats a missing body as empty", () => {
    expect(decodeBody(undefined, true)).toBe("");
  });

  test.each([
    ["a body over the limit", "x".repeat(101), false],
    ["a base64 body that decodes over the limit", Buffer.alloc(101, 97).toString("base64"), true],
    ["a base64 body far over the limit", "A".repeat(1000), true],
  ])("refuses %s with 413", (_name, body, isBase64) => {
    expect(() => decodeBody(body, isBase64, 100)).toThrow(PayloadTooLargeError);
  });

  test.each([
    ["invalid base64", "not base64!", true],
    ["base64 of invalid UTF-8", Buffer.from([0xff, 0xfe, 0x41]).toString("base64"), true],
  ])("refuses %s with 400", (_name, body, isBase64) => {
    expect(() => decodeBody(body, isBase64)).toThrow(BadRequestError);
  });
});

describe("parseForm", () => {
  test.each([
    ["a plus as a space", "Body=hola+mundo", { Body: "hola mundo" }],
    ["an escaped plus as a plus", "To=whatsapp%3A%2B34600", { To: "whatsapp:+34600" }],
    ["quotes and unicode", "Body=%22%C3%B1and%C3%BA%22+%27x%27", { Body: "\"ñandú\" 'x'" }],
    ["a field without a value as empty", "Body&A=1", { Body: "", A: "1" }],
    ["an empty value", "Body=", { Body: "" }],
    ["empty pairs skipped", "&&A=1&", { A: "1" }],
    ["a value with an equals sign", "A=b%3Dc=d", { A: "b=c=d" }],
    ["a repeated field as every value in order", "A=1&A=2&A=3", { A: ["1", "2", "3"] }],
  ])("decodes %s", (_name, body, expected) => {
    expect({ ...parseForm(body) }).toEqual(expected);
  });

  test("keeps __proto__ and constructor as plain fields", () => {
    const params = parseForm("__proto__=x&constructor=y");
    expect(params.__proto__).toBe("x");
    expect(params.constructor).toBe("y");
    expect(Object.keys(params).sort()).toEqual(["__proto__", "constructor"]);
  });

  test.each(["A=%", "A=%zz", "%E0%A4%A=1", "A=%C3%28", "=value"])(
    "refuses the malformed body %p with 400",
    (body) => {
      expect(() => parseForm(body)).toThrow(BadRequestError);
    },
  );
});

describe("assertFormContentType", () => {
  test.each([
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=UTF-8",
    "Application/X-WWW-Form-Urlencoded",
  ])("accepts %p", (type) => {
    expect(() => assertFormContentType(type)).not.toThrow();
  });

  test.each([undefined, "", "application/json", "text/plain", "multipart/form-data; boundary=x"])(
    "refuses %p with 415",
    (type) => {
      expect(() => assertFormContentType(type)).toThrow(UnsupportedMediaTypeError);
    },
  );
});

describe("headerValue", () => {
  test("finds a header whatever its case", () => {
    expect(headerValue({ "X-Twilio-Signature": "abc" }, "x-twilio-signature")).toBe("abc");
  });

  test("returns undefined without headers", () => {
    expect(headerValue(undefined, "x")).toBeUndefined();
  });
});

describe("publicUrl", () => {
  test.each([
    ["https://h.example", "/whatsapp/incoming", "", "https://h.example/whatsapp/incoming"],
    ["https://h.example/", "/whatsapp/incoming", "", "https://h.example/whatsapp/incoming"],
    ["https://h.example", "/a", "x=1&y=a+b", "https://h.example/a?x=1&y=a+b"],
    ["https://h.example", "/a", "q=%22hi%22%20there", "https://h.example/a?q=%22hi%22%20there"],
    ["https://h.example", "/a", "q='raw' \"quotes\"", "https://h.example/a?q='raw' \"quotes\""],
  ])("joins %p, %p and %p without re-encoding", (base, path, query, expected) => {
    expect(publicUrl(base, path, query)).toBe(expected);
  });
});

describe("isValidSignature", () => {
  const url = `${TEST_BASE_URL}/whatsapp/incoming?tenant=a+b&name=%22x%22`;
  const params = { Body: "hola mundo", From: "whatsapp:+34600111222" };

  test("accepts the signature the SDK computes for the same URL and fields", () => {
    expect(isValidSignature(TEST_AUTH_TOKEN, twilioSignature(url, params), url, params)).toBe(true);
  });

  test.each([
    ["another token", "ffffffffffffffffffffffffffffffff", url, params],
    ["another URL", TEST_AUTH_TOKEN, `${TEST_BASE_URL}/whatsapp/incoming`, params],
    ["another field value", TEST_AUTH_TOKEN, url, { ...params, Body: "hola mundo!" }],
  ])("rejects a signature checked with %s", (_name, token, checkedUrl, checkedParams) => {
    const signature = twilioSignature(url, params);
    expect(isValidSignature(token, signature, checkedUrl, checkedParams)).toBe(false);
  });

  test("rejects an empty signature", () => {
    expect(isValidSignature(TEST_AUTH_TOKEN, "", url, params)).toBe(false);
  });

  test("treats a URL the SDK cannot parse as a mismatch, not an exception", () => {
    expect(isValidSignature(TEST_AUTH_TOKEN, "abc", "not a url", params)).toBe(false);
  });
});

describe("signedContent", () => {
  const fieldValue = fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 3 }));

  test("is exactly what the twilio SDK signs, for any fields", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fieldValue),
        fc.webUrl(),
        (params, url) => {
          const hmac = createHmac("sha1", TEST_AUTH_TOKEN)
            .update(Buffer.from(signedContent(url, params), "utf-8"))
            .digest("base64");
          expect(hmac).toBe(twilioSignature(url, params as Record<string, string>));
        },
      ),
    );
  });

  test("names the same content the same, however the fields split it", () => {
    const url = `${TEST_BASE_URL}/twilio/usage`;
    const one = { A: "1", B: "2" };
    const shifted = { A: "1B2" };
    expect(signedContent(url, shifted)).toBe(signedContent(url, one));
    expect(signedContentDigest(url, shifted)).toBe(signedContentDigest(url, one));
    expect(signedContentDigest(url, { A: "1", B: "3" })).not.toBe(signedContentDigest(url, one));
    expect(signedContentDigest(`${url}?x=1`, one)).not.toBe(signedContentDigest(url, one));
  });
});
