// app.js - the web chat client: one websocket per tab, messages in, replies out.
// Protocol (JSON text frames): we send {"type":"message","text":...};
// the bot sends {"type":"reply","text","category","crisis"} or {"type":"error","error"}.
'use strict';
(function () {
  const log = document.getElementById('log');
  const statusLine = document.getElementById('status');
  const form = document.getElementById('compose');
  const input = document.getElementById('message');
  const send = document.getElementById('send');
  const errorText = {
    too_long: 'That message is too long for me. Could you split it up?',
    shutting_down: 'I am restarting and could not read that. Please send it again in a moment.',
    internal: 'Something went wrong with that message. Please try again.',
  };
  let socket = null;
  let retryDelay = 1000;

  function addEntry(who, text, extraClass, category) {
    const item = document.createElement('li');
    item.className = who === 'You' ? 'me' : 'bot';
    if (extraClass) item.classList.add(extraClass);
    if (category) item.dataset.category = category;
    const label = document.createElement('span');
    label.className = 'who';
    label.textContent = who === 'You' ? 'You' : 'leanon (bot)';
    const body = document.createElement('span');
    body.className = 'text';
    body.textContent = text;
    item.append(label, body);
    log.append(item);
    item.scrollIntoView({ block: 'end' });
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

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(scheme + '//' + location.host + '/chat', 'leanon-chat');
    socket.addEventListener('open', function () {
      retryDelay = 1000;
      setConnected(true, 'Connected. Say hello whenever you are ready.');
    });
    socket.addEventListener('message', function (event) {
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === 'reply') {
        addEntry('leanon', frame.text, frame.crisis ? 'crisis-reply' : '', frame.category);
      } else if (frame.type === 'error') {
        statusLine.textContent = errorText[frame.error] || errorText.internal;
      }
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
    socket.send(JSON.stringify({ type: 'message', text: text, browser: browserId }));
    addEntry('You', text);
    input.value = '';
    input.focus();
  });

  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  setConnected(false, 'Connecting...');
  connect();
  input.focus();
}());
