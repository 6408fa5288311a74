// Runs oss-emulator for a Node.js test suite: startEmulator() starts the binary on free ports
// (`--listen 127.0.0.1:0`: the emulator picks the port and prints it, so there is no race for a
// port), with the control API on (`--control-listen 127.0.0.1:0`) and one bucket made at start
// (`--bucket`); stop() ends it.
//
// The binary: $OSS_EMULATOR_BIN, else `oss-emulator` on PATH (`cargo install --path
// crates/oss-emulator`, or `cargo build -p oss-emulator` and point OSS_EMULATOR_BIN at
// target/debug/oss-emulator).
'use strict';

const { spawn } = require('child_process');
const readline = require('readline');

const ACCESS_KEY_ID = 'example-access-key-id';
const ACCESS_KEY_SECRET = 'example-access-key-secret';
const REGION = 'cn-hangzhou';
const BUCKET = 'example-bucket';

async function startEmulator() {
  const bin = process.env.OSS_EMULATOR_BIN || 'oss-emulator';
  const child = spawn(bin, [
    '--listen', '127.0.0.1:0', '--control-listen', '127.0.0.1:0',
    '--access-key-id', ACCESS_KEY_ID, '--region', REGION, '--bucket', BUCKET,
  ], {
    env: { ...process.env, OSS_EMULATOR_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // One line per listener, printed once it accepts connections.
  const addresses = {};
  const lines = readline.createInterface({ input: child.stdout });
  for await (const line of lines) {
    const at = line.lastIndexOf(' ');
    addresses[line.slice(0, at)] = line.slice(at + 1);
    if (addresses['listening on'] && addresses['control listening on']) break;
  }
  if (!addresses['control listening on']) throw new Error(`${bin} did not start`);

  const controlUrl = addresses['control listening on'];
  // One control API call: [HTTP status, decoded JSON body or null].
  async function control(method, path, body) {
    const init = { method };
    if (body !== undefined) init.body = JSON.stringify(body);
    const resp = await fetch(controlUrl + path, init);
    const text = await resp.text();
    return [resp.status, text ? JSON.parse(text) : null];
  }

  return {
    endpoint: addresses['listening on'],
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    region: REGION,
    bucket: BUCKET,
    control,
    // Back to the state at start: only the start bucket, empty; no faults, no skew.
    async reset() {
      const [status] = await control('POST', '/reset');
      if (status !== 204) throw new Error(`reset answered ${status}`);
    },
    // The OSS requests received since the last reset: operation, method, path, status,
    // request_id.
    async journal() {
      return (await control('GET', '/journal'))[1].requests;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

module.exports = { startEmulator };
