// Logging on, before record.js replaces Worker: enableLogging()'s own
// check of the CSP starts a worker that the tests do not count.
import { enableLogging } from '/js/servicenow.js';

enableLogging();
