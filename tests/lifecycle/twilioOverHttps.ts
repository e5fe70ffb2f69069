import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { TwilioStandIn } from "../helpers/twilio";
import { makeTestTls, TWILIO_HOSTS } from "./tls";

/** The stand-in served over real HTTPS behind a CONNECT proxy. */
export interface TwilioOverHttps {
  /** `http://127.0.0.1:<port>`, for HTTP_PROXY / HTTPS_PROXY. */
  readonly proxyUrl: string;
  /** The test CA, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  /** CONNECT requests to any host other than Twilio's (none expected). */
  readonly refusedHosts: string[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** A form body as the SDK's `data` object: repeated keys become arrays. */
function formData(body: string): Record<string, unknown> {
  const form = new URLSearchParams(body);
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function basicAuth(header: string | undefined): { username?: string; password?: string } {
  const m = /^Basic\s+(.+)$/i.exec(header ?? "");
  if (!m) return {};
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/**
 * Serves the OpenAPI-checked stand-in on a local HTTPS server whose certificate a throw-away CA
 * signed, reached through an HTTP CONNECT proxy. A process started with HTTP_PROXY/HTTPS_PROXY
 * pointing here and NODE_EXTRA_CA_CERTS naming the CA talks to "Twilio" with the real `twilio`
 * SDK, untouched: no client factory, no test hook in the provider's code path.
 */
export async function serveTwilioOverHttps(standIn: () => TwilioStandIn): Promise<TwilioOverHttps> {
  const tls = makeTestTls();
  const refusedHosts: string[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const contentType = (req.headers["content-type"] ?? "").split(";")[0].trim();
    const data =
      raw === ""
        ? undefined
        : contentType === "application/json"
          ? (JSON.parse(raw) as unknown)
          : formData(raw);
    const headers: Record<string, string> = {};
    if (contentType) headers["Content-Type"] = contentType;
    try {
      const answer = await standIn().httpClient.request({
        method: req.method ?? "GET",
        uri: `https://${req.headers.host}${req.url}`,
        ...basicAuth(req.headers.authorization),
        headers,
        data,
      });
      const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
      res.writeHead(answer.statusCode, { "content-type": "application/json" });
      res.end(text);
    } catch {
      // An injected timeout: the connection dies without an answer, as a lost response would.
      req.socket.destroy();
    }
  };
  const https = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    void handle(req, res);
  });
  const proxy: Server = createServer((_req, res) => {
    res.writeHead(405).end("CONNECT only");
  });
  const sockets = new Set<Socket>();
  proxy.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  proxy.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const host = (req.url ?? "").split(":")[0];
    if (!TWILIO_HOSTS.includes(host)) {
      refusedHosts.push(host);
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) socket.unshift(head);
    https.emit("connection", socket);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const port = (proxy.address() as AddressInfo).port;
  return {
    proxyUrl: `http://127.0.0.1:${port}`,
    caFile: tls.caFile,
    refusedHosts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}
