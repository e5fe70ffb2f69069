/**
 * For tests of a Lambda entry point: captures what it writes to stdout (its log lines) in each
 * test, and puts the environment back after each, since the entry point reads process.env.
 * Returns the lines written so far in the current test.
 */
export function captureEntryPointOutput(): () => string[] {
  const saved = { ...process.env };
  let output: string[] = [];
  beforeEach(() => {
    output = [];
    jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
  });
  return () => output;
}
