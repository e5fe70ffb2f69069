// Starts the lifecycle runner the way `pulumi up` starts this project's program: TypeScript is
// compiled by the ts-node registration in @pulumi/pulumi's cmd/run/run.js (the project's
// typescript and tsconfig.json, Pulumi's vendored ts-node when the project has none), so the
// providers are serialized from the same JavaScript a real deployment would produce.
/* global process */
"use strict";
const path = require("path");
const root = path.join(__dirname, "../..");
process.chdir(root);
const tsutils = require("@pulumi/pulumi/tsutils");
const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const semver = require("semver");
const ts = require(typescriptRequire);
const useNodeNext = semver.gte(ts.version, "4.7.0");
require(tsnodeRequire).register({
  compiler: typescriptRequire,
  // run.js: PULUMI_NODEJS_TRANSPILE_ONLY, else tsconfig's noCheck; `npm test` type-checks already.
  transpileOnly: process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true" || compilerOptions.noCheck,
  project: "tsconfig.json",
  skipProject: false,
  compilerOptions: {
    target: "ES2020",
    module: useNodeNext ? "nodenext" : "commonjs",
    moduleResolution: useNodeNext ? "nodenext" : "node",
    sourceMap: "true",
    ...compilerOptions,
  },
});
require("./runner.ts");
