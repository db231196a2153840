// The global logging switch. Logs never hold a token or code.

let logging = false;

/** Logs what the bridge does to the console. */
export function enableLogging() {
  logging = true;
}

export function disableLogging() {
  logging = false;
}

export function log(level, ...args) {
  if (logging) console[level]('[snworker]', ...args);
}
