import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { HostRules } from "../media/twilioHost";
import { LOCAL_TWILIO, LOCAL_AUTH_TOKEN, LOCAL_HOST } from "./defaults";

/**
 * The local twin of Twilio's media hosting, for `npm start` and the tests: a "Twilio" server
 * answering `GET /2010-04-01/Accounts/AC…/Messages/MM…/Media/ME…` only with the account's Basic
 * credentials, by a 307 to a one-time URL on a second server, the "CDN", which refuses any request
 * carrying an Authorization header (as a pre-signed S3 URL does, with 400). `DELETE …/ME….json`
 * deletes an item. `POST /local/media?messageSid=MM…` (the body is the file, its content type the
 * item's) adds an item and answers its URL; `npm run chat -- /image <url>` uses it.
 */

/** How an item is served. */
export interface LocalMediaOptions {
  /** Send it this many ms after the CDN request arrives (a slow host). */
  delayMs?: number;
  /** Leave out Content-Length (a chunked body). */
  omitLength?: boolean;
  /** Redirect here instead of to the CDN (a redirect to some other host). */
  redirectTo?: string;
}

/** One request either server saw. */
export interface SeenRequest {
  /** Which server. */
  server: "twilio" | "cdn";
  /** HTTP method. */
  method: string;
  /** Path and query. */
  path: string;
  /** The Authorization header, when there was one. */
  authorization?: string;
}

/** A running twin. */
export interface LocalMediaHost {
  /** The Twilio stand-in's origin, e.g. `http://localhost:3001`. */
  url: string;
  /** The CDN stand-in's origin. */
  cdnUrl: string;
  /** Every request seen, in order. */
  requests: SeenRequest[];
  /** Media SIDs deleted through the API. */
  deleted: string[];
  /** Adds an item and returns its Twilio media URL. */
  add(messageSid: string, body: Buffer, contentType: string, options?: LocalMediaOptions): string;
  /** Host rules that trust this twin as the deployed bot trusts Twilio. */
  rules: HostRules;
  /** Stops both servers. */
  close(): Promise<void>;
}

/** Options for {@link startLocalMediaHost}. */
export interface LocalMediaHostOptions {
  /** The Twilio stand-in's port; 0 (a free one) by default. The CDN always takes a free one. */
  port?: number;
  /** Interface to bind; loopback by default. */
  host?: string;
  /** The account SID in media URLs; the local default. */
  accountSid?: string;
  /** The password the Twilio stand-in accepts with the account SID; the local default token. */
  authToken?: string;
  /**
   * The API key it also accepts (Twilio takes a key's SID and secret as Basic auth: the queued
   * worker's credentials); the local default key.
   */
  apiKey?: { sid: string; secret: string };
}

interface Item extends LocalMediaOptions {
  body: Buffer;
  contentType: string;
}

const MEDIA_PATH =
  /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\/([A-Z]{2}[0-9a-f]{32})\/Media\/(ME[0-9a-f]{32})(\.json)?$/;

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** Twilio's error body for a missing resource (code 20404). */
function notFound(res: ServerResponse, path: string): void {
  json(res, 404, {
    code: 20404,
    message: `The requested resource ${path} was not found`,
    more_info: "https://www.twilio.com/docs/errors/20404",
    status: 404,
  });
}

