// The live chat: one controller per [data-chat-pane]. A WebSocket when it connects; else (a proxy
// in the way) polling over HTTP every few seconds, which the pane says. Every message is stored on
// the server first; after a reconnect the client asks for what came after the last id it saw.
(function () {
  "use strict";

  const POLL_MS = 3000;
  const TYPING_SHOW_MS = 3000;
  const TYPING_SEND_MS = 2000;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }

  function ChatPane(root) {
    this.root = root;
    this.side = root.dataset.side;
    this.list = root.querySelector("[data-messages]");
    this.typing = root.querySelector("[data-typing]");
    this.connection = root.querySelector("[data-connection]");
    this.error = root.querySelector("[data-error]");
    this.form = root.querySelector("[data-send-form]");
    this.input = root.querySelector("[data-input]");
    this.lastId = 0;
    this.lastReadSent = 0;
    this.readByOther = 0;
    this.pending = {}; // client_id -> list item, until the server echoes the stored message
    this.socket = null;
    this.polling = null;
    this.lastTypingSent = 0;
    this.typingTimer = null;
    this.retries = 0;
    this.bind();
    this.connect();
  }

  ChatPane.prototype.text = function (name) {
    return this.root.dataset["text" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
  };

  ChatPane.prototype.bind = function () {
    const pane = this;
    if (this.form) {
      this.form.addEventListener("submit", function (event) {
        event.preventDefault();
        const text = pane.input.value.trim();
        if (!text) return;
        pane.input.value = "";
        pane.send(text);
      });
      this.input.addEventListener("input", function () {
        const now = Date.now();
        if (pane.socketOpen() && now - pane.lastTypingSent > TYPING_SEND_MS) {
          pane.lastTypingSent = now;
          pane.socket.send(JSON.stringify({ type: "typing" }));
        }
      });
      const canned = this.root.querySelector("[data-canned]");
      if (canned) {
        canned.addEventListener("change", function () {
          if (canned.value) pane.input.value = canned.value;
          canned.value = "";
          pane.input.focus();
        });
      }
    }
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) pane.markRead();
    });
  };

  ChatPane.prototype.socketOpen = function () {
    return this.socket && this.socket.readyState === WebSocket.OPEN;
  };

  ChatPane.prototype.connect = function () {
    const pane = this;
    if (!("WebSocket" in window)) {
      this.startPolling();
      return;
    }
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const url = scheme + window.location.host + this.root.dataset.wsPath + "?after=" + this.lastId;
    let opened = false;
    let socket;
    try {
      socket = new WebSocket(url);
    } catch (e) {
      this.startPolling();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", function () {
      opened = true;
      pane.retries = 0;
      pane.stopPolling();
      pane.connection.textContent = pane.text("live");
      pane.root.dataset.transport = "websocket";
      pane.resendPending();
    });
    socket.addEventListener("message", function (event) {
      pane.handle(JSON.parse(event.data));
    });
    socket.addEventListener("close", function (event) {
      pane.socket = null;
      if (event.code === 4404) {
        pane.connection.textContent = "";
        return;
      }
      // Never connected: a proxy in the way; poll. Lost later: poll meanwhile and reconnect.
      pane.startPolling();
      if (opened || pane.retries < 3) {
        pane.retries += 1;
        window.setTimeout(function () { pane.connect(); }, Math.min(30000, 1000 * Math.pow(2, pane.retries)));
      }
    });
  };

  ChatPane.prototype.startPolling = function () {
    if (this.polling) return;
    const pane = this;
    this.connection.textContent = this.text("polling");
    this.root.dataset.transport = "polling";
    this.poll();
    this.polling = window.setInterval(function () { pane.poll(); }, POLL_MS);
  };

  ChatPane.prototype.stopPolling = function () {
    if (this.polling) window.clearInterval(this.polling);
    this.polling = null;
  };

  ChatPane.prototype.poll = function () {
    const pane = this;
    fetch(this.root.dataset.pollUrl + "?after=" + this.lastId, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        data.messages.forEach(function (message) { pane.handle(message); });
        pane.handle({ type: "read", side: pane.side === "customer" ? "agent" : "customer",
                      up_to: data.read[pane.side === "customer" ? "agent" : "customer"] });
      })
      .catch(function () { /* offline: the next poll tries again */ });
  };

  ChatPane.prototype.send = function (text) {
    const clientId = newClientId();
    const item = this.render({ sender: this.side, author: "", text: text, client_id: clientId, id: 0 });
    item.dataset.pendingText = text;
    this.pending[clientId] = item;
    this.error.textContent = "";
    this.deliver(clientId, text);
  };

  ChatPane.prototype.deliver = function (clientId, text) {
    const pane = this;
    if (this.socketOpen()) {
      this.socket.send(JSON.stringify({ type: "message", text: text, client_id: clientId }));
      return;
    }
    fetch(this.root.dataset.sendUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ text: text, client_id: clientId }),
    })
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (result) {
        if (result[0]) pane.handle(result[1]);
        else pane.failed(clientId, result[1].error);
      })
      .catch(function () { /* stays pending: sent again on reconnect */ });
  };

  ChatPane.prototype.resendPending = function () {
    const pane = this;
    Object.keys(this.pending).forEach(function (clientId) {
      pane.deliver(clientId, pane.pending[clientId].dataset.pendingText);
    });
  };

  ChatPane.prototype.failed = function (clientId, message) {
    const item = this.pending[clientId];
    delete this.pending[clientId];
    if (item) {
      item.remove();
      if (this.input && !this.input.value) this.input.value = item.dataset.pendingText;  // nothing typed is lost
    }
    this.error.textContent = this.text("failed") + " " + (message || "");
  };

  ChatPane.prototype.handle = function (data) {
    if (data.type === "message") {
      if (data.id <= this.lastId) return;
      this.lastId = data.id;
      const pending = data.client_id && data.sender === this.side ? this.pending[data.client_id] : null;
      if (pending) {
        delete this.pending[data.client_id];
        this.fill(pending, data);
      } else {
        this.render(data);
      }
      if (data.code === "closed" && this.form) this.form.remove();
      if (data.sender !== this.side) {
        this.typing.textContent = "";
        this.markRead();
      }
    } else if (data.type === "typing") {
      const pane = this;
      this.typing.textContent = this.text("typing");
      window.clearTimeout(this.typingTimer);
      this.typingTimer = window.setTimeout(function () { pane.typing.textContent = ""; }, TYPING_SHOW_MS);
    } else if (data.type === "read") {
      if (data.side !== this.side && data.up_to > this.readByOther) {
        this.readByOther = data.up_to;
        this.updateMarks();
      }
    } else if (data.type === "error") {
      if (data.client_id && this.pending[data.client_id]) this.failed(data.client_id, data.message);
      else this.error.textContent = data.message;
    }
  };

  ChatPane.prototype.render = function (data) {
    const item = document.createElement("li");
    item.className = "chat-message mb-2";
    const who = document.createElement("div");
    who.className = "small text-body-secondary";
    const body = document.createElement("div");
    body.className = "chat-text";
    const mark = document.createElement("span");
    mark.className = "small text-body-secondary ms-2 chat-mark";
    mark.setAttribute("data-mark", "");
    item.append(who, body, mark);
    this.list.appendChild(item);
    this.fill(item, data);
    this.list.scrollTop = this.list.scrollHeight;
    return item;
  };

  ChatPane.prototype.fill = function (item, data) {
    item.dataset.id = data.id;
    item.dataset.sender = data.sender;
    item.setAttribute("data-testid", "chat-message");
    item.classList.toggle("chat-own", data.sender === this.side);
    item.classList.toggle("chat-system", data.sender === "system");
    const parts = item.children;
    parts[0].textContent = data.sender === "system" ? "" : (data.author || "") +
      (data.at ? " · " + new Date(data.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "");
    parts[1].textContent = data.text;
    this.updateMark(item);
  };

  ChatPane.prototype.updateMark = function (item) {
    const mark = item.querySelector("[data-mark]");
    if (!mark || item.dataset.sender !== this.side) return;
    const id = Number(item.dataset.id);
    mark.textContent = !id ? this.text("sending") : (id <= this.readByOther ? this.text("read") : this.text("sent"));
  };

  ChatPane.prototype.updateMarks = function () {
    const pane = this;
    this.list.querySelectorAll(".chat-own").forEach(function (item) { pane.updateMark(item); });
  };

  ChatPane.prototype.markRead = function () {
    if (document.hidden || !this.lastId) return;
    if (this.lastReadSent === this.lastId) return;
    this.lastReadSent = this.lastId;
    if (this.socketOpen()) {
      this.socket.send(JSON.stringify({ type: "read", up_to: this.lastId }));
      return;
    }
    const body = new URLSearchParams({ up_to: String(this.lastId) });
    fetch(this.root.dataset.readUrl, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() }, body: body,
    }).catch(function () { /* the next message marks it again */ });
  };

  document.querySelectorAll("[data-chat-pane]").forEach(function (root) { new ChatPane(root); });
})();
