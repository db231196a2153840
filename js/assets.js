// The package's files that the module refers to, written in the forms that
// bundlers follow: Vite and webpack 5 emit the worker (and the wasm it refers
// to) as files of their own, never inlined, and rewrite the URLs; esbuild and
// Rollup leave them as they are, relative to the bundle.

// startWorker starts the package's worker.js as a module worker.
export function startWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

// startSharedWorker starts it as the origin's shared worker, asking the
// browser to keep it a while after the last window goes (see shared.js).
export function startSharedWorker() {
  return new SharedWorker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'snworker', extendedLifetime: true });
}

// moduleUrl is this module's URL, for the files beside it that a bundler
// need not find (a wasm the app chose needs the worker's URL to carry it).
export const moduleUrl = import.meta.url;
