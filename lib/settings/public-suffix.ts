import { PUBLIC_SUFFIX_RULES } from './public-suffix-list';

/** One label of the list, right to left: whether the name ending here is a rule or an exception. */
interface SuffixNode {
  rule: boolean;
  exception: boolean;
  children: Map<string, SuffixNode>;
}

const newNode = (): SuffixNode => ({ rule: false, exception: false, children: new Map() });

/** Reads the nested text scripts/generate-public-suffixes.ts writes. */
function readRules(text: string): SuffixNode {
  let at = 0;
  const readChildren = (parent: SuffixNode): void => {
    for (;;) {
      let end = at;
      while (end < text.length && text[end] !== ',' && text[end] !== '(' && text[end] !== ')') end++;
      const label = text.slice(at, end);
      at = end;
      if (label === '') parent.rule = true;
      else if (label === '!') parent.exception = true;
      else {
        const child = newNode();
        parent.children.set(label, child);
        if (text[at] === '(') {
          at++;
          readChildren(child);
          at++; // ')'
        } else child.rule = true;
      }
      if (text[at] !== ',') return;
      at++;
    }
  };
  const root = newNode();
  readChildren(root);
  return root;
}

/** Built on first use, not at worker start: most starts never judge a host. */
let root: SuffixNode | null = null;

/**
 * The public suffix of a host name (lower-case labels, no trailing dot), by the Public Suffix
 * List with its private section (`co.jp`, `github.io`, `*.kawasaki.jp` but `!city.kawasaki.jp`):
 * the longest matching rule, an exception rule's parent, or else the last label (the list's
 * implicit `*`, so an intranet's `crm.corp.internal` has the suffix `internal`). The same answers
 * as tldts's `parse(host, { allowPrivateDomains: true }).publicSuffix`, which the tests check.
 */
export function publicSuffixOf(host: string): string {
  root ??= readRules(PUBLIC_SUFFIX_RULES);
  const labels = host.split('.');
  let node = root;
  let ruleLabels = 1;
  for (let k = 1; k <= labels.length; k++) {
    const label = labels[labels.length - k]!;
    const next = node.children.get(label) ?? (label === '' ? undefined : node.children.get('*'));
    if (!next) break;
    node = next;
    // an exception names a registrable domain under a wildcard: its parent is the suffix, and it
    // takes precedence over every other rule
    if (node.exception) return labels.slice(labels.length - k + 1).join('.');
    if (node.rule) ruleLabels = k;
  }
  return labels.slice(labels.length - ruleLabels).join('.');
}
