import twilio from "twilio";

/** Twilio credentials are missing from the environment. */
export class TwilioEnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TwilioEnvError";
  }
}

/**
 * A Twilio client from TWILIO_ACCOUNT_SID plus either TWILIO_API_KEY/TWILIO_API_SECRET
 * (preferred: revocable, and what CI holds) or TWILIO_AUTH_TOKEN.
 */
export function twilioFromEnv(env: NodeJS.ProcessEnv): twilio.Twilio {
  const accountSid = env.TWILIO_ACCOUNT_SID;
  if (!accountSid) throw new TwilioEnvError("TWILIO_ACCOUNT_SID is not set");
  if (env.TWILIO_API_KEY && env.TWILIO_API_SECRET) {
    return twilio(env.TWILIO_API_KEY, env.TWILIO_API_SECRET, { accountSid });
  }
  if (env.TWILIO_AUTH_TOKEN) return twilio(accountSid, env.TWILIO_AUTH_TOKEN);
  throw new TwilioEnvError("set TWILIO_API_KEY and TWILIO_API_SECRET (or TWILIO_AUTH_TOKEN)");
}
