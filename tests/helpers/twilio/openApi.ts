import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Twilio's official OpenAPI descriptions (shipped in `@twilio-alpha/mcp`), turned into a route
 * table and validators: which method and path exist, which form/JSON/query parameters each takes
 * (names, types, enums, required), and what each response body must look like.
 */

/** The spec files the stand-in serves. */
export const SPEC_FILES = [
  "twilio_messaging_v1.json",
  "twilio_messaging_v2.json",
  "twilio_api_v2010.json",
  "twilio_content_v1.json",
] as const;

/** Where the specs live. */
export const SPEC_DIR = join(
  __dirname,
  "../../../node_modules/@twilio-alpha/mcp/twilio-oai/spec/json",
);

type Schema = Record<string, unknown>;

interface SpecDoc {
  paths: Record<string, Record<string, unknown>>;
  servers?: { url: string }[];
  components: { schemas: Record<string, Schema> };
}

/** One operation of a spec: method, path template and how to validate it. */
export interface Operation {
  specFile: string;
  host: string;
  method: string;
  template: string;
  operationId: string;
  regex: RegExp;
  pathParamNames: string[];
  params: { name: string; in: string; required?: boolean; schema?: Schema }[];
  bodyType?: "form" | "json";
  bodySchemaPointer?: string;
  bodyRequired: boolean;
  responsePointers: Record<string, string | undefined>;
}

