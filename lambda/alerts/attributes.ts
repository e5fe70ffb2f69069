/**
 * The SNS message attribute that marks where an alert came from. The e-mail subscription filters
 * on it, so the address (which AWS Budgets also e-mails directly) receives each budget alert once.
 */
export const ALERT_SOURCE_ATTRIBUTE = "source";

/** The attribute's value on alerts published by the `POST /twilio/usage` route. */
export const TWILIO_USAGE_SOURCE = "twilio-usage-trigger";
