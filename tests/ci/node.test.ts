import { execFileSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { NODE_MAJOR } from "../../infra/nodeRuntime";

const SCRIPT = join(__dirname, "..", "..", ".ci", "node.sh");
const ARCH = process.arch === "arm64" ? "arm64" : "x64";

/** Runs `ensure_node` in bash with PATH and the cache root given, and returns what `node` then is. */
function ensure(path: string, cache: string): string {
  return execFileSync(
    "bash",
    ["-c", `source "${SCRIPT}" && ensure_node ${NODE_MAJOR} && command -v node && node --version`],
    { env: { PATH: path, HOME: cache, XDG_CACHE_HOME: cache }, encoding: "utf8" },
  );
}

describe(".ci/node.sh", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ci-node-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("keeps a machine's Node.js that is already new enough", () => {
    const out = ensure(`${join(process.execPath, "..")}:/usr/bin:/bin`, dir);
    expect(out).toContain(process.execPath);
  });

  test("puts the provisioned Node.js first on PATH when the machine's is older", () => {
    // The machine's node says v20; the cache already holds the package npm would install.
    const oldBin = join(dir, "old");
    mkdirSync(oldBin);
    writeFileSync(
      join(oldBin, "node"),
      `#!/bin/sh\ncase "$*" in *process.versions*) echo 20;; *) echo v20.0.0;; esac\n`,
    );
    chmodSync(join(oldBin, "node"), 0o755);
    const cached = join(
      dir,
      "whatsapp-bot-stack",
      `node${NODE_MAJOR}-${ARCH}`,
      "node_modules",
      `node-linux-${ARCH}`,
      "bin",
    );
    mkdirSync(cached, { recursive: true });
    symlinkSync(process.execPath, join(cached, "node"));

    const out = ensure(`${oldBin}:/usr/bin:/bin`, dir);
    expect(out.split("\n")[0]).toBe(join(cached, "node"));
    expect(out).toContain(`v${process.versions.node}`);
  });
});
