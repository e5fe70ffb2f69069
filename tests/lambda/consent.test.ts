import { scripts } from "../../lambda/botScript";
import { consentScripts, findConsentKeyword } from "../../lambda/consent";
import type { IncomingMessage } from "../../lambda/message";

const from = { address: "whatsapp:+34600111222", waId: "34600111222" };
const text = (body: string): IncomingMessage => ({
  kind: "text",
  messageSid: "SM" + "1".repeat(32),
  from,
  to: "whatsapp:+14155238886",
  body,
});

describe("consent keywords", () => {
  test.each([
    ["STOP", "out", "es"],
    ["stop", "out", "es"],
    ["Baja", "out", "es"],
    ["¡ALTO!", "out", "es"],
    ["Cancelár", "out", "es"],
    ["unsubscribe", "out", "en"],
    ["START", "in", "en"],
    ["Alta.", "in", "es"],
    ["SUBSCRIBE", "in", "en"],
  ])("%s is an opt-%s keyword, confirmed in %s by a Spanish bot", (body, direction, language) => {
    const found = findConsentKeyword(text(body), consentScripts("es"));
    expect(found?.direction).toBe(direction);
    expect(found?.script).toBe(scripts[language as "es" | "en"]);
  });

  test("an English bot confirms STOP in English", () => {
    expect(findConsentKeyword(text("STOP"), consentScripts("en"))?.script).toBe(scripts.en);
  });

  test.each(["stop it", "el precio es alto", "dar de baja", "", "menu", "startup"])(
    "%j is not a keyword: only the whole message counts",
    (body) => {
      expect(findConsentKeyword(text(body), consentScripts("es"))).toBeUndefined();
    },
  );

  test("a quick-reply button whose payload or label is a keyword counts; media never does", () => {
    const button: IncomingMessage = {
      ...text(""),
      kind: "button",
      text: "Stop",
      payload: "optout-1",
    };
    expect(findConsentKeyword(button, consentScripts("es"))?.direction).toBe("out");
    const image: IncomingMessage = { ...text("STOP"), kind: "image", media: [] };
    expect(findConsentKeyword(image, consentScripts("es"))).toBeUndefined();
  });

  test("keyword lists come from the script, so an edited script changes them", () => {
    const edited = { ...scripts.es, consent: { ...scripts.es.consent, optOutWords: ["basta"] } };
    expect(findConsentKeyword(text("BASTA"), [edited])?.direction).toBe("out");
    expect(findConsentKeyword(text("baja"), [edited])).toBeUndefined();
  });
});
