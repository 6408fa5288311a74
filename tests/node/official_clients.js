#!/usr/bin/env node
// Drives the official Alibaba Cloud OSS Node.js SDK (ali-oss) against a running oss-emulator.
//
// Two clients: ali-oss with V1 signatures and with V4 (`authorizationV4: true`). The emulator
// listens on an IP address, so both use `sldEnable: true` (path-style URLs: /bucket/key);
// without it ali-oss drops the bucket from the path of an IP endpoint.
//
// Each client creates its own buckets and checks: PutObject with user metadata (a key with a
// space, '+' and non-ASCII text), GetObject whole and by range, HeadObject, GetObjectMeta,
// ListObjects (v1 and v2) with prefix and delimiter, keys with edge whitespace, a control
// character and '+' through encoding-type=url, CopyObject (cross bucket, REPLACE, missing
// source), AppendObject, object tagging, object and bucket ACL, symlinks, GetBucketInfo,
// GetBucketLocation, GetBucketStat, DeleteMultipleObjects, multipart upload (initiate, parts,
// ListParts, ListMultipartUploads, complete, abort, and the managed multipartUpload), presigned
// GET and PUT URLs, putStream (chunked and sized) and getStream, putMeta, conditional GETs
// (304, 412), multipartUploadCopy (UploadPartCopy), versioning with delete markers and
// ListObjectVersions, RestoreObject of an Archive object, 501 NotImplemented for a feature the
// emulator lacks, an unknown encryption algorithm refused, a HEAD of a missing key (NoSuchKey), a wrong secret (SignatureDoesNotMatch)
// and, with --other-region-bucket, a bucket in another region (403 AccessDenied). With --control URL (the emulator's control API) and
// --preset-bucket NAME (a bucket made with --bucket), tests/node/control.js runs last.
//
// Prints one line per failed check and ends with `official-clients-node: N passed, M failed`.
// Exit status 1 when any check failed.
'use strict';

const crypto = require('crypto');
const path = require('path');
const { parseArgs } = require('util');

const OSS = require('ali-oss');
const { Checks } = require('./checks');

const OBJECTS = {
  'top.txt': Buffer.from('top-level object'),
  'dir/a b+c \u00fcn\u00efc\u00f8de.txt': Buffer.from('bytes with unicode \u6253\u5305\u6d4b\u8bd5', 'utf8'),
  'dir/sub/x.bin': Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256)),
};
const SPECIAL_KEY = 'dir/a b+c \u00fcn\u00efc\u00f8de.txt';
const META = { author: 'ann', purpose: 'compat-check' };
const TRICKY = [
  'tricky/trail ',
  'tricky/  lead',
  'tricky/three   spaces',
  'tricky/tab\tend\t',
  'tricky/bad\x08name.txt',
  'tricky/c++/a b.txt',
];
const TRICKY_CONTENTS = TRICKY.filter((k) => !k.slice('tricky/'.length).includes('/')).sort();
const PART = 100 * 1024;

function pattern(n, seed) {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i += 1) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

function uniqueBucket(tag) {
  return `compat-node-${tag}-${crypto.randomBytes(5).toString('hex')}`;
}

function makeClient(args, version, secret, bucket) {
  return new OSS({
    endpoint: args.endpoint,
    accessKeyId: args['access-key-id'],
    accessKeySecret: secret,
    region: `oss-${args.region}`,
    authorizationV4: version === 'v4',
    sldEnable: true,
    bucket,
    retryMax: 0,
  });
}

function header(res, name) {
  return res && res.headers ? res.headers[name] : undefined;
}

