import type { TriageEmail } from './features.js';
import type { TriageCategory } from './categories.js';

const m = (from: string, subject: string, text: string, extra: Partial<TriageEmail> = {}): TriageEmail => ({ from, fromName: null, subject, text, ...extra });
const bulk = { listUnsubscribe: true, precedence: 'bulk' };

/**
 * The built-in training set: a few typical mails per category, so a new business triages on day
 * one. Every owner relabel adds to it (`triage_corrections`).
 */
export const SEED_EXAMPLES: Array<[TriageEmail, TriageCategory]> = [
  [m('jane.doe@gmail.com', 'Quote for a new bathroom', 'Hi, we are renovating and would like a quote for a new bathroom. How much would it cost and when could you come and look?'), 'lead'],
  [m('mark@outlook.com', 'Looking for a plumber', 'Hello, I found you online. Do you do boiler installations? Could you give me a price estimate?'), 'lead'],
  [m('s.khan@yahoo.com', 'Enquiry about your services', 'Good morning, I am interested in your services for my new office. What are your rates? Please get in touch.'), 'lead'],
  [m('tom@hotmail.com', 'Do you cover my area?', 'Hi there, do you work in my area? I need someone to fix a leaking roof, can you quote?'), 'lead'],
  [m('ana@gmail.com', 'Question about the repair', 'Hi, since your visit last week the tap is dripping again. Could you have a look? Thanks for the great work so far.'), 'customer_request'],
  [m('li.wei@gmail.com', 'Re: my order', 'Thanks for the job. I have a question about the warranty on the parts you installed, how long does it last?'), 'customer_request'],
  [m('paul@fastmail.com', 'Problem after the installation', 'Hello, the heating you installed makes a noise at night. Is that normal? What should I do?'), 'customer_request'],
  [m('maria@gmail.com', 'Help please', 'Hi, can you tell me how to reset the thermostat you fitted? The manual is not clear.'), 'customer_request'],
  [m('ben@gmail.com', 'Reschedule my appointment', 'Hi, I need to move my appointment on Thursday to next week. Is Monday morning available?'), 'scheduling'],
  [m('eva@outlook.com', 'Booking a visit', 'Could we book a visit for Tuesday at 10am? Let me know which time slots are free.'), 'scheduling'],
  [m('raj@gmail.com', 'Cancel appointment', 'Sorry, I have to cancel tomorrow\'s appointment. Can we find another date?'), 'scheduling'],
  [m('lucy@yahoo.com', 'Availability next week', 'Are you available next week for the inspection? Wednesday afternoon or Friday would suit me.'), 'scheduling'],
  [m('accounts@acme-ltd.com', 'Invoice 1043 payment', 'Hello, we paid invoice 1043 by bank transfer yesterday, please find the remittance attached and confirm receipt.'), 'billing'],
  [m('joe@gmail.com', 'Question about my bill', 'Hi, the invoice you sent shows two call-out charges. Could you check and send a corrected invoice? I want a refund for the extra charge.'), 'billing'],
  [m('kim@outlook.com', 'Payment receipt', 'Can you send me a receipt for the payment I made by card? I need it for my accounts.'), 'billing'],
  [m('orders@plumbing-supplies.co.uk', 'Your order has shipped', 'Dear customer, your order #55821 of copper fittings has been dispatched. Delivery expected Thursday. Your account manager.'), 'vendor'],
  [m('billing@hosting-provider.com', 'Your monthly statement', 'Your statement for account 77120 is ready. Amount due for your subscription plan. Thank you for being our customer.'), 'vendor'],
  [m('sales@wholesale-parts.com', 'Price list update for trade accounts', 'Dear trade partner, our new price list for boilers and radiators applies from next month. Contact your account manager.'), 'vendor'],
  [m('news@brand-mail.com', 'This week: 20% off everything', 'View in browser. Our biggest sale of the season! Shop now and save 20%. Unsubscribe or manage your email preferences.', bulk), 'newsletter'],
  [m('newsletter@trade-magazine.com', 'The trade weekly digest', 'In this issue: industry news, new regulations, product reviews. You are receiving this because you subscribed. Unsubscribe.', bulk), 'newsletter'],
  [m('noreply@social-network.com', 'You have 3 new notifications', 'See what you missed this week. Manage notification settings. Unsubscribe from these emails.', bulk), 'newsletter'],
  [m('winner@prize-center.biz', 'You have WON $1,000,000!!!', 'Congratulations! Claim your prize now, click here and send your bank details. Limited time offer, act now!!!'), 'spam'],
  [m('support@secure-verify-account.ru', 'Urgent: verify your account', 'Your account will be suspended. Click the link below to verify your password and credit card immediately.'), 'spam'],
  [m('pharma@cheap-meds.info', 'Cheap pills online', 'Buy cheap viagra cialis online, no prescription needed, lowest prices guaranteed, order now.'), 'spam'],
  [m('investor@crypto-profit.top', 'Make $5000 a day from home', 'Earn money fast with this one simple trick. Free money, risk free investment, guaranteed income. Click here.'), 'spam'],
  [m('mum@gmail.com', 'Sunday lunch', 'Hi love, are you and the kids coming for lunch on Sunday? Dad is making his roast. Love, Mum'), 'personal'],
  [m('dave.friend@gmail.com', 'Football on Saturday?', 'Mate, are you up for five-a-side this Saturday? Then a pint after. Cheers, Dave'), 'personal'],
  [m('sister@icloud.com', 'Birthday party photos', 'Here are the photos from the birthday party, the kids had so much fun. Miss you, talk soon!'), 'personal'],
];