function escapePointer(part: string): string {
  return part.replace(/~/g, "~0").replace(/\//g, "~1");
}

function templateRegex(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (m) {
        names.push(m[1]);
        return "([^/]+?)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { regex: new RegExp(`^${source}$`), names };
}

/**
 * OpenAPI 3.0 writes "null allowed" as `nullable: true`, which ajv honours only next to a `type`.
 * Next to a `$ref` (as in the v2 Senders update body) it becomes `anyOf: [$ref, null]`.
 */
function normalizeNullable(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(normalizeNullable);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const obj = node as Record<string, unknown>;
  if (obj.nullable === true && obj.type === undefined) {
    delete obj.nullable;
    if (typeof obj.$ref === "string") {
      obj.anyOf = [{ $ref: obj.$ref }, { type: "null" }];
      delete obj.$ref;
    }
  }
  for (const value of Object.values(obj)) normalizeNullable(value);
}

/** The loaded specs with a compiled validator per (spec, JSON pointer). */
export class TwilioOpenApi {
  readonly operations: Operation[] = [];
  private readonly docs = new Map<string, SpecDoc>();
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(files: readonly string[] = SPEC_FILES) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    // Twilio's api v2010 pages answer relative URIs (`first_page_uri: "/2010-04-01/..."`) where
    // the description says `format: uri`; real answers are the reference, so accept both.
    this.ajv.addFormat(
      "uri",
      (v: string) => v.startsWith("/") || /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v),
    );
    this.ajv.addFormat("http-method", /^(GET|POST|PUT|DELETE|PATCH|HEAD)$/);
    // E.164, or a channel address: Messages.json's `To` is "E.164 format (for SMS/MMS) or channel
    // address, e.g. `whatsapp:+15552229999`" under the same format.
    this.ajv.addFormat("phone-number", /^([a-z]+:)?\+[1-9][0-9]{1,14}$/);
    this.ajv.addFormat("uri-map", true);
    this.ajv.addFormat("uri-template", true);
    this.ajv.addFormat("date-time-rfc-2822", (v: string) => !Number.isNaN(Date.parse(v)));
    this.ajv.addFormat("sid", /^[A-Z]{2}[0-9a-fA-F]{32}$/);
    this.ajv.addFormat("currency", true);
    this.ajv.addFormat("decimal", true);
    for (const file of files) {
      const doc = JSON.parse(readFileSync(join(SPEC_DIR, file), "utf8")) as SpecDoc;
      normalizeNullable(doc);
      this.docs.set(file, doc);
      this.ajv.addSchema(doc, file);
      for (const [template, item] of Object.entries(doc.paths)) {
        const servers = (item.servers as { url: string }[] | undefined) ?? doc.servers ?? [];
        const host = new URL(servers[0].url).host;
        for (const method of ["get", "post", "put", "delete"]) {
          const op = item[method] as Record<string, unknown> | undefined;
          if (!op) continue;
          const { regex, names } = templateRegex(template);
          const pointerBase = `#/paths/${escapePointer(template)}/${method}`;
          const content = (
            op.requestBody as { content?: Record<string, unknown>; required?: boolean } | undefined
          )?.content;
          let bodyType: "form" | "json" | undefined;
          let bodySchemaPointer: string | undefined;
          if (content?.["application/x-www-form-urlencoded"]) {
            bodyType = "form";
            bodySchemaPointer = `${pointerBase}/requestBody/content/application~1x-www-form-urlencoded/schema`;
          } else if (content?.["application/json"]) {
            bodyType = "json";
            bodySchemaPointer = `${pointerBase}/requestBody/content/application~1json/schema`;
          }
          const responses = (op.responses ?? {}) as Record<
            string,
            { content?: Record<string, unknown> }
          >;
          const responsePointers: Record<string, string | undefined> = {};
          for (const [status, resp] of Object.entries(responses)) {
            responsePointers[status] = resp.content?.["application/json"]
              ? `${pointerBase}/responses/${status}/content/application~1json/schema`
              : undefined;
          }
          const required =
            (op.requestBody as { required?: boolean } | undefined)?.required === true;
          const requiredProps = bodySchemaPointer
            ? (this.resolve(file, bodySchemaPointer).required as string[] | undefined)
            : undefined;
          this.operations.push({
            specFile: file,
            host,
            method: method.toUpperCase(),
            template,
            operationId: String(op.operationId),
            regex,
            pathParamNames: names,
            params: (op.parameters ?? []) as Operation["params"],
            bodyType,
            bodySchemaPointer,
            bodyRequired: required || (requiredProps?.length ?? 0) > 0,
            responsePointers,
          });
        }
      }
    }
  }

  /** The operation for a method, host and path, with its path parameters, if the spec has it. */
  match(
    method: string,
    host: string,
    path: string,
  ): { op: Operation; pathParams: Record<string, string> } | undefined {
    for (const op of this.operations) {
      if (op.method !== method || op.host !== host) continue;
      const m = op.regex.exec(path);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      op.pathParamNames.forEach((name, i) => (pathParams[name] = decodeURIComponent(m[i + 1])));
      return { op, pathParams };
    }
    return undefined;
  }

  /** Whether any method is described for that path (to tell 405 from 404). */
  pathExists(host: string, path: string): boolean {
    return this.operations.some((op) => op.host === host && op.regex.test(path));
  }

  /** Follows a JSON pointer (and any $ref it lands on) within a spec. */
  resolve(file: string, pointer: string): Schema {
    const doc = this.docs.get(file);
    if (!doc) throw new Error(`unknown spec ${file}`);
    let node: unknown = doc;
    for (const raw of pointer.replace(/^#\//, "").split("/")) {
      const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      node = (node as Record<string, unknown>)[part];
      if (node === undefined) throw new Error(`${file}: no ${pointer}`);
    }
    let schema = node as Schema;
    while (typeof schema.$ref === "string") schema = this.resolve(file, schema.$ref);
    return schema;
  }

  /** Validates a value against the schema at a pointer; returns readable errors. */
  validate(file: string, pointer: string, value: unknown): string[] {
    const key = `${file}${pointer}`;
    let fn = this.validators.get(key);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${file}${pointer}` });
      this.validators.set(key, fn);
    }
    if (fn(value)) return [];
    return (fn.errors ?? []).map(
      (e) =>
        `${e.instancePath || "(body)"} ${e.message ?? "is invalid"}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`,
    );
  }

  /** Lists keys of a JSON value that its schema does not describe (real Twilio rejects or drops them). */
  unknownKeys(file: string, schema: Schema, value: unknown, path = ""): string[] {
    if (value === null || typeof value !== "object") return [];
    let s = schema;
    while (typeof s.$ref === "string") s = this.resolve(file, s.$ref);
    if (Array.isArray(s.anyOf)) {
      const alternative = (s.anyOf as Schema[]).find((a) => a.type !== "null");
      if (alternative) return this.unknownKeys(file, alternative, value, path);
    }
    if (Array.isArray(value)) {
      const items = s.items as Schema | undefined;
      return items
        ? value.flatMap((v, i) => this.unknownKeys(file, items, v, `${path}[${i}]`))
        : [];
    }
    const props = s.properties as Record<string, Schema> | undefined;
    if (!props) return [];
    const out: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in props)) out.push(p);
      else out.push(...this.unknownKeys(file, props[k], v, p));
    }
    return out;
  }
}
