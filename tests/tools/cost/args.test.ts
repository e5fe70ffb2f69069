import { CostArgsError, DEFAULT_REGION, parseCostArgs } from "../../../tools/cost/args";
import { defaultPrices } from "../../../tools/cost/prices";

const base = ["--conversations", "1000", "--messages", "10", "--country", "CL"];

function errorOf(argv: string[]): CostArgsError {
  try {
    parseCostArgs(argv);
  } catch (err) {
    if (err instanceof CostArgsError) return err;
    throw err;
  }
  throw new Error(`expected ${argv.join(" ")} to be rejected`);
}

describe("parseCostArgs: valid command lines", () => {
  test("the README example parses with no templates and the default region", () => {
    expect(parseCostArgs(base)).toEqual({
      kind: "estimate",
      json: false,
      inputs: {
        conversations: 1000,
        messagesPerConversation: 10,
        templateShares: { marketing: 0, utility: 0, authentication: 0 },
        country: "CL",
        region: DEFAULT_REGION,
      },
    });
  });

  test.each([
    [["--country", "cl"], { country: "CL" }],
    [["--region", "eu-west-1"], { region: "eu-west-1" }],
    [
      ["--marketing", "10", "--utility=20.5", "--authentication", "69.5"],
      { templateShares: { marketing: 10, utility: 20.5, authentication: 69.5 } },
    ],
    [["--conversations", "0"], { conversations: 0 }],
    [["--conversations", "007"], { conversations: 7 }],
    // The largest product still counted exactly.
    [
      ["--conversations", String(Number.MAX_SAFE_INTEGER), "--messages", "1"],
      { conversations: Number.MAX_SAFE_INTEGER, messagesPerConversation: 1 },
    ],
  ])("%p", (extra, expected) => {
    const args = parseCostArgs([...base, ...extra]);
    expect(args.kind).toBe("estimate");
    if (args.kind === "estimate") expect(args.inputs).toMatchObject(expected);
  });

  test("--json asks for JSON and --help wins over everything else", () => {
    const json = parseCostArgs([...base, "--json"]);
    expect(json.kind === "estimate" && json.json).toBe(true);
    expect(parseCostArgs(["--help", "--country", "ZZ"])).toEqual({ kind: "help" });
  });
});

describe("parseCostArgs: bad input names the flag and the fix", () => {
  const known = Object.keys(defaultPrices.meta.countries).sort().join(", ");
  test.each<[string, string[], RegExp]>([
    [
      "negative count",
      ["--conversations", "-5", "--messages", "10", "--country", "CL"],
      /--conversations must be a whole number >= 0 \(got "-5"\)/,
    ],
    [
      "negative count with =",
      ["--conversations=-1", "--messages", "10", "--country", "CL"],
      /--conversations must be a whole number >= 0/,
    ],
    [
      "non-integer count",
      ["--conversations", "10", "--messages", "2.5", "--country", "CL"],
      /--messages must be a whole number >= 0 \(got "2.5"\)/,
    ],
    [
      "not a number",
      ["--conversations", "lots", "--messages", "10", "--country", "CL"],
      /--conversations must be a whole number/,
    ],
    ["missing count", ["--messages", "10", "--country", "CL"], /--conversations is required/],
    [
      "missing value",
      ["--country", "CL", "--messages", "10", "--conversations"],
      /--conversations needs a value/,
    ],
    [
      "unknown country",
      [...base.slice(0, 4), "--country", "ZZ"],
      new RegExp(`--country ZZ is not in tools/cost/prices.json; use one of ${known}`),
    ],
    ["missing country", base.slice(0, 4), /--country is required/],
    ["unknown region", [...base, "--region", "mars-1"], /--region mars-1 .*use one of .*us-east-1/],
    [
      "share over 100",
      [...base, "--marketing", "120"],
      /--marketing must be a percentage between 0 and 100 \(got "120"\)/,
    ],
    [
      "negative share",
      [...base, "--utility", "-1"],
      /--utility must be a percentage between 0 and 100/,
    ],
    [
      "shares summing over 100",
      [...base, "--marketing", "60", "--utility", "30", "--authentication", "20"],
      /add up to 110%.*100 or less/,
    ],
    [
      "unknown flag",
      [...base, "--budget", "5"],
      /unknown flag --budget\. Known flags: --conversations/,
    ],
    ["stray positional", [...base, "extra"], /unexpected argument "extra"/],
    // Number() reads hex, octal, binary and exponents; a count must be written in decimal digits.
    ...["0x10", "0o17", "0b101", "1e3"].flatMap((n) =>
      ["--conversations", "--messages"].map((flag): [string, string[], RegExp] => [
        `${flag} ${n}`,
        [...base, flag, n],
        new RegExp(`${flag} must be a whole number >= 0 \\(got "${n}"\\)`),
      ]),
    ),
    [
      "hexadecimal share",
      [...base, "--marketing", "0x10"],
      /--marketing must be a percentage between 0 and 100 \(got "0x10"\)/,
    ],
    [
      "product of safe counts beyond Number.MAX_SAFE_INTEGER",
      ["--conversations", "100000000000", "--messages", "100000000", "--country", "CL"],
      /100000000000 × 100000000, more than 9007199254740991 messages a month; lower one of them/,
    ],
    [
      "region constructor",
      [...base, "--region", "constructor"],
      /--region constructor is not in tools\/cost\/prices.json; use one of .*us-east-1/,
    ],
    [
      "region __proto__",
      [...base, "--region", "__proto__"],
      /--region __proto__ is not in tools\/cost\/prices.json/,
    ],
    [
      "region hasOwnProperty",
      [...base, "--region", "hasOwnProperty"],
      /--region hasOwnProperty is not in/,
    ],
    [
      "country constructor",
      [...base.slice(0, 4), "--country", "constructor"],
      /--country constructor is not in tools\/cost\/prices.json; use one of/,
    ],
    [
      "country __proto__",
      [...base.slice(0, 4), "--country", "__proto__"],
      /--country __proto__ is not in/,
    ],
  ])("%s", (_, argv, message) => {
    const err = errorOf(argv);
    expect(err.name).toBe("CostArgsError");
    expect(err.message).toMatch(message);
  });
});
