import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { LOCAL_AUTH_TOKEN } from "../lambda/local/defaults";
import { startLocalServer } from "../lambda/local/server";
import { silentLogger } from "../lambda/logger";
import {
  formBody,
  sid,
  statusParams,
  textParams,
  twilioSignature,
  type TwilioParams,
} from "../tests/helpers/events";
import { num, type Benchmark, type Table } from "./report";
import { median, summarize, type Summary } from "./stats";

/** Fixed load: this many connections, one request in flight on each. */
const CONNECTIONS = 10;

/** Raised when the server child cannot be started or dies. */
export class LocalServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalServerError";
  }
}

interface Served {
  child: ChildProcess;
  /** Where to connect (loopback). */
  target: string;
  /** The public URL the server checks signatures against. */
  publicUrl: string;
}

/**
 * Starts the local server in its own process (so the load generator does not share its event loop)
 * by running this file with `--serve`: `startLocalServer` from lambda/local/server.ts bound to
 * 127.0.0.1 on a free port, logging nothing.
 */
async function serve(root: string): Promise<Served> {
  const child = spawn(process.execPath, ["--import", "tsx", __filename, "--serve"], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(
      () => reject(new LocalServerError(`server did not start in 30 s: ${stderr}`)),
      30_000,
    );
    lines.once("line", (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(
        new LocalServerError(
          `server exited with ${code} before listening: ${stderr.slice(0, 500)}`,
        ),
      );
    });
  });
  const { port, url } = JSON.parse(line) as { port: number; url: string };
  return { child, target: `http://127.0.0.1:${port}`, publicUrl: url };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

type Kind = "incoming" | "status";

const PATHS: Record<Kind, string> = { incoming: "/whatsapp/incoming", status: "/whatsapp/status" };

/** A fresh signed request every time autocannon asks: new MessageSid, body and signature. */
function signedRequest(kind: Kind, publicUrl: string): autocannon.RequestSpec {
  const path = PATHS[kind];
  return {
    method: "POST",
    path,
    setupRequest: (request) => {
      const params: TwilioParams =
        kind === "incoming" ? textParams("hola") : statusParams(sid("SM"), "delivered");
      return {
        ...request,
        headers: {
          ...request.headers,
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": twilioSignature(`${publicUrl}${path}`, params, LOCAL_AUTH_TOKEN),
        },
        body: formBody(params),
      };
    },
  };
}

interface LoadRun {
  perSecond: number;
  latency: Summary;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
}

/** One bounded autocannon run; latencies are taken from every response, to the microsecond. */
async function load(served: Served, kind: Kind, seconds: number): Promise<LoadRun> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url: served.target,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    requests: [signedRequest(kind, served.publicUrl)],
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result = await instance;
  if (latencies.length === 0) {
    throw new LocalServerError(
      `no responses from ${served.target}${PATHS[kind]} (${result.errors} errors)`,
    );
  }
  return {
    perSecond: latencies.length / result.duration,
    latency: summarize(latencies),
    total: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
  };
}

