/* report-gen: the tier tables. The variants arrive as JSON
   (script#variant-data); only the rows of the current page are in the
   document, and a variant's details are built when first opened, so tables
   with thousands of variants stay responsive. Every text goes in through
   text nodes, never as markup, and links only to http(s) URLs. */
(function () {
  'use strict';

  var SAFE_URL = /^https?:\/\//i;
  var DASH = '\u2014';
  var COLUMNS = 11;
  var NUMERIC = { vaf: true, depth: true };
  var tables = [];

  function present(value) {
    return value !== null && value !== undefined && value !== '' &&
      !(Array.isArray(value) && value.length === 0);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (present(text)) {
      node.textContent = String(text);
    }
    return node;
  }

  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) {
        continue;
      }
      parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return parent;
  }

  function orDash(value) {
    return present(value) ? String(value) : DASH;
  }

  function pct(vaf) {
    return (vaf * 100).toFixed(1) + '%';
  }

  function link(source, className) {
    if (source.url && SAFE_URL.test(source.url)) {
      var a = el('a', className || '', source.label);
      a.href = source.url;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
      return a;
    }
    return el('span', className || '', source.label);
  }

  function links(sources, separator) {
    var span = el('span');
    sources.forEach(function (source, i) {
      if (i > 0 && separator) {
        add(span, separator);
      }
      add(span, link(source, separator ? '' : 'src'));
    });
    return span;
  }

  function tierBadge(tier, level) {
    var label = tier === 'unclassified' ? 'No tier'
      : tier === 'likely_germline' ? 'Likely germline' : 'Tier ' + tier;
    var badge = el('span', 'badge tier-' + tier, label);
    if (level) {
      add(badge, el('span', 'badge-level', level));
    }
    return badge;
  }

  function criteriaCall(call) {
    var span = el('span');
    add(span, el('span', 'call', call.class));
    if (call.points !== null && call.points !== undefined) {
      add(span, ' ', el('span', 'muted', '(' + call.points + ' points)'));
    }
    if (call.criteria.length) {
      var chips = el('span', 'chips');
      call.criteria.forEach(function (c) {
        var chip = el('span', 'chip', c.code);
        if (c.strength) {
          add(chip, el('small', '', c.strength));
        }
        if (c.points !== null && c.points !== undefined) {
          add(chip, el('small', '', (c.points > 0 ? '+' : '') + c.points));
        }
        add(chips, chip);
      });
      add(span, chips);
    }
    return span;
  }

  function cell(text, className, title) {
    var td = el('td', className, orDash(text));
    if (title) {
      td.title = title;
    }
    return td;
  }

  function renderRow(entry) {
    var d = entry.data;
    var tr = el('tr', 'variant-row');
    tr.id = d.id;
    var button = el('button', 'expand', '+');
    button.type = 'button';
    button.title = 'Show details';
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', d.id + '-detail');
    var level = el('td');
    add(level, d.level ? el('span', 'level level-' + d.level, d.level) : DASH);
    var sources = el('td', 'sources');
    d.sources.forEach(function (s) { add(sources, link(s, 'src')); });
    add(tr,
      add(el('td', 'narrow'), button),
      cell(d.gene, 'gene'),
      cell(d.locus, 'mono small'),
      cell(d.hgvsc, 'mono', d.transcript),
      cell(d.hgvsp, 'mono'),
      cell(d.consequence, 'small'),
      cell(present(d.vaf) ? pct(d.vaf) : null, 'num'),
      cell(d.depth, 'num'),
      level,
      cell(d.therapies.join(', '), 'small'),
      sources);
    if (present(d.germline)) {
      add(tr, cell(d.germline, 'small germline-why'));
    }
    return tr;
  }

  function definition(dl, term, value, className) {
    if (!present(value)) {
      return;
    }
    var dd = el('dd', className);
    add(dd, typeof value === 'string' ? value : value);
    add(dl, el('dt', '', term), dd);
  }

  function table(headers, rows) {
    var t = el('table', 'inner');
    var head = el('tr');
    headers.forEach(function (h) {
      var th = el('th', h.num ? 'num' : '', h.label || h);
      add(head, th);
    });
    add(t, add(el('thead'), head));
    var body = el('tbody');
    rows.forEach(function (cells) {
      var tr = el('tr', cells.className || '');
      cells.forEach(function (c) {
        add(tr, c);
      });
      add(body, tr);
    });
    return add(t, body);
  }

  function nodeCell(className) {
    var td = el('td', className);
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === '') {
        continue;
      }
      add(td, child);
    }
    if (!td.firstChild) {
      add(td, DASH);
    }
    return td;
  }

  function renderDetail(entry) {
    var d = entry.data;
    var x = d.detail;
    var tr = el('tr', 'detail-row');
    tr.id = d.id + '-detail';
    var td = el('td');
    td.colSpan = COLUMNS;
    var box = el('div', 'detail');

    var grid = el('div', 'detail-grid');
    var left = el('dl');
    definition(left, 'Allele', d.locus, 'mono');
    definition(left, 'IDs', x.ids.join(', '));
    definition(left, 'FILTER', (x.filters.join(', ') || DASH) + (present(x.qual) ? ' \u00b7 QUAL ' + x.qual : ''));
    definition(left, 'Normalisation', x.flags.join(', '));
    definition(left, 'Input record', x.original, 'mono');
    definition(left, 'Transcript', d.transcript, 'mono');
    var right = el('dl');
    if (x.likely_germline) {
      definition(right, 'Likely germline', x.likely_germline.reason, 'germline-why');
      definition(right, 'AMP/ASCO/CAP if somatic', tierBadge(x.tier, d.level));
    } else {
      definition(right, 'AMP/ASCO/CAP', tierBadge(x.tier, d.level));
    }
    if (x.oncogenicity) {
      definition(right, 'Oncogenicity', criteriaCall(x.oncogenicity));
    }
    if (x.acmg) {
      definition(right, 'ACMG/AMP', criteriaCall(x.acmg));
    }
    definition(right, 'KB evidence levels', x.evidence_levels.join(', '));
    add(box, add(grid, left, right));

    add(box, el('h4', '', 'Rule trace'));
    if (x.trace.length) {
      var ol = el('ol', 'trace');
      x.trace.forEach(function (f) {
        var li = el('li');
        add(li, el('code', '', f.rule_id), ' ', f.explanation, ' ',
          el('span', 'muted small', f.rules_file + (f.citation ? ' \u00b7 ' + f.citation : '')));
        if (f.evidence.length) {
          add(li, ' ', add(el('span', 'small'), links(f.evidence, ', ')));
        }
        add(ol, li);
      });
      add(box, ol);
    } else {
      add(box, el('p', 'muted small', 'No rule fired for this variant.'));
    }

    if (x.evidence.length) {
      add(box, el('h4', '', 'Knowledge-base evidence'));
      add(box, table(
        ['Source', 'Match', 'Significance', 'Type \u00b7 level', 'Therapies', 'Disease', 'Publications', 'Notes'],
        x.evidence.map(function (e) {
          var notes = [];
          if (present(e.review_stars)) {
            var stars = Math.max(0, Math.min(4, e.review_stars));
            var s = el('span', 'stars', '\u2605'.repeat(stars) + '\u2606'.repeat(4 - stars));
            if (e.review_status) {
              s.title = e.review_status;
            }
            notes.push(s, ' ');
          }
          if (e.population) {
            notes.push(e.population + ' ');
          }
          if (present(e.hotspot_count)) {
            notes.push(e.hotspot_count + ' tumours ');
          }
          if (e.description) {
            notes.push(e.description);
          }
          var typeLevel = el('span', '', orDash(e.evidence_type));
          if (e.evidence_level) {
            add(typeLevel, ' \u00b7 ', el('strong', '', e.evidence_level));
          }
          return [
            nodeCell('', link(e.record), e.source_version ? el('br') : null,
              e.source_version ? el('span', 'muted small', e.source_version) : null),
            nodeCell('', e.match_level, e.matched_term ? el('br') : null,
              e.matched_term ? el('span', 'small', e.matched_term) : null,
              e.other_transcript ? el('br') : null,
              e.other_transcript ? el('span', 'small warn', 'other transcript ' + e.other_transcript) : null),
            nodeCell('', orDash(e.significance), e.direction ? el('br') : null,
              e.direction ? el('span', 'muted small', e.direction) : null),
            nodeCell('', typeLevel),
            cell(e.therapies.join(', ')),
            cell(e.disease),
            nodeCell('', e.publications.length ? links(e.publications, ', ') : null),
            nodeCell.apply(null, ['small'].concat(notes))
          ];
        })));
    }

    if (x.calls.length) {
      add(box, el('h4', '', 'Samples'));
      add(box, table(
        ['Sample', 'Role', 'Genotype', { label: 'Alt reads', num: true }, { label: 'Depth', num: true }, { label: 'VAF', num: true }],
        x.calls.map(function (c) {
          return [cell(c.sample), cell(c.role), cell(c.genotype, 'mono'), cell(c.alt_depth, 'num'),
            cell(c.total_depth, 'num'), cell(present(c.vaf) ? pct(c.vaf) : null, 'num')];
        })));
    }

    if (x.transcripts.length) {
      add(box, el('h4', '', 'Transcripts'));
      add(box, table(
        ['Transcript', 'Gene', 'Consequence', 'Impact', 'HGVSc', 'HGVSp', 'Tags'],
        x.transcripts.map(function (t) {
          var tags = [];
          if (t.picked) {
            tags.push(el('span', 'tag', 'picked'), ' ');
          }
          if (t.mane_select) {
            tags.push(el('span', 'tag', 'MANE ' + t.mane_select), ' ');
          }
          if (t.canonical) {
            tags.push(el('span', 'tag', 'canonical'));
          }
          var cells = [cell(t.feature, 'mono'), cell(t.gene), cell(t.consequence, 'small'), cell(t.impact),
            cell(t.hgvsc, 'mono small'), cell(t.hgvsp, 'mono small'), nodeCell.apply(null, ['small'].concat(tags))];
          cells.className = t.picked ? 'picked' : '';
          return cells;
        })));
    }

    add(td, box);
    return add(tr, td);
  }

  function VariantTable(section, rows) {
    var self = this;
    var tableNode = section.querySelector('table.variants');
    var tools = section.querySelector('.table-tools');
    this.tbody = tableNode.tBodies[0];
    this.pager = section.querySelector('.pager');
    this.filterInput = tools.querySelector('input.filter');
    this.sizeSelect = tools.querySelector('select.page-size');
    this.status = tools.querySelector('.status');
    this.headers = Array.prototype.slice.call(tableNode.tHead.rows[0].cells);
    this.entries = rows.map(function (data, index) {
      return { data: data, index: index, row: null, detail: null, text: null };
    });
    this.byId = {};
    this.entries.forEach(function (entry) { self.byId[entry.data.id] = entry; });
    this.state = {
      filter: '',
      page: 0,
      pageSize: parseInt(tableNode.getAttribute('data-page-size'), 10) || 50,
      sortKey: null,
      sortDirection: 1
    };
    this.visible = this.entries.slice();

    this.prev = el('button', '', '\u2039 Previous');
    this.prev.type = 'button';
    this.next = el('button', '', 'Next \u203a');
    this.next.type = 'button';
    this.pageLabel = el('span');
    add(this.pager, this.prev, this.pageLabel, this.next);
    this.prev.addEventListener('click', function () { self.goTo(self.state.page - 1); });
    this.next.addEventListener('click', function () { self.goTo(self.state.page + 1); });

    this.filterInput.addEventListener('input', function () {
      self.state.filter = self.filterInput.value.trim().toLowerCase();
      self.state.page = 0;
      self.apply();
    });
    this.sizeSelect.addEventListener('change', function () {
      self.state.pageSize = parseInt(self.sizeSelect.value, 10) || 0;
      self.state.page = 0;
      self.render();
    });
    this.headers.forEach(function (th) {
      var key = th.getAttribute('data-sort');
      if (!key) {
        return;
      }
      th.tabIndex = 0;
      th.setAttribute('aria-sort', 'none');
      var sort = function () { self.sortBy(key); };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          sort();
        }
      });
    });
    this.tbody.addEventListener('click', function (event) {
      if (event.target.closest('a, input, select')) {
        return;
      }
      var row = event.target.closest('tr.variant-row');
      if (row && self.byId[row.id]) {
        self.toggle(self.byId[row.id]);
      }
    });

    tools.hidden = false;
    this.apply();
  }

  VariantTable.prototype.textOf = function (entry) {
    if (entry.text === null) {
      var d = entry.data;
      entry.text = [d.gene, d.locus, d.transcript, d.hgvsc, d.hgvsp, d.consequence, d.level, d.germline,
        d.therapies.join(' '), d.sources.map(function (s) { return s.label; }).join(' ')]
        .filter(present).join(' ').toLowerCase();
    }
    return entry.text;
  };

  function sortValue(entry, key) {
    var value = entry.data[key];
    if (NUMERIC[key]) {
      return present(value) ? value : -Infinity;
    }
    if (Array.isArray(value)) {
      value = value.join(', ');
    }
    // Empty cells sort last in ascending order.
    return present(value) ? String(value).toLowerCase() : '\uffff';
  }

  VariantTable.prototype.apply = function () {
    var self = this;
    var query = this.state.filter;
    this.visible = query ? this.entries.filter(function (e) { return self.textOf(e).indexOf(query) !== -1; }) : this.entries.slice();
    var key = this.state.sortKey;
    if (key) {
      var direction = this.state.sortDirection;
      this.visible.sort(function (a, b) {
        var x = sortValue(a, key);
        var y = sortValue(b, key);
        if (x < y) { return -direction; }
        if (x > y) { return direction; }
        return a.index - b.index;
      });
    }
    this.render();
  };

  VariantTable.prototype.sortBy = function (key) {
    if (this.state.sortKey === key) {
      this.state.sortDirection = -this.state.sortDirection;
    } else {
      this.state.sortKey = key;
      // Numbers (VAF, depth) read best largest first.
      this.state.sortDirection = NUMERIC[key] ? -1 : 1;
    }
    var direction = this.state.sortDirection;
    this.headers.forEach(function (th) {
      if (th.hasAttribute('data-sort')) {
        th.setAttribute('aria-sort', th.getAttribute('data-sort') === key ? (direction > 0 ? 'ascending' : 'descending') : 'none');
      }
    });
    this.state.page = 0;
    this.apply();
  };

  VariantTable.prototype.pageCount = function () {
    var size = this.state.pageSize;
    return size > 0 ? Math.max(1, Math.ceil(this.visible.length / size)) : 1;
  };

  VariantTable.prototype.goTo = function (page) {
    this.state.page = Math.max(0, Math.min(page, this.pageCount() - 1));
    this.render();
  };

  VariantTable.prototype.render = function () {
    var total = this.visible.length;
    var size = this.state.pageSize > 0 ? this.state.pageSize : Math.max(total, 1);
    var pages = this.pageCount();
    if (this.state.page >= pages) {
      this.state.page = pages - 1;
    }
    var start = this.state.page * size;
    var end = Math.min(total, start + size);
    var fragment = document.createDocumentFragment();
    for (var i = start; i < end; i++) {
      var entry = this.visible[i];
      if (!entry.row) {
        entry.row = renderRow(entry);
      }
      fragment.appendChild(entry.row);
      if (entry.detail) {
        fragment.appendChild(entry.detail);
      }
    }
    if (total === 0) {
      var none = el('td', 'empty', 'No variants match the filter.');
      none.colSpan = COLUMNS;
      fragment.appendChild(add(el('tr'), none));
    }
    this.tbody.textContent = '';
    this.tbody.appendChild(fragment);
    var shown = total === 0 ? 'No matching variants' : 'Showing ' + (start + 1) + '\u2013' + end + ' of ' + total;
    if (total !== this.entries.length) {
      shown += ' (filtered from ' + this.entries.length + ')';
    }
    this.status.textContent = shown;
    this.pager.hidden = pages <= 1;
    this.prev.disabled = this.state.page === 0;
    this.next.disabled = this.state.page >= pages - 1;
    this.pageLabel.textContent = 'Page ' + (this.state.page + 1) + ' of ' + pages;
  };

  VariantTable.prototype.toggle = function (entry, open) {
    var show = typeof open === 'boolean' ? open : !(entry.detail && !entry.detail.hidden);
    if (show && !entry.detail) {
      entry.detail = renderDetail(entry);
      if (entry.row && entry.row.parentNode) {
        entry.row.parentNode.insertBefore(entry.detail, entry.row.nextSibling);
      }
    }
    if (entry.detail) {
      entry.detail.hidden = !show;
    }
    if (entry.row) {
      entry.row.classList.toggle('open', show);
      var button = entry.row.querySelector('button.expand');
      button.setAttribute('aria-expanded', show ? 'true' : 'false');
      button.textContent = show ? '\u2212' : '+';
      button.title = show ? 'Hide details' : 'Show details';
    }
  };

  /* Brings a variant (a key finding's link target) onto the page, opens
     its details and scrolls to it. */
  VariantTable.prototype.reveal = function (entry) {
    if (this.visible.indexOf(entry) < 0) {
      this.filterInput.value = '';
      this.state.filter = '';
      this.apply();
    }
    var position = this.visible.indexOf(entry);
    if (this.state.pageSize > 0) {
      this.state.page = Math.floor(position / this.state.pageSize);
    }
    this.render();
    this.toggle(entry, true);
    entry.row.scrollIntoView({ block: 'start' });
  };

  function revealHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    for (var i = 0; id && i < tables.length; i++) {
      var entry = tables[i].byId[id];
      if (entry) {
        tables[i].reveal(entry);
        return;
      }
    }
  }

  /* Print every row, with the details of Tier I and II, then restore. */
  var printState = null;
  window.addEventListener('beforeprint', function () {
    printState = tables.map(function (t) { return t.state.pageSize; });
    tables.forEach(function (t) {
      t.state.pageSize = 0;
      t.render();
      if (t.tier === 'I' || t.tier === 'II') {
        t.visible.forEach(function (entry) { t.toggle(entry, true); });
      }
    });
  });
  window.addEventListener('afterprint', function () {
    if (printState) {
      tables.forEach(function (t, i) { t.state.pageSize = printState[i]; t.render(); });
      printState = null;
    }
  });

  var dataNode = document.getElementById('variant-data');
  if (dataNode) {
    var data = JSON.parse(dataNode.textContent);
    var rowsByTier = {};
    data.tiers.forEach(function (t) { rowsByTier[t.tier] = t.rows; });
    Array.prototype.forEach.call(document.querySelectorAll('table.variants'), function (node) {
      var tier = node.getAttribute('data-tier');
      var table = new VariantTable(node.closest('section'), rowsByTier[tier] || []);
      table.tier = tier;
      tables.push(table);
    });
  }
  window.addEventListener('hashchange', revealHash);
  // A link to the variant already in the address bar fires no hashchange.
  document.addEventListener('click', function (event) {
    var target = event.target.closest('a.jump');
    if (target && target.getAttribute('href') === window.location.hash) {
      revealHash();
    }
  });
  revealHash();
  document.documentElement.setAttribute('data-report-ready', 'true');
})();