async function basics(args, version, t) {
  const label = `ali-oss-${version}`;
  const bucket = uniqueBucket(version);
  const client = makeClient(args, version, args['access-key-secret'], bucket);

  const created = await t.attempt(`${label} putBucket`, () => client.putBucket(bucket));
  if (created === undefined) return;
  t.check(`${label} putBucket status`, created.res.status === 200, created.res.status);

  const crcs = {};
  for (const [key, body] of Object.entries(OBJECTS)) {
    const r = await t.attempt(`${label} put ${key}`, () => client.put(key, body, { meta: META }));
    if (r !== undefined) {
      const etag = header(r.res, 'etag');
      t.check(`${label} put ${key} etag`, /^"[0-9A-F]{32}"$/.test(etag), etag);
      crcs[key] = header(r.res, 'x-oss-hash-crc64ecma');
      t.check(`${label} put ${key} crc`, /^[0-9]+$/.test(crcs[key] || ''), crcs[key]);
    }
  }
  for (const [key, body] of Object.entries(OBJECTS)) {
    const r = await t.attempt(`${label} get ${key}`, () => client.get(key));
    if (r !== undefined) {
      t.check(`${label} get ${key} bytes`, r.content.equals(body), 'content differs');
      t.check(`${label} get ${key} crc`, header(r.res, 'x-oss-hash-crc64ecma') === crcs[key], header(r.res, 'x-oss-hash-crc64ecma'));
    }
  }

  const range = await t.attempt(`${label} range get`, () => client.get(SPECIAL_KEY, { headers: { Range: 'bytes=2-5' } }));
  if (range !== undefined) {
    t.check(`${label} range bytes`, range.content.equals(OBJECTS[SPECIAL_KEY].subarray(2, 6)), range.content);
    t.check(`${label} range status`, range.res.status === 206, range.res.status);
  }

  const head = await t.attempt(`${label} head`, () => client.head(SPECIAL_KEY));
  if (head !== undefined) {
    t.check(`${label} head size`, Number(header(head.res, 'content-length')) === OBJECTS[SPECIAL_KEY].length, header(head.res, 'content-length'));
    t.check(`${label} head metadata`, JSON.stringify(head.meta) === JSON.stringify(META), head.meta);
    t.check(`${label} head type`, header(head.res, 'x-oss-object-type') === 'Normal', header(head.res, 'x-oss-object-type'));
  }
  const meta = await t.attempt(`${label} getObjectMeta`, () => client.getObjectMeta(SPECIAL_KEY));
  if (meta !== undefined) {
    t.check(`${label} object meta size`, Number(header(meta.res, 'content-length')) === OBJECTS[SPECIAL_KEY].length, header(meta.res, 'content-length'));
  }

  for (const [name, list] of [['list', (q) => client.list(q)], ['listV2', (q) => client.listV2(q)]]) {
    const r = await t.attempt(`${label} ${name}`, () => list({ prefix: 'dir/', delimiter: '/' }));
    if (r !== undefined) {
      const keys = (r.objects || []).map((o) => o.name);
      t.check(`${label} ${name} contents`, JSON.stringify(keys) === JSON.stringify([SPECIAL_KEY]), keys);
      t.check(`${label} ${name} prefixes`, JSON.stringify(r.prefixes) === JSON.stringify(['dir/sub/']), r.prefixes);
    }
  }

  for (const key of TRICKY) {
    await t.attempt(`${label} put tricky ${JSON.stringify(key)}`, () => client.put(key, Buffer.from(key, 'utf8')));
  }
  for (const [name, list] of [['list', (q) => client.list(q)], ['listV2', (q) => client.listV2(q)]]) {
    const r = await t.attempt(`${label} ${name} tricky`, () =>
      list({ prefix: 'tricky/', delimiter: '/', 'encoding-type': 'url' }));
    if (r !== undefined) {
      const keys = (r.objects || []).map((o) => decodeURIComponent(o.name)).sort();
      const prefixes = (r.prefixes || []).map((p) => decodeURIComponent(p));
      t.check(`${label} ${name} tricky contents`, JSON.stringify(keys) === JSON.stringify(TRICKY_CONTENTS), keys);
      t.check(`${label} ${name} tricky prefixes`, JSON.stringify(prefixes) === JSON.stringify(['tricky/c++/']), prefixes);
    }
  }
  for (const key of TRICKY) {
    const r = await t.attempt(`${label} get tricky ${JSON.stringify(key)}`, () => client.get(key));
    if (r !== undefined) t.check(`${label} get tricky ${JSON.stringify(key)} bytes`, r.content.toString('utf8') === key, r.content);
  }

  await t.expectError(`${label} head missing`, () => client.head('no/such key'), 'NoSuchKey', 404);
  await t.expectError(`${label} get missing`, () => client.get('no/such key'), 'NoSuchKey', 404);
  const wrong = makeClient(args, version, 'not-the-secret', bucket);
  await t.expectError(`${label} wrong secret`, () => wrong.get('top.txt'), 'SignatureDoesNotMatch', 403);

  // DeleteObject for the key XML cannot carry (ali-oss's deleteMulti has no encoding-type=url),
  // DeleteMultipleObjects for the rest.
  for (const key of ['top.txt', 'tricky/bad\x08name.txt']) {
    const del = await t.attempt(`${label} delete ${JSON.stringify(key)}`, () => client.delete(key));
    if (del !== undefined) t.check(`${label} delete ${JSON.stringify(key)} status`, del.res.status === 204, del.res.status);
  }
  const rest = [...Object.keys(OBJECTS), ...TRICKY].filter((k) => k !== 'top.txt' && !k.includes('\x08')).sort();
  const multi = await t.attempt(`${label} deleteMulti`, () => client.deleteMulti(rest));
  if (multi !== undefined) {
    const deleted = (multi.deleted || []).map((d) => d.Key).sort();
    t.check(`${label} deleteMulti keys`, JSON.stringify(deleted) === JSON.stringify(rest), deleted);
  }
  const left = await t.attempt(`${label} list after delete`, () => client.listV2({}));
  t.check(`${label} bucket empty`, left !== undefined && (left.objects || []).length === 0, left && left.objects);
  const gone = await t.attempt(`${label} deleteBucket`, () => client.deleteBucket(bucket));
  if (gone !== undefined) t.check(`${label} deleteBucket status`, gone.res.status === 204, gone.res.status);
}

