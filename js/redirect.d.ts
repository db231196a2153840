// @snworker/servicenow/redirect: finishing the sign-in in a page of the app's own.

/** What handleRedirect() did. */
export interface RedirectResult {
  /** The query went to the window that started the sign-in. */
  handled: boolean;
  /** The instance's `error` parameter, when sign-in was refused or failed. */
  error: string | null;
}

/**
 * Call it in the page the instance redirects to (the redirect URI passed to
 * connect()), when that page does not import `@snworker/servicenow` itself
 * (importing it does the same on its own). It hands the code and state to
 * the app window whose connect() opened this window, removes them from the
 * address bar, and closes the window unless `close` is false. In a window
 * that connect() did not open (a page another site opened at the redirect
 * URL, say) it delivers nothing and returns `{handled: false}`.
 */
export function handleRedirect(options?: { close?: boolean }): RedirectResult;
