import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";

/** Node's CommonJS module internals this hook uses (`module._compile` is not in @types/node). */
interface CompilableModule {
  _compile(code: string, filename: string): void;
}

/**
 * Makes `require` compile .ts files with TypeScript's own `transpileModule` and the repository's
 * compiler options, as ts-node does for `pulumi up` (and ts-jest for the tests). tsx cannot be used
 * for a program with dynamic resources: its esbuild interop wraps `import twilio from "twilio"` in
 * a function-prototyped object that Pulumi's closure serializer rejects ("Remote object was not
 * 'function'") when it serializes the provider. Applies to .ts files required after the call; each
 * file is transpiled once per process.
 */
export function compileTypeScriptWithTsc(root: string): void {
  const configPath = join(root, "tsconfig.json");
  const parsed = ts.parseJsonConfigFileContent(
    ts.readConfigFile(configPath, (path) => ts.sys.readFile(path)).config,
    ts.sys,
    root,
  );
  const compilerOptions: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: false,
    module: ts.ModuleKind.CommonJS,
    sourceMap: false,
    inlineSourceMap: true,
  };
  const extensions = require.extensions as unknown as Record<
    string,
    (module: CompilableModule, filename: string) => void
  >;
  // Reloading a module (the warm graph benchmark) reuses its JavaScript, as a long-lived ts-node would.
  const compiled = new Map<string, string>();
  extensions[".ts"] = (module, filename) => {
    let code = compiled.get(filename);
    if (code === undefined) {
      code = ts.transpileModule(readFileSync(filename, "utf8"), {
        compilerOptions,
        fileName: filename,
      }).outputText;
      compiled.set(filename, code);
    }
    module._compile(code, filename);
  };
}
