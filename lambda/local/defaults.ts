/**
 * Auth token the local server and `npm run chat` share when TWILIO_AUTH_TOKEN is unset. A dummy of
 * the real token's shape (32 hex digits); it signs nothing outside this machine.
 */
export const LOCAL_AUTH_TOKEN = "00000000000000000000000000000000";

/** Directory standing in for the media bucket under `npm start` when MEDIA_DIR is unset. */
export const LOCAL_MEDIA_DIR = ".media";

/** Port of the local server when PORT is unset. */
export const LOCAL_PORT = 3000;

/**
 * Interface the local server binds when HOST is unset: loopback only, so a laptop on a shared
 * network does not serve the bot (and its well-known dummy token) to its neighbours.
 */
export const LOCAL_HOST = "127.0.0.1";

/** Local stand-in for the bot's WhatsApp sender (Twilio's sandbox number). */
export const LOCAL_BOT_ADDRESS = "whatsapp:+14155238886";

/** Local stand-in for the user chatting from the terminal. */
export const LOCAL_USER_ADDRESS = "whatsapp:+34600000001";

/** Parses PORT, falling back to the default for anything that is not a port number. */
export function parsePort(value: string | undefined, fallback: number = LOCAL_PORT): number {
  const port = Number(value);
  return value && Number.isInteger(port) && port >= 0 && port < 65536 ? port : fallback;
}

/**
 * The local Twilio account the server's REST stand-in serves and its own send path uses: dummies
 * of the real shapes, valid nowhere. `npm run send` against the local server uses them too.
 */
export const LOCAL_TWILIO = {
  accountSid: `AC${"0".repeat(32)}`,
  apiKeySid: `SK${"0".repeat(32)}`,
  apiKeySecret: "local-api-key-secret-valid-nowhere",
  messagingServiceSid: `MG${"0".repeat(32)}`,
} as const;
