// The deployment checker's parts that need no server (js/check.js); the
// checks themselves run against real servers in example/check_test.go.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowsOrigin, parseArgs, parsePolicies } from '../../js/check.js';
import { Rules } from '../../js/deployment.js';

test('policies: directives by lower-case name, first one wins, several policies apart', () => {
  const [a, b] = parsePolicies(["default-src 'none'; Script-Src 'self'; script-src *", "worker-src 'self'"]);
  assert.deepEqual(a.get('script-src'), ["'self'"]);
  assert.deepEqual(b.get('worker-src'), ["'self'"]);
  assert.equal(parsePolicies(undefined).length, 0);
});

test('a source list allows the instance as browsers match it', () => {
  const inst = 'https://acme.service-now.com';
  for (const s of [inst, 'acme.service-now.com', 'https://*.service-now.com', 'https:', 'https://acme.service-now.com:443', inst + '/']) {
    assert.ok(allowsOrigin(["'self'", s], inst), s);
  }
  for (const s of ["'self'", 'https://other.service-now.com', 'http://acme.service-now.com:80', 'https://acme.service-now.com:8443', '*.other.com', "'none'"]) {
    assert.ok(!allowsOrigin([s], inst), s);
  }
  assert.ok(allowsOrigin(['http://127.0.0.1:8081'], 'http://127.0.0.1:8081'));
  assert.ok(!allowsOrigin(['http://127.0.0.1:8082'], 'http://127.0.0.1:8081'));
});

test('arguments: the subcommand, the URLs and their flags', () => {
  assert.deepEqual(parseArgs(['check', 'https://app.example.com/', '--instance', 'https://acme.service-now.com/', '--worker=https://app.example.com/w.js']),
    { app: 'https://app.example.com/', instance: 'https://acme.service-now.com', worker: 'https://app.example.com/w.js' });
  assert.throws(() => parseArgs(['https://app.example.com/']), /usage: snworker check/);
  assert.throws(() => parseArgs(['check', 'https://app.example.com/', '--instance']), /--instance needs a URL/);
  assert.throws(() => parseArgs(['check', 'https://app.example.com/', '--instance', 'https://acme.service-now.com/now']), /want an origin/);
  assert.throws(() => parseArgs(['check', 'ftp://app.example.com/']), /want an http or https URL/);
  assert.throws(() => parseArgs(['check', 'https://app.example.com/', '--bogus']), /unknown flag --bogus/);
});

test('the generated rules hold the demo policies', () => {
  assert.match(Rules.policy.worker, /connect-src 'self' <instance>$/);
  assert.deepEqual(Rules.workerDests, ['worker', 'sharedworker']);
});
