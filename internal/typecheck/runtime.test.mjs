// Checks that js/servicenow.d.ts accepts every option value the runtime
// accepts, by comparing the types' literal unions with the lists in
// js/protocol.js (generated from bridge/) that settings.js, request.js and
// the worker check values against. A value added to the runtime and not
// to the types fails here, as does an option the runtime reads that the
// types leave out.

import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { Endpoints, EventName, Methods } from '../../js/protocol.js';
import { checkRequestOptions } from '../../js/request.js';
import { optionNames, settings } from '../../js/settings.js';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '../../js/servicenow.d.ts');

const program = ts.createProgram([entry], {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [],
});
const checker = program.getTypeChecker();
const module = checker.getSymbolAtLocation(program.getSourceFile(entry));
const exported = (name) => {
  const s = checker.getExportsOfModule(module).find((e) => e.name === name);
  assert.ok(s, `js/servicenow.d.ts exports no ${name}`);
  return checker.getDeclaredTypeOfSymbol(s);
};

// literals are the string literals of a type (a union's members), without
// undefined and without the open end of HttpMethod's (string & {}).
function literals(type) {
  const members = type.isUnion() ? type.types : [type];
  return members.filter((t) => t.isStringLiteral()).map((t) => t.value).sort();
}

function property(type, name) {
  const p = type.getProperty(name);
  assert.ok(p, `no property ${name}`);
  return checker.getNonNullableType(checker.getTypeOfSymbol(p));
}

test('ConnectOptions.endpoints takes every value settings.js accepts (protocol.js Endpoints)', () => {
  assert.deepEqual(literals(property(exported('ConnectOptions'), 'endpoints')), Object.values(Endpoints).sort());
});

test('WorkerEventName names every event the worker sends (protocol.js EventName)', () => {
  assert.deepEqual(literals(exported('WorkerEventName')), Object.values(EventName).sort());
});

test('HttpMethod names every method request.js accepts (protocol.js Methods)', () => {
  assert.deepEqual(literals(exported('HttpMethod')), [...Methods].sort());
});

test('URL options take a URL object as well as a string, as settings.js does', () => {
  const options = exported('ConnectOptions');
  for (const name of ['redirectUri', 'workerUrl', 'wasmUrl']) {
    const t = property(options, name);
    const text = checker.typeToString(t);
    assert.match(text, /\bURL\b/, `ConnectOptions.${name} is ${text}: want string | URL`);
  }
  const connect = checker.getExportsOfModule(module).find((e) => e.name === 'connect');
  const first = checker.getSignaturesOfType(checker.getTypeOfSymbol(connect), ts.SignatureKind.Call)[0].parameters[0];
  assert.match(checker.typeToString(checker.getTypeOfSymbol(first)), /\bURL\b/, 'connect()\'s instanceUrl takes no URL object');
});

// reads returns the names of the properties fn reads from the object it is given.
function reads(fn) {
  const names = new Set();
  fn(new Proxy({}, { get: (_, k) => { if (typeof k === 'string') names.add(k); return undefined; } }));
  return [...names].sort();
}

function properties(type) {
  return type.getProperties().map((p) => p.name);
}

test('the .d.ts types every option settings.js and request.js read', () => {
  globalThis.location ??= { href: 'https://app.example/', origin: 'https://app.example' };
  const connect = (options, windowOptions) => settings('https://name.service-now.com', 'client', undefined, undefined, windowOptions, options);
  const cases = [
    ['ConnectOptions', reads((o) => connect(o))],
    ['AuthWindowOptions', reads((w) => connect(undefined, w))],
    ['RequestOptions', reads((o) => checkRequestOptions(o))],
  ];
  for (const [type, names] of cases) {
    assert.ok(names.length > 0, `no option of ${type} was read`);
    const typed = properties(exported(type));
    for (const n of names) assert.ok(typed.includes(n), `${type} in js/servicenow.d.ts has no ${n}, which the runtime reads`);
  }
});

test('authFlowParams refuses exactly the option names ConnectOptions has (settings.js optionNames)', () => {
  assert.deepEqual([...optionNames].sort(), properties(exported('ConnectOptions')).sort());
});

test('every type in ServiceNowEntities is exported by its own name too', () => {
  const exports = new Set(checker.getExportsOfModule(module).map((e) => e.name));
  const entities = checker.getExportsOfModule(module).find((e) => e.name === 'ServiceNowEntities');
  const missing = [];
  for (const ns of checker.getExportsOfModule(entities)) {
    for (const t of checker.getExportsOfModule(ns)) if (!exports.has(t.name)) missing.push(`${ns.name}.${t.name}`);
  }
  assert.ok(exports.has('Incident'));
  assert.deepEqual(missing, [], 'export these from js/entities.d.ts by name');
});
