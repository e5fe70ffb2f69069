import type { Store } from "../../../lambda/store/store";

const T0 = new Date("2026-11-26T10:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let counter = 0;
const freshSid = () => "SM" + (++counter).toString(16).padStart(32, "c");

/** The behaviour every Store must have; run against memory and DynamoDB (dynalite). */
export function describeStoreContract(name: string, makeStore: () => Store | Promise<Store>): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });

    test("claims a MessageSid once and refuses every later claim", async () => {
      const sid = freshSid();
      expect(await store.claimMessage(sid, at(0))).toBe(true);
      expect(await store.claimMessage(sid, at(1))).toBe(false);
      expect(await store.claimMessage(sid, at(2))).toBe(false);
    });

    test("lets exactly one of many concurrent claims of the same MessageSid win", async () => {
      const sid = freshSid();
      const results = await Promise.all(
        Array.from({ length: 12 }, () => store.claimMessage(sid, at(0))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test("claims different MessageSids independently", async () => {
      expect(await store.claimMessage(freshSid(), at(0))).toBe(true);
      expect(await store.claimMessage(freshSid(), at(0))).toBe(true);
    });

    test("records each inbound time, counting each MessageSid once", async () => {
      const id = `wa:${freshSid()}`;
      const [first, second] = [freshSid(), freshSid()];
      expect(await store.recordInbound(id, first, at(0), "Ana")).toBe(true);
      expect(await store.getConversation(id)).toMatchObject({
        id,
        lastInboundAt: at(0).getTime(),
        inboundCount: 1,
        profileName: "Ana",
      });
      expect(await store.recordInbound(id, first, at(5), "Ana")).toBe(false);
      expect(await store.recordInbound(id, second, at(90))).toBe(true);
      expect(await store.getConversation(id)).toMatchObject({
        lastInboundAt: at(90).getTime(),
        inboundCount: 2,
        profileName: "Ana",
      });
    });

    test("stores the first answer for a MessageSid and hands it to every later attempt", async () => {
      const sid = freshSid();
      expect(await store.getAnswer(sid)).toBeUndefined();
      expect(await store.commitAnswer(sid, { token: "t1", twiml: "<A/>" }, at(0))).toEqual({
        stored: true,
      });
      const later = await store.commitAnswer(sid, { token: "t2", twiml: "<B/>" }, at(1));
      expect(later.stored).toBe(false);
      expect(later).toMatchObject({
        existing: { token: "t1", twiml: "<A/>", answeredAt: at(0).getTime() },
      });
      expect(await store.getAnswer(sid)).toMatchObject({ token: "t1", twiml: "<A/>" });
    });

    test("counts a second commit with the same token as its own (a retried write)", async () => {
      const sid = freshSid();
      await store.commitAnswer(sid, { token: "same", twiml: "<A/>" }, at(0));
      expect(await store.commitAnswer(sid, { token: "same", twiml: "<A/>" }, at(0))).toEqual({
        stored: true,
      });
    });

    test("lets exactly one of many concurrent commits for a MessageSid store its answer", async () => {
      const sid = freshSid();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.commitAnswer(sid, { token: `t${i}`, twiml: `<R n="${i}"/>` }, at(0)),
        ),
      );
      const winners = results.flatMap((r, i) => (r.stored ? [i] : []));
      expect(winners).toHaveLength(1);
      expect((await store.getAnswer(sid))?.twiml).toBe(`<R n="${winners[0]}"/>`);
    });

    test("grants the resend of a stored answer to one repeat only, and to it again", async () => {
      const sid = freshSid();
      expect(await store.claimResend(sid, "r1", at(0))).toBe(false);
      await store.commitAnswer(sid, { token: "t1", twiml: "<A/>" }, at(0));
      const claims = await Promise.all(
        ["r1", "r2", "r3", "r4"].map((token) => store.claimResend(sid, token, at(1))),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      const winner = ["r1", "r2", "r3", "r4"][claims.indexOf(true)];
      expect(await store.claimResend(sid, winner, at(2))).toBe(true);
      expect((await store.getAnswer(sid))?.resentBy).toBe(winner);
    });

    test("returns undefined for a conversation never seen", async () => {
      expect(await store.getConversation(`wa:${freshSid()}`)).toBeUndefined();
    });

    test("moves a status forward through queued, sent, delivered and read", async () => {
      const sid = freshSid();
      for (const [i, status] of ["queued", "sent", "delivered", "read"].entries()) {
        expect(await store.recordStatus({ messageSid: sid, status }, at(i))).toBe(true);
      }
      expect(await store.getStatus(sid)).toMatchObject({ status: "read", otherStatuses: [] });
    });

    test("keeps the latest state when callbacks arrive out of order", async () => {
      const sid = freshSid();
      expect(await store.recordStatus({ messageSid: sid, status: "read" }, at(3))).toBe(true);
      expect(await store.recordStatus({ messageSid: sid, status: "delivered" }, at(4))).toBe(false);
      expect(await store.recordStatus({ messageSid: sid, status: "sent" }, at(5))).toBe(false);
      expect(await store.recordStatus({ messageSid: sid, status: "queued" }, at(6))).toBe(false);
      expect((await store.getStatus(sid))?.status).toBe("read");
    });

    test("leaves a status record untouched by a late callback, its time included", async () => {
      const sid = freshSid();
      await store.recordStatus({ messageSid: sid, status: "delivered" }, at(10));
      await store.recordStatus({ messageSid: sid, status: "sent", errorCode: "30003" }, at(20));
      expect(await store.getStatus(sid)).toEqual({
        messageSid: sid,
        status: "delivered",
        otherStatuses: [],
        errorCode: undefined,
        updatedAt: at(10).getTime(),
      });
    });

    test("ends at the latest state whatever the order of concurrent callbacks", async () => {
      const sid = freshSid();
      const statuses = ["delivered", "queued", "read", "sent", "sending", "accepted"];
      await Promise.all(
        statuses.map((status, i) => store.recordStatus({ messageSid: sid, status }, at(i))),
      );
      expect((await store.getStatus(sid))?.status).toBe("read");
    });

    test("never leaves a failed message, and keeps its ErrorCode", async () => {
      const sid = freshSid();
      await store.recordStatus({ messageSid: sid, status: "sent" }, at(0));
      expect(
        await store.recordStatus({ messageSid: sid, status: "failed", errorCode: "63016" }, at(1)),
      ).toBe(true);
      expect(await store.recordStatus({ messageSid: sid, status: "delivered" }, at(2))).toBe(false);
      expect(await store.recordStatus({ messageSid: sid, status: "read" }, at(3))).toBe(false);
      expect(await store.getStatus(sid)).toMatchObject({ status: "failed", errorCode: "63016" });
    });

    test("lets undelivered end a message that was only sent", async () => {
      const sid = freshSid();
      await store.recordStatus({ messageSid: sid, status: "sent" }, at(0));
      await store.recordStatus(
        { messageSid: sid, status: "undelivered", errorCode: "63024" },
        at(1),
      );
      expect(await store.getStatus(sid)).toMatchObject({
        status: "undelivered",
        errorCode: "63024",
      });
    });

    test("records an unknown status without moving a known later state backwards", async () => {
      const sid = freshSid();
      await store.recordStatus({ messageSid: sid, status: "delivered" }, at(0));
      expect(
        await store.recordStatus({ messageSid: sid, status: "partially_delivered" }, at(1)),
      ).toBe(false);
      expect(await store.getStatus(sid)).toMatchObject({
        status: "delivered",
        otherStatuses: ["partially_delivered"],
        updatedAt: at(1).getTime(),
      });
    });

    test("shows an unknown status until a known one arrives", async () => {
      const sid = freshSid();
      await store.recordStatus({ messageSid: sid, status: "brand_new_state" }, at(0));
      expect((await store.getStatus(sid))?.status).toBe("brand_new_state");
      await store.recordStatus({ messageSid: sid, status: "queued" }, at(1));
      expect(await store.getStatus(sid)).toMatchObject({
        status: "queued",
        otherStatuses: ["brand_new_state"],
      });
    });

    test("returns undefined for a message with no status", async () => {
      expect(await store.getStatus(freshSid())).toBeUndefined();
    });

    test("writes consent, hand-off and recent messages with the inbound record: a value sets, null removes", async () => {
      const id = `wa:${freshSid()}`;
      const recent = [{ at: at(0).getTime(), text: "BAJA ¿ñ?" }];
      await store.recordInbound(id, freshSid(), at(0), "Ana", {
        recentMessages: recent,
        optedOutAt: at(0).getTime(),
        consentMessageSid: "SMconsent",
        handoffAt: at(0).getTime(),
      });
      expect(await store.getConversation(id)).toMatchObject({
        optedOutAt: at(0).getTime(),
        consentMessageSid: "SMconsent",
        handoffAt: at(0).getTime(),
        recentMessages: recent,
      });
      // Absent fields stay as they are.
      await store.recordInbound(id, freshSid(), at(1));
      expect(await store.getConversation(id)).toMatchObject({
        optedOutAt: at(0).getTime(),
        handoffAt: at(0).getTime(),
        recentMessages: recent,
      });
      await store.recordInbound(id, freshSid(), at(2), undefined, {
        optedOutAt: null,
        handoffAt: null,
        recentMessages: [],
      });
      const after = await store.getConversation(id);
      expect(after?.optedOutAt).toBeUndefined();
      expect(after?.handoffAt).toBeUndefined();
      expect(after?.recentMessages).toEqual([]);
      expect(after?.inboundCount).toBe(3);
    });

    test("a retried write of the same MessageSid does not apply its change again", async () => {
      const id = `wa:${freshSid()}`;
      const sid = freshSid();
      await store.recordInbound(id, sid, at(0), undefined, { optedOutAt: at(0).getTime() });
      expect(await store.recordInbound(id, sid, at(1), undefined, { optedOutAt: null })).toBe(
        false,
      );
      expect((await store.getConversation(id))?.optedOutAt).toBe(at(0).getTime());
    });

    test("releases a recorded hand-off once, and reports when there is none", async () => {
      const id = `wa:${freshSid()}`;
      expect(await store.releaseHandoff(id, at(0))).toBe(false);
      await store.recordInbound(id, freshSid(), at(0), undefined, { handoffAt: at(0).getTime() });
      expect(await store.releaseHandoff(id, at(1))).toBe(true);
      expect((await store.getConversation(id))?.handoffAt).toBeUndefined();
      expect(await store.releaseHandoff(id, at(2))).toBe(false);
      expect((await store.getConversation(id))?.inboundCount).toBe(1);
    });

    test("keeps a queued message's job with its answer", async () => {
      const sid = freshSid();
      await store.commitAnswer(sid, { token: "t1", twiml: "<Response/>", job: '{"v":1}' }, at(0));
      expect(await store.getAnswer(sid)).toMatchObject({ token: "t1", job: '{"v":1}' });
    });

    test("commits the first reply computed for a message and hands it to every later attempt", async () => {
      const sid = freshSid();
      await store.commitAnswer(sid, { token: "w", twiml: "<Response/>", job: "{}" }, at(0));
      const first = [{ body: "uno" }, { body: "dos", mediaUrls: ["https://example.com/a.jpg"] }];
      expect(await store.commitReply(sid, { token: "r1", messages: first }, at(1))).toEqual({
        stored: true,
      });
      // The same token again is a retried write: still ours.
      expect(await store.commitReply(sid, { token: "r1", messages: first }, at(2))).toEqual({
        stored: true,
      });
      const other = await store.commitReply(sid, { token: "r2", messages: [{ body: "x" }] }, at(3));
      expect(other).toEqual({
        stored: false,
        existing: { token: "r1", messages: first, items: [{}, {}] },
      });
      expect((await store.getAnswer(sid))?.reply?.messages).toEqual(first);
    });

    test("lets exactly one of many concurrent reply commits win", async () => {
      const sid = freshSid();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, n) =>
          store.commitReply(sid, { token: `r${n}`, messages: [{ body: String(n) }] }, at(0)),
        ),
      );
      expect(results.filter((r) => r.stored)).toHaveLength(1);
    });

    test("grants each reply message to one sender, releases a clean failure and keeps outcomes", async () => {
      const sid = freshSid();
      await store.commitReply(sid, { token: "r", messages: [{ body: "a" }, { body: "b" }] }, at(0));
      expect(await store.claimReplyItem(sid, 0, "w1", at(1))).toBe(true);
      expect(await store.claimReplyItem(sid, 0, "w1", at(1))).toBe(true);
      expect(await store.claimReplyItem(sid, 0, "w2", at(2))).toBe(false);
      // Another attempt cannot withdraw w1's claim.
      await store.releaseReplyItem(sid, 0, "w2");
      expect((await store.getAnswer(sid))?.reply?.items[0]).toEqual({ claimedBy: "w1" });
      await store.releaseReplyItem(sid, 0, "w1");
      expect(await store.claimReplyItem(sid, 0, "w2", at(3))).toBe(true);
      await store.recordReplyItem(sid, 0, { kind: "sent", messageSid: "SMx" }, at(4));
      // Done is done: no one claims it again, and the claim is not withdrawn.
      expect(await store.claimReplyItem(sid, 0, "w2", at(5))).toBe(false);
      await store.releaseReplyItem(sid, 0, "w2");
      await store.recordReplyItem(sid, 1, { kind: "refused", reason: "OptedOut" }, at(6));
      expect((await store.getAnswer(sid))?.reply?.items).toEqual([
        { claimedBy: "w2", outcome: { kind: "sent", messageSid: "SMx" } },
        { outcome: { kind: "refused", reason: "OptedOut" } },
      ]);
    });

    test("lets exactly one of many concurrent claims of a reply message win", async () => {
      const sid = freshSid();
      await store.commitReply(sid, { token: "r", messages: [{ body: "a" }] }, at(0));
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, n) => store.claimReplyItem(sid, 0, `w${n}`, at(1))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test("keeps the turn's conversation change with the committed reply", async () => {
      const sid = freshSid();
      const change = {
        optedOutAt: at(1).getTime(),
        consentMessageSid: sid,
        handoffAt: null,
        recentMessages: [{ at: at(1).getTime(), text: "STOP" }],
      };
      await store.commitReply(sid, { token: "r", messages: [{ body: "bye" }], change }, at(1));
      expect((await store.getAnswer(sid))?.reply?.change).toEqual(change);
    });

    test("writes a turn's change to a recorded conversation without counting the message again", async () => {
      const id = `wa:${freshSid()}`;
      const sid = freshSid();
      await store.recordInbound(id, sid, at(0), "Ana", { handoffAt: at(0).getTime() });
      const change = {
        optedOutAt: at(1).getTime(),
        consentMessageSid: sid,
        handoffAt: null,
        recentMessages: [{ at: at(0).getTime(), text: "STOP" }],
      };
      await store.updateConversation(id, change, at(1));
      // Idempotent: a redelivery writes it again.
      await store.updateConversation(id, change, at(2));
      const conversation = await store.getConversation(id);
      expect(conversation).toMatchObject({
        inboundCount: 1,
        lastInboundAt: at(0).getTime(),
        profileName: "Ana",
        optedOutAt: at(1).getTime(),
        consentMessageSid: sid,
        recentMessages: [{ at: at(0).getTime(), text: "STOP" }],
      });
      expect(conversation?.handoffAt).toBeUndefined();
      await store.updateConversation(id, { optedOutAt: null }, at(3));
      expect((await store.getConversation(id))?.optedOutAt).toBeUndefined();
    });

    test("claims no message of a reply that was never committed", async () => {
      expect(await store.claimReplyItem(freshSid(), 0, "w", at(0))).toBe(false);
    });
  });
}
