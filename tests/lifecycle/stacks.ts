import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { TwilioStandIn } from "../helpers/twilio";
import type { ProgramRun } from "./engine";

const ROOT = join(__dirname, "../..");

/** The secret config keys the CLI decrypts for the program and the provider host. */
export const SECRET_KEYS = ["twilio:authToken", "twilio:apiSecret"];

/** A committed Pulumi.<stack>.yaml as the CLI hands it over (objects as JSON text). */
export function committedConfig(file: string): Record<string, string> {
  const doc = parse(readFileSync(join(ROOT, `Pulumi.${file}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config))
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  return config;
}

/** The stacks the scenarios run: each committed file, and a review stack made as the workflow makes it. */
export const STACKS: { stack: string; file: string; review?: boolean }[] = [
  { stack: "dev", file: "dev" },
  { stack: "staging", file: "staging" },
  { stack: "prod", file: "prod" },
  { stack: "pr-42", file: "staging", review: true },
];

/**
 * A stack's command input: its committed config with the credentials the user sets with
 * `pulumi config set --secret`, aimed at the stand-in's account.
 */
export function programRun(
  entry: (typeof STACKS)[number],
  standIn: TwilioStandIn,
  overrides: Record<string, string> = {},
  apiGeneration = 0,
): ProgramRun {
  const config = committedConfig(entry.file);
  if (entry.review) {
    // What .github/workflows/review-stack.yml sets on top of staging's file.
    config["whatsapp-bot:environment"] = "review";
    config["whatsapp-bot:sender"] = JSON.stringify({ mode: "none" });
  }
  config["twilio:accountSid"] = standIn.accountSid;
  config["twilio:authToken"] = standIn.credentials.authToken;
  delete config["twilio:apiKey"];
  return {
    stack: entry.stack,
    config: { ...config, ...overrides },
    secretKeys: SECRET_KEYS,
    apiGeneration,
  };
}
