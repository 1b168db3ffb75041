/**
 * A small typed builder for voice TwiML (the XML a Twilio call webhook answers with). Every text
 * and attribute value is XML-escaped; verbs and attributes are named as Twilio names them
 * (`<Say>`, `<Gather>`, `<Dial>`, `<Hangup>`, `<Redirect>`, `<Connect><ConversationRelay>`).
 */
import { escapeXml } from './webhook-forms.js';

/** Attributes of a verb; undefined ones are left out. */
type Attrs = Record<string, string | number | boolean | undefined>;

/** One TwiML verb. */
export type Verb =
  | { verb: 'Say'; text: string; language?: string }
  | { verb: 'Pause'; seconds: number }
  | { verb: 'Hangup' }
  | { verb: 'Redirect'; url: string }
  /** `input` "speech dtmf"; `action` receives SpeechResult/Confidence/Digits; `speechTimeout` seconds or "auto". */
  | { verb: 'Gather'; action: string; input?: string; language?: string; speechTimeout?: string; timeout?: number; numDigits?: number; say: string[] }
  /** Rings `numbers` at once for `timeout` seconds; `action` receives DialCallStatus. */
  | { verb: 'Dial'; numbers: string[]; timeout: number; action: string; callerId?: string }
  /** `<Connect action><ConversationRelay url …/></Connect>`; `parameters` become `<Parameter>` children. */
  | { verb: 'ConversationRelay'; url: string; action: string; welcomeGreeting: string; language?: string; dtmfDetection?: boolean; interruptible?: string; parameters?: Record<string, string> };

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function say(text: string, language?: string): string {
  return `<Say${attrs({ language })}>${escapeXml(text)}</Say>`;
}

function render(v: Verb): string {
  switch (v.verb) {
    case 'Say':
      return say(v.text, v.language);
    case 'Pause':
      return `<Pause${attrs({ length: v.seconds })}/>`;
    case 'Hangup':
      return '<Hangup/>';
    case 'Redirect':
      return `<Redirect method="POST">${escapeXml(v.url)}</Redirect>`;
    case 'Gather':
      return `<Gather${attrs({ input: v.input ?? 'speech dtmf', action: v.action, method: 'POST', language: v.language, speechTimeout: v.speechTimeout ?? 'auto', timeout: v.timeout, numDigits: v.numDigits })}>${v.say.map((t) => say(t, v.language)).join('')}</Gather>`;
    case 'Dial':
      return `<Dial${attrs({ timeout: v.timeout, action: v.action, method: 'POST', callerId: v.callerId })}>${v.numbers.map((n) => `<Number>${escapeXml(n)}</Number>`).join('')}</Dial>`;
    case 'ConversationRelay': {
      const params = Object.entries(v.parameters ?? {}).map(([name, value]) => `<Parameter${attrs({ name, value })}/>`).join('');
      const relay = attrs({ url: v.url, welcomeGreeting: v.welcomeGreeting, language: v.language, dtmfDetection: v.dtmfDetection, interruptible: v.interruptible });
      return `<Connect${attrs({ action: v.action, method: 'POST' })}><ConversationRelay${relay}>${params}</ConversationRelay></Connect>`;
    }
  }
}

/** The TwiML document of `verbs`, in order. */
export function voiceTwiml(verbs: Verb[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs.map(render).join('')}</Response>`;
}
