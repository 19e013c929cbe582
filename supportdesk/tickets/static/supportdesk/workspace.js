/* supportdesk workspace: the live queue on the ticket list, presence and the collision notice
   on the ticket page, keyboard shortcuts and their help overlay (`?`).
   Configuration and every label come from the page (json_script), translated by the server. */
(function () {
  "use strict";

  function readConfig(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function csrfToken() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function isTyping(event) {
    var target = event.target;
    if (!target) { return false; }
    if (target.tagName === "INPUT" && /^(checkbox|radio|button|submit)$/.test(target.type)) { return false; }
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  /* ---- the help overlay ------------------------------------------------------------------ */
  function helpOverlay(labels) {
    var overlay = document.createElement("div");
    overlay.id = "sd-shortcuts";
    overlay.className = "sd-shortcuts";
    overlay.hidden = true;
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", "sd-shortcuts-title");
    var box = document.createElement("div");
    box.className = "sd-shortcuts__box";
    var title = document.createElement("h2");
    title.id = "sd-shortcuts-title";
    title.textContent = labels.shortcuts_title;
    box.appendChild(title);
    var list = document.createElement("dl");
    labels.shortcuts.forEach(function (pair) {
      var key = document.createElement("dt");
      var kbd = document.createElement("kbd");
      kbd.textContent = pair[0];
      key.appendChild(kbd);
      var what = document.createElement("dd");
      what.textContent = pair[1];
      list.appendChild(key);
      list.appendChild(what);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "button";
    close.textContent = labels.close;
    close.addEventListener("click", function () { overlay.hidden = true; });
    box.appendChild(close);
    overlay.appendChild(box);
    overlay.addEventListener("click", function (event) {
      if (event.target === overlay) { overlay.hidden = true; }
    });
    document.body.appendChild(overlay);
    return {
      toggle: function () {
        overlay.hidden = !overlay.hidden;
        if (!overlay.hidden) { close.focus(); }
      },
      close: function () { overlay.hidden = true; },
      open: function () { return !overlay.hidden; }
    };
  }

  function onKeys(handlers, help) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && help.open()) { help.close(); return; }
      if (event.ctrlKey && event.key === "Enter" && handlers["Ctrl+Enter"]) {
        event.preventDefault();
        handlers["Ctrl+Enter"]();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event)) { return; }
      if (event.key === "?") { event.preventDefault(); help.toggle(); return; }
      if (event.key === "Enter" && /^(A|BUTTON|INPUT)$/.test(event.target.tagName)) { return; }
      var handler = handlers[event.key];
      if (handler && !help.open() && handler() !== false) { event.preventDefault(); }
    });
  }

  /* ---- the live list --------------------------------------------------------------------- */
  function rowIds(root) {
    var ids = [];
    root.querySelectorAll("#result_list tbody tr input.action-select").forEach(function (box) {
      ids.push(Number(box.value));
    });
    return ids;
  }

  function startList(config) {
    var storageKey = "sd-unread:" + config.show;
    var unread = new Set(JSON.parse(sessionStorage.getItem(storageKey) || "[]"));
    var known = new Set(config.known);
    var baseTitle = document.title;
    var notice = document.getElementById("sd-live-notice");
    var cursor = -1;

    function saveUnread() { sessionStorage.setItem(storageKey, JSON.stringify(Array.from(unread))); }

    function markUnread() {
      document.querySelectorAll("#result_list tbody tr").forEach(function (row) {
        var box = row.querySelector("input.action-select");
        var id = box ? Number(box.value) : 0;
        var marked = row.classList.contains("sd-unread");
        if (unread.has(id) && !marked) {
          row.classList.add("sd-unread");
          var badge = document.createElement("span");
          badge.className = "sd-badge sd-badge--new";
          badge.textContent = config.labels.unread;
          var cell = row.querySelector("th, td.field-reference");
          if (cell) { cell.appendChild(document.createTextNode(" ")); cell.appendChild(badge); }
          row.addEventListener("click", function () { unread.delete(id); saveUnread(); });
        }
      });
    }

    function swapRows() {
      return fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html");
          var incoming = fresh.getElementById("changelist-form");
          var current = document.getElementById("changelist-form");
          if (incoming && current) { current.replaceWith(document.importNode(incoming, true)); }
          var boxes = document.querySelectorAll("tr input.action-select");
          if (window.Actions && boxes.length) { window.Actions(boxes); }  // the admin's action bar
          cursor = -1;
          markUnread();
        });
    }

    function tick() {
      fetch(config.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) {
          document.title = "(" + data.count + ") " + baseTitle;
          var ids = data.rows.map(function (row) { return row.id; });
          var arrived = data.rows.filter(function (row) { return !known.has(row.id); });
          var shown = rowIds(document);
          var changed = arrived.length > 0 || shown.some(function (id) { return ids.indexOf(id) < 0; });
          if (arrived.length) {
            arrived.forEach(function (row) { known.add(row.id); unread.add(row.id); });
            saveUnread();
            notice.textContent = config.labels.arrived.replace(
              "%(references)s", arrived.map(function (row) { return row.reference; }).join(", "));
            notice.hidden = false;
          }
          return changed ? swapRows() : null;
        })
        .catch(function () {
          notice.textContent = config.labels.error;
          notice.hidden = false;
        })
        .finally(function () { window.setTimeout(tick, config.interval_ms); });
    }

    function rows() { return Array.prototype.slice.call(document.querySelectorAll("#result_list tbody tr")); }
    function moveCursor(step) {
      var all = rows();
      if (!all.length) { return; }
      if (all[cursor]) { all[cursor].classList.remove("sd-cursor"); }
      cursor = Math.min(Math.max(cursor + step, 0), all.length - 1);
      all[cursor].classList.add("sd-cursor");
      all[cursor].scrollIntoView({ block: "nearest" });
    }
    function openCursor() {
      var row = rows()[cursor];
      var link = row && row.querySelector("th a, td a");
      if (!link) { return false; }
      link.click();
      return true;
    }
    var help = helpOverlay(config.labels);
    onKeys({
      j: function () { moveCursor(1); },
      k: function () { moveCursor(-1); },
      o: openCursor,
      Enter: openCursor,
      "/": function () { var search = document.getElementById("searchbar"); if (search) { search.focus(); } }
    }, help);
    markUnread();
    if (config.url) { tick(); }  // everyone's tickets are not polled
  }

  /* ---- the ticket page ------------------------------------------------------------------- */
  function startTicket(config) {
    var presence = document.getElementById("sd-presence");
    var arrived = document.getElementById("sd-arrived-live");

    function beat() {
      var body = new FormData();
      body.append("after", String(config.after));
      fetch(config.presence_url, {
        method: "POST", credentials: "same-origin", body: body,
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          presence.textContent = data.viewing;
          presence.hidden = !data.viewing;
          arrived.textContent = data.arrived;
          arrived.hidden = !data.arrived;
        })
        .catch(function () { /* the next beat tries again */ })
        .finally(function () { window.setTimeout(beat, config.interval_ms); });
    }
    window.addEventListener("pagehide", function () {
      var body = new FormData();
      body.append("leaving", "1");
      body.append("csrfmiddlewaretoken", csrfToken());
      navigator.sendBeacon(config.presence_url, body);
    });

    function go(url) { if (url) { window.location.href = url; } else { window.alert(config.labels.no_more); } }
    function write(kind) {
      var radio = document.querySelector("input[name=reply_kind][value=" + kind + "]");
      if (radio) { radio.checked = true; }
      var box = document.getElementById("id_reply_body");
      if (box) { box.focus(); }
    }
    function submit() {
      var button = document.querySelector("input[name=_continue]");
      if (button) { button.click(); }
    }
    var help = helpOverlay(config.labels);
    onKeys({
      j: function () { go(config.next); },
      k: function () { go(config.previous); },
      r: function () { write("public"); },
      n: function () { write("internal"); },
      m: function () {
        if (window.supportdeskMacros && window.supportdeskMacros.open) { window.supportdeskMacros.open(); }
      },
      s: function () {
        var status = document.getElementById("id_status");
        if (status) { status.value = "solved"; submit(); }
      },
      u: function () { go(config.list); },
      "Ctrl+Enter": submit
    }, help);
    beat();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = readConfig("sd-live-config");
    if (list) { startList(list); }
    var ticket = readConfig("sd-work-config");
    if (ticket) { startTicket(ticket); }
  });
}());
