// A Node.js test suite (node:test) against oss-emulator with the official SDK (ali-oss): plain
// calls, then what only an emulator can do: inject faults, skew the clock, expire temporary
// credentials, and read back which requests the code under test sent.
//
// Run: OSS_EMULATOR_BIN=target/debug/oss-emulator node --test examples/node/example.test.js
// (after `npm install` in examples/node, or with NODE_PATH pointing at an ali-oss install).
'use strict';

const assert = require('node:assert/strict');
const { after, before, beforeEach, test } = require('node:test');
const OSS = require('ali-oss');

const { startEmulator } = require('./emulator');

let emulator;
before(async () => { emulator = await startEmulator(); });
after(async () => { await emulator.stop(); });
beforeEach(async () => { await emulator.reset(); });

function makeClient(options = {}) {
  return new OSS({
    endpoint: emulator.endpoint,
    region: `oss-${emulator.region}`,
    accessKeyId: emulator.accessKeyId,
    accessKeySecret: emulator.accessKeySecret,
    authorizationV4: true,
    sldEnable: true, // path-style URLs: the emulator listens on an IP address
    bucket: emulator.bucket,
    retryMax: 0,
    ...options,
  });
}

// The code under test: stores a report, returns its ETag.
async function uploadReport(client, name, data) {
  const result = await client.put(`reports/${name}`, Buffer.from(data));
  return result.res.headers.etag;
}

test('round trip', async () => {
  const client = makeClient();
  const etag = await uploadReport(client, 'a.txt', 'hello');
  const got = await client.get('reports/a.txt');
  assert.equal(got.content.toString(), 'hello');
  assert.equal(got.res.headers.etag, etag);
});

test('each test starts empty', async () => {
  const listed = await makeClient().listV2({});
  assert.deepEqual(listed.objects || [], []);
});

test('retries through dropped connections', async () => {
  // The first two PutObject requests have their connection closed before any answer; ali-oss
  // retries network errors (retryMax), not error statuses.
  assert.equal((await emulator.control('PUT', '/faults', { spec: 'put:first=2:reset' }))[0], 204);
  await uploadReport(makeClient({ retryMax: 2 }), 'b.txt', 'data');
  const statuses = (await emulator.journal()).filter((e) => e.operation === 'PutObject').map((e) => e.status);
  assert.deepEqual(statuses, [null, null, 200]);
});

test('gives up without retries', async () => {
  await emulator.control('PUT', '/faults', { spec: 'put:always:503' });
  await assert.rejects(uploadReport(makeClient(), 'c.txt', 'data'), { code: 'ServiceUnavailable', status: 503 });
});

test('a skewed clock is refused', async () => {
  await emulator.control('PUT', '/clock-skew', { seconds: -1200 }); // 20 minutes behind
  await assert.rejects(uploadReport(makeClient(), 'd.txt', 'data'), { code: 'RequestTimeTooSkewed' });
});

test('an expired security token is refused', async () => {
  const [status, issued] = await emulator.control('POST', '/temporary-credentials', { duration_seconds: 900 });
  assert.equal(status, 200);
  const fresh = {
    accessKeyId: issued.AccessKeyId,
    accessKeySecret: issued.AccessKeySecret,
    stsToken: issued.SecurityToken,
  };
  const client = makeClient({ ...fresh, refreshSTSToken: async () => fresh, refreshSTSTokenInterval: 3600 * 1000 });
  await uploadReport(client, 'e.txt', 'data');
  await emulator.control('POST', '/temporary-credentials/expire');
  await assert.rejects(uploadReport(client, 'e.txt', 'data'), { code: 'SecurityTokenExpired' });
});

test('buckets made over the control API', async () => {
  assert.deepEqual(await emulator.control('POST', '/buckets', { name: 'other-bucket' }), [201, { name: 'other-bucket' }]);
  await uploadReport(makeClient({ bucket: 'other-bucket' }), 'f.txt', 'data');
  const seen = (await emulator.journal()).map((e) => [e.operation, e.path]);
  assert.deepEqual(seen, [['PutObject', '/other-bucket/reports/f.txt']]);
});
