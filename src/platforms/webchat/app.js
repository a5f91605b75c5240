// app.js - the web chat client: one websocket per tab, messages in, replies out.
// Protocol (JSON text frames, docs/running.md "Web chat protocol"): we send {"type":"hello"}
// once connected (answered with the length limit in characters, whether replies take
// feedback, and the regions a person may choose crisis lines for),
// {"type":"message","text":...,"browser":...,"region":...} and {"type":"feedback","reply":ID,
// "verdict":"unhelpful"}; the bot sends {"type":"reply","id","text","category","crisis","risk",
// "feedback"}, {"type":"opted_out","undo"} (the bot is not answering this browser: the person
// opted out, and "undo" is what to write to have it back), {"type":"feedback_noted","reply"}
// or {"type":"error","error"}.
// Reply text is never parsed as markup: links, phone numbers and text lines are found in it
// and built as elements (linkify), with only http(s), tel and sms addresses.
'use strict';
(function () {
  const log = document.getElementById('log');
  const statusLine = document.getElementById('status');
  const form = document.getElementById('compose');
  const input = document.getElementById('message');
  const send = document.getElementById('send');
  const notice = document.getElementById('send-notice');
  const counter = document.getElementById('counter');
  const announcer = document.getElementById('crisis-announcer');
  const optedOut = document.getElementById('opted-out');
  const regionRow = document.getElementById('region-row');
  const regionSelect = document.getElementById('region');
  const errorText = {
    shutting_down: 'I am restarting and could not read that. Please send it again in a moment.',
    internal: 'Something went wrong with that message. Please try again.',
  };
  const COUNTER_FROM = 0.9;     // the counter shows from this share of the limit
  const COMPACT_BELOW = 640;    // px of visible height under which typing collapses the header
  let socket = null;
  let retryDelay = 1000;
  let maxChars = null;          // the server's limit, from its hello (null: not known yet)
  let feedbackOffered = false;  // the server takes "Not helpful" on its replies
  let lastSent = null;          // {text, entry}: the message sent last, until the next one
  let noticeTooLong = false;    // the notice is about the text in the box being too long

  // ---- links in reply text ----

  // Three digits or more, with single spaces or hyphens between groups: "988", "116 123",
  // "1-800-799-7233" (so "call 2 friends" stays text).
  const NUMBER = '\\+?\\d(?:[ -]?\\d){2,}';
  const PIECES = new RegExp(
    '(https?://[^\\s<>"\']+)' +                                  // 1: a web address
    '|\\b([Cc]all or )(text)( )(' + NUMBER + ')' +               // 2-5: "call or text 988"
    '|\\b([Tt]ext )((?:[A-Z][A-Z0-9]* to )?)(' + NUMBER + ')' +  // 6-8: "text HOME to 741741"
    '|\\b((?:[Cc]all|[Pp]hone|[Dd]ial|[Rr]ing) )(' + NUMBER + ')', // 9-10: "call 116 123"
    'g');

  function digits(number) {
    return number.replace(/[ -]/g, '');
  }

  // An <a> for href when its scheme is one we allow, else null.
  function link(href, text) {
    let url;
    try { url = new URL(href); } catch (e) { return null; }
    if (!['http:', 'https:', 'tel:', 'sms:'].includes(url.protocol)) return null;
    const a = document.createElement('a');
    a.href = url.href;
    a.textContent = text;
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
    }
    return a;
  }

  function appendPiece(parent, href, text) {
    parent.append(link(href, text) || document.createTextNode(text));
  }

  // Appends text to parent as text nodes and links (no markup is ever parsed).
  function linkify(parent, text) {
    let at = 0;
    for (const m of text.matchAll(PIECES)) {
      parent.append(document.createTextNode(text.slice(at, m.index)));
      if (m[1]) {
        const address = m[1].replace(/[.,;:!?)\]]+$/, '');
        appendPiece(parent, address, address);
        parent.append(document.createTextNode(m[1].slice(address.length)));
      } else if (m[3]) {
        parent.append(document.createTextNode(m[2]));
        appendPiece(parent, 'sms:' + digits(m[5]), m[3]);
        parent.append(document.createTextNode(m[4]));
        appendPiece(parent, 'tel:' + digits(m[5]), m[5]);
      } else if (m[8]) {
        const keyword = m[7] ? m[7].slice(0, -' to '.length) : '';
        const body = keyword ? '?body=' + encodeURIComponent(keyword) : '';
        appendPiece(parent, 'sms:' + digits(m[8]) + body, m[6] + m[7] + m[8]);
      } else {
        parent.append(document.createTextNode(m[9]));
        appendPiece(parent, 'tel:' + digits(m[10]), m[10]);
      }
      at = m.index + m[0].length;
    }
    parent.append(document.createTextNode(text.slice(at)));
  }

  // ---- the conversation ----

  function entry(mine, extraClass) {
    const item = document.createElement('li');
    item.className = mine ? 'me' : 'bot';
    if (extraClass) item.classList.add(extraClass);
    const label = document.createElement('span');
    label.className = 'who';
    label.textContent = mine ? 'You' : 'leanon (bot)';
    item.append(label);
    return item;
  }

  function show(item) {
    log.append(item);
    item.scrollIntoView({ block: 'end' });
  }

  function addMine(text) {
    const item = entry(true);
    const body = document.createElement('span');
    body.className = 'text';
    body.textContent = text;
    item.append(body);
    show(item);
    return item;
  }

  // The "Not helpful" button of a reply; the fallback's choices will sit beside it.
  function addActions(item, frame) {
    if (!feedbackOffered || !frame.feedback || !Number.isInteger(frame.id)) return;
    const actions = document.createElement('div');
    actions.className = 'reply-actions';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'feedback';
    button.textContent = 'Not helpful';
    button.dataset.reply = String(frame.id);
    button.addEventListener('click', function () {
      if (!socket || socket.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify({ type: 'feedback', reply: frame.id, verdict: 'unhelpful' }));
      button.disabled = true;
    });
    actions.append(button);
    item.append(actions);
  }

  function addReply(frame) {
    const item = entry(false, frame.crisis ? 'crisis-reply' : '');
    if (typeof frame.category === 'string') item.dataset.category = frame.category;
    if (frame.crisis) {
      const heading = document.createElement('h3');
      heading.className = 'crisis-heading';
      heading.textContent = 'Crisis support';
      item.append(heading);
    }
    const body = document.createElement('span');
    body.className = 'text';
    linkify(body, String(frame.text));
    item.append(body);
    addActions(item, frame);
    show(item);
    if (frame.crisis) {
      // Said at once by screen readers, whatever they are reading: the lines are right here.
      announcer.textContent = '';
      announcer.textContent = 'Crisis support: the reply lists lines you can call or text now.';
    }
  }

  function feedbackNoted(replyId) {
    const button = log.querySelector('button.feedback[data-reply="' + Number(replyId) + '"]');
    if (!button) return;
    const thanks = document.createElement('span');
    thanks.className = 'feedback-noted';
    thanks.textContent = 'Thank you. The people who look after me see which replies miss.';
    button.replaceWith(thanks);
  }

  // ---- the message box: the limit in characters, and messages kept when refused ----

  function characters(text) {
    let n = 0;
    for (const _ of text) n++;  // code points, as the server counts them
    return n;
  }

  function setNotice(text, aboutLength) {
    notice.textContent = text || '';
    notice.hidden = !text;
    noticeTooLong = Boolean(text && aboutLength);
  }

  function tooLongText(n, limit) {
    return 'This message is ' + n.toLocaleString('en') + ' characters; the limit is ' +
      limit.toLocaleString('en') + '. Your text is still in the box: please shorten it, ' +
      'or send it in parts.';
  }

  function updateCounter() {
    const n = characters(input.value);
    const near = maxChars !== null && n >= Math.floor(maxChars * COUNTER_FROM);
    counter.hidden = !near;
    counter.textContent = near ? n.toLocaleString('en') + ' / ' + maxChars.toLocaleString('en') +
      ' characters' : '';
    counter.classList.toggle('over', near && n > maxChars);
    input.setAttribute('aria-invalid', near && n > maxChars ? 'true' : 'false');
    if (noticeTooLong && (maxChars === null || n <= maxChars)) setNotice('');
  }

  // The server refused the last message as too long: take it back from the conversation and
  // put it in the box again (unless the person has started a new one), with the notice.
  function refusedTooLong(limit) {
    if (Number.isInteger(limit) && limit > 0) maxChars = limit;
    if (lastSent) {
      lastSent.entry.remove();
      if (!input.value) input.value = lastSent.text;
      setNotice(tooLongText(characters(lastSent.text), maxChars || characters(lastSent.text) - 1),
        true);
      lastSent = null;
    }
    updateCounter();
    input.focus();
  }

  function setConnected(connected, message) {
    send.disabled = !connected;
    statusLine.textContent = message;
  }

  /* A random id for this browser, so that "stop" holds across tabs and reloads. It is only
   * stored by the bot if the person opts out. Without local storage, each tab is on its own. */
  const browserId = (function () {
    try {
      let id = localStorage.getItem('leanon-browser-id');
      if (!/^[0-9a-f]{32}$/.test(id || '')) {
        const bytes = new Uint8Array(16);
        crypto.getRandomValues(bytes);
        id = Array.from(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
        localStorage.setItem('leanon-browser-id', id);
      }
      return id;
    } catch (e) {
      return undefined;
    }
  })();

  // ---- opted out: the bot is not answering this browser, and how to undo it ----

  const OPTED_OUT_KEY = 'leanon-opted-out';

  function showOptedOut(undo) {
    optedOut.textContent = 'leanon is not answering this browser, because you opted out. ' +
      'To have it back, write: ' + undo + '. A message saying you are in danger still gets ' +
      'crisis lines.';
    optedOut.hidden = false;
  }

  function remember(key, value) {
    try {
      if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
    } catch (e) { /* without local storage the notice lasts for this tab only */ }
  }

  function onReply(frame) {
    addReply(frame);
    optedOut.hidden = true;  // answered (again): shown anew if the bot goes quiet
    if (frame.category === 'command-start') remember(OPTED_OUT_KEY, null);
  }

  function onOptedOut(undo) {
    const words = typeof undo === 'string' && undo ? undo : 'start';
    showOptedOut(words);
    optedOut.scrollIntoView({ block: 'end' });
    remember(OPTED_OUT_KEY, words);
  }

  // ---- the person's region for crisis lines, kept in this browser ----

  const REGION_KEY = 'leanon-region';

  // Fills the selector from the server's list (codes and names are text, never markup) and
  // selects the region this browser chose before, if the server still has it.
  function offerRegions(regions) {
    if (!Array.isArray(regions) || regions.length === 0) return;
    let stored = null;
    try { stored = localStorage.getItem(REGION_KEY); } catch (e) { /* none kept */ }
    while (regionSelect.options.length > 1) regionSelect.remove(1);
    for (const region of regions) {
      if (!region || typeof region.code !== 'string' || typeof region.name !== 'string') continue;
      const option = document.createElement('option');
      option.value = region.code;
      option.textContent = region.name;
      regionSelect.appendChild(option);
    }
    regionSelect.value = stored && Array.from(regionSelect.options).some(function (o) {
      return o.value === stored;
    }) ? stored : '';
    regionRow.hidden = false;
  }

  regionSelect.addEventListener('change', function () {
    remember(REGION_KEY, regionSelect.value || null);
  });

  function onFrame(frame) {
    if (frame.type === 'reply') {
      onReply(frame);
    } else if (frame.type === 'opted_out') {
      onOptedOut(frame.undo);
    } else if (frame.type === 'hello') {
      if (Number.isInteger(frame.max_message_chars)) maxChars = frame.max_message_chars;
      feedbackOffered = frame.feedback === true;
      offerRegions(frame.regions);
      updateCounter();
    } else if (frame.type === 'feedback_noted') {
      feedbackNoted(frame.reply);
    } else if (frame.type === 'error' && frame.error === 'too_long') {
      refusedTooLong(frame.max_message_chars);
    } else if (frame.type === 'error' && frame.error !== 'bad_feedback') {
      setNotice(errorText[frame.error] || errorText.internal);
    }
  }

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(scheme + '//' + location.host + '/chat', 'leanon-chat');
    socket.addEventListener('open', function () {
      retryDelay = 1000;
      socket.send(JSON.stringify({ type: 'hello' }));
      setConnected(true, 'Connected. Say hello whenever you are ready.');
    });
    socket.addEventListener('message', function (event) {
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && typeof frame === 'object') onFrame(frame);
    });
    socket.addEventListener('close', function () {
      setConnected(false, 'Disconnected. Trying again in ' + Math.round(retryDelay / 1000) + ' s...');
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || !socket || socket.readyState !== WebSocket.OPEN) return;
    const n = characters(text);
    if (maxChars !== null && n > maxChars) {
      setNotice(tooLongText(n, maxChars), true);  // kept in the box, not sent
      input.focus();
      return;
    }
    const message = { type: 'message', text: text, browser: browserId };
    if (regionSelect.value) message.region = regionSelect.value;
    socket.send(JSON.stringify(message));
    lastSent = { text: text, entry: addMine(text) };
    setNotice('');
    input.value = '';
    updateCounter();
    input.focus();
  });

  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', updateCounter);

  // ---- the layout on a phone: the conversation keeps most of the screen ----

  // With the keyboard open the visible height shrinks (visualViewport; Chrome on Android also
  // resizes the page): the body follows it, and while typing the header folds into one line
  // with the crisis link.
  function fitViewport() {
    const height = window.visualViewport ? window.visualViewport.height : window.innerHeight;
    document.documentElement.style.setProperty('--visible-height', Math.round(height) + 'px');
    const compact = document.activeElement === input && height < COMPACT_BELOW;
    if (document.body.classList.contains('compact') !== compact) {
      document.body.classList.toggle('compact', compact);
      const last = log.lastElementChild;
      if (last) last.scrollIntoView({ block: 'end' });
    }
  }
  if (window.visualViewport) window.visualViewport.addEventListener('resize', fitViewport);
  window.addEventListener('resize', fitViewport);
  input.addEventListener('focus', fitViewport);
  input.addEventListener('blur', fitViewport);

  try {
    const stored = localStorage.getItem(OPTED_OUT_KEY);
    if (stored) showOptedOut(stored);
  } catch (e) { /* no local storage: nothing was remembered */ }
  setConnected(false, 'Connecting...');
  connect();
  input.focus();
  fitViewport();
}());
