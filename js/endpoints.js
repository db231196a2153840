// Remembering, per browser and instance, which token endpoint the instance
// answers this origin through, so that endpoints: 'auto' checks it once:
// the check's refused probe shows as a CORS error in the console. The
// choice is no secret, and page script may make it anyway (options.endpoints).

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

// recall sets cfg.init.endpoints to what a sign-in through 'auto' found
// before, and reports whether it did.
export function recall(cfg) {
  if (cfg.init.endpoints !== Endpoints.auto || cfg.init.tokenPath || cfg.init.allowedPaths) return false;
  const found = storage()?.getItem(key(cfg.instanceUrl));
  if (found !== Endpoints.servicenow && found !== Endpoints.openfin) return false;
  cfg.init = { ...cfg.init, endpoints: found };
  log('info', `endpoints: ${found}, as found for ${cfg.instanceUrl} at an earlier sign-in in this browser`);
  return true;
}

// remember keeps what 'auto' found, once a sign-in through it worked.
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