/** Starts the Twilio and CDN stand-ins. */
export async function startLocalMediaHost(
  options: LocalMediaHostOptions = {},
): Promise<LocalMediaHost> {
  const accountSid = options.accountSid ?? LOCAL_TWILIO.accountSid;
  const apiKey = options.apiKey ?? {
    sid: LOCAL_TWILIO.apiKeySid,
    secret: LOCAL_TWILIO.apiKeySecret,
  };
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const accepted = new Set([
    basic(accountSid, options.authToken ?? LOCAL_AUTH_TOKEN),
    basic(apiKey.sid, apiKey.secret),
  ]);
  const host = options.host ?? LOCAL_HOST;
  const items = new Map<string, Item>();
  // One-time CDN paths, as Twilio's redirect targets expire.
  const tickets = new Map<string, Item>();
  const requests: SeenRequest[] = [];
  const deleted: string[] = [];
  const twilio = createServer();
  const cdn = createServer();
  const twilioPort = await listen(twilio, options.port ?? 0, host);
  const cdnPort = await listen(cdn, 0, host);
  const url = `http://localhost:${twilioPort}`;
  const cdnUrl = `http://localhost:${cdnPort}`;
  const seen = (server: SeenRequest["server"], req: IncomingMessage) =>
    requests.push({
      server,
      method: req.method ?? "GET",
      path: req.url ?? "/",
      authorization: req.headers.authorization,
    });

  twilio.on("request", (req: IncomingMessage, res: ServerResponse) => {
    seen("twilio", req);
    void (async () => {
      const target = new URL(req.url ?? "/", url);
      if (req.method === "POST" && target.pathname === "/local/media") {
        const messageSid = target.searchParams.get("messageSid") ?? "";
        const contentType = req.headers["content-type"] ?? "application/octet-stream";
        if (!/^[A-Z]{2}[0-9a-f]{32}$/.test(messageSid)) {
          json(res, 400, { message: "messageSid must be a message SID" });
          return;
        }
        json(res, 201, { url: add(messageSid, await readBody(req), contentType) });
        return;
      }
      const match = MEDIA_PATH.exec(target.pathname);
      if (!match) return notFound(res, target.pathname);
      if (!accepted.has(req.headers.authorization ?? "") || match[1] !== accountSid) {
        res.writeHead(401, { "www-authenticate": 'Basic realm="Twilio API"' });
        res.end();
        return;
      }
      const sid = match[3];
      const item = items.get(sid);
      if (!item) return notFound(res, target.pathname);
      if (req.method === "DELETE" && match[4] === ".json") {
        items.delete(sid);
        deleted.push(sid);
        res.writeHead(204).end();
        return;
      }
      if (req.method !== "GET" || match[4] !== undefined) return notFound(res, target.pathname);
      const ticket = randomBytes(12).toString("hex");
      tickets.set(ticket, item);
      res.writeHead(307, { location: item.redirectTo ?? `${cdnUrl}/media/${ticket}` }).end();
    })();
  });

  cdn.on("request", (req: IncomingMessage, res: ServerResponse) => {
    seen("cdn", req);
    const ticket = /^\/media\/([0-9a-f]+)$/.exec(req.url ?? "")?.[1];
    const item = ticket === undefined ? undefined : tickets.get(ticket);
    if (req.headers.authorization !== undefined) {
      // What S3 says to a pre-signed URL that also carries an Authorization header.
      res.writeHead(400, { "content-type": "application/xml" });
      res.end(
        "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>",
      );
      return;
    }
    if (item === undefined || ticket === undefined) {
      res
        .writeHead(403, { "content-type": "application/xml" })
        .end("<Error><Code>AccessDenied</Code></Error>");
      return;
    }
    tickets.delete(ticket);
    const headers: Record<string, string> = { "content-type": item.contentType };
    if (!item.omitLength) headers["content-length"] = String(item.body.length);
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(200, headers).end(item.body);
    };
    if (item.delayMs) setTimeout(send, item.delayMs).unref();
    else send();
  });

  function add(
    messageSid: string,
    body: Buffer,
    contentType: string,
    itemOptions: LocalMediaOptions = {},
  ): string {
    const mediaSid = `ME${randomBytes(16).toString("hex")}`;
    items.set(mediaSid, { ...itemOptions, body, contentType });
    return `${url}/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}/Media/${mediaSid}`;
  }

  const close = (server: Server) =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    });

  return {
    url,
    cdnUrl,
    requests,
    deleted,
    add,
    rules: { mayAuthenticate: (u) => u.origin === new URL(url).origin, allowHttp: true },
    close: async () => {
      await Promise.all([close(twilio), close(cdn)]);
    },
  };
}
