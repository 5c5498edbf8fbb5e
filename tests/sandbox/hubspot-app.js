// Sandbox HubSpot CRM: a plain-JS single-page app (see tests/sandbox/hubspot.ts for what it
// reproduces). Switches in the query string: ?sandboxDelay=<ms> (property render delay,
// default random 100–400 ms), ?sandboxFields=never (the record never leaves its skeleton),
// ?sandboxName=record-label (the record's name under the current layout's
// `data-test-id="highlight-record-label"` instead of the older `data-selenium-test="highlightTitle"`),
// ?sandboxClasses=renamed (generated class names changed, as each HubSpot release may do),
// ?sandboxShadow=open|mixed (the record's name and the About card's properties behind open
// shadow roots: all of them, or every other property and the name in the light DOM).
// `window.__sandbox.navigate(url)` navigates in place, like a click on an app link.
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('sandbox-data').textContent);
  var PORTAL = DATA.portalId;
  var BY_ID = new Map(
    DATA.contacts.map(function (c) {
      return [c.id, c];
    }),
  );
  var BY_LEAD_ID = new Map(
    DATA.contacts
      .filter(function (c) {
        return c.leadObjectId;
      })
      .map(function (c) {
        return [c.leadObjectId, c];
      }),
  );
  var PAGE = 25;
  var settings = { delayMs: typeof DATA.fieldDelayMs === 'number' ? DATA.fieldDelayMs : null, fields: 'render', name: '', classes: '', shadow: '' };
  var main = document.getElementById('hs-main');
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
  function applyQuery() {
    var q = new URLSearchParams(location.search);
    if (q.has('sandboxDelay')) settings.delayMs = Number(q.get('sandboxDelay'));
    if (q.has('sandboxFields')) settings.fields = q.get('sandboxFields') === 'never' ? 'never' : 'render';
    if (q.has('sandboxName')) settings.name = q.get('sandboxName');
    if (q.has('sandboxClasses')) settings.classes = q.get('sandboxClasses');
    if (q.has('sandboxShadow')) settings.shadow = q.get('sandboxShadow');
  }
  /** `node` in an open shadow root of a new `tag` host (a web component's own render), or as is. */
  function inShadow(tag, node, on) {
    if (!on) return node;
    var host = h(tag, {});
    host.attachShadow({ mode: 'open' }).appendChild(node);
    return host;
  }
  /** The record's name heading, with the hook of the layout `settings.name` asks for. */
  function nameHeading(name) {
    var hook = settings.name === 'record-label' ? { 'data-test-id': 'highlight-record-label' } : { 'data-selenium-test': 'highlightTitle' };
    return h('h2', hook, [h('span', { text: name })]);
  }
  function recordPath(type, id) {
    return '/contacts/' + PORTAL + '/record/' + type + '/' + id;
  }

  // ---------------------------------------------------------------- record page

  /** A property in the "About" card: label + editor hooked by its internal name. */
  function prop(name, label, value, kind) {
    var editor;
    if (kind === 'enum') {
      editor = h('div', { role: 'button', tabindex: '0', 'data-selenium-test': 'property-input-' + name }, [
        h('span', { className: settings.classes === 'renamed' ? 'DropdownLabel__StyledLabel-sc-1q2w3e4' : 'private-dropdown__item__label', text: value || '--' }),
      ]);
    } else {
      editor = h('input', { type: 'text', 'data-selenium-test': 'property-input-' + name, 'aria-label': label });
      editor.value = value;
    }
    return h('div', { className: 'prop', 'data-test-id': 'property-' + name }, [h('label', { 'data-selenium-test': 'property-label-' + name, text: label }), editor]);
  }

  function renderRecord(type, c, mySeq) {
    var left = h('div', { 'data-test-id': 'left-sidebar' }, [
      h('div', { 'data-selenium-test': 'highlightedPropertySidebar' }, [
        h('div', { className: 'skeleton', style: 'width:64px;height:64px;border-radius:50%' }),
        h('div', { className: 'skeleton', style: 'width:60%' }),
        h('div', { className: 'skeleton', style: 'width:40%' }),
      ]),
    ]);
    var tabs = h(
      'div',
      { role: 'tablist', 'aria-label': 'レコードタブ' },
      ['概要', 'アクティビティー', 'インテリジェンス'].map(function (t, i) {
        return h('button', { role: 'tab', 'aria-selected': i === 0 ? 'true' : 'false', 'data-test-id': 'tab-' + i, text: t });
      }),
    );
    var middle = h('div', { 'data-test-id': 'middle-pane' }, [
      tabs,
      h('div', { 'data-test-id': 'tab-0-content', role: 'tabpanel' }, [
        h('div', { className: 'card', 'data-test-id': 'card-wrapper-DATA_HIGHLIGHTS' }, [h('h3', { text: 'データハイライト' }), h('div', { className: 'skeleton' })]),
        h('div', { className: 'card', 'data-test-id': 'card-wrapper-ACTIVITIES_V2' }, [h('h3', { text: '最近のアクティビティー' }), h('p', { text: 'アクティビティーはまだありません。' })]),
      ]),
    ]);
    var right = h('div', { 'data-test-id': 'records-right-sidebar' }, [h('div', { className: 'skeleton' })]);
    main.replaceChildren(h('div', { className: 'record', 'data-test-id': 'record-page' }, [left, middle, right]));
    document.title = (c ? c.name : 'レコード') + ' | HubSpot';
    if (!c || settings.fields === 'never') return;

    setTimeout(function () {
      if (mySeq !== seq) return; // navigated away meanwhile
      var isLead = type === '0-136';
      var about = isLead
        ? [
            prop('hs_pipeline_stage', 'リードステージ', c.hs_lead_status === '新規' ? '新規' : '接続済み', 'enum'),
            prop('hs_lead_type', 'リードタイプ', '新規ビジネス', 'enum'),
            prop('hs_lead_label', 'リードラベル', 'ウォーム', 'enum'),
            prop('hubspot_owner_id', 'リード所有者', c.owner, 'enum'),
          ]
        : [
            prop('firstname', '名', c.firstname),
            prop('lastname', '姓', c.lastname),
            prop('email', 'Eメール', c.email),
            prop('phone', '電話番号', c.phone),
            prop('company', '会社名', c.company),
            prop('jobtitle', '役職', c.jobtitle),
            prop('hubspot_owner_id', 'コンタクト担当者', c.owner, 'enum'),
            prop('lifecyclestage', 'ライフサイクルステージ', 'リード', 'enum'),
            prop('hs_lead_status', 'リードステータス', c.hs_lead_status, 'enum'),
            prop('lead_source', 'リードソース', c.lead_source, 'enum'),
            prop('hs_analytics_source', '初回のソース', 'オフラインソース', 'enum'),
            prop('hubspotscore', 'HubSpotスコア', String(c.score)),
          ];
      left.replaceChildren(
        h('div', { 'data-selenium-test': 'highlightedPropertySidebar' }, [
          h('div', { className: 'avatar', text: c.lastname.slice(0, 1) }),
          inShadow('hs-highlight-title', nameHeading(c.name), settings.shadow === 'open'),
          h('div', { className: 'subtitle', 'data-selenium-test': 'highlightSubtitle', text: isLead ? 'リード' : c.jobtitle + '（' + c.company + '）' }),
          h(
            'div',
            { className: 'actions' },
            ['メモ', 'Eメール', '電話', 'タスク', 'ミーティング'].map(function (t) {
              return h('button', { type: 'button', text: t });
            }),
          ),
        ]),
        h(
          'div',
          { className: 'card', 'data-test-id': 'card-wrapper-ABOUT' },
          [h('h3', { text: isLead ? 'このリードについて' : 'このコンタクトについて' })].concat(
            about.map(function (p, i) {
              return inShadow('hs-property', p, settings.shadow === 'open' || (settings.shadow === 'mixed' && i % 2 === 0));
            }),
          ),
        ),
      );
      middle
        .querySelector('[data-test-id="card-wrapper-DATA_HIGHLIGHTS"]')
        .replaceChildren(h('h3', { text: 'データハイライト' }), h('p', { text: '作成日: 2025/04/01　ライフサイクルステージ: リード' }));
      // Associations: the company card and, on a lead, its contact (their values are not this record's).
      var assoc = [
        h('div', { className: 'card', 'data-test-id': 'card-wrapper-ASSOCIATION_COMPANY' }, [
          h('h3', { text: '会社 (1)' }),
          h('a', { href: '#', text: c.company }),
          h('div', { text: '電話番号: 03-0000-1111' }),
        ]),
      ];
      if (isLead) {
        assoc.unshift(
          h('div', { className: 'card', 'data-test-id': 'card-wrapper-ASSOCIATION_CONTACT' }, [
            h('h3', { text: 'コンタクト (1)' }),
            h('a', { href: recordPath('0-1', c.id), text: c.name }),
            h('div', { text: c.email }),
          ]),
        );
      }
      right.replaceChildren.apply(right, assoc);
    }, delay());
  }

  // ---------------------------------------------------------------- index page

  function renderIndex(type, mySeq) {
    var rows = DATA.contacts.filter(function (c) {
      return type === '0-1' || c.leadObjectId;
    });
    var tbody = h('tbody');
    var wrap = h('div', { className: 'table-wrap', 'data-test-id': 'index-table-wrapper' }, [
      h('table', { 'data-test-id': 'table', role: 'grid' }, [
        h('thead', {}, [
          h(
            'tr',
            {},
            ['名前', 'Eメール', '電話番号', '会社名', 'リードステータス'].map(function (t, i) {
              return h('th', { role: 'columnheader', 'data-test-id': 'header-' + i }, [h('div', { 'data-test-id': 'truncated-object-label', text: t })]);
            }),
          ),
        ]),
        tbody,
      ]),
    ]);
    var preview = null;
    main.replaceChildren(
      h('div', { className: 'index' }, [
        h('h1', { text: type === '0-1' ? 'コンタクト' : 'リード' }),
        h('div', { 'data-test-id': 'filter-panel' }, [h('button', { className: 'btn', text: 'すべてのコンタクト' }), h('button', { className: 'btn', text: '担当: 自分' })]),
        wrap,
      ]),
    );
    document.title = (type === '0-1' ? 'コンタクト' : 'リード') + ' | HubSpot';
    var shown = 0;
    function more() {
      var next = rows.slice(shown, shown + PAGE);
      shown += next.length;
      next.forEach(function (c) {
        var id = type === '0-1' ? c.id : c.leadObjectId;
        var previewBtn = h('button', { className: 'btn', type: 'button', 'data-test-id': 'preview-button', text: 'プレビュー' });
        previewBtn.addEventListener('click', function () {
          openPreview(c);
        });
        tbody.appendChild(
          h('tr', { 'data-test-id': 'row' }, [
            h('td', {}, [h('a', { href: recordPath(type, id), text: c.name }), document.createTextNode(' '), previewBtn]),
            h('td', { text: c.email || '--' }),
            h('td', { text: c.phone }),
            h('td', { text: c.company }),
            h('td', { text: c.hs_lead_status }),
          ]),
        );
      });
    }
    function openPreview(c) {
      if (preview) preview.remove();
      preview = h('aside', { 'data-crm-location': 'CRM_OBJECT_PREVIEW', 'data-selenium-test': 'preview-panel' }, [
        nameHeading(c.name),
        prop('email', 'Eメール', c.email),
        prop('phone', '電話番号', c.phone),
        prop('company', '会社名', c.company),
      ]);
      document.body.appendChild(preview);
    }
    wrap.addEventListener('scroll', function () {
      if (wrap.scrollTop + wrap.clientHeight > wrap.scrollHeight - 200 && shown < rows.length) more();
    });
    setTimeout(function () {
      if (mySeq === seq) more();
    }, delay());
  }

  // ---------------------------------------------------------------- routing

  function route() {
    applyQuery();
    var mySeq = ++seq;
    var preview = document.querySelector('[data-crm-location="CRM_OBJECT_PREVIEW"]');
    if (preview) preview.remove();
    var p = location.pathname;
    var m;
    if ((m = /^\/contacts\/\d+\/record\/(0-1|0-136)\/(\d+)/.exec(p))) {
      return renderRecord(m[1], m[1] === '0-1' ? BY_ID.get(m[2]) : BY_LEAD_ID.get(m[2]), mySeq);
    }
    if ((m = /^\/contacts\/\d+\/objects\/(0-1|0-136)\/views\/[^/]+\/list/.exec(p))) return renderIndex(m[1], mySeq);
    main.replaceChildren(h('div', { className: 'index' }, [h('h1', { text: 'ホーム' }), h('a', { href: '/contacts/' + PORTAL + '/objects/0-1/views/all/list', text: 'コンタクト' })]));
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
    if (!a || a.getAttribute('href') === '#') {
      if (a) e.preventDefault();
      return;
    }
    var url = new URL(a.getAttribute('href'), location.href);
    if (url.origin !== location.origin) return;
    e.preventDefault();
    navigate(url.href);
  });
  window.addEventListener('popstate', route);
  window.__sandbox = { settings: settings, navigate: navigate };
  route();
})();
