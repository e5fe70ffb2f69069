import { advancesStatus, statusRank } from "../../../lambda/store/status";

describe("advancesStatus", () => {
  test.each([
    [undefined, "queued", true],
    [undefined, "read", true],
    ["queued", "sending", true],
    ["sending", "sent", true],
    ["sent", "delivered", true],
    ["delivered", "read", true],
    ["sent", "failed", true],
    ["sent", "undelivered", true],
    ["read", "delivered", false],
    ["delivered", "sent", false],
    ["sent", "sent", false],
    ["failed", "delivered", false],
    ["undelivered", "read", false],
    ["failed", "undelivered", false],
    ["delivered", "mystery", false],
    ["mystery", "queued", true],
  ] as const)("from %p, %p moves forward: %p", (current, next, expected) => {
    expect(advancesStatus(current, next)).toBe(expected);
  });
});

describe("statusRank", () => {
  test.each(["toString", "constructor", "__proto__", "unknown"])(
    "gives no rank to %p",
    (status) => {
      expect(statusRank(status)).toBeUndefined();
    },
  );
});
