// The emulator's HTTP control API (--control-listen) driven beside ali-oss; run last by
// official_clients.js (--control URL, --preset-bucket NAME) because it changes faults, clock
// skew and credentials and ends with a reset. Checks: a bucket made at start (--bucket) and one
// made over HTTP take writes; the request journal names each ali-oss call (operation, path,
// status, the request id ali-oss saw) and holds no secret; a fault set over HTTP reaches
// ali-oss; clock skew gives RequestTimeTooSkewed; temporary credentials issued over HTTP work
// (as ali-oss's stsToken) until expired over HTTP (SecurityTokenExpired); a multipart upload
// aborted out of band gives NoSuchUpload; a reset leaves only the start buckets, empty.
'use strict';

const crypto = require('crypto');

// (status, decoded JSON or null) of one control API call, with Node's own fetch.
async function call(base, method, path, body) {
  const init = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const resp = await fetch(base + path, init);
  const text = await resp.text();
  return [resp.status, text ? JSON.parse(text) : null];
}

async function controlScenario(args, t, makeClient) {
  const label = 'control';
  const base = args.control;
  const preset = args['preset-bucket'];
  const made = `compat-node-ctl-${crypto.randomBytes(5).toString('hex')}`;
  const secret = args['access-key-secret'];
  const client = (bucket) => makeClient(args, 'v4', secret, bucket);
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  // Buckets: one made at start (--bucket), one made over HTTP.
  const p = await t.attempt(`${label} put into start bucket`, () => client(preset).put('a.txt', Buffer.from('preset')));
  t.check(`${label} start bucket takes writes`, p !== undefined && p.res.status === 200, p && p.res.status);
  let [status, body] = await call(base, 'POST', '/buckets', { name: made });
  t.check(`${label} create bucket`, status === 201 && same(body, { name: made }), [status, body]);
  [status, body] = await call(base, 'POST', '/buckets', { name: made });
  t.check(`${label} create bucket twice`, status === 409 && body.code === 'BucketAlreadyExists', [status, body]);
  const c = client(made);
  const m = await t.attempt(`${label} put into made bucket`, () => c.put('b.txt', Buffer.from('made')));
  t.check(`${label} made bucket takes writes`, m !== undefined && m.res.status === 200, m && m.res.status);

  // Journal: ali-oss's calls, with the request ids ali-oss saw.
  await call(base, 'DELETE', '/journal');
  const put = await t.attempt(`${label} journal put`, () => c.put('dir/j k.txt', Buffer.from('journal')));
  const got = await t.attempt(`${label} journal get`, () => c.get('dir/j k.txt'));
  await t.expectError(`${label} journal head missing`, () => c.head('none'), 'NoSuchKey', 404);
  [status, body] = await call(base, 'GET', '/journal');
  const entries = (body && body.requests) || [];
  const seen = entries.map((e) => [e.operation, e.method, e.path, e.status]);
  const want = [
    ['PutObject', 'PUT', `/${made}/dir/j%20k.txt`, 200],
    ['GetObject', 'GET', `/${made}/dir/j%20k.txt`, 200],
    ['HeadObject', 'HEAD', `/${made}/none`, 404],
  ];
  t.check(`${label} journal entries`, status === 200 && same(seen, want), seen);
  const ids = entries.slice(0, 2).map((e) => e.request_id);
  const sdkIds = [put, got].map((r) => r && r.res.headers['x-oss-request-id']);
  t.check(`${label} journal request ids`, same(ids, sdkIds), [ids, sdkIds]);
  const text = JSON.stringify(body);
  t.check(`${label} journal holds no secret`, !text.includes(secret) && !text.includes('Signature') && !text.includes('OSS4-HMAC-SHA256'), text);

  // Faults.
  [status] = await call(base, 'PUT', '/faults', { spec: 'get:first=1:503' });
  t.check(`${label} set fault`, status === 204, status);
  await t.expectError(`${label} fault reaches ali-oss`, () => c.get('b.txt'), 'ServiceUnavailable', 503);
  const after = await t.attempt(`${label} after the fault`, () => c.get('b.txt'));
  t.check(`${label} read after the fault`, after !== undefined && after.content.toString() === 'made', after && after.content);
  [status, body] = await call(base, 'PUT', '/faults', { spec: 'bogus' });
  t.check(`${label} bad fault spec`, status === 400 && body.code === 'InvalidFaultSpec', [status, body]);
  [status, body] = await call(base, 'GET', '/counters');
  t.check(`${label} injected faults counted`, status === 200 && body.injected_faults === 1, body);
  [status] = await call(base, 'DELETE', '/faults');
  t.check(`${label} clear faults`, status === 204, status);

  // Clock skew.
  [status] = await call(base, 'PUT', '/clock-skew', { seconds: -1200 });
  t.check(`${label} set clock skew`, status === 204, status);
  await t.expectError(`${label} skewed clock`, () => c.get('b.txt'), 'RequestTimeTooSkewed', 403);
  await call(base, 'PUT', '/clock-skew', { seconds: 0 });
  const unskewed = await t.attempt(`${label} after skew`, () => c.get('b.txt'));
  t.check(`${label} read after skew`, unskewed !== undefined && unskewed.content.toString() === 'made', unskewed && unskewed.content);

  // Temporary credentials, issued and expired over HTTP, used as ali-oss's stsToken.
  const [issuedStatus, issued] = await call(base, 'POST', '/temporary-credentials', { duration_seconds: 900 });
  t.check(`${label} issue credentials`, issuedStatus === 200 && issued.AccessKeyId.startsWith('STS.'), [issuedStatus, issued]);
  if (issuedStatus === 200) {
    const OSS = require('ali-oss');
    const sts = new OSS({
      endpoint: args.endpoint,
      region: `oss-${args.region}`,
      authorizationV4: true,
      sldEnable: true,
      bucket: made,
      retryMax: 0,
      accessKeyId: issued.AccessKeyId,
      accessKeySecret: issued.AccessKeySecret,
      stsToken: issued.SecurityToken,
      refreshSTSTokenInterval: 3600 * 1000,
      refreshSTSToken: async () => ({
        accessKeyId: issued.AccessKeyId,
        accessKeySecret: issued.AccessKeySecret,
        stsToken: issued.SecurityToken,
      }),
    });
    const r = await t.attempt(`${label} read with token`, () => sts.get('b.txt'));
    t.check(`${label} token works`, r !== undefined && r.content.toString() === 'made', r && r.content);
    [status] = await call(base, 'POST', '/temporary-credentials/expire');
    t.check(`${label} expire credentials`, status === 204, status);
    await t.expectError(`${label} expired token`, () => sts.get('b.txt'), 'SecurityTokenExpired', 403);
  }

  // A multipart upload aborted out of band.
  const init = await t.attempt(`${label} initiate`, () => c.initMultipartUpload('mp.bin'));
  if (init !== undefined) {
    const abort = { bucket: made, key: 'mp.bin', upload_id: init.uploadId };
    [status] = await call(base, 'POST', '/multipart-uploads/abort', abort);
    t.check(`${label} abort upload`, status === 204, status);
    await t.expectError(`${label} complete after abort`, () => c.completeMultipartUpload('mp.bin', init.uploadId, [{ number: 1, etag: '"0"' }]),
      'NoSuchUpload', 404);
    [status, body] = await call(base, 'POST', '/multipart-uploads/abort', abort);
    t.check(`${label} abort twice`, status === 404 && body.code === 'NoSuchUpload', [status, body]);
  }

  // Reset: only the start bucket is left, empty; counters and journal start over.
  [status] = await call(base, 'POST', '/reset');
  t.check(`${label} reset`, status === 204, status);
  [status, body] = await call(base, 'GET', '/counters');
  t.check(`${label} counters after reset`, same(body, { injected_faults: 0, requests_received: 0 }), body);
  const buckets = await t.attempt(`${label} listBuckets`, () => c.listBuckets());
  const names = buckets === undefined ? undefined : (buckets.buckets || []).map((b) => b.name).sort();
  const other = args['other-region-bucket'] ? args['other-region-bucket'].split('=')[0] : undefined;
  t.check(`${label} buckets after reset`, same(names, [preset, other].filter(Boolean).sort()), names);
  const listed = await t.attempt(`${label} list start bucket`, () => client(preset).listV2({}));
  t.check(`${label} start bucket empty`, listed !== undefined && (listed.objects || []).length === 0, listed && listed.objects);
  [status, body] = await call(base, 'GET', '/journal');
  const ops = ((body && body.requests) || []).map((e) => e.operation);
  t.check(`${label} journal after reset`, same(ops, ['ListBuckets', 'ListObjectsV2']), ops);
}

module.exports = { call, controlScenario };
