// The script of redirect.html.

import { handleRedirect } from './redirect.js';

const { handled, error } = handleRedirect();
const status = document.getElementById('status');
if (!handled) status.textContent = 'Nothing to do here: this page finishes a sign-in started by the app.';
else if (error) status.textContent = 'Sign-in was not completed. You can close this window.';
else status.textContent = 'Signed in. You can close this window.';