async function objectApis(args, version, t) {
  const label = `ali-oss-${version} api`;
  const bucket = uniqueBucket(`${version}api`);
  const srcBucket = uniqueBucket(`${version}src`);
  const client = makeClient(args, version, args['access-key-secret'], bucket);
  const src = makeClient(args, version, args['access-key-secret'], srcBucket);
  if ((await t.attempt(`${label} buckets`, async () => {
    await client.putBucket(bucket);
    await client.putBucket(srcBucket);
    return true;
  })) === undefined) return;

  // CopyObject: cross bucket, REPLACE metadata, missing source.
  const body = pattern(5000, 1);
  const put = await t.attempt(`${label} put src`, () => src.put('src/a b.bin', body, { meta: { k: 'v' } }));
  const copy = await t.attempt(`${label} copy cross-bucket`, () => client.copy('copy/x.bin', 'src/a b.bin', srcBucket));
  if (copy !== undefined) {
    t.check(`${label} copy status`, copy.res.status === 200, copy.res.status);
    t.check(`${label} copy etag`, put !== undefined && copy.data.etag === header(put.res, 'etag'), copy.data);
    const got = await t.attempt(`${label} get copy`, () => client.get('copy/x.bin'));
    t.check(`${label} copy bytes`, got !== undefined && got.content.equals(body), 'content differs');
    const h = await t.attempt(`${label} head copy`, () => client.head('copy/x.bin'));
    t.check(`${label} copy keeps metadata`, h !== undefined && JSON.stringify(h.meta) === '{"k":"v"}', h && h.meta);
  }
  await t.attempt(`${label} copy replace`, () => client.copy('copy/y.bin', 'copy/x.bin', {
    meta: { n: '2' }, headers: { 'Content-Type': 'text/plain' },
  }));
  const replaced = await t.attempt(`${label} head replace`, () => client.head('copy/y.bin'));
  if (replaced !== undefined) {
    t.check(`${label} replace metadata`, JSON.stringify(replaced.meta) === '{"n":"2"}', replaced.meta);
    t.check(`${label} replace content type`, header(replaced.res, 'content-type') === 'text/plain', header(replaced.res, 'content-type'));
  }
  await t.expectError(`${label} copy missing source`, () => client.copy('copy/z.bin', 'nope'), 'NoSuchKey', 404);

  // AppendObject.
  const a1 = await t.attempt(`${label} append 0`, () => client.append('log.txt', Buffer.from('first,')));
  if (a1 !== undefined) {
    t.check(`${label} append next pos`, a1.nextAppendPosition === '6', a1.nextAppendPosition);
    const a2 = await t.attempt(`${label} append 2`, () => client.append('log.txt', Buffer.from('second'), { position: a1.nextAppendPosition }));
    const whole = await t.attempt(`${label} put same bytes`, () => client.put('log-copy.txt', Buffer.from('first,second')));
    t.check(`${label} append crc`, a2 !== undefined && whole !== undefined &&
      header(a2.res, 'x-oss-hash-crc64ecma') === header(whole.res, 'x-oss-hash-crc64ecma'), a2 && header(a2.res, 'x-oss-hash-crc64ecma'));
    const got = await t.attempt(`${label} get append`, () => client.get('log.txt'));
    t.check(`${label} append bytes`, got !== undefined && got.content.toString() === 'first,second', got && got.content);
    const h = await t.attempt(`${label} head append`, () => client.head('log.txt'));
    t.check(`${label} appendable type`, h !== undefined && header(h.res, 'x-oss-object-type') === 'Appendable', h && header(h.res, 'x-oss-object-type'));
  }
  await t.expectError(`${label} append wrong position`, () => client.append('log.txt', Buffer.from('x'), { position: 1 }), 'PositionNotEqualToLength', 409);

  // Tagging, ACLs, symlinks.
  await t.attempt(`${label} putObjectTagging`, () => client.putObjectTagging('copy/x.bin', { a: '1', b: 'x y' }));
  const tags = await t.attempt(`${label} getObjectTagging`, () => client.getObjectTagging('copy/x.bin'));
  t.check(`${label} tags`, tags !== undefined && JSON.stringify(tags.tag) === '{"a":"1","b":"x y"}', tags && tags.tag);
  await t.attempt(`${label} deleteObjectTagging`, () => client.deleteObjectTagging('copy/x.bin'));
  const cleared = await t.attempt(`${label} tags after delete`, () => client.getObjectTagging('copy/x.bin'));
  t.check(`${label} tags cleared`, cleared !== undefined && JSON.stringify(cleared.tag) === '{}', cleared && cleared.tag);
  await t.attempt(`${label} putACL`, () => client.putACL('copy/x.bin', 'public-read'));
  const acl = await t.attempt(`${label} getACL`, () => client.getACL('copy/x.bin'));
  t.check(`${label} acl`, acl !== undefined && acl.acl === 'public-read', acl && acl.acl);
  await t.attempt(`${label} putBucketACL`, () => client.putBucketACL(bucket, 'public-read'));
  const bucketAcl = await t.attempt(`${label} getBucketACL`, () => client.getBucketACL(bucket));
  t.check(`${label} bucket acl`, bucketAcl !== undefined && bucketAcl.acl === 'public-read', bucketAcl && bucketAcl.acl);
  await t.attempt(`${label} putSymlink`, () => client.putSymlink('link', 'copy/x.bin'));
  const link = await t.attempt(`${label} getSymlink`, () => client.getSymlink('link'));
  t.check(`${label} symlink target`, link !== undefined && link.targetName === 'copy/x.bin', link && link.targetName);
  const followed = await t.attempt(`${label} get link`, () => client.get('link'));
  t.check(`${label} symlink follows`, followed !== undefined && followed.content.equals(body), 'content differs');

  // Bucket information.
  const info = await t.attempt(`${label} getBucketInfo`, () => client.getBucketInfo(bucket));
  t.check(`${label} bucket info name`, info !== undefined && info.bucket.Name === bucket, info && info.bucket);
  const location = await t.attempt(`${label} getBucketLocation`, () => client.getBucketLocation(bucket));
  t.check(`${label} location`, location !== undefined && location.location === `oss-${args.region}`, location && location.location);
  const stat = await t.attempt(`${label} getBucketStat`, () => client.getBucketStat(bucket));
  t.check(`${label} stat count`, stat !== undefined && Number(stat.stat.ObjectCount) >= 5, stat && stat.stat);
  const buckets = await t.attempt(`${label} listBuckets`, () => client.listBuckets({ prefix: bucket }));
  t.check(`${label} listBuckets`, buckets !== undefined && JSON.stringify((buckets.buckets || []).map((b) => b.name)) === JSON.stringify([bucket]),
    buckets && buckets.buckets);

  // Multipart upload: explicit calls, then the managed upload.
  const p1 = pattern(PART, 1);
  const p2 = pattern(PART, 2);
  const p3 = pattern(10 * 1024, 3);
  const init = await t.attempt(`${label} initMultipartUpload`, () => client.initMultipartUpload('mp/obj.bin', { mime: 'application/x-test', meta: { m: '1' } }));
  const other = await t.attempt(`${label} init other`, () => client.initMultipartUpload('mp/other.bin'));
  if (init !== undefined) {
    const id = init.uploadId;
    const parts = [];
    for (const [n, data] of [[1, p1], [2, p2], [3, p3]]) {
      const r = await t.attempt(`${label} uploadPart ${n}`, () => client.uploadPart('mp/obj.bin', id, n, writeTemp(data), 0, data.length));
      if (r !== undefined) parts.push({ number: n, etag: r.etag });
    }
    const listed = await t.attempt(`${label} listParts`, () => client.listParts('mp/obj.bin', id));
    const got = listed === undefined ? [] : listed.parts.map((p) => [Number(p.PartNumber), Number(p.Size)]);
    t.check(`${label} list parts`, JSON.stringify(got) === JSON.stringify([[1, PART], [2, PART], [3, 10 * 1024]]), got);
    const uploads = await t.attempt(`${label} listUploads`, () => client.listUploads({ prefix: 'mp/' }));
    const names = uploads === undefined ? [] : uploads.uploads.map((u) => u.name);
    t.check(`${label} list uploads`, JSON.stringify(names) === '["mp/obj.bin","mp/other.bin"]', names);
    const done = await t.attempt(`${label} completeMultipartUpload`, () => client.completeMultipartUpload('mp/obj.bin', id, parts));
    t.check(`${label} complete etag`, done !== undefined && /-3"$/.test(done.etag || ''), done && done.etag);
    const whole = await t.attempt(`${label} get mp`, () => client.get('mp/obj.bin'));
    t.check(`${label} multipart bytes`, whole !== undefined && whole.content.equals(Buffer.concat([p1, p2, p3])), 'content differs');
    const h = await t.attempt(`${label} head mp`, () => client.head('mp/obj.bin'));
    t.check(`${label} multipart meta`, h !== undefined && JSON.stringify(h.meta) === '{"m":"1"}' &&
      header(h.res, 'content-type') === 'application/x-test', h && [h.meta, header(h.res, 'content-type')]);
  }
  if (other !== undefined) {
    const aborted = await t.attempt(`${label} abortMultipartUpload`, () => client.abortMultipartUpload('mp/other.bin', other.uploadId));
    t.check(`${label} abort status`, aborted !== undefined && aborted.res.status === 204, aborted && aborted.res.status);
    await t.expectError(`${label} part after abort`, () => client.uploadPart('mp/other.bin', other.uploadId, 1, writeTemp(p3), 0, p3.length), 'NoSuchUpload', 404);
  }
  const big = pattern(4 * PART + 7, 4);
  const managed = await t.attempt(`${label} multipartUpload`, () => client.multipartUpload('up/big.bin', writeTemp(big), { partSize: PART, parallel: 2 }));
  if (managed !== undefined) {
    t.check(`${label} managed etag`, /-5"$/.test(managed.etag || ''), managed.etag);
    const got = await t.attempt(`${label} get managed`, () => client.get('up/big.bin'));
    t.check(`${label} managed bytes`, got !== undefined && got.content.equals(big), 'content differs');
  }

  // Streams (chunked without a length), putMeta, conditional GETs, multipart copy.
  const { Readable } = require('stream');
  const streamed = pattern(3000, 5);
  for (const [name, options] of [['chunked', {}], ['sized', { contentLength: streamed.length }]]) {
    const r = await t.attempt(`${label} putStream ${name}`, () => client.putStream(`stream/${name}`, Readable.from([streamed.subarray(0, 1000), streamed.subarray(1000)]), options));
    t.check(`${label} putStream ${name} status`, r !== undefined && r.res.status === 200, r && r.res.status);
    const got = await t.attempt(`${label} getStream ${name}`, async () => {
      const chunks = [];
      for await (const chunk of (await client.getStream(`stream/${name}`)).stream) chunks.push(chunk);
      return Buffer.concat(chunks);
    });
    t.check(`${label} getStream ${name} bytes`, got !== undefined && got.equals(streamed), 'content differs');
  }
  await t.attempt(`${label} putMeta`, () => client.putMeta('copy/y.bin', { n: '3' }));
  const remeta = await t.attempt(`${label} head putMeta`, () => client.head('copy/y.bin'));
  t.check(`${label} putMeta metadata`, remeta !== undefined && JSON.stringify(remeta.meta) === '{"n":"3"}', remeta && remeta.meta);
  const etag = remeta === undefined ? '"x"' : header(remeta.res, 'etag');
  const notModified = await t.attempt(`${label} get if-none-match`, () => client.get('copy/y.bin', { headers: { 'If-None-Match': etag } }));
  t.check(`${label} get 304`, notModified !== undefined && notModified.res.status === 304, notModified && notModified.res.status);
  await t.expectError(`${label} get if-match fails`, () => client.get('copy/y.bin', { headers: { 'If-Match': '"0000"' } }), 'PreconditionFailed', 412);
  if (managed !== undefined) {
    const copied = await t.attempt(`${label} multipartUploadCopy`, () => src.multipartUploadCopy('copied/big.bin', {
      sourceKey: 'up/big.bin', sourceBucketName: bucket,
    }, { partSize: PART }));
    t.check(`${label} multipartUploadCopy status`, copied !== undefined && copied.res.status === 200, copied && copied.res.status);
    const got = await t.attempt(`${label} get copied`, () => src.get('copied/big.bin'));
    t.check(`${label} multipartUploadCopy bytes`, got !== undefined && got.content.equals(big), 'content differs');
  }

  // Presigned URLs, read with Node's own fetch.
  const putUrl = await t.attempt(`${label} signatureUrl put`, () => presign(client, version, 'PUT', 'presigned.txt', 'text/plain'));
  if (putUrl !== undefined) {
    const r = await t.attempt(`${label} presigned put`, () => fetch(putUrl, { method: 'PUT', body: 'via presign', headers: { 'Content-Type': 'text/plain' } }));
    t.check(`${label} presigned put status`, r !== undefined && r.status === 200, r && r.status);
  }
  const getUrl = await t.attempt(`${label} signatureUrl get`, () => presign(client, version, 'GET', 'presigned.txt'));
  if (getUrl !== undefined) {
    const r = await t.attempt(`${label} presigned get`, () => fetch(getUrl));
    const text = r === undefined ? undefined : await r.text();
    t.check(`${label} presigned get`, r !== undefined && r.status === 200 && text === 'via presign', r && [r.status, text]);
  }

  // Versioning.
  const vb = uniqueBucket(`${version}ver`);
  const vc = makeClient(args, version, args['access-key-secret'], vb);
  await t.attempt(`${label} versioned bucket`, () => vc.putBucket(vb));
  await t.attempt(`${label} putBucketVersioning`, () => vc.putBucketVersioning(vb, 'Enabled'));
  const vs = await t.attempt(`${label} getBucketVersioning`, () => vc.getBucketVersioning(vb));
  t.check(`${label} versioning status`, vs !== undefined && vs.versionStatus === 'Enabled', vs && vs.versionStatus);
  const v1 = await t.attempt(`${label} put v1`, () => vc.put('doc', Buffer.from('one')));
  const v2 = await t.attempt(`${label} put v2`, () => vc.put('doc', Buffer.from('two')));
  if (v1 !== undefined && v2 !== undefined) {
    const id1 = header(v1.res, 'x-oss-version-id');
    const id2 = header(v2.res, 'x-oss-version-id');
    t.check(`${label} version ids differ`, Boolean(id1) && id1 !== id2, [id1, id2]);
    const d = await t.attempt(`${label} delete versioned`, () => vc.delete('doc'));
    const marker = d === undefined ? undefined : header(d.res, 'x-oss-version-id');
    t.check(`${label} delete marker`, d !== undefined && header(d.res, 'x-oss-delete-marker') === 'true' && Boolean(marker), d && d.res.headers);
    await t.expectError(`${label} get deleted`, () => vc.get('doc'), 'NoSuchKey', 404);
    const old = await t.attempt(`${label} get v1`, () => vc.get('doc', { versionId: id1 }));
    t.check(`${label} get by version`, old !== undefined && old.content.toString() === 'one', old && old.content);
    const versions = await t.attempt(`${label} getBucketVersions`, () => vc.getBucketVersions());
    if (versions !== undefined) {
      const entries = [
        ...versions.deleteMarker.map((o) => ['d', o.versionId, true]), // ali-oss drops a marker's IsLatest
        ...versions.objects.map((o) => ['v', o.versionId, o.isLatest]),
      ];
      const want = [['d', marker, true], ['v', id2, false], ['v', id1, false]];
      t.check(`${label} list versions`, JSON.stringify(entries) === JSON.stringify(want), entries);
    }
    await t.attempt(`${label} delete marker removal`, () => vc.delete('doc', { versionId: marker }));
    const latest = await t.attempt(`${label} get latest`, () => vc.get('doc'));
    t.check(`${label} latest after marker removal`, latest !== undefined && latest.content.toString() === 'two', latest && latest.content);
  }

  // RestoreObject of an Archive object.
  await t.attempt(`${label} put archive`, () => client.put('cold.bin', Buffer.from('frozen'), { headers: { 'x-oss-storage-class': 'Archive' } }));
  await t.expectError(`${label} get archive`, () => client.get('cold.bin'), 'InvalidObjectState', 403);
  const restore = await t.attempt(`${label} restore`, () => client.restore('cold.bin'));
  t.check(`${label} restore 202`, restore !== undefined && restore.res.status === 202, restore && restore.res.status);
  await t.expectError(`${label} restore again`, () => client.restore('cold.bin'), 'RestoreAlreadyInProgress', 409);
  const restoreState = async (what) => {
    const h = await t.attempt(`${label} head archive ${what}`, () => client.head('cold.bin'));
    return h === undefined ? undefined : header(h.res, 'x-oss-restore');
  };
  const ongoing = await restoreState('in progress');
  t.check(`${label} restore in progress`, ongoing === 'ongoing-request="true"', ongoing);
  await t.expectError(`${label} get while restoring`, () => client.get('cold.bin'), 'InvalidObjectState', 403);
  if (args.control) {
    // An Archive restore takes a minute on the emulator's clock: run it two minutes ahead
    // (well inside the 15-minute signature window), read, and set it back.
    const { call } = require('./control');
    await call(args.control, 'PUT', '/clock-skew', { seconds: 120 });
    const done = await restoreState('restored');
    t.check(`${label} restore done`, (done || '').startsWith('ongoing-request="false", expiry-date='), done);
    const thawed = await t.attempt(`${label} get restored`, () => client.get('cold.bin'));
    t.check(`${label} restored read`, thawed !== undefined && thawed.content.toString() === 'frozen', thawed && thawed.content);
    await call(args.control, 'PUT', '/clock-skew', { seconds: 0 });
  }

  // A feature the emulator lacks answers 501; an encryption algorithm OSS does not know is
  // refused; neither changes anything.
  await t.expectError(`${label} getBucketLifecycle 501`, () => client.getBucketLifecycle(bucket), 'NotImplemented', 501);
  await t.expectError(`${label} put with SSE DES`, () => client.put('copy/x.bin', Buffer.from('replaced'), {
    headers: { 'x-oss-server-side-encryption': 'DES' },
  }), 'InvalidEncryptionAlgorithmError', 400);
  const kept = await t.attempt(`${label} get after refused put`, () => client.get('copy/x.bin'));
  t.check(`${label} refused put changed nothing`, kept !== undefined && kept.content.equals(body), 'content differs');

  // Clean up: every version, every upload, the three buckets.
  for (const [name, c] of [[bucket, client], [srcBucket, src], [vb, vc]]) {
    const r = await t.attempt(`${label} purge ${name}`, () => purge(c, name));
    t.check(`${label} delete bucket ${name}`, r !== undefined && r.res.status === 204, r && r.res.status);
  }
}

async function presign(client, version, method, key, contentType) {
  if (version === 'v4') {
    const headers = contentType ? { 'Content-Type': contentType } : undefined;
    return client.signatureUrlV4(method, 600, { headers }, key);
  }
  // ali-oss's V1 signatureUrl refuses an IP endpoint, and with sldEnable it returns only the
  // path and query. A V1 signature does not cover the host: the URL is signed for `localhost`
  // and sent to the emulator's own address.
  const base = client.options.endpoint.format();
  const named = new URL(base);
  named.hostname = 'localhost';
  const signer = new OSS({ ...client.options, endpoint: named.toString() });
  const options = { method, expires: 600 };
  if (contentType) options['Content-Type'] = contentType;
  const url = new URL(signer.signatureUrl(key, options), base);
  url.host = new URL(base).host;
  return url.toString();
}

async function purge(client, bucket) {
  const versions = await client.getBucketVersions({ 'max-keys': 1000 });
  const entries = [...versions.objects, ...versions.deleteMarker].map((o) => ({ key: o.name, versionId: o.versionId }));
  for (const e of entries) await client.delete(e.key, { versionId: e.versionId });
  const uploads = await client.listUploads({});
  for (const u of uploads.uploads) await client.abortMultipartUpload(u.name, u.uploadId);
  return client.deleteBucket(bucket);
}

let tempDir;
function writeTemp(data) {
  const fs = require('fs');
  const os = require('os');
  if (!tempDir) tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ali-oss-compat-'));
  const file = path.join(tempDir, crypto.randomBytes(6).toString('hex'));
  fs.writeFileSync(file, data);
  return file;
}

async function otherRegion(args, t) {
  const [name] = args['other-region-bucket'].split('=');
  for (const version of ['v1', 'v4']) {
    const client = makeClient(args, version, args['access-key-secret'], name);
    await t.expectError(`ali-oss-${version} other region`, () => client.get('a.txt'), 'AccessDenied', 403);
  }
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      'access-key-id': { type: 'string' },
      'access-key-secret': { type: 'string' },
      region: { type: 'string', default: 'cn-hangzhou' },
      'other-region-bucket': { type: 'string' },
      control: { type: 'string' },
      'preset-bucket': { type: 'string' },
    },
  });
  const t = new Checks();
  for (const version of ['v1', 'v4']) {
    await t.attempt(`ali-oss-${version} client`, () => basics(args, version, t));
    await t.attempt(`ali-oss-${version} api`, () => objectApis(args, version, t));
  }
  if (args['other-region-bucket']) await t.attempt('other region', () => otherRegion(args, t));
  if (args.control) {
    const { controlScenario } = require('./control');
    await t.attempt('control api', () => controlScenario(args, t, makeClient));
  }
  if (tempDir) require('fs').rmSync(tempDir, { recursive: true, force: true });
  console.log(`official-clients-node: ${t.passed} passed, ${t.failed} failed`);
  return t.failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 1; });
