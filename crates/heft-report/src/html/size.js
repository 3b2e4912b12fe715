// heft size --html: the page draws itself from the JSON document in
// #heft-data (exactly `heft size --json`'s output): a squarified treemap
// (module, package, kind of section) with zoom, or for two binaries the
// groups that changed coloured by growth; then tables. No library, no
// request.
"use strict";
(function () {
  const source = document.getElementById("heft-data");
  const data = JSON.parse(source.textContent);
  const diff = source.getAttribute("data-kind") === "size-diff";
  const head = document.getElementById("head");
  const main = document.getElementById("main");

  // Smallest rectangle drawn, in square pixels: smaller siblings are drawn
  // together as one "N more" rectangle, which zooms in like a group.
  const MIN_AREA = 120;
  const HEADER = 18;
  const PAD = 2;

  // ---- numbers
  function human(n) {
    if (n < 1e3) return n + " B";
    if (n < 1e6) return (n / 1e3).toFixed(1) + " kB";
    if (n < 1e9) return (n / 1e6).toFixed(1) + " MB";
    return (n / 1e9).toFixed(1) + " GB";
  }
  function exact(n) {
    return n.toLocaleString("en-US") + " bytes";
  }
  function signed(d) {
    return (d < 0 ? "\u2212" : "+") + human(Math.abs(d));
  }
  function share(part, whole) {
    if (!whole) return "";
    const p = (100 * part) / whole;
    const a = Math.abs(p);
    const text = a < 1 ? a.toFixed(2) : a < 10 ? a.toFixed(1) : a.toFixed(0);
    return (p < 0 ? "\u2212" : "") + text + "%";
  }
  function sum(list, f) {
    let s = 0;
    for (const x of list) s += f(x);
    return s;
  }

  // ---- elements
  function h(tag, props, children) {
    const e = document.createElement(tag);
    for (const k in props || {}) {
      const v = props[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k === "style") e.style.cssText = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children || []) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  function card(label, value, extra, cls) {
    return h("div", { class: "card " + (cls || "") }, [
      h("div", { class: "k", text: label }),
      h("div", { class: "v", text: value }),
      extra ? h("div", { class: "x", text: extra }) : null,
    ]);
  }

  // ---- what the groups and parts are
  const PARTS = {
    text: { label: "text", color: "#4e79a7", what: "machine code" },
    rodata: { label: "rodata", color: "#f28e2b", what: "read-only data: strings, constants, tables" },
    pclntab: { label: "fn table", color: "#edc948", what: "function table (pclntab) and funcdata charged to the functions" },
    data: { label: "data", color: "#59a14f", what: "initialized writable data" },
    other: { label: "other", color: "#9aa4ae", what: "other loaded sections" },
    debug: { label: "DWARF", color: "#b07aa1", what: "debug information: -ldflags=-w leaves it out" },
    symtab: { label: "symbol table", color: "#e58fb0", what: "symbols and their names: -ldflags=-s leaves them out" },
    headers: { label: "headers, padding", color: "#9c755f", what: "file headers and the padding between sections" },
    bss: { label: "bss", color: "#cccccc", what: "zeroed memory at start: no bytes in the file" },
  };
  const DARK = { text: true, debug: true, headers: true, data: true };
  const SYNTHETIC = {
    "type:": "type descriptors the compiler writes for the program's types (type:* symbols)",
    "go:": "linker- and compiler-made data of no package: string data, constants, GC masks (go:* symbols)",
    "(pclntab shared)": "function-table bytes no function is charged with: its header, padding, runtime.findfunctab",
    "(no package)": "symbols of no Go package: C code and linker symbols",
    "(unknown module)": "packages no module of the build information claims",
    "(unattributed)": "bytes of the file no symbol claims: alignment padding, unnamed data, notes, headers",
    "(removed by -s -w)": "the symbol table and DWARF: building with -ldflags=\"-s -w\" leaves them out",
    std: "the Go standard library",
  };
  function synthetic(name) {
    return name.startsWith("(") || name.endsWith(":");
  }

  // ---- the tree
  let nodes = [];
  function node(props) {
    const n = Object.assign({ children: null, size: 0, parent: null }, props);
    return n;
  }
  function seal(n, parent) {
    n.parent = parent;
    if (n.children) {
      for (const c of n.children) seal(c, n);
      n.children = n.children.filter((c) => c.size > 0);
      if (n.size === 0) n.size = sum(n.children, (c) => c.size);
      n.children.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1));
    }
    return n;
  }
  function partsOf(g) {
    let rodata = g.rodata;
    let dat = g.data;
    const fn = g.pclntab || 0;
    if (rodata >= fn) rodata -= fn;
    else dat = Math.max(0, dat - fn);
    const parts = [["text", g.text], ["rodata", rodata], ["pclntab", fn], ["data", dat], ["other", g.other]];
    return parts
      .filter((p) => p[1] > 0)
      .map((p) => node({ name: PARTS[p[0]].label, type: "part", part: p[0], size: p[1] }));
  }
  function sizeTree(r) {
    const modules = new Map();
    for (const m of r.modules || []) modules.set(m.name, node({ name: m.name, type: "module", group: m, children: [] }));
    for (const p of r.packages || []) {
      const name = p.module || "(unknown module)";
      if (!modules.has(name)) modules.set(name, node({ name: name, type: "module", children: [] }));
      modules.get(name).children.push(node({ name: p.name, type: "package", group: p, children: partsOf(p) }));
    }
    const top = [];
    for (const m of modules.values()) {
      // A pseudo-package is its own module: one level, not two.
      if (m.children.length === 1 && m.children[0].name === m.name) {
        const only = m.children[0];
        only.type = "module";
        top.push(only);
      } else if (m.children.length > 0) {
        top.push(m);
      } else if (m.group && m.group.total > 0) {
        top.push(node({ name: m.name, type: "module", group: m.group, children: partsOf(m.group) }));
      }
    }
    const strip = node({ name: "(removed by -s -w)", type: "module", children: [] });
    const rest = node({ name: "(unattributed)", type: "module", children: [] });
    for (const s of r.sections || []) {
      const inFile = r.complete ? s.fileSize : s.kind === "bss" ? 0 : s.size;
      const left = Math.max(0, inFile - s.attributed);
      if (left === 0) continue;
      const loaded = s.kind === "text" || s.kind === "rodata" || s.kind === "data" || s.kind === "other";
      const leaf = node({ name: s.name, type: "section", part: s.kind, size: left, section: s, hatch: loaded });
      (s.removedByStrip ? strip : rest).children.push(leaf);
    }
    top.push(rest, strip);
    return seal(node({ name: r.file || "binary", type: "root", children: top }), null);
  }
  function diffTree(d) {
    const groups = d.groups.map((g) =>
      node({ name: g.name, type: "group", size: Math.max(g.old, g.new), change: g }),
    );
    return seal(node({ name: d.new, type: "root", children: groups }), null);
  }

  // ---- colours
  function rgb(hex) {
    return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  // The colour of a change: grey for none, towards red for growth and
  // green for shrinkage by the change's share of the larger size.
  function changeColor(old, now) {
    if (old === 0) return rgb("#b2182b");
    if (now === 0) return rgb("#1a7837");
    const r = (now - old) / Math.max(old, now);
    const t = Math.min(1, Math.sqrt(Math.abs(r) * 2));
    const a = rgb("#f2f2f2");
    const b = rgb(r > 0 ? "#d73027" : "#1a9850");
    return a.map((x, i) => Math.round(x + (b[i] - x) * t));
  }
  function dark(c) {
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2] < 140;
  }
  function dominantPart(n) {
    while (n.children && n.children.length) n = n.children[0];
    return n.part;
  }

  // ---- squarified layout (Bruls, Huizing, van Wijk): rows of
  // rectangles along the shorter side, a row closed when one more would
  // make its worst aspect ratio worse.
  function squarify(items, x, y, w, h) {
    const out = [];
    const total = sum(items, (n) => n.size);
    if (total <= 0 || w <= 0 || h <= 0) return out;
    const scale = (w * h) / total;
    let i = 0;
    while (i < items.length) {
      const side = Math.min(w, h);
      let row = [items[i]];
      let area = items[i].size * scale;
      let worst = ratio(area, area, area, side);
      let j = i + 1;
      while (j < items.length) {
        const a = items[j].size * scale;
        const next = ratio(area + a, row[0].size * scale, a, side);
        if (next > worst) break;
        row.push(items[j]);
        area += a;
        worst = next;
        j++;
      }
      if (j >= items.length) area = w * h; // the last row takes the rest (rounding)
      const thick = area / side;
      let at = 0;
      const rowTotal = sum(row, (n) => n.size);
      for (const n of row) {
        const len = (side * n.size) / rowTotal;
        if (w >= h) out.push({ node: n, x: x, y: y + at, w: thick, h: len });
        else out.push({ node: n, x: x + at, y: y, w: len, h: thick });
        at += len;
      }
      if (w >= h) {
        x += thick;
        w -= thick;
      } else {
        y += thick;
        h -= thick;
      }
      i = j;
    }
    return out;
  }
  function ratio(area, largest, smallest, side) {
    const s2 = side * side;
    const a2 = area * area;
    return Math.max((s2 * largest) / a2, a2 / (s2 * smallest));
  }

  // Children to draw: those too small for MIN_AREA together as one.
  function visible(n, scale) {
    const keep = [];
    const small = [];
    for (const c of n.children) (c.size * scale >= MIN_AREA ? keep : small).push(c);
    if (small.length <= 1) return n.children;
    const more = node({
      name: small.length + " more",
      type: "more",
      size: sum(small, (c) => c.size),
      children: small,
      parent: n,
    });
    return keep.concat([more]);
  }

  // ---- the treemap
  const tree = diff ? diffTree(data) : sizeTree(data);
  const whole = tree.size;
  let view = tree;
  let drawn = 0;
  const map = h("div", { id: "treemap" });
  const crumbs = h("nav", { class: "crumbs" });
  const tip = h("div", { id: "tip", hidden: "" });

  function path(n) {
    const names = [];
    for (let p = n; p && p.type !== "root"; p = p.parent) names.unshift(p.name);
    return names;
  }
  function zoomable(n) {
    return !!(n.children && n.children.length);
  }

  function draw() {
    map.textContent = "";
    drawnAt = map.clientWidth + "x" + map.clientHeight;
    nodes = [];
    drawn = 0;
    const w = map.clientWidth;
    const hh = map.clientHeight;
    if (zoomable(view)) {
      const items = visible(view, (w * hh) / view.size);
      for (const r of squarify(items, 0, 0, w, hh)) place(r.node, r.x, r.y, r.w, r.h, 0);
    } else {
      place(view, 0, 0, w, hh, 0);
    }
    document.documentElement.setAttribute("data-rendered", drawn + " rectangles");
    document.documentElement.setAttribute("data-view", address(view));
    drawCrumbs();
  }

  function place(n, x, y, w, hh, depth) {
    const i = nodes.push(n) - 1;
    drawn++;
    const el = h("div", {
      class: "tm",
      "data-i": String(i),
      style: "left:" + x.toFixed(1) + "px;top:" + y.toFixed(1) + "px;width:" + w.toFixed(1) + "px;height:" + hh.toFixed(1) + "px",
    });
    map.append(el);
    if (synthetic(n.name) && n.type !== "part") el.classList.add("synthetic");
    const inner = w - 2 * PAD;
    const below = hh - HEADER - PAD;
    if (n.type === "more") el.classList.add("more");
    if (zoomable(n) && n.type !== "more" && inner > 8 && below > 8) {
      el.classList.add("frame", "d" + Math.min(depth, 2));
      if (w > 36) el.append(label("hd", n, w));
      const items = visible(n, (inner * below) / n.size);
      for (const r of squarify(items, x + PAD, y + HEADER, inner, below)) place(r.node, r.x, r.y, r.w, r.h, depth + 1);
      return;
    }
    el.classList.add("leaf");
    if (n.type !== "more") {
      let color;
      let part = n.part;
      if (n.change) {
        const c = changeColor(n.change.old, n.change.new);
        color = "rgb(" + c.join(",") + ")";
        if (dark(c)) el.classList.add("dark");
      } else {
        if (!part) part = dominantPart(n);
        color = (PARTS[part] || PARTS.other).color;
        if (DARK[part]) el.classList.add("dark");
      }
      if (n.hatch) el.classList.add("hatch");
      el.style.backgroundColor = color;
    }
    if (w >= 34 && hh >= 15) el.append(label("lb", n, w, hh >= 30));
  }

  // A name for a box `w` pixels wide: a package path too long for it is
  // cut to its last elements, which tell packages apart.
  function fit(name, w) {
    const room = Math.floor((w - 8) / 6.5);
    if (room < 3) return "";
    if (name.length <= room || name.indexOf("/") < 0) return name;
    const parts = name.split("/");
    let tail = parts.pop();
    while (parts.length && tail.length + parts[parts.length - 1].length + 3 <= room) tail = parts.pop() + "/" + tail;
    return "\u2026/" + tail;
  }

  function label(cls, n, w, twoLines) {
    let size = human(n.size);
    if (n.change) size = signed(n.change.delta);
    return h("div", { class: cls }, [
      h("span", { class: "n", text: fit(n.name, w) }),
      cls === "hd" || twoLines ? h("span", { class: "s", text: size }) : null,
    ]);
  }

  function drawCrumbs() {
    crumbs.textContent = "";
    const chain = [];
    for (let p = view; p; p = p.parent) chain.unshift(p);
    chain.forEach((p, k) => {
      if (k > 0) crumbs.append(h("span", { class: "sep", text: "\u203a" }));
      const text = p.type === "root" ? (diff ? "changed " + data.by + "s" : p.name) + " (" + human(p.size) + ")" : p.name;
      if (p === view) crumbs.append(h("span", { class: "here", text: k === 0 ? text : p.name + " (" + human(p.size) + ")" }));
      else crumbs.append(h("a", { onclick: () => zoom(p), text: text }));
    });
    crumbs.append(
      h("span", {
        class: "hint",
        text: view === tree ? "click a rectangle to zoom in" : "Esc or the path to zoom out",
      }),
    );
  }

  function zoom(n) {
    view = n;
    tip.hidden = true;
    draw();
    const hash = address(n);
    if (hashNow() !== hash) {
      try {
        history.pushState(null, "", "#" + encodeURIComponent(hash));
      } catch (e) {
        // A page that may not change its address still zooms.
      }
    }
  }

  // The address of a view, for links and the back button: the names from
  // the top joined by "|" (`std|net/http`); an "N more" box is its group.
  function address(n) {
    while (n && n.type === "more") n = n.parent;
    return path(n).join("|");
  }
  function hashNow() {
    try {
      return decodeURIComponent(location.hash.slice(1));
    } catch (e) {
      return "";
    }
  }
  function find(hash) {
    let n = tree;
    for (const name of hash ? hash.split("|") : []) {
      const next = (n.children || []).find((c) => c.name === name);
      if (!next || !zoomable(next)) break;
      n = next;
    }
    return n;
  }
  window.addEventListener("popstate", () => {
    view = find(hashNow());
    tip.hidden = true;
    draw();
  });

  map.addEventListener("click", (e) => {
    const el = e.target.closest(".tm");
    if (!el) return;
    let n = nodes[Number(el.getAttribute("data-i"))];
    while (n && !zoomable(n)) n = n.parent;
    if (n && n !== view) zoom(n);
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && view.parent) zoom(view.parent);
  });
  map.addEventListener("mousemove", (e) => {
    const el = e.target.closest(".tm");
    if (!el) {
      tip.hidden = true;
      return;
    }
    const n = nodes[Number(el.getAttribute("data-i"))];
    tip.textContent = "";
    tip.append(...explain(n));
    tip.hidden = false;
    const r = tip.getBoundingClientRect();
    const left = e.clientX + 16 + r.width > window.innerWidth ? e.clientX - 16 - r.width : e.clientX + 16;
    const top = e.clientY + 16 + r.height > window.innerHeight ? e.clientY - 16 - r.height : e.clientY + 16;
    tip.style.left = Math.max(4, left) + "px";
    tip.style.top = Math.max(4, top) + "px";
  });
  map.addEventListener("mouseleave", () => {
    tip.hidden = true;
  });

  function explain(n) {
    const out = [h("div", { class: "t", text: path(n).join(" \u203a ") || n.name })];
    if (n.change) {
      const c = n.change;
      out.push(h("div", { text: human(c.old) + " \u2192 " + human(c.new) + "  (" + signed(c.delta) + (c.old ? ", " + (c.delta > 0 ? "+" : "") + share(c.delta, c.old) : ", new") + ")" }));
      out.push(h("div", { text: exact(c.old) + " \u2192 " + exact(c.new) }));
    } else {
      out.push(h("div", { text: human(n.size) + " \u00b7 " + exact(n.size) + " \u00b7 " + share(n.size, whole) + " of the file" }));
    }
    const what = n.part && n.type === "part" ? PARTS[n.part].what : SYNTHETIC[n.name];
    if (what) out.push(h("div", { class: "d", text: what }));
    if (n.type === "section") {
      const s = n.section;
      out.push(h("div", { class: "d", text: (n.hatch ? "unattributed bytes of section " : "section ") + s.name + " (" + PARTS[s.kind].label + ", " + human(s.size) + " in all)" }));
    }
    if (n.group) {
      const g = n.group;
      const rows = [["text", g.text], ["rodata", g.rodata], ["\u2003of which fn table", g.pclntab || 0], ["data", g.data], ["other", g.other], ["bss (memory only)", g.bss]];
      out.push(
        h("table", null, rows.filter((r) => r[1] > 0).map((r) => h("tr", null, [h("td", { text: r[0] }), h("td", { class: "num", text: human(r[1]) })]))),
      );
    }
    if (n.type === "more") out.push(h("div", { class: "d", text: "too small to draw one by one" }));
    if (zoomable(n) && n !== view) out.push(h("div", { class: "h", text: "click to zoom in" }));
    return out;
  }

  // Redrawn when the treemap's box changes size (the window, zoom).
  let drawnAt = "";
  new ResizeObserver(() => {
    if (drawnAt !== map.clientWidth + "x" + map.clientHeight) draw();
  }).observe(map);

  // ---- tables
  function table(columns, rows, cls) {
    return h("table", { class: "data " + (cls || "") }, [
      h("thead", null, [h("tr", null, columns.map((c) => h("th", { class: c.num ? "num" : "", text: c.label })))]),
      h("tbody", null, rows),
    ]);
  }
  function td(text, cls) {
    return h("td", { class: cls || "", text: text });
  }
  function bytesCell(n) {
    return h("td", { class: "num", title: exact(n), text: human(n) });
  }
  function partial(list, first, make, holder) {
    const body = holder.querySelector("tbody");
    for (const x of list.slice(0, first)) body.append(make(x));
    if (list.length > first) {
      const more = h("button", {
        class: "more",
        text: "Show all " + list.length,
        onclick: () => {
          for (const x of list.slice(first)) body.append(make(x));
          more.remove();
        },
      });
      return more;
    }
    return null;
  }

  // ---- one binary
  function sizePage(r) {
    const title = h("h1", null, [
      r.file || "binary",
      h("span", { class: "sub", text: [r.goVersion || "go?", r.format + " " + r.arch, r.pclntabVersion ? "pclntab " + r.pclntabVersion : ""].filter(Boolean).join(" \u00b7 ") }),
    ]);
    head.append(title);
    const bi = r.buildinfo;
    if (bi) {
      const mainMod = bi.main ? " in module " + bi.main.path + " " + bi.main.version : "";
      head.append(h("div", { class: "built", text: "built from " + bi.path + mainMod + ", with " + bi.deps.length + " dependency modules" }));
    }
    let inFile = 0;
    let attributed = 0;
    let bss = 0;
    for (const s of r.sections) {
      if (s.kind === "bss") bss += s.size;
      else {
        inFile += r.complete ? s.fileSize : s.size;
        attributed += s.attributed;
      }
    }
    const inPackages = sum(r.packages, (p) => p.total);
    const cards = h("div", { class: "cards" }, [
      card("file", human(r.fileSize), exact(r.fileSize)),
      card("in packages", human(inPackages), share(inPackages, r.fileSize) + " of the file"),
      card("unattributed", human(Math.max(0, inFile - attributed - (r.complete ? r.removedByStrip : 0))), "padding, unnamed data, headers"),
      r.complete
        ? card("-s -w removes", human(r.removedByStrip), r.removedByStrip ? share(r.removedByStrip, r.fileSize) + ": symbols and DWARF" : "no symbols or DWARF left")
        : null,
      card("bss", human(bss), "memory only, zeroed at start"),
      card("groups", r.packages.length + " packages", r.modules.length + " modules"),
    ]);
    head.append(cards);
    const notes = [];
    if (r.stripped && !(r.warnings || []).length) notes.push("Stripped (-ldflags=-s): without symbols, data, rodata and bss stay unattributed.");
    if (r.partial) notes.push("PARTIAL: something could not be read, so some bytes are unattributed.");
    for (const w of r.warnings || []) notes.push(w);
    if (notes.length) head.append(h("div", { class: "notes" }, notes.map((t) => h("p", { text: t }))));

    const legend = h("div", { class: "legend" }, [
      ...["text", "rodata", "pclntab", "data", "other", "debug", "symtab", "headers"].map((k) =>
        h("span", { title: PARTS[k].what }, [h("i", { style: "background:" + PARTS[k].color }), PARTS[k].label]),
      ),
      h("span", { title: "bytes of a section no symbol claims" }, [h("i", { class: "", style: "background:#9aa4ae repeating-linear-gradient(135deg, rgba(255,255,255,.55) 0 3px, transparent 3px 6px)" }), "unattributed"]),
    ]);
    main.append(h("div", { class: "bar" }, [crumbs, legend]), map, tip);
    main.append(
      h("p", {
        class: "caption",
        text: "Area is bytes in the file: module \u203a package \u203a kind of section. \u201cfn table\u201d is the package's share of the function table (pclntab); dashed frames and italic names are groups of no package (type:, go:, (pclntab shared), (no package)).",
      }),
    );

    // Sections, file bytes first, then memory only.
    main.append(h("h2", { text: "Sections" }));
    main.append(h("p", { class: "caption", text: "Every section of the file" + (r.complete ? " and its headers: the rows in the file add up to the file's size." : " that is loaded (a report saved by an older heft).") }));
    const secRows = [];
    const fileSecs = r.sections.filter((s) => s.kind !== "bss");
    const memSecs = r.sections.filter((s) => s.kind === "bss");
    for (const [list, what] of [[fileSecs, "in the file"], [memSecs, "in memory only"]]) {
      if (!list.length) continue;
      for (const s of list) {
        secRows.push(
          h("tr", null, [
            h("td", { class: "name" }, [h("i", { class: "sw", style: "background:" + (PARTS[s.kind] || PARTS.other).color }), s.name, s.removedByStrip ? h("span", { class: "badge strip", text: "-s -w" }) : null]),
            td(s.kind),
            bytesCell(s.size),
            bytesCell(s.attributed),
            bytesCell(s.unattributed),
            td(s.source),
          ]),
        );
      }
      const size = sum(list, (s) => s.size);
      const att = sum(list, (s) => s.attributed);
      secRows.push(h("tr", { class: "total" }, [td("= sections"), td(what), bytesCell(size), bytesCell(att), bytesCell(size - att), td("")]));
    }
    main.append(
      table(
        [{ label: "section" }, { label: "kind" }, { label: "size", num: true }, { label: "attributed", num: true }, { label: "unattributed", num: true }, { label: "from" }],
        secRows,
      ),
    );
    if (r.complete) main.append(h("p", { class: "caption", text: "-ldflags=\"-s -w\" would remove " + human(r.removedByStrip) + " (" + exact(r.removedByStrip) + "): the sections marked -s -w." }));

    for (const [list, what] of [[r.modules, "Modules"], [r.packages, "Packages"]]) {
      main.append(h("h2", { text: what }));
      const byModule = what === "Packages";
      const t = table(
        [{ label: byModule ? "package" : "module" }, byModule ? { label: "module" } : null, { label: "in file", num: true }, { label: "share", num: true }, { label: "text", num: true }, { label: "rodata", num: true }, { label: "fn table", num: true }, { label: "data", num: true }, { label: "bss", num: true }].filter(Boolean),
        [],
      );
      const make = (g) =>
        h(
          "tr",
          { title: SYNTHETIC[g.name] || null },
          [
            td(g.name, "name" + (synthetic(g.name) ? " syn" : "")),
            byModule ? td(g.module || "", "name") : null,
            bytesCell(g.total),
            td(share(g.total, r.fileSize), "num"),
            bytesCell(g.text),
            bytesCell(g.rodata),
            bytesCell(g.pclntab || 0),
            bytesCell(g.data),
            bytesCell(g.bss),
          ].filter(Boolean),
        );
      const more = partial(list, 100, make, t);
      main.append(t);
      if (more) main.append(more);
    }
    if (bi) {
      const rows = [];
      if (bi.main) rows.push(h("tr", null, [td(bi.main.path, "name"), td(bi.main.version), td("main module")]));
      for (const d of bi.deps) rows.push(h("tr", null, [td(d.path, "name"), td(d.version), td(d.replace ? "replaced by " + (d.replace.path || "") + " " + (d.replace.version || "") : "")]));
      const settings = Object.entries(bi.settings || {}).filter((kv) => kv[1] !== "");
      main.append(
        h("details", null, [
          h("summary", { text: "Build information: " + bi.deps.length + " dependency modules, " + settings.length + " build settings" }),
          table([{ label: "module" }, { label: "version" }, { label: "" }], rows),
          table([{ label: "setting" }, { label: "value" }], settings.map((kv) => h("tr", null, [td(kv[0]), td(kv[1], "name")]))),
        ]),
      );
    }
  }

  // ---- two binaries
  function diffPage(d) {
    const f = d.fileSize;
    head.append(h("h1", null, [d.old + " \u2192 " + d.new, h("span", { class: "sub", text: "size by " + d.by }) ]));
    const grown = d.groups.filter((g) => g.delta > 0);
    const shrunk = d.groups.filter((g) => g.delta < 0);
    const added = d.groups.filter((g) => g.old === 0).length;
    const removed = d.groups.filter((g) => g.new === 0).length;
    head.append(
      h("div", { class: "cards" }, [
        card("file", human(f.old) + " \u2192 " + human(f.new), exact(f.old) + " \u2192 " + exact(f.new)),
        card("change", signed(f.delta), f.old ? (f.delta > 0 ? "+" : "") + share(f.delta, f.old) : "", f.delta > 0 ? "grow" : f.delta < 0 ? "shrink" : ""),
        card(d.by + "s grown", String(grown.length), signed(sum(grown, (g) => g.delta)) + (added ? ", " + added + " new" : ""), "grow"),
        card(d.by + "s shrunk", String(shrunk.length), signed(sum(shrunk, (g) => g.delta)) + (removed ? ", " + removed + " gone" : ""), "shrink"),
      ]),
    );
    const legend = h("div", { class: "legend" }, [
      h("span", null, ["shrunk ", h("i", { class: "ramp" }), " grown"]),
      h("span", null, [h("i", { style: "background:#1a7837" }), "gone"]),
      h("span", null, [h("i", { style: "background:#b2182b" }), "new"]),
    ]);
    main.append(h("div", { class: "bar" }, [crumbs, legend]), map, tip);
    main.append(h("p", { class: "caption", text: "The " + d.by + "s whose bytes changed; area is the larger of the old and new size, colour the change relative to it. Unchanged " + d.by + "s are not in the diff." }));

    main.append(h("h2", { text: "Sections that changed" }));
    const max = Math.max(1, ...d.sections.map((s) => Math.abs(s.delta)), ...d.groups.map((g) => Math.abs(g.delta)));
    const row = (x, syn) =>
      h("tr", null, [
        td(x.name, "name" + (syn && synthetic(x.name) ? " syn" : "")),
        bytesCell(x.old),
        bytesCell(x.new),
        h("td", { class: "num " + (x.delta > 0 ? "grow" : "shrink"), title: (x.delta > 0 ? "+" : "") + x.delta.toLocaleString("en-US") + " bytes", text: signed(x.delta) }),
        td(x.old ? (x.delta > 0 ? "+" : "") + share(x.delta, x.old) : "new", "num"),
        h("td", null, [dbar(x.delta, max)]),
      ]);
    const cols = (what) => [{ label: what }, { label: "old", num: true }, { label: "new", num: true }, { label: "change", num: true }, { label: "", num: true }, { label: "" }];
    main.append(table(cols("section"), d.sections.map((s) => row(s, false))));
    main.append(h("h2", { text: d.by[0].toUpperCase() + d.by.slice(1) + "s that changed" }));
    main.append(h("p", { class: "caption", text: "Bytes in the file, largest change first." }));
    const t = table(cols(d.by), []);
    const more = partial(d.groups, 100, (g) => row(g, true), t);
    main.append(t);
    if (more) main.append(more);
  }
  function dbar(delta, max) {
    const w = (50 * Math.abs(delta)) / max;
    const style = delta > 0 ? "left:50%;width:" + w + "%;background:var(--grow)" : "right:50%;width:" + w + "%;background:var(--shrink)";
    return h("div", { class: "dbar" }, [h("span", { class: "axis" }), h("i", { style: style })]);
  }

  if (diff) diffPage(data);
  else sizePage(data);
  view = find(hashNow());
  draw();
})();
