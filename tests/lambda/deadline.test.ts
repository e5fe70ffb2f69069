import { AttemptTimeoutError, deadlineIn } from "../../lambda/deadline";

describe("deadlineIn", () => {
  test("settles with the work when it finishes in time", async () => {
    await expect(deadlineIn(1_000)(Promise.resolve("done"))).resolves.toBe("done");
  });

  test("passes the work's own error through", async () => {
    await expect(deadlineIn(1_000)(Promise.reject(new RangeError("x")))).rejects.toThrow(
      RangeError,
    );
  });

  test("rejects with AttemptTimeoutError once the budget, shared by every call, is spent", async () => {
    let now = 0;
    const deadline = deadlineIn(60_000, () => now);
    await expect(deadline(Promise.resolve(1))).resolves.toBe(1);
    now = 60_000;
    // Were the budget counted afresh, this would hang past jest's 5 s test timeout.
    await expect(deadline(new Promise(() => undefined))).rejects.toBeInstanceOf(
      AttemptTimeoutError,
    );
  });

  test("never times out an unlimited budget", async () => {
    const work = new Promise((resolve) => setTimeout(() => resolve(1), 20));
    await expect(deadlineIn(Infinity)(work)).resolves.toBe(1);
  });
});
