"""Cross-check with the official Python SDK (alibabacloud-oss-v2), driven by the Rust test
tests/emulator/python_cross_check.rs against one emulator:

  --phase read   reads back what the Rust client wrote (rust/*) and checks bytes, server-side
                 encryption, user metadata and tags;
  --phase write  writes python/* with encryption, metadata and tags for the Rust client to read.

The expected values are the Rust test's (kept in step by hand: both files list them). Prints
"cross-check: N passed, M failed" and exits 1 on any failure.
"""

import alibabacloud_oss_v2 as oss

from cross_support import check, run

# key: (body, encryption, key id, data encryption, metadata, tags)
RUST_WROTE = {
    "rust/aes.txt": (b"written by rust, AES256", "AES256", None, None,
                     {"owner": "rust", "stage": "one"}, {"team": "sdk", "lang": "rust"}),
    "rust/kms.bin": (b"written by rust, KMS with SM4 data", "KMS", "cmk-rust", "SM4",
                     {"owner": "rust"}, {"team": "sdk"}),
    # The Rust Uploader in three parts: bytes i % 251 for i in 0..3 * 102400.
    "rust/multipart.bin": (bytes(i % 251 for i in range(3 * 102400)), "SM4", None, None,
                           {"owner": "rust-uploader"}, {"path": "multipart"}),
}

PYTHON_WRITES = {
    "python/aes.txt": (b"written by python, AES256", "AES256", None, None,
                       {"owner": "python"}, {"team": "sdk", "lang": "python"}),
    "python/kms.txt": (b"written by python, KMS", "KMS", "cmk-python", "SM4",
                       {"owner": "python", "stage": "two"}, {"lang": "python"}),
}


def read_back(c, bucket):
    for key, (body, sse, key_id, data, metadata, tags) in RUST_WROTE.items():
        got = c.get_object(oss.GetObjectRequest(bucket=bucket, key=key))
        content = got.body.read()
        check(f"{key} bytes", content == body, f"{len(content)} bytes")
        check(f"{key} encryption", got.server_side_encryption == sse, got.server_side_encryption)
        check(f"{key} key id", got.server_side_encryption_key_id == key_id,
              got.server_side_encryption_key_id)
        check(f"{key} data encryption", got.server_side_data_encryption == data,
              got.server_side_data_encryption)
        check(f"{key} metadata", dict(got.metadata or {}) == metadata, got.metadata)
        check(f"{key} tag count", got.tagging_count == len(tags), got.tagging_count)
        tagging = c.get_object_tagging(oss.GetObjectTaggingRequest(bucket=bucket, key=key))
        read = {t.key: t.value for t in tagging.tag_set.tags}
        check(f"{key} tags", read == tags, read)
        head = c.head_object(oss.HeadObjectRequest(bucket=bucket, key=key))
        check(f"{key} head encryption", head.server_side_encryption == sse,
              head.server_side_encryption)


def write(c, bucket):
    for key, (body, sse, key_id, data, metadata, tags) in PYTHON_WRITES.items():
        put = c.put_object(oss.PutObjectRequest(
            bucket=bucket, key=key, body=body, server_side_encryption=sse,
            server_side_encryption_key_id=key_id, server_side_data_encryption=data,
            metadata=metadata, tagging="&".join(f"{k}={v}" for k, v in tags.items())))
        answered = put.headers.get("x-oss-server-side-encryption")
        check(f"{key} put encryption", answered == sse, answered)


if __name__ == "__main__":
    run(read_back, write)
