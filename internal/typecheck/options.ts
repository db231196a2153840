// connect()'s options object as its third argument, beside the positional
// form of @openfin/servicenow, and the entity types by their own names.

import { connect, type ConnectAllOptions, type ServiceNowConnection } from '@snworker/servicenow';
import type { Incident, User, Contact, ServiceNowEntities } from '@snworker/servicenow';

declare const clientId: string;
const url = 'https://acme.service-now.com';

export async function forms(): Promise<ServiceNowConnection[]> {
  const all: ConnectAllOptions = { scope: ['useraccount'], authFlowParams: { prompt: 'login' }, authWindowOptions: { width: 500 }, redirectUri: new URL('/signed-in.html', url), shared: true };
  return [
    await connect(url, clientId, { redirectUri: 'https://app.example.com/signed-in.html', shared: true }),
    await connect(url, clientId, all),
    await connect(url, clientId, {}),
    await connect(url, clientId, ['useraccount'], { prompt: 'login' }, { width: 500 }, { shared: true }),
    await connect(url, clientId, undefined, undefined, undefined, { redirectUri: url }),
    await connect(url, clientId),
  ];
}

export async function refused(): Promise<void> {
  // @ts-expect-error an option is no authorization URL parameter
  await connect(url, clientId, ['useraccount'], { redirectUri: 'https://app.example.com/' });
  // @ts-expect-error an option is no authorization URL parameter
  await connect(url, clientId, undefined, { shared: true });
  // @ts-expect-error nor in the options object's authFlowParams
  await connect(url, clientId, { authFlowParams: { shared: 'true' } });
  // @ts-expect-error the options object comes alone
  await connect(url, clientId, { shared: true }, { prompt: 'login' });
  // @ts-expect-error a misspelt option
  await connect(url, clientId, { shraed: true });
}

export function records(i: Incident, u: User, c: Contact): string[] {
  const same: ServiceNowEntities.Core.Incident = i;
  const contact: ServiceNowEntities.Core.Contact = c;
  return [same.number ?? '', u.user_name ?? '', contact.sys_id ?? ''];
}
