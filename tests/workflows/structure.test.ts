import { expect } from "@jest/globals";
import {
  FORK_GUARD,
  type Job,
  isPulumiAction,
  loadWorkflows,
  mutatesStack,
  pulumiCommands,
  runsPulumi,
  type Step,
  usesSecrets,
  workflow,
} from "./workflows";

const workflows = loadWorkflows();
const allJobs = workflows.flatMap((w) =>
  Object.entries(w.jobs).map(([id, job]) => ({ wf: w, id, job })),
);
const label = (x: { wf: { file: string }; id: string }) => `${x.wf.file}#${x.id}`;
const pulumiJobs = allJobs.filter((x) => runsPulumi(x.job));
const isPullRequestWorkflow = (on: Record<string, unknown>) =>
  "pull_request" in on || "pull_request_target" in on;

function stepIndex(job: Job, predicate: (s: Step) => boolean): number {
  return (job.steps ?? []).findIndex(predicate);
}

describe("every workflow", () => {
  test("never uses pull_request_target, which runs fork code with the base repository's secrets", () => {
    expect(workflows.filter((w) => "pull_request_target" in w.on).map((w) => w.file)).toEqual([]);
  });

  test.each(
    allJobs
      .filter((x) => isPullRequestWorkflow(x.wf.on) && usesSecrets(x.job))
      .map((x) => [label(x), x.job] as const),
  )("%s (holds secrets on a pull request) carries the fork guard", (_id, job) => {
    expect(job.if ?? "").toContain(FORK_GUARD);
  });

  test("pull-request workflows that hold secrets exist, so the guard test above is not vacuous", () => {
    const guarded = allJobs
      .filter((x) => isPullRequestWorkflow(x.wf.on) && usesSecrets(x.job))
      .map(label);
    expect(guarded).toEqual(
      expect.arrayContaining([
        "preview.yml#preview",
        "review-stack.yml#up",
        "review-stack.yml#destroy",
      ]),
    );
  });

  test("the only pull-request job without the guard holds no secrets (CI for forks)", () => {
    const unguarded = allJobs.filter(
      (x) => isPullRequestWorkflow(x.wf.on) && !(x.job.if ?? "").includes(FORK_GUARD),
    );
    expect(unguarded.map(label)).toEqual(["ci.yml#test"]);
    expect(unguarded.every((x) => !usesSecrets(x.job))).toBe(true);
  });

  test("no script interpolates a secret (it would land in the script file); secrets travel through env", () => {
    const offenders = allJobs.flatMap((x) =>
      (x.job.steps ?? [])
        .filter((s) => s.run?.includes("secrets."))
        .map((s) => `${label(x)}: ${s.name ?? s.run}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe("jobs that run Pulumi", () => {
  test("are the ones expected", () => {
    expect(pulumiJobs.map(label).sort()).toEqual([
      "idle-teardown.yml#find",
      "idle-teardown.yml#teardown",
      "preview.yml#preview",
      "pulumi-up.yml#up",
      "review-stack.yml#destroy",
      "review-stack.yml#up",
    ]);
  });

  test.each(pulumiJobs.filter((x) => x.id !== "find").map((x) => [label(x), x.job] as const))(
    "%s has a concurrency group per stack",
    (_id, job) => {
      expect(job.concurrency?.group).toMatch(
        /\$\{\{ (matrix\.stack|inputs\.stack|github\.event\.pull_request\.number) \}\}/,
      );
    },
  );

  test.each(pulumiJobs.filter((x) => mutatesStack(x.job)).map((x) => [label(x), x.job] as const))(
    "%s changes a stack and is never cancelled mid-operation",
    (_id, job) => {
      expect(job.concurrency?.["cancel-in-progress"]).toBe(false);
    },
  );

  test("stack-changing jobs of every workflow queue in one group per stack, pulumi-<stack>", () => {
    const groups = pulumiJobs
      .filter((x) => mutatesStack(x.job))
      .map((x) => x.job.concurrency?.group);
    expect(groups.length).toBeGreaterThanOrEqual(4);
    for (const group of groups) {
      expect(group).toMatch(
        /^pulumi-(\$\{\{ (matrix|inputs)\.stack \}\}|pr-\$\{\{ github\.event\.pull_request\.number \}\})$/,
      );
    }
  });

  test("stale previews are cancelled", () => {
    const job = workflow("preview.yml").jobs.preview;
    expect(mutatesStack(job)).toBe(false);
    expect(job.concurrency?.["cancel-in-progress"]).toBe(true);
  });

  test.each(pulumiJobs.map((x) => [label(x), x.job] as const))(
    "%s installs with npm ci and builds first",
    (_id, job) => {
      const ci = stepIndex(job, (s) => s.run === "npm ci");
      const build = stepIndex(job, (s) => s.run === "npm run build");
      const firstPulumi = stepIndex(job, (s) => pulumiCommands(s).length > 0);
      expect(ci).toBeGreaterThanOrEqual(0);
      expect(build).toBeGreaterThan(ci);
      expect(firstPulumi).toBeGreaterThan(build);
    },
  );

  test("every preview and update runs the policy pack", () => {
    const runs = allJobs.flatMap((x) =>
      (x.job.steps ?? []).flatMap((s) =>
        pulumiCommands(s)
          .filter((c) => c === "preview" || c === "up")
          .map((c) => ({ where: `${label(x)} ${c}`, step: s })),
      ),
    );
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const { where, step } of runs) {
      const flag = isPulumiAction(step)
        ? step.with?.policyPacks
        : /--policy-pack policy\b/.test(step.run ?? "") && "policy";
      expect({ where, policyPack: flag }).toEqual({ where, policyPack: "policy" });
    }
  });

  test("no preview, update or destroy prints the stack's outputs into the log or a comment", () => {
    const runs = allJobs.flatMap((x) =>
      (x.job.steps ?? []).flatMap((s) =>
        pulumiCommands(s)
          .filter((c) => ["preview", "up", "update", "destroy"].includes(c))
          .map((c) => ({
            where: `${label(x)} ${c}`,
            suppressed: isPulumiAction(s)
              ? s.with?.["suppress-outputs"] === true
              : /--suppress-outputs\b/.test(s.run ?? ""),
          })),
      ),
    );
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(runs.filter((r) => !r.suppressed)).toEqual([]);
  });

  test("cloud credentials come from OIDC role assumption, never stored AWS keys", () => {
    const awsSteps = allJobs.flatMap((x) =>
      (x.job.steps ?? [])
        .filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))
        .map((s) => ({ x, s })),
    );
    expect(awsSteps.length).toBeGreaterThanOrEqual(5);
    for (const { x, s } of awsSteps) {
      // Previews run a pull request's code: their environments hold a read-only role only.
      const role = x.id === "preview" ? "AWS_READ_ONLY_ROLE_ARN" : "AWS_ROLE_ARN";
      expect(s.with?.["role-to-assume"]).toBe(`\${{ secrets.${role} }}`);
      expect(s.with).not.toHaveProperty("aws-access-key-id");
      expect(s.with).not.toHaveProperty("aws-secret-access-key");
      expect({ job: label(x), idToken: x.job.permissions?.["id-token"] }).toEqual({
        job: label(x),
        idToken: "write",
      });
    }
  });

  test.each(
    pulumiJobs
      .filter((x) => x.id !== "find" && x.id !== "preview")
      .map((x) => [label(x), x.job] as const),
  )(
    "%s gets Twilio's API key from its environment's secrets and runs in a GitHub environment",
    (_id, job) => {
      expect(job.environment).toBeDefined();
      for (const name of ["TWILIO_ACCOUNT_SID", "TWILIO_API_KEY", "TWILIO_API_SECRET"]) {
        expect(job.env?.[name]).toBe(`\${{ secrets.${name} }}`);
      }
    },
  );

  test("stack config gets the environment's Twilio credentials, secrets as secrets through stdin", () => {
    const scripts = pulumiJobs
      .filter((x) => mutatesStack(x.job))
      .filter((x) => !(x.job.steps ?? []).some((s) => pulumiCommands(s).includes("destroy")))
      .map((x) => ({
        job: label(x),
        step: (x.job.steps ?? []).find((s) => s.run?.includes("twilio:authToken")),
      }));
    expect(scripts.map((s) => s.job).sort()).toEqual(["pulumi-up.yml#up", "review-stack.yml#up"]);
    for (const { job, step } of scripts) {
      const run = step?.run ?? "";
      expect({ job, run }).toEqual({
        job,
        run: expect.stringMatching(
          /printf '%s' "\$TWILIO_AUTH_TOKEN" \| pulumi config set --secret .*twilio:authToken$/m,
        ),
      });
      expect(run).toMatch(
        /printf '%s' "\$TWILIO_API_SECRET" \| pulumi config set --secret .*twilio:apiSecret$/m,
      );
      expect(run).toMatch(/pulumi config set .*twilio:accountSid "\$TWILIO_ACCOUNT_SID"$/m);
      expect(step?.env?.TWILIO_AUTH_TOKEN).toBe("${{ secrets.TWILIO_AUTH_TOKEN }}");
    }
  });
});

describe("Pulumi Cloud login", () => {
  test("the workflows read only the two documented configuration variables", () => {
    const read = new Set(
      workflows.flatMap((w) => [...w.text.matchAll(/\bvars\.([A-Za-z_]+)/g)].map((m) => m[1])),
    );
    expect([...read].sort()).toEqual(["PULUMI_ORGANIZATION", "PULUMI_TEAM"]);
  });

  test("no workflow holds a long-lived Pulumi token", () => {
    const holders = workflows
      .filter((w) => w.text.includes("PULUMI_ACCESS_TOKEN"))
      .map((w) => w.file);
    expect(holders).toEqual([]);
  });

  test.each(pulumiJobs.map((x) => [label(x), x.job] as const))(
    "%s logs in with a short-lived team token from pulumi/auth-actions before any Pulumi step",
    (_id, job) => {
      const steps = job.steps ?? [];
      const login = stepIndex(job, (s) => s.uses?.startsWith("pulumi/auth-actions@") ?? false);
      const firstPulumi = stepIndex(job, (s) => isPulumiAction(s) || pulumiCommands(s).length > 0);
      expect(login).toBeGreaterThanOrEqual(0);
      expect(login).toBeLessThan(firstPulumi);
      expect(steps[login].with).toEqual({
        organization: "${{ vars.PULUMI_ORGANIZATION }}",
        "requested-token-type": "urn:pulumi:token-type:access_token:team",
        scope: "team:${{ vars.PULUMI_TEAM }}",
        "token-expiration": expect.any(Number),
      });
      expect(steps[login].with?.["token-expiration"]).toBeLessThanOrEqual(7200);
      expect(job.permissions?.["id-token"]).toBe("write");
    },
  );
});

describe("preview.yml", () => {
  const wf = workflow("preview.yml");
  const job = wf.jobs.preview;
  const step = (job.steps ?? []).find((s) => isPulumiAction(s) && s.with?.command === "preview");

  test("gets no Twilio credential: check and diff make no Twilio call", () => {
    expect(wf.text).not.toMatch(/TWILIO_|twilio:/);
    expect(JSON.stringify(job)).not.toMatch(/secrets\.(?!AWS_READ_ONLY_ROLE_ARN\b)/);
  });

  test("previews every environment stack on pull requests to main", () => {
    expect(wf.on.pull_request).toMatchObject({ branches: ["main"] });
    expect(job.strategy?.matrix?.stack).toEqual(["dev", "staging", "prod"]);
    expect(step?.with?.["stack-name"]).toBe("${{ matrix.stack }}");
  });

  test("posts one comment per stack, edited in place, summary kept, diff shown, outputs hidden", () => {
    expect(step?.with).toMatchObject({
      diff: true,
      "comment-on-pr": true,
      "edit-pr-comment": true,
      "always-include-summary": true,
      "suppress-outputs": true,
    });
    expect(job.permissions?.["pull-requests"]).toBe("write");
  });

  test("uses read-only preview environments, not the deploy environments", () => {
    expect(job.environment).toBe("${{ matrix.stack }}-preview");
  });
});

describe("deploy.yml", () => {
  const wf = workflow("deploy.yml");

  test("runs on pushes to main, dev then staging then prod, through the reusable pulumi-up workflow", () => {
    expect(wf.on.push).toEqual({ branches: ["main"] });
    expect(Object.keys(wf.jobs)).toEqual(["dev", "staging", "prod"]);
    expect(wf.jobs.staging.needs).toBe("dev");
    expect(wf.jobs.prod.needs).toBe("staging");
    for (const [id, job] of Object.entries(wf.jobs)) {
      expect(job.uses).toBe("./.github/workflows/pulumi-up.yml");
      expect(job.with).toEqual({ stack: id });
      expect(job.secrets).toBe("inherit");
    }
  });

  test("deploys main only, even when a manual run picks another branch", () => {
    expect(wf.on).toHaveProperty("workflow_dispatch");
    expect(wf.jobs.dev.if).toBe("github.ref == 'refs/heads/main'");
    // staging and prod need dev, so a skipped dev skips them too.
    expect(wf.jobs.staging.if).toBeUndefined();
    expect(wf.jobs.prod.if).toBeUndefined();
  });

  test("each stack runs in the GitHub environment named after it, so prod waits for its approval", () => {
    const up = workflow("pulumi-up.yml");
    expect(Object.keys(up.on)).toEqual(["workflow_call"]);
    expect(up.jobs.up.environment).toBe("${{ inputs.stack }}");
    expect(up.jobs.up.concurrency?.group).toBe("pulumi-${{ inputs.stack }}");
  });
});

describe("review-stack.yml", () => {
  const wf = workflow("review-stack.yml");
  const up = wf.jobs.up;
  const destroy = wf.jobs.destroy;
  const script = (job: Job) => (job.steps ?? []).map((s) => s.run ?? "").join("\n");

  test("names the stack pr-<number>, matching the stack program's review-stack rule", () => {
    for (const job of [up, destroy])
      expect(job.env?.STACK).toBe("pr-${{ github.event.pull_request.number }}");
    const upStep = (up.steps ?? []).find((s) => isPulumiAction(s) && s.with?.command === "up");
    expect(upStep?.with?.["stack-name"]).toBe("pr-${{ github.event.pull_request.number }}");
    expect(up.concurrency?.group).toBe(destroy.concurrency?.group);
  });

  test("only labelled pull requests get a stack", () => {
    expect(up.if).toContain("contains(github.event.pull_request.labels.*.name, 'review-stack')");
    expect(up.if).toContain("github.event.action != 'closed'");
    expect(wf.on.pull_request).toMatchObject({
      types: expect.arrayContaining(["labeled", "closed", "unlabeled"]),
    });
  });

  test("derives the config from staging, as a review environment without a sender, and checks it", () => {
    const text = script(up);
    expect(text).toContain('pulumi config cp --stack staging --dest "$STACK"');
    expect(text).toContain('pulumi config set --stack "$STACK" whatsapp-bot:environment review');
    expect(text).toContain('pulumi config rm --stack "$STACK" whatsapp-bot:sender');
    expect(text).toContain(
      'pulumi config set --stack "$STACK" --path whatsapp-bot:sender.mode none',
    );
    expect(text).toMatch(/if \[ "\$mode" != "none" \]; then[\s\S]*exit 1/);
    expect(text.indexOf("whatsapp-bot:sender.mode none")).toBeLessThan(
      text.indexOf("sender.mode)"),
    );
  });

  test("never reaches for prod", () => {
    expect(wf.text).not.toMatch(
      /--stack prod|-s prod|Pulumi\.prod\.yaml|stack-name: prod|environment: prod/,
    );
  });

  test("closing (or unlabelling) destroys, checks nothing is left, then removes the stack", () => {
    expect(destroy.if).toContain("github.event.action == 'closed'");
    expect(destroy.if).toContain("github.event.label.name == 'review-stack'");
    const steps = destroy.steps ?? [];
    const at = (needle: string) => steps.findIndex((s) => s.run?.includes(needle));
    expect(at("pulumi destroy")).toBeGreaterThan(0);
    expect(at("npm run verify-teardown")).toBeGreaterThan(at("pulumi destroy"));
    expect(at("pulumi stack rm")).toBeGreaterThan(at("npm run verify-teardown"));
  });
});

describe("idle-teardown.yml", () => {
  const wf = workflow("idle-teardown.yml");

  test("runs on a schedule with a configurable age", () => {
    expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \S+ \S+ \S+$/) }]);
    expect(wf.on.workflow_dispatch).toMatchObject({
      inputs: { "max-idle-hours": { default: "72" } },
    });
    expect(wf.env?.MAX_IDLE_HOURS).toBe("72");
  });

  test("reads stack ages from `pulumi stack ls --json` and selects with tools/teardown/idleCli.ts", () => {
    const run = (wf.jobs.find.steps ?? []).map((s) => s.run ?? "").join("\n");
    expect(run).toContain("pulumi stack ls --json");
    expect(run).toContain("tools/teardown/idleCli.ts");
    expect(run).toContain('--max-idle-hours "$AGE_HOURS"');
  });

  test("destroys, verifies, and removes only review stacks", () => {
    const steps = wf.jobs.teardown.steps ?? [];
    const at = (needle: string) => steps.findIndex((s) => s.run?.includes(needle));
    expect(at("npm run verify-teardown")).toBeGreaterThan(at("pulumi destroy"));
    expect(steps[at("pulumi stack rm")].if).toBe("startsWith(matrix.stack, 'pr-')");
  });
});
