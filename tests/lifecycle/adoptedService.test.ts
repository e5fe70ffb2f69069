import { createTwilioStandIn, type TwilioStandIn } from "../helpers/twilio";
import { startStackAgainst, type StackCli } from "./stack";
import { programRun, STACKS } from "./stacks";
import type { TwilioOverHttps } from "./twilioOverHttps";

jest.setTimeout(90_000);

const STAGING_SENDER = "XE00000000000000000000000000000000";

// The console procedure leaves a Messaging Service with the sender in its pool; without adoption
// the stack's own service would meet Twilio error 21712 when adding the same sender.
describe("staging adopting the console-made Messaging Service that already holds its sender", () => {
  let standIn: TwilioStandIn;
  let https: TwilioOverHttps;
  let cli: StackCli;
  let consoleService: string;

  beforeAll(async () => {
    standIn = createTwilioStandIn({ accountSid: "AC00000000000000000000000000000000" });
    standIn.seedSender({ sid: STAGING_SENDER, number: "+15005550006", status: "ONLINE" });
    consoleService = standIn.seedService("My first Messaging Service");
    standIn.addToService(consoleService, STAGING_SENDER);
    ({ https, cli } = await startStackAgainst(() => standIn));
  });
  afterAll(async () => {
    cli?.stop();
    await https?.close();
  });
  afterEach(() => expect(standIn.violations).toEqual([]));

  const run = () =>
    programRun(STACKS[1], standIn, {
      "whatsapp-bot:messagingService": JSON.stringify({ sid: consoleService }),
    });

  test("up manages the service's URLs without creating one, and the sender stays in its pool", async () => {
    const up = await cli.up(run());
    expect([...standIn.state.services.keys()]).toEqual([consoleService]);
    const service = standIn.state.services.get(consoleService)!;
    expect(service.friendly_name).toBe("My first Messaging Service");
    expect(String(service.inbound_request_url)).toMatch(/\/whatsapp\/incoming$/);
    expect([...standIn.state.channelSenders.get(consoleService)!]).toEqual([STAGING_SENDER]);
    expect(up.steps.filter((s) => s.op !== "create" && s.op !== "same")).toEqual([]);
  });

  test("destroy leaves the service and its pool, with this stack's URLs cleared", async () => {
    await cli.destroy(run());
    const service = standIn.state.services.get(consoleService)!;
    expect(service).toBeDefined();
    expect(service.inbound_request_url).toBeNull();
    expect(service.status_callback).toBeNull();
    expect([...standIn.state.channelSenders.get(consoleService)!]).toEqual([STAGING_SENDER]);
    expect(standIn.state.senders.has(STAGING_SENDER)).toBe(true);
  });
});
