import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { stackRegion, StackRegionError } from "../../../tools/teardown/stackRegion";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "stack-region-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("stackRegion", () => {
  test("reads aws:region from Pulumi.<stack>.yaml", () => {
    writeFileSync(
      join(dir, "Pulumi.dev.yaml"),
      "config:\n  aws:region: eu-west-1\n  whatsapp-bot:environment: dev\n",
    );
    expect(stackRegion("dev", dir)).toBe("eu-west-1");
  });

  test("places a review stack without its own file where staging is", () => {
    writeFileSync(join(dir, "Pulumi.staging.yaml"), "config:\n  aws:region: eu-central-1\n");
    expect(stackRegion("pr-31", dir)).toBe("eu-central-1");
  });

  test("names the file and the fix when the region is missing", () => {
    writeFileSync(join(dir, "Pulumi.prod.yaml"), "config:\n  whatsapp-bot:environment: prod\n");
    expect(() => stackRegion("prod", dir)).toThrow(StackRegionError);
    expect(() => stackRegion("prod", dir)).toThrow(
      "pulumi config set aws:region <region> --stack prod",
    );
  });

  test("does not guess a region for an unknown non-review stack", () => {
    writeFileSync(join(dir, "Pulumi.staging.yaml"), "config:\n  aws:region: eu-central-1\n");
    expect(() => stackRegion("qa", dir)).toThrow("Pulumi.qa.yaml does not exist");
  });

  test.each(["dev", "staging", "prod", "pr-5"])(
    "finds a region for the committed %s stack, as the workflows do before assuming a role",
    (stack) => {
      expect(stackRegion(stack, join(__dirname, "../../.."))).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
    },
  );
});
