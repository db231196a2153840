// The token audit for the anchor app's pages: t.snapshot(), as on the
// main test page. Not part of the app.
import { snapshot } from './record.js';

window.t = { snapshot: async () => ({ ok: true, value: await snapshot(window.app?.sn) }) };
