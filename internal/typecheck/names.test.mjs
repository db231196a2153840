// Checks that every name in anchor-names.txt (what the type files of
// @openfin/servicenow 1.0.1 export) is exported by js/servicenow.d.ts as the
// same kind of thing. names.ts, compiled by tsc, checks that each can be used so.
//
// To check the list itself against the package:
//   (cd /tmp && npm pack @openfin/servicenow@1.0.1 && tar xzf openfin-servicenow-1.0.1.tgz)
//   ANCHOR=/tmp/package node --test internal/typecheck/
// Names the package takes from @openfin/oauth, which is not published, do not
// resolve there; for them only the name is compared.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));

function listed() {
  return readFileSync(join(here, 'anchor-names.txt'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
}

// exported returns "kind name" for every export of a types entry, namespace
// members included, as TypeScript resolves them.
function exported(entry) {
  const program = ts.createProgram([entry], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noLib: true, // only the names are read, not checked: tsc does that
    types: [],
  });
  const checker = program.getTypeChecker();
  const F = ts.SymbolFlags;
  const kind = (s) => {
    if (s.flags & F.Class) return 'class';
    if (s.flags & F.Function) return 'function';
    if (s.flags & F.Variable) return checker.getTypeOfSymbol(s).getCallSignatures().length ? 'function' : 'const';
    if (s.flags & F.Module) return 'namespace';
    if (s.flags & (F.Interface | F.TypeAlias)) return 'type';
    return 'unresolved';
  };
  const out = [];
  const walk = (symbols, prefix) => {
    for (const alias of symbols) {
      let s = alias;
      if (s.flags & F.Alias) s = checker.getAliasedSymbol(s);
      const k = kind(s);
      out.push(`${k} ${prefix}${alias.name}`);
      if (k === 'namespace') walk(checker.getExportsOfModule(s), `${prefix}${alias.name}.`);
    }
  };
  const source = program.getSourceFile(entry);
  assert.ok(source, `cannot read ${entry}`);
  walk(checker.getExportsOfModule(checker.getSymbolAtLocation(source)), '');
  return out;
}

test('js/servicenow.d.ts exports every listed name as the same kind', () => {
  const want = listed();
  assert.ok(want.length > 150, `anchor-names.txt lists only ${want.length} names`);
  const have = new Set(exported(join(here, '../../js/servicenow.d.ts')));
  const missing = want.filter((n) => !have.has(n));
  assert.deepEqual(missing, [], 'js/servicenow.d.ts lacks these (kind name), or declares them as another kind');
});

test('anchor-names.txt is what @openfin/servicenow exports', { skip: !process.env.ANCHOR && 'set ANCHOR to the unpacked package' }, () => {
  const anchor = exported(join(process.env.ANCHOR, 'types/index.d.ts'));
  const byName = (l) => l.slice(l.indexOf(' ') + 1);
  const want = listed();
  const wantNames = new Set(want.map(byName));
  const notListed = anchor.filter((l) => !wantNames.has(byName(l)));
  assert.deepEqual(notListed, [], 'the package exports these, missing from anchor-names.txt');
  const anchorByName = new Map(anchor.map((l) => [byName(l), l]));
  const wrong = want.filter((l) => {
    const a = anchorByName.get(byName(l));
    return a === undefined || (!a.startsWith('unresolved ') && a !== l);
  });
  assert.deepEqual(wrong, [], 'anchor-names.txt lists these, which the package lacks or exports as another kind');
});
