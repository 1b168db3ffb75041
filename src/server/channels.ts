import type { AiosConfig } from '../core/config.js';
import type { ChannelSet } from '../connection/channels/channel.js';
import { SandboxSmsChannel } from '../connection/channels/sms-sandbox.js';
import { TwilioSmsChannel } from '../connection/channels/sms-twilio.js';
import { SmtpEmailChannel } from '../connection/channels/email-smtp.js';

/**
 * Twilio when both credentials are configured; otherwise the sandbox, where nothing leaves the
 * machine. Email when `AIOS_SMTP_URL` is set.
 */
export function buildChannels(config: AiosConfig): ChannelSet {
  const email = config.smtp ? { email: new SmtpEmailChannel(config.smtp) } : {};
  return { ...smsChannels(config), ...email };
}

function smsChannels(config: AiosConfig): ChannelSet {
  const { accountSid, authToken, baseUrl } = config.twilio;
  if (accountSid && authToken) {
    // Delivery receipts only when Twilio can reach us: an explicit public URL.
    const statusCallback = config.publicUrl ? `${config.publicUrl}/hooks/twilio/status` : undefined;
    return { sms: new TwilioSmsChannel({ baseUrl, accountSid, authToken, statusCallback }) };
  }
  return { sms: new SandboxSmsChannel() };
}
