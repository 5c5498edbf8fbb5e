// Sandbox "Lightning Experience": a small plain-JS single-page app that reproduces the parts of
// Salesforce Lightning's DOM and behaviour SAL Bridge depends on (see /work/shared/crm-pages.md):
// custom-element field markup, the highlights header, pushState navigation without reloads,
// fields rendered late, previously visited pages kept hidden in the DOM, list rows rendered
// incrementally and re-rendered on sort, optionally behind open shadow roots.
//
// Test switches (query string of any navigation; once seen they stay on for the session):
//   ?sandboxDelay=<ms>      fixed field-render delay (default: random 100–400 ms)
//   ?sandboxFields=never    record pages never render their fields (spinner forever)
//   ?sandboxShadow=open     components keep their content in open shadow roots
//   ?sandboxShadow=mixed    every other record field item (and its output) behind an open shadow
//                           root, the rest of the page synthetic (a partial native-shadow rollout)
//   ?sandboxMarkup=renamed  a release that renamed the test-id classes and dropped the fields'
//                           `data-target-selection-name` (only `field-label` and the output
//                           element's marker are left)
//   ?sandboxMarkup=labels   as renamed, without `field-label` either: only the label text is left
//   ?sandboxMarkup=future   as labels, and Lead Status relabelled 「リードステータス (新)」: a change
//                           no bundled strategy knows (the team server's description mends it)
//   ?sandboxHostile=1       the hostile lead is listed and a page script forges messages/clicks
//   ?sandboxLarge=1         lead records also render a large page: related lists and an activity
//                           timeline (~9,000 more elements), late, with the fields (benchmarks)
// `window.__sandbox` exposes the same switches and a navigate() for tests and benchmarks.
(function () {
  'use strict';

  var DATA = JSON.parse(document.getElementById('sandbox-data').textContent);
  var LEADS = DATA.leads.concat(DATA.filler);
  var LEAD_BY_ID = new Map(
    LEADS.map(function (l) {
      return [l.id, l];
    }),
  );
  var ACCOUNT_BY_ID = new Map(
    DATA.accounts.map(function (a) {
      return [a.id, a];
    }),
  );
  var MAX_CACHED_VIEWS = 6;
  var PAGE_SIZE = 50;

  var settings = {
    delayMs: typeof DATA.fieldDelayMs === 'number' ? DATA.fieldDelayMs : null,
    fields: 'render',
    shadow: '',
    markup: '',
    hostile: false,
    large: false,
  };

  var stage = document.getElementById('oneCenterStage');
  /** route key → { el, lastShown } */
  var views = new Map();
  var navSeq = 0;

  // ---------------------------------------------------------------- ids

  var SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
  function caseSafe(id) {
    if (/^[a-zA-Z0-9]{18}$/.test(id)) return id;
    if (!/^[a-zA-Z0-9]{15}$/.test(id)) return null;
    var s = '';
    for (var chunk = 0; chunk < 3; chunk++) {
      var bits = 0;
      for (var i = 0; i < 5; i++) {
        var c = id.charCodeAt(chunk * 5 + i);
        if (c >= 65 && c <= 90) bits |= 1 << i;
      }
      s += SUFFIX[bits];
    }
    return id + s;
  }

  // ---------------------------------------------------------------- DOM helpers

  /** Creates an element; text goes in through textContent only (values are data, not markup). */
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (attrs[k] == null) continue;
        if (k === 'text') el.textContent = attrs[k];
        else if (k === 'className') el.className = attrs[k];
        else el.setAttribute(k, attrs[k]);
      }
    }
    if (children) append(el, children);
    return el;
  }
  function append(parent, children) {
    for (var i = 0; i < children.length; i++) if (children[i]) parent.appendChild(children[i]);
    return parent;
  }
  /**
   * A "component": its content goes into an open shadow root in shadow mode (native shadow DOM
   * rollout), or straight into the host otherwise (synthetic shadow: reachable from document).
   */
  function component(tag, attrs, children, kind) {
    var host = h(tag, attrs);
    append(shadowOn(kind) ? host.attachShadow({ mode: 'open' }) : host, children);
    return host;
  }
  /** Native shadow for this component: always in `open` mode; in `mixed`, every other field item. */
  var mixedCount = 0;
  function shadowOn(kind) {
    return settings.shadow === 'open' || (settings.shadow === 'mixed' && kind === 'item' && mixedCount % 2 === 1);
  }
  /** lightning-formatted-* output element; in shadow mode the text lives in its shadow root. */
  function output(tag, value, extra, kind) {
    var attrs = Object.assign({ 'data-output-element-id': 'output-field' }, extra || {});
    if (shadowOn(kind)) {
      var host = h(tag, attrs);
      host.attachShadow({ mode: 'open' }).appendChild(document.createTextNode(value));
      return host;
    }
    attrs.text = value;
    return h(tag, attrs);
  }
  function fieldDelay() {
    return settings.delayMs != null ? settings.delayMs : 100 + Math.floor(Math.random() * 301);
  }

  // ---------------------------------------------------------------- settings

  function applyQuery(search) {
    var q = new URLSearchParams(search);
    if (q.has('sandboxDelay')) {
      var ms = Number(q.get('sandboxDelay'));
      settings.delayMs = Number.isFinite(ms) && ms >= 0 ? ms : null;
    }
    if (q.has('sandboxFields')) settings.fields = q.get('sandboxFields') === 'never' ? 'never' : 'render';
    if (q.has('sandboxShadow')) settings.shadow = q.get('sandboxShadow') === 'open' || q.get('sandboxShadow') === 'mixed' ? q.get('sandboxShadow') : '';
    if (q.has('sandboxMarkup')) settings.markup = q.get('sandboxMarkup');
    if (q.has('sandboxHostile')) settings.hostile = q.get('sandboxHostile') === '1';
    if (q.has('sandboxLarge')) settings.large = q.get('sandboxLarge') === '1';
  }

  // ---------------------------------------------------------------- routing

  function parseRoute(loc) {
    var path = loc.pathname;
    var m;
    if (path === '/one/one.app') {
      m = /^#\/sObject\/([a-zA-Z0-9]{15,18})(?:\/view)?/.exec(loc.hash);
      if (m) return recordRoute(null, m[1]);
    }
    if ((m = /^\/lightning\/r\/(?:([A-Za-z_][A-Za-z0-9_]*)\/)?([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)\/view\/?$/.exec(path))) {
      return recordRoute(m[1] || null, m[2]);
    }
    if ((m = /^\/lightning\/o\/([A-Za-z_][A-Za-z0-9_]*)\/list\/?$/.exec(path))) {
      var filter = new URLSearchParams(loc.search).get('filterName') || 'Recent';
      return { kind: 'list', object: m[1], filter: filter, key: 'list:' + m[1] + ':' + filter };
    }
    if (path === '/lightning/page/home' || path === '/lightning' || path === '/lightning/' || path === '/') {
      return { kind: 'home', key: 'home' };
    }
    return { kind: 'notfound', key: 'notfound:' + path };
  }
  function recordRoute(object, rawId) {
    var id = caseSafe(rawId);
    var obj = object || (id && id.slice(0, 3) === '00Q' ? 'Lead' : id && id.slice(0, 3) === '001' ? 'Account' : 'Unknown');
    return { kind: 'record', object: obj, id: id, key: 'record:' + id };
  }

  function navigate(url, replace) {
    var target = new URL(url, location.href);
    if (target.origin !== location.origin) {
      location.href = target.href;
      return;
    }
    history[replace ? 'replaceState' : 'pushState']({ sandbox: true }, '', target.pathname + target.search + target.hash);
    route();
  }

  function route() {
    applyQuery(location.search);
    var r = parseRoute(location);
    if (r.kind === 'home' && location.pathname !== '/lightning/page/home') {
      history.replaceState({ sandbox: true }, '', '/lightning/page/home' + location.search);
    }
    var seq = ++navSeq;
    var view = views.get(r.key);
    if (!view) {
      view = { el: h('div', { className: 'windowViewMode-normal oneContent', 'data-sandbox-view': r.key }), lastShown: 0 };
      views.set(r.key, view);
      stage.appendChild(view.el);
      renderView(r, view.el, seq);
    }
    show(view);
    document.title = titleFor(r);
    evictOldViews();
  }

  /** Exactly one view is visible: it has `.active`; the cached ones are aria-hidden. */
  function show(view) {
    views.forEach(function (v) {
      if (v === view) return;
      v.el.classList.remove('active');
      v.el.setAttribute('aria-hidden', 'true');
    });
    view.el.classList.add('active');
    view.el.removeAttribute('aria-hidden');
    view.lastShown = performance.now();
  }
  function evictOldViews() {
    if (views.size <= MAX_CACHED_VIEWS) return;
    var sorted = Array.from(views.entries()).sort(function (a, b) {
      return a[1].lastShown - b[1].lastShown;
    });
    for (var i = 0; i < sorted.length - MAX_CACHED_VIEWS; i++) {
      sorted[i][1].el.remove();
      views.delete(sorted[i][0]);
    }
  }
  function titleFor(r) {
    if (r.kind === 'record') {
      var l = LEAD_BY_ID.get(r.id);
      if (l) return l.lastName + ' ' + l.firstName + ' | リード | Salesforce';
      var a = ACCOUNT_BY_ID.get(r.id);
      if (a) return a.name + ' | 取引先 | Salesforce';
      return 'レコード | Salesforce';
    }
    if (r.kind === 'list') return (r.object === 'Lead' ? 'リード' : '取引先') + ' | Salesforce';
    if (r.kind === 'home') return 'ホーム | Salesforce';
    return 'Salesforce';
  }

  function renderView(r, el, seq) {
    if (r.kind === 'record') {
      if (r.object === 'Lead' && LEAD_BY_ID.has(r.id)) return renderLeadRecord(el, LEAD_BY_ID.get(r.id));
      if (r.object === 'Account' && ACCOUNT_BY_ID.has(r.id)) return renderAccountRecord(el, ACCOUNT_BY_ID.get(r.id));
      return el.appendChild(h('div', { className: 'slds-illustration', text: 'このレコードは削除されたか、参照する権限がありません。' }));
    }
    if (r.kind === 'list' && r.object === 'Lead') return renderLeadList(el, r.filter);
    if (r.kind === 'list' && r.object === 'Account') return renderAccountList(el);
    if (r.kind === 'home') return renderHome(el);
    el.appendChild(h('div', { className: 'slds-illustration', text: 'ページが見つかりません' }));
  }

  /** The record page frame appears at once; its data arrives later, as in Lightning. */
  function lateRender(flexipage, build) {
    var stencil = h('div', { className: 'forceRecordLayoutStencil slds-is-relative', role: 'status', text: '読み込み中…' });
    flexipage.appendChild(stencil);
    if (settings.fields === 'never') return;
    setTimeout(function () {
      stencil.remove();
      append(flexipage, build());
    }, fieldDelay());
  }

  // ---------------------------------------------------------------- lead record

  var LEAD_FIELDS = [
    [
      'Name',
      '名前',
      'lightning-formatted-name',
      function (l) {
        return l.lastName + ' ' + l.firstName;
      },
    ],
    [
      'Company',
      '会社名',
      'lightning-formatted-text',
      function (l) {
        return l.company;
      },
    ],
    [
      'Title',
      '役職',
      'lightning-formatted-text',
      function (l) {
        return l.title;
      },
    ],
    [
      'Email',
      'メール',
      'lightning-formatted-email',
      function (l) {
        return l.email || '';
      },
    ],
    [
      'Phone',
      '電話',
      'lightning-formatted-phone',
      function (l) {
        return l.phone;
      },
    ],
    [
      'LeadSource',
      'リードソース',
      'lightning-formatted-text',
      function (l) {
        return l.leadSource;
      },
    ],
    [
      'Status',
      'リード状況',
      'lightning-formatted-text',
      function (l) {
        return l.status;
      },
    ],
    [
      'OwnerId',
      'リード所有者',
      'force-lookup',
      function (l) {
        return l.owner;
      },
    ],
    [
      'Score__c',
      'スコア',
      'lightning-formatted-number',
      function (l) {
        return String(l.score);
      },
    ],
  ];

  function renderLeadRecord(el, lead) {
    var flexipage = h('one-record-home-flexipage2', { className: 'record-home' });
    el.appendChild(flexipage);
    lateRender(flexipage, function () {
      if (!settings.large) return [leadHighlights(lead), recordTabs(leadDetail(lead))];
      // "Header and right sidebar" template: tabs and the activity timeline in the main column,
      // related lists in the sidebar (what a lead with a history looks like in a real org)
      return [
        leadHighlights(lead),
        h('div', { className: 'slds-grid record-body' }, [
          h('div', { className: 'record-body__main' }, [recordTabs(leadDetail(lead)), activityTimeline(lead)]),
          h('div', { className: 'record-body__sidebar' }, relatedLists(lead)),
        ]),
      ];
    });
  }

  function leadHighlights(lead) {
    var name = lead.lastName + ' ' + lead.firstName;
    var open = settings.shadow === 'open';
    var primary = output('lightning-formatted-name', name, open ? { slot: 'primaryField' } : null);
    var header = [
      h('div', { className: 'slds-page-header__row' }, [
        h('div', { className: 'slds-media__body' }, [
          h('div', { className: 'entityNameTitle slds-line-height_reset', text: 'リード' }),
          h('h1', { className: 'slds-page-header__title' }, [
            // native shadow: the name stays a light child slotted into the header's shadow root;
            // synthetic shadow: it shows up inside the slot element itself
            h('slot', { name: 'primaryField' }, open ? [] : [primary]),
          ]),
        ]),
        h('div', { className: 'slds-page-header__col-actions' }, [
          h('ul', { className: 'slds-button-group-row' }, [actionButton('フォローする'), actionButton('編集'), actionButton('リードの取引開始'), actionButton('所有者の変更')]),
        ]),
      ]),
      h('div', { className: 'slds-page-header__row slds-page-header__row_gutters secondaryFields' }, [
        highlightsItem('役職', lead.title),
        highlightsItem('会社名', lead.company),
        highlightsItem('電話', lead.phone),
        highlightsItem('メール', lead.email || ''),
      ]),
    ];
    var panel = component('records-lwc-highlights-panel', { className: 'slds-page-header slds-page-header_record-home' }, header);
    if (open) panel.appendChild(primary);
    return panel;
  }
  function actionButton(label) {
    return h('li', { className: 'slds-button-group-item' }, [h('button', { className: 'slds-button slds-button_neutral', type: 'button', name: label, text: label })]);
  }
  function highlightsItem(label, value) {
    return component('records-highlights-details-item', { className: 'slds-page-header__detail-block' }, [
      h('p', { className: 'slds-text-title slds-truncate', title: label, text: label }),
      h('p', { className: 'fieldComponent slds-text-body_regular', title: value, text: value }),
    ]);
  }
  function recordTabs(detail) {
    return h('flexipage-tabset2', { className: 'slds-tabs_card' }, [
      h('ul', { className: 'slds-tabs_default__nav', role: 'tablist' }, [
        h('li', { className: 'slds-tabs_default__item slds-is-active', role: 'presentation' }, [h('a', { role: 'tab', 'aria-selected': 'true', href: 'javascript:void(0)', text: '詳細' })]),
        h('li', { className: 'slds-tabs_default__item', role: 'presentation' }, [h('a', { role: 'tab', 'aria-selected': 'false', href: 'javascript:void(0)', text: '活動' })]),
      ]),
      h('div', { className: 'slds-tabs_default__content', role: 'tabpanel' }, [detail]),
    ]);
  }
  function leadDetail(lead) {
    return component('records-lwc-detail-panel', { className: 'record-detail' }, [
      h(
        'div',
        { className: 'slds-form', role: 'list' },
        LEAD_FIELDS.map(function (f) {
          return layoutItem('Lead', f[0], f[1], f[2], f[3](lead));
        }),
      ),
    ]);
  }

  /** One `records-record-layout-item`, shaped like Lightning's (label, value, inline-edit pencil). */
  function layoutItem(object, apiName, label, tag, value) {
    mixedCount++;
    var valueEl;
    var renamed = settings.markup === 'renamed' || settings.markup === 'labels' || settings.markup === 'future';
    var unlabelled = settings.markup === 'labels' || settings.markup === 'future';
    if (settings.markup === 'future' && apiName === 'Status') label = 'リードステータス (新)';
    if (tag === 'force-lookup') {
      var link = h('a', { href: '/lightning/r/User/' + DATA.owner.id + '/view', 'data-recordid': DATA.owner.id, text: value });
      valueEl = h('force-lookup', { 'data-output-element-id': 'output-field' }, [h('div', { className: 'slds-grid' }, [h('span', { className: 'owner-name' }, [link])])]);
    } else if (tag === 'lightning-formatted-email' && value && !shadowOn('item')) {
      valueEl = h(tag, { 'data-output-element-id': 'output-field' }, [h('a', { href: 'mailto:' + value, text: value })]);
    } else if (tag === 'lightning-formatted-phone' && value && !shadowOn('item')) {
      valueEl = h(tag, { 'data-output-element-id': 'output-field' }, [h('a', { href: 'tel:' + value, text: value })]);
    } else {
      valueEl = output(tag, value, null, 'item');
    }
    return component(
      'records-record-layout-item',
      { 'field-label': unlabelled ? null : label, role: 'listitem', className: 'slds-form__item' },
      [
        h('div', { className: 'slds-form-element slds-form-element_readonly', 'data-target-selection-name': renamed ? null : 'sfdc:RecordField.' + object + '.' + apiName }, [
          h('span', { className: 'slds-form-element__label ' + (renamed ? 'fieldLabel_v2' : 'test-id__field-label'), text: label }),
          h('div', { className: 'slds-form-element__control' }, [
            h('span', { className: (renamed ? 'fieldValue_v2' : 'test-id__field-value') + ' slds-form-element__static' }, value ? [valueEl] : []),
            h('button', { className: 'slds-button test-id__inline-edit-trigger', type: 'button', title: label + 'を編集', text: '✎' }),
          ]),
        ]),
      ],
      'item',
    );
  }

  // ---------------------------------------------------------------- large record page (?sandboxLarge=1)

  var TIMELINE_ITEMS = 100;
  var RELATED_LISTS = [
    ['キャンペーン履歴', 'CampaignMembers', ['キャンペーン名', '開始日', '種別', '状況'], 40],
    ['活動予定', 'OpenActivities', ['件名', '名前', '期日', '状況'], 30],
    ['活動履歴', 'ActivityHistories', ['件名', '名前', '期日', '割り当て先'], 45],
    ['メール', 'EmailMessages', ['件名', '送信者', '受信者', '日付'], 35],
    ['ファイル', 'CombinedAttachments', ['タイトル', '所有者', '最終更新日', 'サイズ'], 25],
    ['リード履歴', 'Histories', ['日付', '項目', 'ユーザ', '新しい値'], 50],
  ];
  var SUBJECTS = ['初回ヒアリング', '製品デモのご案内', '見積もり送付', 'フォローアップ', '資料請求への返信', 'ウェビナー参加のお礼', '導入事例のご紹介', '価格のご相談'];
  var KINDS = [
    ['task', 'ToDo'],
    ['call', '電話'],
    ['email', 'メール'],
    ['event', '行動'],
  ];

  /** A deterministic pseudo-random date string (the page is the same on every load). */
  function sampleDate(i) {
    var d = new Date(Date.UTC(2026, 10, 20) - i * 86400000 * 3);
    return d.getUTCFullYear() + '/' + (d.getUTCMonth() + 1) + '/' + d.getUTCDate();
  }
  function icon(kind) {
    return h('span', { className: 'slds-icon_container slds-icon-standard-' + kind, title: kind }, [
      h('svg', { className: 'slds-icon slds-icon_small', 'aria-hidden': 'true' }),
      h('span', { className: 'slds-assistive-text', text: kind }),
    ]);
  }

  /** The activity timeline (runtime_sales_activities), one expandable item per past activity. */
  function activityTimeline(lead) {
    var items = [];
    for (var i = 0; i < TIMELINE_ITEMS; i++) {
      var kind = KINDS[i % KINDS.length];
      var subject = SUBJECTS[i % SUBJECTS.length];
      items.push(
        h('li', null, [
          h('runtime_sales_activities-activity-timeline-item2', null, [
            h('div', { className: 'slds-timeline__item_expandable slds-timeline__item_' + kind[0] }, [
              h('span', { className: 'slds-assistive-text', text: kind[1] }),
              h('div', { className: 'slds-media' }, [
                h('div', { className: 'slds-media__figure' }, [
                  h('button', { className: 'slds-button slds-button_icon', type: 'button', 'aria-expanded': 'false', title: '詳細を切り替え' }, [
                    h('svg', { className: 'slds-button__icon', 'aria-hidden': 'true' }),
                  ]),
                  h('div', { className: 'slds-timeline__icon' }, [icon(kind[0])]),
                ]),
                h('div', { className: 'slds-media__body' }, [
                  h('div', { className: 'slds-grid slds-grid_align-spread slds-timeline__trigger' }, [
                    h('div', { className: 'slds-grid slds-grid_vertical-align-center slds-truncate_container_75 slds-no-space' }, [
                      h('h3', { className: 'slds-truncate', title: subject }, [h('a', { href: 'javascript:void(0)' }, [h('strong', { text: subject + ' #' + (TIMELINE_ITEMS - i) })])]),
                    ]),
                    h('div', { className: 'slds-timeline__actions slds-timeline__actions_inline' }, [
                      h('p', { className: 'slds-timeline__date', text: sampleDate(i) }),
                      h('lightning-button-menu', { className: 'slds-dropdown-trigger' }, [
                        h('button', { className: 'slds-button slds-button_icon-border-filled slds-button_icon-x-small', type: 'button', title: 'その他の操作' }, [
                          h('svg', { className: 'slds-button__icon' }),
                        ]),
                      ]),
                    ]),
                  ]),
                  h('p', { className: 'slds-m-horizontal_xx-small' }, [
                    h('a', { href: 'javascript:void(0)', text: DATA.owner.name }),
                    h('span', { text: ' が ' }),
                    h('a', { href: 'javascript:void(0)', text: lead.lastName + ' ' + lead.firstName }),
                    h('span', { text: ' と' + kind[1] + 'を記録しました' }),
                  ]),
                  h('article', { className: 'slds-box slds-timeline__item_details slds-theme_shade slds-m-top_x-small slds-m-horizontal_xx-small', 'aria-hidden': 'true' }, [
                    h('ul', { className: 'slds-list_horizontal slds-wrap' }, [
                      h('li', { className: 'slds-grid slds-grid_vertical slds-size_1-of-2 slds-p-bottom_small' }, [
                        h('span', { className: 'slds-text-title slds-p-bottom_x-small', text: '名前' }),
                        h('span', { className: 'slds-text-body_medium slds-truncate', text: lead.lastName }),
                      ]),
                      h('li', { className: 'slds-grid slds-grid_vertical slds-size_1-of-2 slds-p-bottom_small' }, [
                        h('span', { className: 'slds-text-title slds-p-bottom_x-small', text: '関連先' }),
                        h('span', { className: 'slds-text-body_medium slds-truncate', text: lead.company }),
                      ]),
                    ]),
                    h('div', null, [
                      h('span', { className: 'slds-text-title', text: '説明' }),
                      h('p', { className: 'slds-p-top_x-small', text: subject + 'について ' + lead.company + ' の ' + lead.lastName + ' 様と確認しました。' }),
                    ]),
                  ]),
                ]),
              ]),
            ]),
          ]),
        ]),
      );
    }
    return h('article', { className: 'slds-card activity-panel' }, [
      h('div', { className: 'slds-card__header slds-grid' }, [h('h2', { className: 'slds-card__header-title', text: '活動' })]),
      h('div', { className: 'slds-card__body' }, [
        h('div', { className: 'slds-section slds-is-open' }, [
          h('h3', { className: 'slds-section__title' }, [h('span', { className: 'slds-truncate', text: '今後 & 期限切れ' })]),
          h('runtime_sales_activities-activity-timeline2', null, [h('ul', { className: 'slds-timeline' }, items)]),
        ]),
      ]),
    ]);
  }

  /** Related lists (lst-related-list-single-container), each a card with a datatable. */
  function relatedLists(lead) {
    return RELATED_LISTS.map(function (spec) {
      var label = spec[0];
      var columns = spec[2];
      var rows = [];
      for (var r = 0; r < spec[3]; r++) {
        rows.push(
          h(
            'tr',
            { 'data-row-key-value': spec[1] + '-' + r, className: 'slds-hint-parent' },
            columns.map(function (c, ci) {
              var value = ci === 0 ? SUBJECTS[(r + ci) % SUBJECTS.length] : ci === 2 ? sampleDate(r) : ci === 1 ? lead.lastName + ' ' + lead.firstName : label;
              var content =
                ci === 0 ? [h('lightning-formatted-url', null, [h('a', { href: 'javascript:void(0)', title: value, text: value })])] : [h('lightning-base-formatted-text', { text: value })];
              return h(ci === 0 ? 'th' : 'td', { role: 'gridcell', 'data-label': c, className: 'slds-cell-edit' }, [
                h('lightning-primitive-cell-factory', { 'data-label': c }, [h('span', { className: 'slds-grid slds-grid_align-spread' }, [h('div', { className: 'slds-truncate' }, content)])]),
              ]);
            }),
          ),
        );
      }
      return h('lst-related-list-single-container', null, [
        h('article', { className: 'slds-card slds-card_boundary related-list' }, [
          h('div', { className: 'slds-card__header slds-grid' }, [
            h('header', { className: 'slds-media slds-media_center slds-has-flexi-truncate' }, [
              h('div', { className: 'slds-media__figure' }, [icon('related')]),
              h('div', { className: 'slds-media__body' }, [
                h('h2', { className: 'slds-card__header-title' }, [
                  h('a', { href: 'javascript:void(0)' }, [h('span', { className: 'slds-truncate', title: label, text: label + ' (' + spec[3] + ')' })]),
                ]),
              ]),
            ]),
          ]),
          h('lst-related-list-view-manager', null, [
            h('lightning-datatable', null, [
              h('table', { className: 'slds-table slds-table_bordered slds-table_fixed-layout', role: 'grid', 'aria-label': label }, [
                h('thead', null, [
                  h(
                    'tr',
                    { 'data-row-key-value': 'HEADER' },
                    columns.map(function (c) {
                      return h('th', { scope: 'col', title: c }, [h('span', { className: 'slds-truncate', text: c })]);
                    }),
                  ),
                ]),
                h('tbody', null, rows),
              ]),
            ]),
          ]),
          h('div', { className: 'slds-card__footer' }, [h('a', { href: 'javascript:void(0)', text: 'すべて表示' })]),
        ]),
      ]);
    });
  }

  // ---------------------------------------------------------------- account record / other pages

  function renderAccountRecord(el, account) {
    var flexipage = h('one-record-home-flexipage2', { className: 'record-home' });
    el.appendChild(flexipage);
    lateRender(flexipage, function () {
      var header = component('records-lwc-highlights-panel', { className: 'slds-page-header slds-page-header_record-home' }, [
        h('div', { className: 'entityNameTitle', text: '取引先' }),
        h('h1', { className: 'slds-page-header__title' }, [h('slot', { name: 'primaryField' }, [output('lightning-formatted-text', account.name)])]),
      ]);
      var detail = component('records-lwc-detail-panel', { className: 'record-detail' }, [
        layoutItem('Account', 'Name', '取引先名', 'lightning-formatted-text', account.name),
        layoutItem('Account', 'Industry', '業種', 'lightning-formatted-text', account.industry),
        layoutItem('Account', 'Phone', '電話', 'lightning-formatted-phone', account.phone),
      ]);
      return [header, recordTabs(detail)];
    });
  }

  function renderHome(el) {
    el.appendChild(
      h('div', { className: 'home-page slds-grid slds-wrap' }, [
        h('article', { className: 'slds-card' }, [h('h2', { className: 'slds-card__header-title', text: '今日のイベント' }), h('p', { text: '予定はありません。' })]),
        h('article', { className: 'slds-card' }, [
          h('h2', { className: 'slds-card__header-title', text: '最近のレコード' }),
          h(
            'ul',
            null,
            DATA.leads.slice(0, 5).map(function (l) {
              return h('li', null, [h('a', { href: '/lightning/r/Lead/' + l.id + '/view', text: l.lastName + ' ' + l.firstName })]);
            }),
          ),
        ]),
      ]),
    );
  }

  function renderAccountList(el) {
    var rows = DATA.accounts.map(function (a) {
      return h('tr', { 'data-row-key-value': a.id }, [
        h('th', { scope: 'row', 'data-label': '取引先名' }, [h('a', { href: '/lightning/r/Account/' + a.id + '/view', 'data-recordid': a.id, text: a.name })]),
        h('td', { 'data-label': '業種', text: a.industry }),
      ]);
    });
    el.appendChild(
      h('div', { className: 'forceListViewManager' }, [
        h('h1', { className: 'slds-page-header__title', text: '取引先' }),
        h('table', { className: 'slds-table', role: 'grid' }, [
          h('thead', null, [h('tr', { 'data-row-key-value': 'HEADER' }, [h('th', { text: '取引先名' }), h('th', { text: '業種' })])]),
          h('tbody', null, rows),
        ]),
      ]),
    );
  }

  // ---------------------------------------------------------------- lead list view

  var LIST_COLUMNS = [
    ['Name', '名前'],
    ['Company', '会社名'],
    ['Title', '役職'],
    ['Status', 'リード状況'],
    ['Email', 'メール'],
    ['OwnerAlias', '所有者'],
  ];

  function renderLeadList(el, filter) {
    var state = {
      rows: (settings.hostile
        ? DATA.leads
        : DATA.leads.filter(function (l) {
            return !l.hostile;
          })
      ).concat(DATA.filler),
      sort: null, // 'asc' | 'desc'
      shown: 0,
      loading: false,
    };
    var tbody = h('tbody');
    var sortButton = h('button', { className: 'slds-button slds-button_neutral', type: 'button', name: 'sortByName', text: '名前で並べ替え' });
    var count = h('p', { className: 'slds-text-body_small countSortedByFilteredBy' });
    var headerCells = [h('th', { scope: 'col', className: 'slds-cell_action-mode', 'aria-label': '行番号' })].concat(
      LIST_COLUMNS.map(function (c) {
        return h('th', { scope: 'col', 'aria-label': c[1], title: c[1], 'data-label': c[1], 'aria-sort': 'none' }, [
          c[0] === 'Name'
            ? h('a', { className: 'slds-th__action toggle', href: 'javascript:void(0)', role: 'button', 'data-sort-field': 'Name', text: c[1] })
            : h('span', { className: 'slds-truncate', text: c[1] }),
        ]);
      }),
    );
    var table = h('table', { className: 'slds-table slds-table_header-fixed slds-table_bordered slds-table_edit', role: 'grid', 'aria-label': filterLabel(filter) }, [
      h('thead', null, [h('tr', { 'data-row-key-value': 'HEADER', className: 'slds-line-height_reset' }, headerCells)]),
      tbody,
    ]);
    var spinner = h('div', { className: 'slds-spinner_container', role: 'status', text: '読み込み中…' });
    var scroller = h('div', { className: 'listViewContent slds-scrollable_y', 'data-sandbox-scroller': '' });
    var datatable = component('lightning-datatable', { className: 'forceListViewManagerGrid' }, [table]);
    scroller.appendChild(spinner);
    el.appendChild(
      h('div', { className: 'forceListViewManager' }, [
        h('div', { className: 'slds-page-header forceListViewManagerHeader' }, [
          h('div', { className: 'entityNameTitle', text: 'リード' }),
          h('h1', { className: 'slds-page-header__title', text: filterLabel(filter) }),
          count,
          sortButton,
        ]),
        scroller,
      ]),
    );

    function renderMore() {
      var next = state.rows.slice(state.shown, state.shown + PAGE_SIZE);
      state.shown += next.length;
      var frag = document.createDocumentFragment();
      next.forEach(function (l, i) {
        frag.appendChild(listRow(l, state.shown - next.length + i + 1));
      });
      tbody.appendChild(frag);
      count.textContent = state.shown + ' 件以上 • 並び替え基準: ' + (state.sort ? '名前' : '最終参照日');
    }
    function resort() {
      state.sort = state.sort === 'asc' ? 'desc' : 'asc';
      var dir = state.sort === 'asc' ? 1 : -1;
      state.rows = state.rows.slice().sort(function (a, b) {
        return dir * (a.lastName + a.firstName).localeCompare(b.lastName + b.firstName, 'ja');
      });
      table.querySelectorAll('th[aria-sort]').forEach(function (th) {
        th.setAttribute('aria-sort', th.getAttribute('title') === '名前' ? (state.sort === 'asc' ? 'ascending' : 'descending') : 'none');
      });
      // Lightning re-renders the rows after a sort: every row element is new.
      tbody.replaceChildren();
      state.shown = 0;
      renderMore();
    }
    sortButton.addEventListener('click', resort);
    table.addEventListener('click', function (e) {
      var t = e.target;
      if (t && t.closest && t.closest('[data-sort-field]')) {
        e.preventDefault();
        resort();
      }
    });
    scroller.addEventListener('scroll', function () {
      if (state.loading || state.shown >= state.rows.length) return;
      if (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 200) return;
      state.loading = true;
      setTimeout(function () {
        state.loading = false;
        renderMore();
      }, 80);
    });
    setTimeout(function () {
      spinner.remove();
      scroller.appendChild(datatable);
      renderMore();
    }, fieldDelay());
  }
  function filterLabel(filter) {
    return filter === 'Recent' ? '最近参照したデータ' : filter === 'AllOpenLeads' ? 'すべての未処理リード' : filter;
  }
  function listRow(l, n) {
    var name = l.lastName + ' ' + l.firstName;
    var href = '/lightning/r/' + l.id + '/view';
    function cell(label, children) {
      return h('td', { role: 'gridcell', 'data-label': label, className: 'slds-cell-edit' }, [
        h('lightning-primitive-cell-factory', { 'data-label': label }, [h('span', { className: 'slds-grid slds-grid_align-spread' }, [h('div', { className: 'slds-truncate' }, children)])]),
      ]);
    }
    return h('tr', { 'data-row-key-value': l.id, 'aria-selected': 'false', className: 'slds-hint-parent' }, [
      h('td', { role: 'gridcell', className: 'slds-cell-edit', 'data-label': '' }, [h('span', { className: 'slds-row-number', text: String(n) })]),
      h('th', { scope: 'row', role: 'rowheader', 'data-label': '名前', className: 'slds-cell-edit' }, [
        h('lightning-primitive-cell-factory', { 'data-label': '名前' }, [
          h('span', { className: 'slds-grid slds-grid_align-spread' }, [
            h('div', { className: 'slds-truncate' }, [h('lightning-formatted-url', null, [h('a', { href: href, 'data-recordid': l.id, title: name, tabindex: '-1', target: '_self', text: name })])]),
          ]),
        ]),
      ]),
      cell('会社名', [h('lightning-base-formatted-text', { text: l.company })]),
      cell('役職', [h('lightning-base-formatted-text', { text: l.title })]),
      cell('リード状況', [h('lightning-base-formatted-text', { text: l.status })]),
      cell('メール', l.email ? [h('lightning-formatted-email', null, [h('a', { href: 'mailto:' + l.email, text: l.email })])] : []),
      cell('所有者', [h('lightning-base-formatted-text', { text: 'ksato' })]),
    ]);
  }

  // ---------------------------------------------------------------- hostile page script

  /**
   * What a malicious or buggy page script can do to an extension: forge window messages and
   * custom events, call click() / dispatch synthetic clicks on anything that looks like an
   * accept/reject control, and poke into iframes. Every attempt is logged for the tests.
   */
  function startHostile() {
    var log = (window.__sandboxHostile = { attempts: 0, errors: 0, clicked: [] });
    var forged = [
      { type: 'decision', action: 'accept', leadKey: 'salesforce:' + DATA.hostileId },
      { source: 'sal-bridge', type: 'accept', leadId: DATA.hostileId },
      { channel: 'sal-bridge', kind: 'record-decision', decision: 'accepted', leadKey: 'salesforce:' + DATA.hostileId },
    ];
    var deadline = performance.now() + 15000;
    var timer = setInterval(function () {
      if (performance.now() > deadline) return clearInterval(timer);
      forged.forEach(function (msg) {
        log.attempts++;
        window.postMessage(msg, '*');
        for (var i = 0; i < window.frames.length; i++) {
          try {
            window.frames[i].postMessage(msg, '*');
          } catch (e) {
            log.errors++;
          }
        }
        document.dispatchEvent(new CustomEvent('sal-bridge:decision', { detail: msg, bubbles: true }));
      });
      allElements(document).forEach(function (el) {
        var text = (el.textContent || '') + ' ' + (el.getAttribute('aria-label') || '');
        if (!/受領|却下|accept|reject/i.test(text)) return;
        if (!el.matches('button, [role="button"], a, input')) return;
        log.attempts++;
        log.clicked.push(el.tagName);
        try {
          el.click();
          el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
        } catch (e) {
          log.errors++;
        }
      });
      document.querySelectorAll('iframe').forEach(function (f) {
        log.attempts++;
        try {
          var d = f.contentDocument;
          if (d)
            d.querySelectorAll('button').forEach(function (b) {
              b.click();
            });
        } catch (e) {
          log.errors++;
        }
      });
    }, 250);
  }
  function allElements(root) {
    var out = [];
    (function walk(r) {
      r.querySelectorAll('*').forEach(function (el) {
        out.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      });
    })(root);
    return out;
  }

  // ---------------------------------------------------------------- wiring

  // Lightning handles its own links: same-origin app links navigate in place (no reload).
  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var path = e.composedPath ? e.composedPath() : [e.target];
    for (var i = 0; i < path.length; i++) {
      var a = path[i];
      if (!a || a.tagName !== 'A' || !a.getAttribute('href')) continue;
      var href = a.getAttribute('href');
      if (/^(javascript:|mailto:|tel:|#)/.test(href)) return;
      var url = new URL(href, location.href);
      if (url.origin !== location.origin || !/^\/(lightning|one)\//.test(url.pathname)) return;
      e.preventDefault();
      navigate(url.href);
      return;
    }
  });
  window.addEventListener('popstate', route);
  window.addEventListener('hashchange', route);

  window.__sandbox = {
    settings: settings,
    navigate: function (url) {
      navigate(url);
    },
    setDelay: function (ms) {
      settings.delayMs = ms;
    },
    /** Re-renders the visible record's fields with new elements (as an inline edit does). */
    rerenderVisibleRecord: function () {
      var active = stage.querySelector('.windowViewMode-normal.active');
      var r = parseRoute(location);
      if (!active || r.kind !== 'record' || !LEAD_BY_ID.has(r.id)) return false;
      var old = active.querySelector('records-lwc-detail-panel');
      if (!old) return false;
      old.replaceWith(leadDetail(LEAD_BY_ID.get(r.id)));
      return true;
    },
  };

  applyQuery(location.search);
  route();
  if (settings.hostile) startHostile();
})();
