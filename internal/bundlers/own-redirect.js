// A redirect page of the app's own, through the package's subpath. It
// records what handleRedirect did where the test can read it.
import { handleRedirect } from '@snworker/servicenow/redirect';

const result = handleRedirect();
localStorage.setItem('handleRedirect', JSON.stringify(result));
