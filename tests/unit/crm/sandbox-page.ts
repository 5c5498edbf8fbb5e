/**
 * Renders a sandbox CRM page (tests/sandbox) in the jsdom test window: the page shell at `path`,
 * then its app script, run in this window as the browser would run it. Resolves once the app's
 * delayed render (`fieldDelayMs` 0 in the shell) has happened. Markup variants are the page's
 * own query parameters, so unit tests read exactly what the sandbox serves to the e2e tests.
 */
export async function renderSandboxPage(shell: string, appJs: string, path: string): Promise<Document> {
  window.history.replaceState(null, '', path);
  const parsed = new DOMParser().parseFromString(shell, 'text/html');
  for (const s of Array.from(parsed.querySelectorAll('script[src]'))) s.remove();
  document.documentElement.replaceChildren(document.adoptNode(parsed.head), document.adoptNode(parsed.body));
  new Function(appJs)();
  await new Promise((resolve) => setTimeout(resolve, 20));
  return document;
}
