// OpenFin's own fin, as @openfin/core types it for a window or a view, is
// what js/openfin.js takes: every option, method and event the opener (and
// so the tests' stand-in, e2e/testdata/test/finstandin.js) relies on exists
// in OpenFin's API with that type (tsc -p tsconfig.openfin.json).
import { fin } from '@openfin/core';
import type { Fin } from '../../js/openfin.js';
import { openFinWindowOpener } from '../../js/openfin.js';

export const real: Fin = fin;
export const opener = openFinWindowOpener(fin, { defaultWidth: 480, frame: false });
