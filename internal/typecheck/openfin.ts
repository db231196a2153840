// OpenFin's own fin, as @openfin/core types it for a window or a view, is
// what js/openfin.js takes: every option, method and event the opener (and
// so the tests' stand-in, e2e/testdata/test/finstandin.js) relies on exists
// in OpenFin's API with that type (tsc -p tsconfig.openfin.json).
import { fin } from '@openfin/core';
import type { FinLike } from '../../js/servicenow.js';
import type { Fin } from '../../js/openfin.js';
import { openFinWindowOpener } from '../../js/openfin.js';

export const real: Fin = fin;
export const opener = openFinWindowOpener(fin, { defaultWidth: 480, frame: false });

// js/servicenow.d.ts's FinLike, which apps see, is OpenFin's fin as far as
// the opener goes, both ways.
export const published: FinLike = fin;
export const fromPublished = (f: FinLike): Fin => f;
