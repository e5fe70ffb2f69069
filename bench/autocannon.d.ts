// autocannon ships no type declarations; these cover only what bench/localServer.ts uses
// (https://github.com/mcollina/autocannon#api).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  namespace autocannon {
    /** A request as autocannon builds it; `setupRequest` may change any field. */
    interface RequestData {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }
    /** One entry of `requests`. */
    interface RequestSpec extends RequestData {
      setupRequest?: (request: RequestData, context: Record<string, unknown>) => RequestData;
    }
    /** The options used here. */
    interface Options {
      url: string;
      connections?: number;
      pipelining?: number;
      duration?: number;
      timeout?: number;
      requests?: RequestSpec[];
    }
    /** A percentile histogram in the result. */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      sent?: number;
      p50: number;
      p99: number;
    }
    /** The result of a run. */
    interface Result {
      requests: Histogram;
      latency: Histogram;
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      statusCodeStats: Record<string, { count: number }>;
    }
    /** A running instance. */
    interface Instance extends EventEmitter, PromiseLike<Result> {
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
