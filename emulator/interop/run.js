// Runs servicenow-rest-api, a client library by others, against the
// emulator at $INSTANCE (host:port over TLS, CA in NODE_EXTRA_CA_CERTS).
// Prints one PASS or FAIL line per step and "N passed, N failed".
'use strict';
const ServiceNow = require('servicenow-rest-api');

const sn = new ServiceNow(process.env.INSTANCE, 'abel.tuter', 'abel.tuter');
const call = (method, ...args) => new Promise((resolve) => sn[method](...args, resolve));
const failed = (v) => v instanceof Error;
const why = (v) => (failed(v) ? `${v.message}${v.response ? ` ${JSON.stringify(v.response.data)}` : ''}` : JSON.stringify(v));

const results = [];
async function step(name, fn) {
  try {
    const problem = await fn();
    results.push([name, problem]);
  } catch (e) {
    results.push([name, `threw ${e.message}`]);
  }
}

async function main() {
  let number = '';
  await step('getSampleData: one incident', async () => {
    const rows = await call('getSampleData', 'incident');
    return Array.isArray(rows) && rows.length === 1 && /^INC\d{7}$/.test(rows[0].number) ? '' : why(rows);
  });
  await step('getTableData: fields and an encoded query, display values', async () => {
    const rows = await call('getTableData', ['number', 'state', 'priority'], ['active=true', 'priority=1'], 'incident');
    if (!Array.isArray(rows) || rows.length === 0) return why(rows);
    const bad = rows.find((r) => r.priority !== '1 - Critical' || Object.keys(r).length !== 3 || /^\d+$/.test(r.state));
    return bad ? `unexpected row ${JSON.stringify(bad)}` : '';
  });
  await step('createNewTask: insert an incident', async () => {
    const rec = await call('createNewTask', { short_description: 'Made by servicenow-rest-api', urgency: '1', impact: '1' }, 'incident');
    if (failed(rec) || !/^INC\d{7}$/.test(rec.number)) return why(rec);
    number = rec.number;
    return rec.priority === '1 - Critical' && rec.sys_created_by === 'abel.tuter' ? '' : why(rec);
  });
  await step('getSysId: get by number', async () => {
    const id = await call('getSysId', 'incident', number);
    return /^[0-9a-f]{32}$/.test(id) ? '' : why(id);
  });
  await step('UpdateTask: update with a display value', async () => {
    const rec = await call('UpdateTask', 'incident', number, { state: 'In Progress' });
    return !failed(rec) && rec.state === 'In Progress' ? '' : why(rec);
  });
  await step('DeleteTask: delete by number', async () => {
    const res = await call('DeleteTask', 'incident', number);
    if (failed(res) || res.status !== 204) return why(res);
    const rows = await call('getTableData', ['number'], [`number=${number}`], 'incident');
    return Array.isArray(rows) && rows.length === 0 ? '' : `still there: ${why(rows)}`;
  });
  let attachment = null;
  await step('getAllAttachmentsMetaData: attachments of a record', async () => {
    const id = await call('getSysId', 'incident', 'INC0010300');
    const list = await call('getAllAttachmentsMetaData', id);
    if (!Array.isArray(list) || list.length !== 1) return why(list);
    attachment = list[0];
    return attachment.file_name === 'notes.txt' && attachment.table_sys_id === id ? '' : why(attachment);
  });
  await step('getAttachmentMetaData: one attachment', async () => {
    const meta = await call('getAttachmentMetaData', attachment.sys_id);
    return !failed(meta) && meta.sys_id === attachment.sys_id && meta.content_type === 'text/plain' ? '' : why(meta);
  });
  await step('getAttachment: the file', async () => {
    const res = await call('getAttachment', attachment.sys_id);
    if (failed(res)) return why(res);
    const ok = res.status === 200 && res.headers['content-type'] === 'text/plain' && String(res.data).startsWith('Notes for INC0010300');
    return ok ? '' : `status ${res.status}, ${res.headers['content-type']}: ${String(res.data).slice(0, 80)}`;
  });

  let passed = 0;
  for (const [name, problem] of results) {
    if (problem) console.log(`FAIL ${name}: ${problem}`);
    else {
      passed++;
      console.log(`PASS ${name}`);
    }
  }
  console.log(`${passed} passed, ${results.length - passed} failed`);
  process.exitCode = passed === results.length ? 0 : 1;
}

main();
