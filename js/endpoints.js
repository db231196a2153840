// Remembering, per browser and instance, which token endpoint the instance
// answers this origin through, so that the next sign-in through
// endpoints: 'auto' checks that one alone (one refused probe, which this
// origin can read) rather than both (one of which may show as a CORS
// error). It is a hint, checked before any code is spent: page script can
// write it, and an instance's CORS can change.

import { Endpoints, Path } from './protocol.js';
import { log } from './log.js';

const key = (instance) => `snworker.endpoints ${instance}`;

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage turned off: the check runs every time
  }
}

// recall gives the worker what a sign-in through 'auto' found before as
// the endpoints to check first (cfg.init.hint), and reports whether it did.
export function recall(cfg) {
  if (cfg.init.endpoints !== Endpoints.auto || cfg.init.tokenPath || cfg.init.allowedPaths) return false;
  const found = storage()?.getItem(key(cfg.instanceUrl));
  if (found !== Endpoints.servicenow && found !== Endpoints.openfin) return false;
  cfg.init = { ...cfg.init, hint: found };
  log('info', `endpoints: checking ${found} first, as found for ${cfg.instanceUrl} at an earlier sign-in in this browser`);
  return true;
}

// remember keeps what 'auto' found, once a sign-in through it worked,
// replacing a hint that no longer held.
export function remember(cfg, found) {
  if (cfg.init.endpoints !== Endpoints.auto || cfg.init.tokenPath) return;
  const name = found?.tokenPath === Path.openfinToken ? Endpoints.openfin
    : found?.tokenPath === Path.defaultToken ? Endpoints.servicenow : null;
  try {
    if (name) storage()?.setItem(key(cfg.instanceUrl), name);
  } catch {
    // not kept: the check runs again next time
  }
}

// forget drops it after a failed sign-in, so that the next one checks again.
export function forget(cfg) {
  try {
    storage()?.removeItem(key(cfg.instanceUrl));
  } catch {
    // nothing kept
  }
}
