/* report-gen: sorting, filtering, paging and details of the tier tables.
   The page is complete without this script (all rows shown); with it, only
   one page of rows is in the document at a time, so tables with thousands
   of variants stay responsive. */
(function () {
  'use strict';

  var tables = [];

  function sortKey(entry, column, numeric) {
    var cache = entry.keys || (entry.keys = {});
    if (column in cache) {
      return cache[column];
    }
    var cell = entry.row.cells[column];
    var raw = cell ? (cell.hasAttribute('data-value') ? cell.getAttribute('data-value') : cell.textContent) : '';
    var key;
    if (numeric) {
      key = parseFloat(raw);
      if (isNaN(key)) {
        key = -Infinity;
      }
    } else {
      key = raw.trim().toLowerCase();
    }
    cache[column] = key;
    return key;
  }

  function VariantTable(section) {
    var self = this;
    var table = section.querySelector('table.variants');
    var tools = section.querySelector('.table-tools');
    var pager = section.querySelector('.pager');
    this.tbody = table.tBodies[0];
    this.columns = table.tHead.rows[0].cells.length;
    this.filterInput = tools.querySelector('input.filter');
    this.sizeSelect = tools.querySelector('select.page-size');
    this.status = tools.querySelector('.status');
    this.pager = pager;
    this.headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    this.entries = [];
    this.byId = {};
    Array.prototype.forEach.call(this.tbody.querySelectorAll('tr.variant-row'), function (row, index) {
      var entry = { row: row, detail: document.getElementById(row.id + '-detail'), index: index, text: null };
      self.entries.push(entry);
      self.byId[row.id] = entry;
    });
    this.state = {
      filter: '',
      page: 0,
      pageSize: parseInt(table.getAttribute('data-page-size'), 10) || 50,
      sortColumn: -1,
      sortDirection: 1
    };
    this.visible = this.entries.slice();

    this.prev = document.createElement('button');
    this.prev.type = 'button';
    this.prev.textContent = '\u2039 Previous';
    this.next = document.createElement('button');
    this.next.type = 'button';
    this.next.textContent = 'Next \u203a';
    this.pageLabel = document.createElement('span');
    pager.appendChild(this.prev);
    pager.appendChild(this.pageLabel);
    pager.appendChild(this.next);
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
    this.headers.forEach(function (th, column) {
      var type = th.getAttribute('data-sort');
      if (!type) {
        return;
      }
      th.tabIndex = 0;
      th.setAttribute('aria-sort', 'none');
      var sort = function () { self.sortBy(column, type === 'num'); };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          sort();
        }
      });
    });
    this.tbody.addEventListener('click', function (event) {
      var target = event.target;
      if (target.closest('a, input, select')) {
        return;
      }
      var row = target.closest('tr.variant-row');
      if (row && self.byId[row.id]) {
        self.toggle(self.byId[row.id]);
      }
    });

    tools.hidden = false;
    this.apply();
  }

  VariantTable.prototype.textOf = function (entry) {
    if (entry.text === null) {
      entry.text = entry.row.textContent.toLowerCase();
    }
    return entry.text;
  };

  VariantTable.prototype.apply = function () {
    var self = this;
    var query = this.state.filter;
    this.visible = query ? this.entries.filter(function (e) { return self.textOf(e).indexOf(query) !== -1; }) : this.entries.slice();
    if (this.state.sortColumn >= 0) {
      var column = this.state.sortColumn;
      var numeric = this.state.sortNumeric;
      var direction = this.state.sortDirection;
      this.visible.sort(function (a, b) {
        var x = sortKey(a, column, numeric);
        var y = sortKey(b, column, numeric);
        if (x < y) { return -direction; }
        if (x > y) { return direction; }
        return a.index - b.index;
      });
    }
    this.render();
  };

  VariantTable.prototype.sortBy = function (column, numeric) {
    if (this.state.sortColumn === column) {
      this.state.sortDirection = -this.state.sortDirection;
    } else {
      this.state.sortColumn = column;
      this.state.sortNumeric = numeric;
      // Numbers (VAF, depth) read best largest first.
      this.state.sortDirection = numeric ? -1 : 1;
    }
    var direction = this.state.sortDirection;
    this.headers.forEach(function (th, i) {
      if (th.hasAttribute('data-sort')) {
        th.setAttribute('aria-sort', i === column ? (direction > 0 ? 'ascending' : 'descending') : 'none');
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
      fragment.appendChild(this.visible[i].row);
      if (this.visible[i].detail) {
        fragment.appendChild(this.visible[i].detail);
      }
    }
    if (total === 0) {
      var row = document.createElement('tr');
      var cell = document.createElement('td');
      cell.colSpan = this.columns;
      cell.className = 'empty';
      cell.textContent = 'No variants match the filter.';
      row.appendChild(cell);
      fragment.appendChild(row);
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
    if (!entry.detail) {
      return;
    }
    var show = typeof open === 'boolean' ? open : entry.detail.hidden;
    entry.detail.hidden = !show;
    entry.row.classList.toggle('open', show);
    var button = entry.row.querySelector('button.expand');
    if (button) {
      button.setAttribute('aria-expanded', show ? 'true' : 'false');
      button.textContent = show ? '\u2212' : '+';
      button.title = show ? 'Hide details' : 'Show details';
    }
  };

  /* Brings a variant (e.g. a key finding's link target) onto the page,
     opens its details and scrolls to it. */
  VariantTable.prototype.reveal = function (entry) {
    var position = this.visible.indexOf(entry);
    if (position < 0) {
      this.filterInput.value = '';
      this.state.filter = '';
      this.apply();
      position = this.visible.indexOf(entry);
    }
    if (this.state.pageSize > 0) {
      this.state.page = Math.floor(position / this.state.pageSize);
    }
    this.render();
    this.toggle(entry, true);
    entry.row.scrollIntoView({ block: 'start' });
  };

  function revealHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) {
      return;
    }
    for (var i = 0; i < tables.length; i++) {
      var entry = tables[i].byId[id];
      if (entry) {
        tables[i].reveal(entry);
        return;
      }
    }
  }

  /* Print every row of every table, then restore the pages. */
  var savedSizes = null;
  window.addEventListener('beforeprint', function () {
    savedSizes = tables.map(function (t) { return t.state.pageSize; });
    tables.forEach(function (t) { t.state.pageSize = 0; t.render(); });
  });
  window.addEventListener('afterprint', function () {
    if (savedSizes) {
      tables.forEach(function (t, i) { t.state.pageSize = savedSizes[i]; t.render(); });
      savedSizes = null;
    }
  });

  Array.prototype.forEach.call(document.querySelectorAll('section.tier-section'), function (section) {
    if (section.querySelector('table.variants')) {
      tables.push(new VariantTable(section));
    }
  });
  window.addEventListener('hashchange', revealHash);
  // A link to the variant already in the address bar fires no hashchange.
  document.addEventListener('click', function (event) {
    var link = event.target.closest('a.jump');
    if (link && link.getAttribute('href') === window.location.hash) {
      revealHash();
    }
  });
  revealHash();
  document.documentElement.setAttribute('data-report-ready', 'true');
})();