/** The local server under load with autocannon, incoming messages and status callbacks. */
export const localServerLoad: Benchmark = {
  id: "local-server",
  title: "Local server under load (autocannon)",
  async run(ctx) {
    const runs = ctx.quick ? 1 : 3;
    const seconds = ctx.quick ? 2 : 5;
    const kinds: Kind[] = ["incoming", "status"];
    const served = await serve(ctx.root);
    const results: Record<Kind, LoadRun[]> = { incoming: [], status: [] };
    try {
      // A short discarded run per route lets V8 optimise the hot paths first.
      for (const kind of kinds) await load(served, kind, 1);
      for (let r = 0; r < runs; r++) {
        for (const kind of kinds) {
          ctx.log(`  ${kind} run ${r + 1}/${runs} (${seconds} s)`);
          results[kind].push(await load(served, kind, seconds));
        }
      }
    } finally {
      await stop(served.child);
    }
    const med = (kind: Kind, pick: (r: LoadRun) => number) => median(results[kind].map(pick));
    const sum = (kind: Kind, pick: (r: LoadRun) => number) =>
      results[kind].reduce((s, r) => s + pick(r), 0);
    const statusText = (kind: Kind) => {
      const totals: Record<string, number> = {};
      for (const r of results[kind])
        for (const [code, n] of Object.entries(r.statuses)) totals[code] = (totals[code] ?? 0) + n;
      return Object.entries(totals)
        .map(([code, n]) => `${code}: ${num(n)}`)
        .join(", ");
    };
    const table: Table = {
      headers: [
        "Route",
        "req/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "Responses",
        "non-2xx",
        "Errors / timeouts",
        "Status codes",
      ],
      rows: kinds.map((kind) => [
        `POST ${PATHS[kind]}`,
        num(
          med(kind, (r) => r.perSecond),
          0,
        ),
        num(
          med(kind, (r) => r.latency.p50),
          2,
        ),
        num(
          med(kind, (r) => r.latency.p99),
          2,
        ),
        num(
          med(kind, (r) => r.latency.max),
          1,
        ),
        num(sum(kind, (r) => r.total)),
        num(sum(kind, (r) => r.non2xx)),
        `${num(sum(kind, (r) => r.errors))} / ${num(sum(kind, (r) => r.timeouts))}`,
        statusText(kind),
      ]),
    };
    const bad = kinds.reduce((n, kind) => n + sum(kind, (r) => r.non2xx + r.errors), 0);
    if (bad > 0) {
      // Every request is validly signed and unique, so anything but 2xx is a bug, not load.
      throw new LocalServerError(
        `the server answered ${bad} request(s) with non-2xx or errors:\n${JSON.stringify(table.rows)}`,
      );
    }
    return {
      method:
        "`startLocalServer` (lambda/local/server.ts: each HTTP request becomes a payload 2.0 event for " +
        "the real handler, in-memory store, menu bot, logs off) runs in its own node process bound to " +
        `127.0.0.1; autocannon drives it from this process with ${CONNECTIONS} connections, no ` +
        `pipelining, for ${seconds} s per run. Every request carries a new MessageSid and its own ` +
        "X-Twilio-Signature (computed in autocannon's `setupRequest` with the twilio SDK), so none is a " +
        `duplicate. After a discarded 1 s warm-up per route, each route runs ${runs} time${runs === 1 ? "" : "s"}, ` +
        "alternating; req/s and latency percentiles are medians over those runs (latency from every " +
        "response, including the load generator's own queueing on a shared CPU).",
      tables: [table],
      metrics: {
        "local server req/s, incoming": med("incoming", (r) => r.perSecond),
        "local server req/s, status": med("status", (r) => r.perSecond),
      },
      targets: [],
      headline:
        `${num(
          med("incoming", (r) => r.perSecond),
          0,
        )} req/s (p99 ${num(
          med("incoming", (r) => r.latency.p99),
          2,
        )} ms) ` +
        `for incoming messages, ${num(
          med("status", (r) => r.perSecond),
          0,
        )} req/s ` +
        `(p99 ${num(
          med("status", (r) => r.latency.p99),
          2,
        )} ms) for status callbacks, 0 non-2xx`,
      notes: [
        "The generator and the server share the same cores, so these figures are a floor for the " +
          "server, not Lambda's capacity (Lambda runs one request per container at a time).",
        "The issue sets no target for this benchmark.",
      ],
    };
  },
};

if (require.main === module && process.argv.includes("--serve")) {
  startLocalServer({
    port: 0,
    host: "127.0.0.1",
    logger: silentLogger,
    authToken: LOCAL_AUTH_TOKEN,
  })
    .then((local) => {
      process.stdout.write(`${JSON.stringify({ port: local.port, url: local.url })}\n`);
      const quit = () => void local.close().then(() => process.exit(0));
      process.once("SIGTERM", quit);
      // If the benchmark dies without stopping us, its end of stdin closes: go too.
      process.stdin.on("end", quit).resume();
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
