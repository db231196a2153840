// res.data is typed as present where the call can't yield an empty body:
// GET, POST, PUT and PATCH with the body not suppressed. Elsewhere it may
// be absent, as at run time.
import type { ServiceNowConnection, ServiceNowEntities as E } from '@snworker/servicenow';

export async function data(sn: ServiceNowConnection): Promise<number> {
  const list = await sn.executeApiRequest<E.Core.Incident[]>('/api/now/table/incident?sysparm_limit=1');
  const created = await sn.executeApiRequest<E.Core.Incident>('/api/now/table/incident', 'POST', { short_description: 'x' });
  const gone = await sn.executeApiRequest('/api/now/table/incident/1', 'DELETE');
  const quiet = await sn.executeApiRequest<E.Core.Incident>('/api/now/table/incident', 'POST', {}, true);
  // @ts-expect-error a DELETE's data may be absent
  gone.data.toString();
  // @ts-expect-error a suppressed body is absent
  quiet.data.number;
  return list.data.length + (created.data.sys_id ?? "").length;
}
