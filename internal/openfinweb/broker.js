// The web broker, as OpenFin's samples write it: the page every content page
// of the app connects through, with the package's shared worker served from
// the app's own origin.
import { init } from '@openfin/core-web/iframe-broker';

await init({ sharedWorkerUrl: new URL('/shared-worker.js', location.href).href });
