//! Unsigned (anonymous) requests against the emulator's ACL checks: `public-read` allows
//! reads, `public-read-write` also writes, `private` answers 403 `AccessDenied`, and an
//! object's own ACL wins over its bucket's unless it is `default`.

use oss_client::operation::acl::Acl;
use oss_client::{Client, ErrorKind, SignatureVersion};
use oss_emulator::EmulatorHandle;

use crate::support::{client, emulator, put};

fn anonymous(emu: &EmulatorHandle) -> Client {
    Client::builder()
        .region(emu.region())
        .endpoint(emu.endpoint())
        .anonymous()
        .build()
        .unwrap()
}

/// A bucket `name` with `acl` holding `index.html`, created by the owner.
async fn bucket_with(owner: &Client, name: &str, acl: Acl) {
    owner.put_bucket().bucket(name).send().await.unwrap();
    owner.put_bucket_acl(name, acl).await.unwrap();
    put(owner, name, "index.html", "<h1>public</h1>").await;
}

async fn read(client: &Client, bucket: &str, key: &str) -> Result<Vec<u8>, oss_client::Error> {
    let object = client.get_object().bucket(bucket).key(key).send().await?;
    Ok(object.body.collect().await?.to_vec())
}

async fn write(client: &Client, bucket: &str, key: &str) -> Result<(), oss_client::Error> {
    client
        .put_object()
        .bucket(bucket)
        .key(key)
        .body("anonymous")
        .send()
        .await
        .map(|_| ())
}

fn assert_denied(result: Result<impl std::fmt::Debug, oss_client::Error>) {
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Service, "{e}");
    assert_eq!(e.code(), Some("AccessDenied"), "{e}");
    let status = e.as_service_error().map(|s| s.status().as_u16());
    assert_eq!(status, Some(403), "{e}");
}

#[tokio::test]
async fn public_read_buckets_allow_reads_and_listing_but_not_writes() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    bucket_with(&owner, "public-site", Acl::PublicRead).await;
    let anon = anonymous(&emu);

    assert_eq!(
        read(&anon, "public-site", "index.html").await.unwrap(),
        b"<h1>public</h1>"
    );
    let head = anon
        .head_object()
        .bucket("public-site")
        .key("index.html")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length, 15);
    let listed = anon
        .list_objects_v2()
        .bucket("public-site")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.contents.len(), 1);
    // A missing key in a readable bucket is a 404, as for the owner.
    let e = read(&anon, "public-site", "missing.html")
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("NoSuchKey"), "{e}");

    assert_denied(write(&anon, "public-site", "defaced.html").await);
    assert_denied(
        anon.delete_object()
            .bucket("public-site")
            .key("index.html")
            .send()
            .await,
    );
    // Configuration stays with the owner, whatever the ACL.
    assert_denied(anon.get_bucket_acl("public-site").await);
    assert_denied(
        anon.put_bucket_acl("public-site", Acl::PublicReadWrite)
            .await,
    );
    assert_denied(anon.list_buckets().send().await);
}

#[tokio::test]
async fn public_read_write_buckets_also_allow_writes() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    bucket_with(&owner, "dropbox", Acl::PublicReadWrite).await;
    let anon = anonymous(&emu);

    write(&anon, "dropbox", "upload.txt").await.unwrap();
    assert_eq!(
        read(&owner, "dropbox", "upload.txt").await.unwrap(),
        b"anonymous"
    );
    anon.delete_object()
        .bucket("dropbox")
        .key("upload.txt")
        .send()
        .await
        .unwrap();
    // ACL changes still need the owner.
    assert_denied(
        anon.put_object_acl("dropbox", "index.html", Acl::Private)
            .await,
    );
}

#[tokio::test]
async fn private_buckets_refuse_everything_unsigned() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    bucket_with(&owner, "private-data", Acl::Private).await;
    let anon = anonymous(&emu);
    assert_denied(read(&anon, "private-data", "index.html").await);
    assert_denied(write(&anon, "private-data", "x").await);
    assert_denied(anon.list_objects_v2().bucket("private-data").send().await);
    // A missing bucket is reported as such.
    let e = read(&anon, "no-such-bucket", "k").await.unwrap_err();
    assert_eq!(e.code(), Some("NoSuchBucket"), "{e}");
}

#[tokio::test]
async fn object_acls_win_over_the_bucket_unless_default() {
    let emu = emulator().await;
    let owner = client(&emu, SignatureVersion::V4);
    bucket_with(&owner, "mixed", Acl::Private).await;
    put(&owner, "mixed", "shared.txt", "shared").await;
    owner
        .put_object_acl("mixed", "shared.txt", Acl::PublicRead)
        .await
        .unwrap();
    let anon = anonymous(&emu);
    assert_eq!(read(&anon, "mixed", "shared.txt").await.unwrap(), b"shared");
    assert_denied(read(&anon, "mixed", "index.html").await);
    // Readable object, private bucket: still no writes.
    assert_denied(write(&anon, "mixed", "shared.txt").await);

    // In a public-read bucket, a private object is refused and a `default` one follows the
    // bucket.
    bucket_with(&owner, "mostly-public", Acl::PublicRead).await;
    put(&owner, "mostly-public", "secret.txt", "secret").await;
    owner
        .put_object_acl("mostly-public", "secret.txt", Acl::Private)
        .await
        .unwrap();
    assert_denied(read(&anon, "mostly-public", "secret.txt").await);
    owner
        .put_object_acl("mostly-public", "secret.txt", Acl::Default)
        .await
        .unwrap();
    assert_eq!(
        read(&anon, "mostly-public", "secret.txt").await.unwrap(),
        b"secret"
    );
}
