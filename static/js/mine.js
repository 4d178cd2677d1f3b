// "My banners": the list this browser keeps (site.js, poster.mine), drawn as cards.
(function () {
  "use strict";
  var box = document.getElementById("mine");
  if (!box) return;
  var list = document.getElementById("mine-list");

  function card(item) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.className = "card" + (item.kind === "campaign" ? " campaign-card" : "");
    link.href = item.url;
    var thumb = document.createElement("span");
    thumb.className = "thumb";
    if (item.thumb) {
      var img = document.createElement("img");
      img.src = item.thumb;
      img.alt = "";
      thumb.appendChild(img);
    }
    link.appendChild(thumb);
    if (item.kind === "campaign") {
      var kind = document.createElement("span");
      kind.className = "card-kind";
      kind.textContent = box.dataset.msgCampaign;
      link.appendChild(kind);
    }
    var words = document.createElement("span");
    words.className = "card-text";
    words.dir = "auto";
    if (item.lang) words.lang = item.lang;
    words.textContent = item.text;
    link.appendChild(words);
    var meta = document.createElement("span");
    meta.className = "card-meta";
    meta.textContent = [item.size, item.at ? new Date(item.at).toLocaleDateString(document.documentElement.lang) : ""]
      .filter(Boolean).join(" · ");
    link.appendChild(meta);
    li.appendChild(link);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link remove";
    remove.textContent = box.dataset.msgRemove;
    remove.addEventListener("click", function () {
      window.poster.mine.remove(item.kind, item.id);
      draw();
    });
    li.appendChild(remove);
    return li;
  }

  function draw() {
    var items = window.poster.mine.list();
    list.textContent = "";
    items.forEach(function (item) { list.appendChild(card(item)); });
    document.getElementById("mine-empty").hidden = items.length > 0;
    document.getElementById("mine-clear-row").hidden = items.length === 0;
  }

  document.getElementById("mine-clear").addEventListener("click", function () {
    if (!window.confirm(box.dataset.msgConfirm)) return;
    window.poster.mine.save([]);
    draw();
  });
  draw();
})();
