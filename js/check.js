#!/usr/bin/env node
// snworker check <app URL> [--instance <instance URL>] [--worker <worker.js URL>] [--redirect <URL>]
//
// Checks a deployed app from outside, as a browser would load it: the
// policies, the serving rule, the wasm's path and size, the redirect URL and,
// with --instance, the instance's CORS. One line per check; exit 0 when all
// hold, 1 when one fails, 2 when something could not be checked. Node's own
// http and https only: fetch would undo the compression whose bytes it counts.

import { realpathSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { Rules } from './deployment.js';

const usage = 'usage: snworker check <app URL> [--instance <instance URL>] [--worker <worker.js URL>] [--redirect <redirect URL>]';
const browserEncodings = 'gzip, deflate, br, zstd';
const timeoutMs = 20000;

// get answers one request: status, lower-case headers, the bytes on the wire
// and, when text is wanted, the body (as sent: ask for no compression).
function get(url, { method = 'GET', headers = {}, text = false } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : null;
    if (!lib) return reject(new Error(`${url}: want an http or https URL`));
    const req = lib.request(u, { method, headers: { 'User-Agent': 'snworker-check', ...headers }, timeout: timeoutMs }, (res) => {
      const chunks = [];
      let bytes = 0;
      res.on('data', (c) => { bytes += c.length; if (text && bytes <= 32 << 20) chunks.push(c); });
      res.on('end', () => resolve({
        url, status: res.statusCode, headers: res.headers, bytes,
        body: text ? Buffer.concat(chunks).toString('utf8') : '',
      }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

// page gets a document, following redirects as a browser does.
async function page(url, dest = 'document') {
  for (let i = 0; i < 10; i++) {
    const res = await get(url, { headers: { 'Sec-Fetch-Dest': dest, 'Sec-Fetch-Mode': 'navigate', Accept: 'text/html' }, text: true });
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      url = new URL(res.headers.location, url).href;
      continue;
    }
    return res;
  }
  throw new Error(`${url}: more than 10 redirects`);
}

// Policy parsing. A header may hold several policies (comma-separated, or
// repeated): a browser enforces each, so one that satisfies a rule suffices.
export function parsePolicies(header) {
  const all = [header || ''].flat().join(',');
  return all.split(',').map((p) => {
    const dirs = new Map();
    for (const d of p.split(';')) {
      const [name, ...sources] = d.trim().split(/\s+/).filter(Boolean);
      if (name && !dirs.has(name.toLowerCase())) dirs.set(name.toLowerCase(), sources);
    }
    return dirs;
  }).filter((d) => d.size > 0);
}

// effective is the directive's value in one policy, as browsers read it.
function effective(dirs, rule) {
  for (const name of [rule.directive, ...(rule.fallback || [])]) {
    if (dirs.has(name)) return { name, sources: dirs.get(name) };
  }
  return null;
}

// allowsOrigin reports whether a source list allows fetching origin.
export function allowsOrigin(sources, origin) {
  const o = new URL(origin);
  const port = o.port || (o.protocol === 'https:' ? '443' : '80');
  return sources.some((s) => {
    if (s === '*' || s.toLowerCase() === o.protocol) return true;
    const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^/:]+)(?::(\d+|\*))?(?:\/.*)?$/i.exec(s);
    if (!m || s.startsWith("'")) return false;
    const [, scheme, wild, host, p] = m;
    if (scheme && scheme.toLowerCase() !== o.protocol.slice(0, -1)) return false;
    const h = host.toLowerCase();
    if (wild ? !o.hostname.endsWith('.' + h) : o.hostname !== h) return false;
    if (p === '*') return true;
    return (p || (scheme?.toLowerCase() === 'http' ? '80' : '443')) === port || (!p && !scheme);
  });
}

// ruleProblem returns why one policy breaks rule, or '' if it holds.
function ruleProblem(dirs, rule, instance) {
  const eff = effective(dirs, rule);
  if (!eff) {
    const names = [rule.directive, ...(rule.fallback || [])].join(', ');
    return `no ${names}: ${rule.why}`;
  }
  const shown = `${eff.name} ${eff.sources.join(' ')}`;
  const bad = (rule.forbid || []).filter((f) => eff.sources.some((s) => s.toLowerCase() === f));
  if (bad.length) return `${shown} allows ${bad.join(' ')}: ${rule.why}`;
  if (rule.only && !eff.sources.every((s) => rule.only.includes(s.toLowerCase()))) {
    return `${shown}: want ${rule.only.join(' or ')}; otherwise ${rule.why}`;
  }
  if (rule.anyOf && !eff.sources.some((s) => rule.anyOf.includes(s.toLowerCase()))) {
    return `${shown} has no ${rule.anyOf[0]}: ${rule.why}`;
  }
  if (rule.instance && instance && !allowsOrigin(eff.sources, instance)) {
    return `${shown} does not name the instance ${instance}: ${rule.why}`;
  }
  return '';
}

// policyProblems checks rules against a response's policies; a rule holds if
// one policy satisfies it.
function policyProblems(header, rules, instance) {
  const policies = parsePolicies(header);
  if (!policies.length) return ['no Content-Security-Policy header'];
  const out = [];
  for (const rule of rules) {
    const why = policies.map((p) => ruleProblem(p, rule, instance));
    if (why.every(Boolean)) out.push(why[0]);
  }
  return out;
}

const linkish = /new\s+URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g;
const importish = /(?:\bimport\s*(?:[\w*{}\s,$]+\s*from\s*)?|\bexport\s*[\w*{}\s,$]+\s*from\s*|\bimport\(\s*)(['"])([^'"]+)\1/g;

// moduleGraph fetches a page's module scripts and what they import, up to
// 200 files, and returns their texts by URL.
async function moduleGraph(pageRes) {
  const html = pageRes.body;
  const start = [];
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) {
    const src = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[1]);
    if (src) start.push(new URL(src[1] ?? src[2] ?? src[3], pageRes.url).href);
  }
  for (const m of html.matchAll(/<link\b[^>]*\brel\s*=\s*["']?modulepreload[^>]*>/gi)) {
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[0]);
    if (href) start.push(new URL(href[1] ?? href[2] ?? href[3], pageRes.url).href);
  }
  const inline = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]).join('\n');
  const texts = new Map([[pageRes.url, inline]]);
  const queue = [...start];
  for (const m of inline.matchAll(importish)) queue.push(new URL(m[2], pageRes.url).href);
  while (queue.length && texts.size < 200) {
    const url = queue.shift();
    if (texts.has(url) || !/^https?:/.test(url)) continue;
    const res = await get(url, { headers: { 'Sec-Fetch-Dest': 'script' }, text: true }).catch(() => null);
    texts.set(url, res && res.status === 200 ? res.body : '');
    if (!res || res.status !== 200) continue;
    for (const m of res.body.matchAll(importish)) {
      if (/^[./]|^https?:/.test(m[2])) queue.push(new URL(m[2], url).href);
    }
  }
  return texts;
}

// workerIn finds the worker's URL in the module graph: a URL built from
// import.meta.url whose name says worker and ends in .js.
function workerIn(texts) {
  for (const [url, text] of texts) {
    for (const m of text.matchAll(linkish)) {
      const name = m[2].split(/[?#]/)[0].split('/').pop();
      if (/worker/i.test(name) && /\.m?js$/.test(name)) return new URL(m[2], url).href;
    }
  }
  return null;
}

// wasmUrls are the files the worker fetches, as its script names them, or
// beside it.
function wasmUrls(workerUrl, text) {
  const found = {};
  for (const m of text.matchAll(linkish)) {
    const name = m[2].split(/[?#]/)[0].split('/').pop();
    if (/probe/i.test(name)) found.probe ??= m[2];
    else if (/\.gz$/i.test(name)) found.gzip ??= m[2];
    else if (/\.wasm$/i.test(name)) found.wasm ??= m[2];
  }
  const at = (k) => new URL(found[k] ?? './' + Rules.files[k], workerUrl).href;
  return { wasm: at('wasm'), gzip: at('gzip'), probe: at('probe') };
}

const fmt = (n) => n.toLocaleString('en-US');
const type = (res) => (res.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
const encoding = (res) => (res.headers['content-encoding'] || 'identity').toLowerCase();
const varies = (res, name) => (res.headers.vary || '').toLowerCase().split(',').map((s) => s.trim()).includes(name.toLowerCase());

// A report collects the lines.
class Report {
  constructor(out) { this.out = out; this.failed = 0; this.unchecked = 0; }
  pass(name, detail) { this.out(`ok    ${name}: ${detail}`); }
  fail(name, detail, fix, doc) {
    this.failed++;
    this.out(`FAIL  ${name}: ${detail}\n      fix: ${fix}\n      see ${Rules.docs[doc]}`);
  }
  skip(name, why) { this.unchecked++; this.out(`??    ${name}: could not check: ${why}`); }
  get code() { return this.failed ? 1 : this.unchecked ? 2 : 0; }
}

export function parseArgs(argv) {
  const args = [...argv];
  if (args[0] !== 'check') throw new Error(usage);
  args.shift();
  const opts = {};
  const rest = [];
  while (args.length) {
    const a = args.shift();
    const [flag, inline] = a.split(/=(.*)/s);
    if (['--instance', '--worker', '--redirect'].includes(flag)) {
      const v = inline ?? args.shift();
      if (!v) throw new Error(`${flag} needs a URL`);
      opts[flag.slice(2)] = v;
    } else if (a === '-h' || a === '--help') {
      throw new Error(usage);
    } else if (a.startsWith('-')) {
      throw new Error(`unknown flag ${a}\n${usage}`);
    } else rest.push(a);
  }
  if (rest.length !== 1) throw new Error(usage);
  opts.app = rest[0];
  for (const k of ['app', 'instance', 'worker', 'redirect']) {
    if (opts[k] === undefined) continue;
    let u;
    try { u = new URL(opts[k]); } catch { throw new Error(`${k} URL ${JSON.stringify(opts[k])}: want an absolute http or https URL`); }
    if (!/^https?:$/.test(u.protocol)) throw new Error(`${k} URL ${opts[k]}: want an http or https URL`);
  }
  if (opts.instance) {
    const u = new URL(opts.instance);
    if (u.pathname !== '/' || u.search) throw new Error(`instance URL ${opts.instance}: want an origin such as https://acme.service-now.com`);
    opts.instance = u.origin;
  }
  return opts;
}

const workerPolicyFor = (instance) => Rules.policy.worker.replace('<instance>', instance || 'https://<your instance>');
const noCOOP = (res) => ['', 'unsafe-none'].includes((res.headers['cross-origin-opener-policy'] || '').trim().toLowerCase());

async function checkAppPage(r, app) {
  const problems = policyProblems(app.headers['content-security-policy'], Rules.pageRules);
  if (problems.length) {
    r.fail('app page CSP', problems.join('; '), `send Content-Security-Policy: ${Rules.policy.page} on ${app.url} (add what your page needs, keeping those rules)`, 'serving');
  } else r.pass('app page CSP', 'worker-src, script-src, connect-src and frame-ancestors as the docs give them');
  if (noCOOP(app)) r.pass('app page COOP', 'no Cross-Origin-Opener-Policy');
  else r.fail('app page COOP', `Cross-Origin-Opener-Policy: ${app.headers['cross-origin-opener-policy']} cuts the page off from its sign-in window`, 'send no Cross-Origin-Opener-Policy on the page that calls connect()', 'serving');
}

async function checkWorker(r, workerUrl, instance) {
  const asWorker = await get(workerUrl, { headers: { 'Sec-Fetch-Dest': 'worker', 'Accept-Encoding': browserEncodings } });
  if (asWorker.status !== 200) {
    r.fail('worker.js to a worker', `${workerUrl} answered ${asWorker.status} to Sec-Fetch-Dest: worker`, `serve worker.js to requests whose Sec-Fetch-Dest is ${Rules.workerDests.join(' or ')}`, 'serving');
  } else {
    const shared = await get(workerUrl, { headers: { 'Sec-Fetch-Dest': 'sharedworker' } });
    if (shared.status !== 200) r.fail('worker.js to a worker', `answered ${shared.status} to Sec-Fetch-Dest: sharedworker`, `serve worker.js to requests whose Sec-Fetch-Dest is ${Rules.workerDests.join(' or ')}`, 'serving');
    else r.pass('worker.js to a worker', `200 to Sec-Fetch-Dest: ${Rules.workerDests.join(' and ')}`);
    const problems = policyProblems(asWorker.headers['content-security-policy'], Rules.workerRules, instance);
    if (problems.length) {
      r.fail('worker.js CSP', problems.join('; '), `send Content-Security-Policy: ${workerPolicyFor(instance)} on worker.js, and on it alone`, 'serving');
    } else {
      const named = parsePolicies(asWorker.headers['content-security-policy']).map((p) => effective(p, Rules.workerRules[1])?.sources.join(' ')).filter(Boolean)[0];
      r.pass('worker.js CSP', instance ? `its own, connect-src naming ${instance}` : `its own, connect-src ${named} (give --instance to check it names yours)`);
    }
  }
  const asPage = await get(workerUrl, { headers: { 'Sec-Fetch-Dest': 'document', 'Sec-Fetch-Mode': 'navigate' } });
  const leaks = policyProblems(asPage.headers['content-security-policy'], Rules.workerRules.slice(0, 1)).length === 0;
  if (asPage.status >= 200 && asPage.status < 300) {
    r.fail('worker.js refused as a page', `${workerUrl} answered ${asPage.status} to Sec-Fetch-Dest: document: page script could open it as a same-origin page with the worker's policy`, `answer 403 unless Sec-Fetch-Dest is ${Rules.workerDests.join(' or ')}, with Vary: Sec-Fetch-Dest`, 'serving');
  } else if (leaks) {
    r.fail('worker.js refused as a page', `the ${asPage.status} refusal carries the worker's policy`, `send Content-Security-Policy: ${Rules.policy.base} on the refusal`, 'serving');
  } else if (!varies(asPage, 'Sec-Fetch-Dest') || (asWorker.status === 200 && !varies(asWorker, 'Sec-Fetch-Dest'))) {
    r.fail('worker.js refused as a page', `refused with ${asPage.status}, but without Vary: Sec-Fetch-Dest a cache may hand the script to a page`, 'send Vary: Sec-Fetch-Dest on worker.js, served or refused', 'serving');
  } else r.pass('worker.js refused as a page', `${asPage.status} to Sec-Fetch-Dest: document, Vary: Sec-Fetch-Dest`);
  return asWorker;
}

async function checkWasm(r, workerUrl, workerRes) {
  const workerText = (await get(workerUrl, { headers: { 'Sec-Fetch-Dest': 'worker' }, text: true })).body;
  const urls = wasmUrls(workerUrl, workerText);
  const wasmHead = await get(urls.wasm, { method: 'HEAD', headers: { 'Sec-Fetch-Dest': 'empty' } });
  if (wasmHead.status !== 200) {
    r.fail('wasm type', `${urls.wasm} answered ${wasmHead.status}`, `serve ${Rules.files.wasm} beside worker.js`, 'serving');
    return;
  }
  const probe = await get(urls.probe, { headers: { 'Sec-Fetch-Dest': 'empty', 'Accept-Encoding': browserEncodings } });
  const bad = [[urls.wasm, wasmHead], [urls.probe, probe]].filter(([, res]) => res.status === 200 && type(res) !== Rules.wasmType);
  if (bad.length) {
    r.fail('wasm type', bad.map(([u, res]) => `${u} is ${type(res) || 'untyped'}`).join('; ') + ': the browser cannot keep its compiled code', `serve .wasm files as Content-Type: ${Rules.wasmType}`, 'serving');
  } else r.pass('wasm type', Rules.wasmType);

  // The worker's own choice: see wasmResponse in worker.js.
  let path, name, wasmRes;
  if (probe.status === 200 && encoding(probe) !== 'identity') {
    wasmRes = await get(urls.wasm, { headers: { 'Sec-Fetch-Dest': 'empty', 'Accept-Encoding': browserEncodings } });
    name = Rules.files.wasm;
    path = `${name} as the server compresses it (${encoding(wasmRes)})`;
    if (encoding(wasmRes) === 'identity') {
      r.fail('compressed wasm', `the server compressed ${Rules.files.probe} (${encoding(probe)}) but sends ${Rules.files.wasm} uncompressed, ${fmt(wasmRes.bytes)} bytes`, `compress ${Rules.files.wasm} as you do ${Rules.files.probe}, or neither (the worker then takes ${Rules.files.gzip})`, 'compression');
    } else r.pass('compressed wasm', path);
  } else {
    wasmRes = await get(urls.gzip, { headers: { 'Sec-Fetch-Dest': 'empty', 'Accept-Encoding': browserEncodings } });
    if (wasmRes.status !== 200) {
      const raw = await get(urls.wasm, { headers: { 'Sec-Fetch-Dest': 'empty', 'Accept-Encoding': browserEncodings } });
      r.fail('compressed wasm', `the server compresses nothing and ${urls.gzip} answered ${wasmRes.status}, so a first visit downloads the raw ${fmt(raw.bytes)} bytes`, `serve ${Rules.files.gzip} beside ${Rules.files.wasm}, or compress application/wasm on the server`, 'compression');
      wasmRes = raw;
      name = Rules.files.wasm;
    } else {
      name = Rules.files.gzip;
      r.pass('compressed wasm', `${name}, decompressed by the worker (the server compresses nothing)`);
    }
  }
  const total = workerRes.bytes + probe.bytes + wasmRes.bytes;
  r.pass('first visit', `${fmt(total)} bytes: worker.js ${fmt(workerRes.bytes)}, ${Rules.files.probe} ${fmt(probe.bytes)}, ${name} ${fmt(wasmRes.bytes)}`);
}

async function checkRedirect(r, redirectUrl, app, appTexts) {
  let res = app, texts = appTexts;
  if (new URL(redirectUrl).href !== new URL(app.url).href) {
    res = await page(redirectUrl);
    texts = null;
  }
  if (res.status !== 200) {
    r.fail('redirect URL', `${redirectUrl} answered ${res.status}`, 'serve a page that imports the module there, or pass connect() a redirectUri that does (and register it on the instance)', 'redirect');
    return;
  }
  texts ??= await moduleGraph(res);
  const loads = [...texts.values()].some((t) => t.includes(Rules.redirectMarker));
  if (!loads) {
    r.fail('redirect URL', `${redirectUrl} loads no script that finishes a sign-in`, 'import the module (or handleRedirect from @snworker/servicenow/redirect) in the page at the redirect URL', 'redirect');
  } else if (!noCOOP(res)) {
    r.fail('redirect URL', `Cross-Origin-Opener-Policy: ${res.headers['cross-origin-opener-policy']} on ${redirectUrl}`, 'send no Cross-Origin-Opener-Policy on the redirect page', 'serving');
  } else {
    const problems = res === app ? [] : policyProblems(res.headers['content-security-policy'], Rules.pageRules.filter((x) => x.directive !== 'worker-src' && x.directive !== 'connect-src'));
    if (problems.length) r.fail('redirect URL', `${redirectUrl}: ${problems.join('; ')}`, `send Content-Security-Policy: ${Rules.policy.redirect}`, 'serving');
    else r.pass('redirect URL', `${redirectUrl} loads the module`);
  }
}

// preflight asks the instance what a browser asks before a call with a bearer token.
async function preflight(instance, path, method, appOrigin) {
  const res = await get(instance + path, {
    method: 'OPTIONS',
    headers: { Origin: appOrigin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization', 'Sec-Fetch-Mode': 'cors' },
  });
  const allowOrigin = res.headers['access-control-allow-origin'];
  const allowHeaders = (res.headers['access-control-allow-headers'] || '').toLowerCase().split(',').map((s) => s.trim());
  if (res.status < 200 || res.status >= 300) return `answered the preflight ${res.status}`;
  if (allowOrigin !== appOrigin && allowOrigin !== '*') return allowOrigin ? `allows the origin ${allowOrigin}, not ${appOrigin}` : `sends no Access-Control-Allow-Origin for ${appOrigin}`;
  if (!allowHeaders.includes('authorization')) return 'does not allow the Authorization header';
  return '';
}

async function checkInstance(r, instance, appOrigin) {
  try {
    const res = await get(instance + '/', { method: 'HEAD' });
    r.pass('instance answers', `${instance} answered ${res.status}`);
  } catch (err) {
    r.fail('instance answers', `${instance} is unreachable (${err.code || err.message}), before any CORS`, 'check the instance URL, and that this machine can reach it', 'cors');
    return;
  }
  const api = await preflight(instance, Rules.apiPath, 'GET', appOrigin);
  if (api) r.fail('instance CORS for the API', `${Rules.apiPath} ${api}`, `add a CORS rule on the instance for ${appOrigin} with Authorization, Content-Type allowed`, 'cors');
  else r.pass('instance CORS for the API', `${Rules.apiPath} allows ${appOrigin} with Authorization`);
  const why = [];
  for (const p of Rules.tokenPaths) {
    const problem = await preflight(instance, p, 'POST', appOrigin);
    if (!problem) {
      r.pass('instance CORS for the token endpoint', `${p} allows ${appOrigin} with Authorization; the worker uses it`);
      return;
    }
    why.push(`${p} ${problem}`);
  }
  r.fail('instance CORS for the token endpoint', why.join('; '), `set the system property glide.oauth.cors.allowed.origin to ${appOrigin}, or install the OpenFin Store app and add a CORS rule for ${appOrigin} on /api/x_opfi_openfin/`, 'cors');
}

export async function check(opts, out = console.log) {
  const r = new Report(out);
  let app;
  try {
    app = await page(opts.app);
  } catch (err) {
    r.skip('app page', `${opts.app}: ${err.code || err.message}`);
    return r.code;
  }
  if (app.status !== 200) {
    r.skip('app page', `${opts.app} answered ${app.status}`);
    return r.code;
  }
  const appOrigin = new URL(app.url).origin;
  await checkAppPage(r, app);
  const texts = await moduleGraph(app);
  const workerUrl = opts.worker ?? workerIn(texts);
  if (!workerUrl) {
    r.skip('worker.js', 'found no worker in the page\'s modules: pass --worker <URL of worker.js>');
  } else {
    try {
      const workerRes = await checkWorker(r, workerUrl, opts.instance);
      if (workerRes.status === 200) await checkWasm(r, workerUrl, workerRes);
    } catch (err) {
      r.skip('worker.js', `${workerUrl}: ${err.code || err.message}`);
    }
  }
  try {
    await checkRedirect(r, opts.redirect ?? new URL('./', app.url).href, app, texts);
  } catch (err) {
    r.skip('redirect URL', err.code || err.message);
  }
  if (opts.instance) await checkInstance(r, opts.instance, appOrigin);
  else out('--    instance: not checked (give --instance <instance URL>)');
  return r.code;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(err.message);
    return 2;
  }
  return check(opts);
}

// Run as a command (also through npm's bin link), not when imported.
const isMain = () => {
  try { return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url); } catch { return false; }
};
if (isMain()) process.exitCode = await main();
