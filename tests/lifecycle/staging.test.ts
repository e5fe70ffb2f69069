import { describeLifecycle } from "./scenarios";
import { STACKS } from "./stacks";

jest.setTimeout(90_000);

describeLifecycle(STACKS[1]);
