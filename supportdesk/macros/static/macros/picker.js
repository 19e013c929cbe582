/* The reply box's macro picker (docs/macros.md). Search the macros by name (in the agent's UI
   language), choose one: its text, rendered for this ticket, goes into the reply box to edit;
   sending the form then applies the macro (its actions and the `macro_applied` event) through
   the macro's apply URL instead of a plain reply. `window.supportdeskMacros.open()` focuses
   the search (the workspace's `m` shortcut). After a refused apply the page comes back with
   the agent's text in the reply box and `data-rearm` naming the macro: it is armed again,
   the text left as it is. */
(function () {
  "use strict";
  var root = document.getElementById("sd-macros");
  if (!root) { return; }
  var form = root.closest("form");
  var search = root.querySelector(".sd-macros__search");
  var list = root.querySelector(".sd-macros__list");
  var empty = root.querySelector(".sd-macros__empty");
  var chosen = root.querySelector(".sd-macros__chosen");
  var words = document.getElementById("sd-macros-words").content;
  var macros = [];
  var armed = null;
  var plainAction = form ? form.getAttribute("action") : null;

  function word(name) {
    var node = words.querySelector('[data-word="' + name + '"]');
    return node ? node.textContent : "";
  }

  function matches(query) {
    var wanted = query.trim().toLocaleLowerCase();
    return macros.filter(function (macro) {
      return !wanted || macro.name.toLocaleLowerCase().indexOf(wanted) !== -1;
    });
  }

  function item(macro) {
    var li = document.createElement("li");
    li.className = "sd-macros__item";
    li.setAttribute("role", "option");
    li.tabIndex = -1;
    li.dataset.macro = macro.id;
    var name = document.createElement("strong");
    name.textContent = macro.name;
    name.setAttribute("dir", "auto");
    var language = document.createElement("span");
    language.className = "sd-badge" + (macro.fallback ? " sd-macros__fallback" : "");
    language.textContent = macro.language;
    language.title = macro.language_label + (macro.fallback ? " · " + word("fallback") : "");
    li.append(name, " ", language);
    if (macro.stale) {
      var stale = document.createElement("span");
      stale.className = "sd-badge sd-macro-lang--stale";
      stale.textContent = word("stale");
      li.append(" ", stale);
    }
    if (macro.internal) {
      var note = document.createElement("span");
      note.className = "sd-badge sd-badge--internal";
      note.textContent = word("internal");
      li.append(" ", note);
    }
    if (macro.actions.length) {
      var actions = document.createElement("span");
      actions.className = "sd-macros__actions";
      actions.textContent = macro.actions.join(" · ");
      li.append(" ", actions);
    }
    li.addEventListener("click", function () { choose(macro); });
    li.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); choose(macro); }
    });
    return li;
  }

  function show() {
    var found = matches(search.value);
    list.replaceChildren.apply(list, found.map(item));
    list.hidden = found.length === 0;
    empty.hidden = found.length !== 0 || macros.length === 0;
  }

  function hide() { list.hidden = true; empty.hidden = true; }

  function choose(macro) {
    var box = document.getElementById("id_reply_body");
    if (box) { box.value = macro.body; }
    var kind = form && form.querySelector(
      'input[name="reply_kind"][value="' + (macro.internal ? "internal" : "public") + '"]');
    if (kind) { kind.checked = true; }
    arm(macro);
    hide();
    search.value = "";
    if (box) { box.focus(); }
  }

  function arm(macro) {
    armed = macro;
    chosen.querySelector(".sd-macros__chosen-text").textContent = word("chosen")
      .replace("{name}", macro.name).replace("{language}", macro.language_label);
    chosen.hidden = false;
    root.dataset.armed = String(macro.id);
  }

  function disarm() {
    armed = null;
    chosen.hidden = true;
    delete root.dataset.armed;
    if (form && plainAction !== null) { form.setAttribute("action", plainAction); }
    else if (form) { form.removeAttribute("action"); }
  }

  search.addEventListener("input", show);
  search.addEventListener("focus", show);
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      var first = matches(search.value)[0];
      if (first) { choose(first); }
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      var option = list.querySelector(".sd-macros__item");
      if (option) { option.focus(); }
    } else if (event.key === "Escape") {
      hide();
    }
  });
  list.addEventListener("keydown", function (event) {
    var current = document.activeElement;
    if (event.key === "ArrowDown" && current.nextElementSibling) {
      event.preventDefault(); current.nextElementSibling.focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (current.previousElementSibling || search).focus();
    } else if (event.key === "Escape") {
      hide(); search.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!root.contains(event.target)) { hide(); }
  });
  root.querySelector(".sd-macros__remove").addEventListener("click", disarm);
  if (form) {
    form.addEventListener("submit", function () {
      if (armed) { form.setAttribute("action", armed.apply_url); }
    });
  }

  fetch(root.dataset.url, {credentials: "same-origin", headers: {Accept: "application/json"}})
    .then(function (response) { return response.ok ? response.json() : {macros: []}; })
    .then(function (data) {
      macros = data.macros || [];
      var rearm = macros.filter(function (macro) {
        return String(macro.id) === root.dataset.rearm;
      })[0];
      if (rearm) { arm(rearm); }
      root.dataset.ready = "true";
      if (document.activeElement === search) { show(); }
    });

  window.supportdeskMacros = {
    open: function () { search.focus(); show(); }
  };
}());
