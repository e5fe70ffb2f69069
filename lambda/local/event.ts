import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { ROUTES } from "../handler";

/** The parts of an HTTP request the event is built from. */
export interface RawHttpRequest {
  /** HTTP method. */
  method: string;
  /** Request target as sent: path plus optional `?query`, undecoded. */
  url: string;
  /** Node's headers (names already lower-case). */
  headers: IncomingHttpHeaders;
  /** Raw body bytes. */
  body: Buffer;
  /** Client address. */
  sourceIp?: string;
}

function clfTime(date: Date): string {
  const months = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
  ];
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

function decodeQueryComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/**
 * Turns an HTTP request into the payload 2.0 event API Gateway's HTTP API would hand to Lambda:
 * lower-case headers (repeats joined by commas), rawPath and rawQueryString exactly as sent,
 * cookies split out, and the body base64-encoded as HTTP API does for form posts.
 */
export function toPayloadV2Event(
  request: RawHttpRequest,
  now: Date = new Date(),
): APIGatewayProxyEventV2 {
  const queryAt = request.url.indexOf("?");
  const rawPath = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? "" : request.url.slice(queryAt + 1);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(",") : value;
    if (name.toLowerCase() === "cookie") cookies = joined.split(/;\s*/).filter(Boolean);
    else headers[name.toLowerCase()] = joined;
  }
  let queryStringParameters: Record<string, string> | undefined;
  for (const pair of rawQueryString.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const name = decodeQueryComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeQueryComponent(pair.slice(eq + 1));
    queryStringParameters ??= {};
    queryStringParameters[name] =
      name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  }
  const method = request.method.toUpperCase();
  const routeKey = Object.prototype.hasOwnProperty.call(ROUTES, rawPath)
    ? `${method} ${rawPath}`
    : "$default";
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(".")[0],
      http: {
        method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: request.body.length > 0,
  };
  if (cookies) event.cookies = cookies;
  if (queryStringParameters) event.queryStringParameters = queryStringParameters;
  if (request.body.length > 0) event.body = request.body.toString("base64");
  return event;
}
