// The sample from issue 11, written for @openfin/servicenow; only the package name is changed.
declare const clientId: string;

import { connect, AuthTokenExpiredError } from '@snworker/servicenow'; // only the package name changes
const sn = await connect('https://acme.service-now.com/', clientId);
try {
  const response = await sn.executeApiRequest('/api/now/v2/table/sn_bom_financial_service');
} catch (err) {
  if (err instanceof AuthTokenExpiredError) { /* reconnect */ } else { throw err; }
}

export {};
