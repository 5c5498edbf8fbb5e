import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

/**
 * Parses a fixture page from tests/fixtures into a Document (needs the jsdom test environment).
 * Declarative shadow roots (`<template shadowrootmode="open">`) are attached by hand, since
 * jsdom's parser does not do it the way Chromium's does.
 */
export function loadFixture(name: string): Document {
  const html = readFileSync(join(FIXTURES, name), 'utf8');
  const doc = new DOMParser().parseFromString(html, 'text/html');
  attachDeclarativeShadowRoots(doc);
  return doc;
}

/** Loads a fixture into the test window's own document at `path` (for URL-dependent reads). */
export function loadFixtureAt(name: string, path: string): Document {
  const parsed = loadFixture(name);
  window.history.replaceState(null, '', path);
  document.documentElement.replaceChildren(document.adoptNode(parsed.head), document.adoptNode(parsed.body));
  return document;
}

function attachDeclarativeShadowRoots(root: Document | ShadowRoot): void {
  for (const template of Array.from(root.querySelectorAll<HTMLTemplateElement>('template[shadowrootmode]'))) {
    const host = template.parentElement;
    if (!host) continue;
    const shadow = host.attachShadow({ mode: template.getAttribute('shadowrootmode') === 'closed' ? 'closed' : 'open' });
    shadow.append(template.content.cloneNode(true));
    template.remove();
    attachDeclarativeShadowRoots(shadow);
  }
}
