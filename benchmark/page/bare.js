// The baseline for the worker's cold start: a worker that says it is ready at once.
'use strict';
self.postMessage('ready');
