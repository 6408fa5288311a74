"""Upload callbacks with the official alibabacloud-oss-v2 client against the emulator.

The client sends `x-oss-callback` and `x-oss-callback-var` with PutObject; the emulator
POSTs to a callback server started here on loopback, which checks OSS's signature (RSA with
MD5 over the URL-decoded path, the query and the body, verified with the public key named
in `x-oss-pub-key-url`) and answers JSON, which the client reads back as `callback_result`.
Called from official_clients.py with its `check`, `attempt` and client configuration.
"""

import base64
import json
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Recorder(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.received.append((self.path, dict(self.headers), body))
        answer = json.dumps({"received": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def _signature_valid(path, headers, body):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    key_url = base64.b64decode(headers["x-oss-pub-key-url"]).decode()
    with urllib.request.urlopen(key_url, timeout=10) as response:
        key = serialization.load_pem_public_key(response.read())
    parsed = urllib.parse.urlsplit(path)
    signed = urllib.parse.unquote(parsed.path)
    if parsed.query:
        signed += "?" + parsed.query
    signed = signed.encode() + b"\n" + body
    try:
        key.verify(base64.b64decode(headers["authorization"]), signed, padding.PKCS1v15(), hashes.MD5())
        return True
    except Exception:  # noqa: BLE001 - any failure means the signature does not verify
        return False


def run(args, check, attempt, config, bucket_name):
    import alibabacloud_oss_v2 as oss

    label = "oss-v2 callback"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = oss.Client(config)
        bucket = bucket_name
        if attempt(f"{label} put_bucket", lambda: client.put_bucket(oss.PutBucketRequest(bucket=bucket))) is None:
            return
        url = f"http://127.0.0.1:{server.server_address[1]}/notify?from=python"
        callback = base64.b64encode(json.dumps({
            "callbackUrl": url,
            "callbackBody": "bucket=${bucket}&object=${object}&size=${size}&mime=${mimeType}&who=${x:who}",
            "callbackBodyType": "application/x-www-form-urlencoded",
        }).encode()).decode()
        callback_var = base64.b64encode(json.dumps({"x:who": "py client"}).encode()).decode()
        r = attempt(f"{label} put", lambda: client.put_object(oss.PutObjectRequest(
            bucket=bucket, key="cb/photo 1.txt", body=b"called back", content_type="text/plain",
            callback=callback, callback_var=callback_var)))
        if r is None:
            return
        result = r.callback_result
        if isinstance(result, (str, bytes)):
            result = json.loads(result)
        check(f"{label} result", result == {"received": True}, r.callback_result)
        check(f"{label} one call", len(_Recorder.received) == 1, len(_Recorder.received))
        if not _Recorder.received:
            return
        path, headers, body = _Recorder.received[0]
        headers = {k.lower(): v for k, v in headers.items()}
        want = f"bucket={bucket}&object=cb%2Fphoto%201.txt&size=11&mime=text%2Fplain&who=py%20client"
        check(f"{label} body", body.decode() == want, body)
        check(f"{label} path", path == "/notify?from=python", path)
        check(f"{label} signature", _signature_valid(path, headers, body), headers.get("authorization"))
        client.delete_object(oss.DeleteObjectRequest(bucket=bucket, key="cb/photo 1.txt"))
        client.delete_bucket(oss.DeleteBucketRequest(bucket=bucket))
    finally:
        server.shutdown()
