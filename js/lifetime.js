// Whether the browser keeps the shared worker, and the session in it, past
// the app's last window: it does for a worker started with
// {extendedLifetime: true} in Chromium 148 and later (30 s there); other
// engines ignore the option and end the worker with the last window.

import { log } from './log.js';

let known;

// extendedLifetime tells whether this engine takes the option. It reads the
// options as the constructor does, without starting a worker: an engine that
// knows the option reads it before it refuses the invalid URL.
export function extendedLifetime() {
  if (known === undefined) {
    known = false;
    // Through Reflect.construct, so that bundlers do not take the URL for
    // a worker script to bundle (Parcel refuses a string there).
    try {
      Reflect.construct(SharedWorker, ['http://[', {
        get extendedLifetime() {
          known = true;
          return true;
        },
      }]);
    } catch {
      // the URL is invalid on purpose
    }
  }
  return known;
}

// sayLifetime logs what a reload of the app's only window does.
export function sayLifetime(graceMs) {
  if (!extendedLifetime()) {
    log('info', 'this browser ends the shared worker with the last window of the app (it has no SharedWorker extendedLifetime): a reload of the only window ends the session, and the next connect() signs in again');
  } else if (graceMs === 0) {
    log('info', 'options.gracePeriod is 0: the shared session ends, and its tokens are revoked, as soon as the last window of the app goes');
  } else {
    log('info', `the shared session outlives a reload: once the last window of the app goes, it waits ${graceMs / 1000} s for one to come back (options.gracePeriod), then revokes its tokens`);
  }
}
