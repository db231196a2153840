// A content page of an OpenFin Web app: its fin comes from the broker, and
// goes on window.fin, as OpenFin's samples put it.
import { connect } from '@openfin/core-web';

try {
  window.fin = await connect({ options: { brokerUrl: new URL('/broker.html', location.href).href, timeout: 15000 } });
  window.finReady = true;
} catch (e) {
  window.finReady = `connect: ${e?.message ?? e}`;
}
