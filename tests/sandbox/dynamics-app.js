// Sandbox Dynamics 365 model-driven app (see tests/sandbox/dynamics.ts for what it reproduces).
// Switches in the query string: ?sandboxDelay=<ms> (form data load delay, default random
// 100–400 ms), ?sandboxFields=never (the form never loads), ?sandboxHeader=<layout> (how the
// form header shows its fields, see `headerFields`; default: named items in the light DOM).
// `window.__sandbox.navigate(url)` navigates in place, as the app's own links do.
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('sandbox-data').textContent);
  var BY_ID = new Map(
    DATA.leads.map(function (l) {
      return [l.id, l];
    }),
  );
  var PAGE = 30;
  var settings = { delayMs: typeof DATA.fieldDelayMs === 'number' ? DATA.fieldDelayMs : null, fields: 'render', header: '' };
  var main = document.getElementById('mainContent');
  var seq = 0;

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      if (attrs[k] == null) continue;
      if (k === 'text') el.textContent = attrs[k];
      else if (k === 'className') el.className = attrs[k];
      else el.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) {
      if (c) el.appendChild(c);
    });
    return el;
  }
  function delay() {
    return settings.delayMs != null ? settings.delayMs : 100 + Math.floor(Math.random() * 301);
  }
  function applyQuery(q) {
    if (q.has('sandboxDelay')) settings.delayMs = Number(q.get('sandboxDelay'));
    if (q.has('sandboxFields')) settings.fields = q.get('sandboxFields') === 'never' ? 'never' : 'render';
    if (q.has('sandboxHeader')) settings.header = q.get('sandboxHeader');
  }
  function recordHref(id) {
    return '/main.aspx?appid=' + DATA.appId + '&pagetype=entityrecord&etn=lead&id=' + id;
  }

  // ---------------------------------------------------------------- form

  /** A text control: the value lives in the input (its `value` property), not in text nodes. */
  function textField(name, label, value, kind) {
    var input = h('input', { type: 'text', 'aria-label': label, 'data-id': name + '.fieldControl-' + (kind || 'text-box-text') });
    input.value = value;
    return fieldItem(name, label, input);
  }
  /** A choice (option set): a Fluent combobox button showing the chosen label; `---` when none. */
  function choiceField(name, label, value) {
    return fieldItem(
      name,
      label,
      h('button', {
        type: 'button',
        role: 'combobox',
        'aria-expanded': 'false',
        'aria-label': label,
        title: value || '---',
        'data-id': name + '.fieldControl-option-set-select',
        text: value || '---',
      }),
    );
  }
  function fieldItem(name, label, control) {
    return h('div', { className: 'field', 'data-id': name + '-FieldSectionItemContainer', 'data-lp-id': 'MscrmControls.Containers.FieldSectionItem|' + name + '|lead' }, [
      h('label', { id: 'id-lead-' + name + '-field-label', text: label }),
      control,
    ]);
  }
  function headerItem(name, label, valueNode) {
    return h('div', { className: 'header-item', 'data-id': 'header_' + name }, [h('div', { className: 'value' }, [valueNode]), h('div', { className: 'label', text: label })]);
  }
  /** An open shadow root on `host` holding `children` (what Chromium's web components render). */
  function shadow(host, children, css) {
    var root = host.attachShadow({ mode: 'open' });
    if (css) root.appendChild(h('style', { text: css }));
    children.forEach(function (c) {
      root.appendChild(c);
    });
    return host;
  }
  /**
   * The header's fields in one of the layouts real forms have:
   * - '' (default): named items `[data-id="header_<name>"]` in the light DOM;
   * - 'uci': the always-visible header of current forms: `uci-header-control-list` and its
   *   `uci-header-control-list-item[data-name="header_<name>"]` behind open shadow roots, value
   *   and label slotted in as light children;
   * - 'uci-light': the same elements without shadow roots (as a synthetic-shadow polyfill renders);
   * - 'unnamed': older header lists: items with no name, only the label says which field;
   * - 'unnamed-shadow': unnamed `uci-header-control-list-item`s behind open shadow roots;
   * - 'popout': no fields in the header, only its overflow button and the pop-out the user
   *   expanded, where the fields are `[data-id="header_<name>"]`.
   */
  function headerFields(lead) {
    var items = [
      ['leadsourcecode', 'リード ソース', lead.leadsourcecode, 'option-set-select'],
      ['statuscode', 'ステータス理由', lead.statuscode, 'option-set-select'],
      ['ownerid', '所有者', lead.owner, 'LookupResultsDropdown_ownerid_selected_tag_text'],
    ];
    var mode = settings.header;
    var named = function () {
      return items.map(function (it) {
        return headerItem(it[0], it[1], h('div', { 'data-id': 'header_' + it[0] + '.fieldControl-' + it[3], text: it[2] }));
      });
    };
    if (mode === 'popout') {
      return h('div', { className: 'header-popout' }, [
        h('button', { type: 'button', 'data-id': 'header_overflowButton', 'aria-expanded': 'true', 'aria-label': 'その他のヘッダー編集可能フィールド', text: '⌄' }),
        h('div', { 'data-id': 'headerFieldsFlyout', role: 'dialog', 'aria-label': 'ヘッダー フィールド' }, named()),
      ]);
    }
    if (mode === 'unnamed') {
      return h(
        'div',
        { className: 'header-list' },
        items.map(function (it) {
          return h('div', { className: 'header-item' }, [h('div', { className: 'value', text: it[2] }), h('div', { className: 'label', text: it[1] })]);
        }),
      );
    }
    if (mode === 'uci' || mode === 'uci-light' || mode === 'unnamed-shadow') {
      var inShadow = mode !== 'uci-light';
      var list = h('uci-header-control-list', { 'data-id': mode === 'unnamed-shadow' ? null : 'headerControlsList' });
      var children = items.map(function (it) {
        var item = h('uci-header-control-list-item', { 'data-name': mode === 'unnamed-shadow' ? null : 'header_' + it[0] }, [
          h('div', { slot: 'value', className: 'value-text', text: it[2] }),
          h('div', { slot: 'label', className: 'label', text: it[1] }),
        ]);
        if (inShadow) shadow(item, [h('div', { className: 'item' }, [h('slot', { name: 'value' }), h('slot', { name: 'label' })])], '.item{display:flex;flex-direction:column;font-weight:600}');
        return item;
      });
      if (!inShadow)
        children.forEach(function (c) {
          list.appendChild(c);
        });
      return inShadow ? shadow(list, children, ':host{display:flex;gap:24px}') : list;
    }
    return h('div', { 'data-id': 'headerControlsList' }, named());
  }

  function renderRecord(lead, mySeq) {
    var commands = h(
      'div',
      { 'data-id': 'CommandBar', role: 'menubar' },
      ['← 戻る', '保存', '保存して閉じる', '+ 新規', '認定', '不認定', '削除'].map(function (t) {
        return h('button', { type: 'button', role: 'menuitem', text: t });
      }),
    );
    var header = h('div', { 'data-id': 'form-header' }, [h('div', {}, [h('div', { className: 'shimmer', style: 'width:240px' })])]);
    var tabs = h(
      'ul',
      { role: 'tablist', 'aria-label': 'リード フォーム' },
      [
        ['概要', 'SUMMARY_TAB'],
        ['詳細', 'DETAILS_TAB'],
        ['関連', 'RELATED'],
      ].map(function (t, i) {
        return h('li', { role: 'tab', 'aria-selected': i === 0 ? 'true' : 'false', 'data-id': 'tablist-' + t[1], text: t[0] });
      }),
    );
    var summary = h('div', { role: 'tabpanel', 'data-id': 'tabpanel-SUMMARY_TAB' }, [h('div', { className: 'shimmer' }), h('div', { className: 'shimmer' })]);
    var form = h('div', { 'data-id': 'editFormRoot', 'data-lp-id': 'form|lead|main' }, [header, tabs, summary]);
    main.replaceChildren(commands, form);
    document.title = 'リード: ' + (lead ? lead.fullname : '') + ' - Dynamics 365';
    if (!lead || settings.fields === 'never') return;

    setTimeout(function () {
      if (mySeq !== seq) return;
      header.replaceChildren(
        h('div', {}, [
          h('h1', { 'data-id': 'header_title', title: lead.fullname }, [document.createTextNode(lead.fullname), h('span', { 'data-id': 'header_title_save_status', text: ' - 保存済み' })]),
          h('div', { className: 'entity-name', 'data-id': 'entity_name_span', text: 'リード・リード' }),
        ]),
        headerFields(lead),
      );
      summary.replaceChildren(
        h('section', { className: 'form-section', 'data-id': 'CONTACT_DETAILS' }, [
          h('h2', { text: '連絡先' }),
          textField('subject', 'トピック', lead.subject),
          textField('fullname_compositionLinkControl_lastname', '姓', lead.lastname),
          textField('fullname_compositionLinkControl_firstname', '名', lead.firstname),
          textField('jobtitle', '役職', lead.jobtitle),
          textField('telephone1', '会社電話', lead.telephone1, 'phone-text-input'),
          textField('mobilephone', '携帯電話', '', 'phone-text-input'),
          textField('emailaddress1', '電子メール', lead.emailaddress1, 'mail-text-input'),
        ]),
        h('section', { className: 'form-section', 'data-id': 'COMPANY' }, [h('h2', { text: '会社' }), textField('companyname', '会社名', lead.companyname), textField('websiteurl', 'Web サイト', '')]),
      );
      // The details tab is rendered but hidden until selected: its fields are not "on screen".
      form.appendChild(
        h('div', { role: 'tabpanel', hidden: '', 'data-id': 'tabpanel-DETAILS_TAB' }, [
          h('section', { className: 'form-section' }, [choiceField('industrycode', '業種', ''), textField('description', '説明', '')]),
        ]),
      );
    }, delay());
  }

  // ---------------------------------------------------------------- grid (Power Apps grid / AG Grid)

  function renderList(mySeq) {
    var COLS = [
      ['fullname', '氏名'],
      ['subject', 'トピック'],
      ['companyname', '会社名'],
      ['statuscode', 'ステータス理由'],
      ['owner', '所有者'],
    ];
    var pinned = h('div', { className: 'ag-pinned-left-cols-container', role: 'rowgroup' });
    var center = h('div', { className: 'ag-center-cols-container', role: 'rowgroup' });
    var grid = h('div', { role: 'grid', className: 'ag-root', 'aria-label': 'リード', 'aria-rowcount': String(DATA.leads.length + 1), 'data-id': 'data-set-body-container' }, [
      h('div', { className: 'ag-header', role: 'rowgroup' }, [
        h(
          'div',
          { className: 'ag-row', role: 'row', 'aria-rowindex': '1' },
          [h('div', { className: 'ag-cell', style: 'width:40px', role: 'columnheader' })].concat(
            COLS.map(function (c) {
              return h('div', { className: 'ag-cell', role: 'columnheader', 'col-id': c[0], text: c[1] });
            }),
          ),
        ),
      ]),
      h('div', { className: 'ag-body' }, [pinned, center]),
    ]);
    var wrap = h('div', { className: 'grid-wrap' }, [grid]);
    main.replaceChildren(
      h(
        'div',
        { 'data-id': 'CommandBar', role: 'menubar' },
        ['+ 新規', '削除', '更新', 'Excel にエクスポート'].map(function (t) {
          return h('button', { type: 'button', role: 'menuitem', text: t });
        }),
      ),
      h('h1', { className: 'view-title', 'data-id': 'ViewSelector', text: '自分のオープン リード ⌄' }),
      wrap,
    );
    document.title = '自分のオープン リード - Dynamics 365';
    var shown = 0;
    function more() {
      DATA.leads.slice(shown, shown + PAGE).forEach(function (l, k) {
        var i = shown + k;
        var attrs = { className: 'ag-row', role: 'row', 'row-index': String(i), 'aria-rowindex': String(i + 2), 'row-id': l.id };
        pinned.appendChild(
          h('div', attrs, [h('div', { className: 'ag-cell', role: 'gridcell', 'col-id': '__row_selection', style: 'width:40px' }, [h('input', { type: 'checkbox', 'aria-label': '選択' })])]),
        );
        center.appendChild(
          h(
            'div',
            attrs,
            COLS.map(function (c) {
              var cell = h('div', { className: 'ag-cell', role: 'gridcell', 'col-id': c[0] });
              if (c[0] === 'fullname') cell.appendChild(h('a', { href: recordHref(l.id), 'aria-label': l.fullname, text: l.fullname }));
              else cell.textContent = l[c[0]];
              return cell;
            }),
          ),
        );
      });
      shown = Math.min(DATA.leads.length, shown + PAGE);
    }
    wrap.addEventListener('scroll', function () {
      if (wrap.scrollTop + wrap.clientHeight > wrap.scrollHeight - 200 && shown < DATA.leads.length) more();
    });
    setTimeout(function () {
      if (mySeq === seq) more();
    }, delay());
  }

  // ---------------------------------------------------------------- routing

  function route() {
    var q = new URLSearchParams(location.search);
    applyQuery(q);
    var mySeq = ++seq;
    var pagetype = (q.get('pagetype') || '').toLowerCase();
    var etn = (q.get('etn') || '').toLowerCase();
    if (pagetype === 'entityrecord' && etn === 'lead') {
      var id = (q.get('id') || '').replace(/[{}]/g, '').toLowerCase();
      return renderRecord(BY_ID.get(id), mySeq);
    }
    if (pagetype === 'entitylist' && etn === 'lead') return renderList(mySeq);
    main.replaceChildren(h('h1', { className: 'view-title', text: pagetype === 'dashboard' ? 'ダッシュボード' : 'このページはサンドボックスにありません' }));
  }
  function navigate(url) {
    var target = new URL(url, location.href);
    if (target.origin !== location.origin) {
      location.href = target.href;
      return;
    }
    history.pushState({}, '', target.pathname + target.search);
    route();
  }
  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    var a = e.target.closest && e.target.closest('a[href]');
    if (!a) return;
    var url = new URL(a.getAttribute('href'), location.href);
    if (url.origin !== location.origin || url.pathname !== '/main.aspx') return;
    e.preventDefault();
    navigate(url.href);
  });
  window.addEventListener('popstate', route);
  window.__sandbox = { settings: settings, navigate: navigate };
  if (location.pathname !== '/main.aspx') history.replaceState({}, '', '/main.aspx?appid=' + DATA.appId + '&pagetype=dashboard');
  route();
})();
