import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throw-away certificate authority and a server certificate it signed for Twilio's hosts. */
export interface TestTls {
  /** The CA certificate file, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  /** The server's key and certificate (PEM). */
  readonly key: string;
  readonly cert: string;
}

/** The hosts the stack's Twilio calls go to. */
export const TWILIO_HOSTS = ["messaging.twilio.com", "api.twilio.com", "content.twilio.com"];

/**
 * Makes a CA and a leaf certificate for Twilio's hosts with openssl, so the provider host trusts
 * the stand-in exactly as it would trust Twilio: through Node's CA store, with no flag in its code.
 */
export function makeTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), "lifecycle-tls-"));
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync("openssl", args, { stdio: "pipe" });
  };
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=lifecycle test CA",
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.pem"),
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign",
  );
  openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=twilio.com",
    "-keyout",
    file("server.key"),
    "-out",
    file("server.csr"),
  );
  writeFileSync(
    file("server.ext"),
    `subjectAltName=${TWILIO_HOSTS.map((h) => `DNS:${h}`).join(",")}\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(
    "x509",
    "-req",
    "-in",
    file("server.csr"),
    "-CA",
    file("ca.pem"),
    "-CAkey",
    file("ca.key"),
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    file("server.ext"),
    "-out",
    file("server.pem"),
  );
  return {
    caFile: file("ca.pem"),
    key: readFileSync(file("server.key"), "utf8"),
    cert: readFileSync(file("server.pem"), "utf8"),
  };
}
