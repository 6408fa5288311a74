// Pass/fail bookkeeping for the Node.js official-client check: every check is counted, every
// failure printed as one `FAIL label: detail` line.
'use strict';

const { inspect } = require('util');

class Checks {
  constructor() {
    this.passed = 0;
    this.failed = 0;
  }

  check(label, ok, detail) {
    if (ok) {
      this.passed += 1;
    } else {
      this.failed += 1;
      console.log(`FAIL ${label}: ${inspect(detail, { depth: 4, breakLength: Infinity })}`);
    }
  }

  // Runs fn(); an exception counts as one failed check. Returns fn's value or undefined.
  async attempt(label, fn) {
    try {
      return await fn();
    } catch (e) {
      this.check(label, false, `${e.name}: ${e.code || ''} ${e.status || ''} ${e.message}`);
      return undefined;
    }
  }

  // fn() must fail with the OSS error code `code` and HTTP status `status`.
  async expectError(label, fn, code, status) {
    try {
      await fn();
      this.check(label, false, `no error, wanted ${code}`);
    } catch (e) {
      this.check(label, e.code === code && e.status === status, `${e.code} ${e.status} != ${code} ${status}: ${e.message}`);
    }
  }
}

module.exports = { Checks };
