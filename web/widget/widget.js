/*
 * AIOS website widget: a chat box answered from the business's knowledge, and a lead form.
 * Embed: <script src="https://aios.example/widget.js" data-business="<slug>" async></script>
 * Optional: data-title="Ask us", data-color="#0a7d4f".
 * Self-contained: no framework, no cookies, no secrets. Everything lives in a shadow root (styles
 * cannot leak in or out) and every server text is inserted with textContent, never as HTML.
 */
(function () {
  'use strict';
  var script = document.currentScript || document.querySelector('script[data-business][src*="widget.js"]');
  if (!script) return;
  var slug = script.getAttribute('data-business') || '';
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(slug)) {
    console.warn('AIOS widget: set data-business="<business slug>" on the script tag');
    return;
  }
  window.__aiosWidgets = window.__aiosWidgets || {};
  if (window.__aiosWidgets[slug]) return; // pasted twice
  window.__aiosWidgets[slug] = true;

  var api = script.src.replace(/\/widget\.js(\?.*)?$/, '') + '/widget/' + encodeURIComponent(slug);
  var title = script.getAttribute('data-title') || 'Questions? Ask us';
  var color = script.getAttribute('data-color') || '';
  if (!/^#[0-9a-fA-F]{3,8}$/.test(color)) color = '#1f5fbf';

  var CSS = [
    ':host{all:initial}',
    '*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:14px}',
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;',
    'background:var(--c);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}',
    '.panel{position:fixed;right:20px;bottom:76px;z-index:2147483000;width:340px;max-width:calc(100vw - 40px);',
    'max-height:min(560px,calc(100vh - 100px));display:flex;flex-direction:column;background:#fff;color:#1b1b1b;',
    'border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}',
    '.panel[hidden],form[hidden]{display:none}',
    '.head{display:flex;justify-content:space-between;align-items:center;padding:10px 14px;background:var(--c);color:#fff}',
    '.head button{background:none;border:0;color:#fff;font-size:20px;cursor:pointer;line-height:1}',
    '.log{flex:1;overflow:auto;padding:10px 14px;display:flex;flex-direction:column;gap:8px;min-height:120px}',
    '.msg{padding:8px 10px;border-radius:10px;max-width:90%;white-space:pre-wrap;word-wrap:break-word}',
    '.me{align-self:flex-end;background:#e8eefb}.bot{align-self:flex-start;background:#f1f1f1}',
    '.bot.error{background:#fdecea}.src{display:block;margin-top:4px;font-size:12px;color:#555}',
    'form{display:flex;flex-direction:column;gap:6px;padding:10px 14px;border-top:1px solid #eee}',
    '.row{display:flex;gap:6px}input,textarea{flex:1;width:100%;padding:8px;border:1px solid #ccc;border-radius:6px;color:#1b1b1b;background:#fff}',
    'textarea{resize:vertical;min-height:56px}',
    'button.go{border:0;border-radius:6px;padding:8px 12px;background:var(--c);color:#fff;cursor:pointer}',
    'button.go[disabled]{opacity:.6;cursor:default}',
    '.link{background:none;border:0;color:var(--c);cursor:pointer;text-decoration:underline;padding:4px 14px 8px;text-align:left}',
    '.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}'
  ].join('');

  function el(tag, attrs, text) {
    var n = document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) n.setAttribute(k, attrs[k]);
    if (text) n.textContent = text;
    return n;
  }

  var host = el('div', { 'data-aios-widget': slug });
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var style = el('style', {}, CSS);
  host.style.setProperty('--c', color);

  var launcher = el('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false' }, title);
  var panel = el('div', { class: 'panel', role: 'dialog', 'aria-label': title, hidden: '' });
  var head = el('div', { class: 'head' });
  head.appendChild(el('strong', {}, title));
  var close = el('button', { type: 'button', 'aria-label': 'Close' }, '\u00d7');
  head.appendChild(close);
  var log = el('div', { class: 'log', 'aria-live': 'polite' });

  var ask = el('form', { class: 'ask' });
  var askRow = el('div', { class: 'row' });
  var q = el('input', { name: 'question', maxlength: '500', placeholder: 'Type your question', 'aria-label': 'Your question', autocomplete: 'off' });
  var askBtn = el('button', { class: 'go', type: 'submit' }, 'Ask');
  askRow.appendChild(q);
  askRow.appendChild(askBtn);
  ask.appendChild(askRow);

  var toLead = el('button', { class: 'link', type: 'button' }, 'Leave your details and we will get back to you');
  var lead = el('form', { class: 'lead', hidden: '' });
  var fName = el('input', { name: 'name', maxlength: '200', placeholder: 'Your name', autocomplete: 'name' });
  var fPhone = el('input', { name: 'phone', type: 'tel', maxlength: '40', placeholder: 'Phone', autocomplete: 'tel' });
  var fEmail = el('input', { name: 'email', type: 'email', maxlength: '254', placeholder: 'Email', autocomplete: 'email' });
  var fMsg = el('textarea', { name: 'message', maxlength: '2000', placeholder: 'How can we help?' });
  var fHp = el('input', { name: 'hp_url', class: 'hp', tabindex: '-1', autocomplete: 'off', 'aria-hidden': 'true' });
  var leadBtn = el('button', { class: 'go', type: 'submit' }, 'Send');
  [fName, fPhone, fEmail, fMsg, fHp, leadBtn].forEach(function (n) { lead.appendChild(n); });

  [launcher, panel].forEach(function (n) { root.appendChild(n); });
  root.insertBefore(style, launcher);
  [head, log, ask, toLead, lead].forEach(function (n) { panel.appendChild(n); });

  function say(who, text, sources, isError) {
    var m = el('div', { class: 'msg ' + who + (isError ? ' error' : '') }, text);
    if (sources && sources.length) m.appendChild(el('span', { class: 'src' }, 'Source: ' + sources.join(', ')));
    log.appendChild(m);
    log.scrollTop = log.scrollHeight;
    return m;
  }

  function post(path, body) {
    return fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit' })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (res.status === 429) throw new Error('Too many messages. Please try again in ' + (res.headers.get('retry-after') || 'a few') + ' seconds.');
          if (!res.ok) throw new Error(data.message || 'Something went wrong (' + res.status + ').');
          return data;
        });
      });
  }

  function newKey() {
    var a = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(a);
    return 'w-' + Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  var leadKey = newKey();

  function showLead(prefill) {
    lead.hidden = false;
    toLead.hidden = true;
    if (prefill && !fMsg.value) fMsg.value = prefill;
    fName.focus();
  }

  function toggle(open) {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      if (!log.childNodes.length) say('bot', 'Hi! Ask us anything about our services, prices or hours.');
      q.focus();
    }
  }

  launcher.addEventListener('click', function () { toggle(panel.hidden); });
  close.addEventListener('click', function () { toggle(false); });
  toLead.addEventListener('click', function () { showLead(''); });

  ask.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = q.value.trim();
    if (!text) return;
    say('me', text);
    q.value = '';
    askBtn.disabled = true;
    post('/ask', { question: text }).then(function (data) {
      var titles = (data.citations || []).map(function (c) { return String(c.title || ''); }).filter(Boolean);
      say('bot', String(data.answer || ''), data.status === 'answered' ? titles : null);
      if (data.status !== 'answered') {
        say('bot', 'The owner will follow up personally. Leave your details below.');
        showLead(text);
      }
    }).catch(function (err) {
      say('bot', err.message, null, true);
    }).then(function () { askBtn.disabled = false; });
  });

  lead.addEventListener('submit', function (e) {
    e.preventDefault();
    var phone = fPhone.value.trim();
    var email = fEmail.value.trim();
    if (!phone && !email) {
      say('bot', 'Please give a phone number or an email so we can reach you.', null, true);
      return;
    }
    leadBtn.disabled = true;
    post('/lead', {
      name: fName.value.trim(), phone: phone, email: email, message: fMsg.value.trim(), hp_url: fHp.value,
      page: location.href.slice(0, 2000), idempotency_key: leadKey
    }).then(function () {
      say('bot', 'Thanks' + (fName.value.trim() ? ', ' + fName.value.trim() : '') + '! We received your details and will get back to you soon.');
      lead.reset();
      lead.hidden = true;
      toLead.hidden = false;
      leadKey = newKey();
    }).catch(function (err) {
      say('bot', err.message, null, true);
    }).then(function () { leadBtn.disabled = false; });
  });

  function mount() { document.body.appendChild(host); }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
