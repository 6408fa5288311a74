//! Writes that must not be applied twice, whose answer is lost: settled by a look at the
//! object, never repeated blindly and never reported failed when they worked.

use bytes::Bytes;
use oss_client::operation::multipart::complete::CompletedPart;

use crate::link::Shape;
use crate::support::{BUCKET, builder, content, direct_client, emulator, link, put};

/// The first connection relays the whole request, then only the first byte of the answer:
/// OSS applied the write and the client cannot know.
fn answer_lost_once(n: usize) -> (Shape, Shape) {
    let down = if n == 0 {
        Shape::CutAfter(1)
    } else {
        Shape::Free
    };
    (Shape::Free, down)
}

/// The first connection closes in the middle of the request: OSS never applied it.
fn request_lost_once(n: usize) -> (Shape, Shape) {
    let up = if n == 0 {
        Shape::CutAfter(40)
    } else {
        Shape::Free
    };
    (up, Shape::Free)
}

async fn read(emu: &oss_emulator::EmulatorHandle, key: &str) -> Bytes {
    let object = direct_client(emu)
        .get_object()
        .bucket(BUCKET)
        .key(key)
        .send()
        .await
        .unwrap();
    object.body.collect().await.unwrap()
}

#[tokio::test]
async fn an_append_whose_answer_was_lost_is_applied_once() {
    let emu = emulator().await;
    let link = link(&emu, answer_lost_once).await;
    let client = builder(&emu, &link.endpoint()).build().unwrap();
    let first = client
        .append_object()
        .bucket(BUCKET)
        .key("log")
        .position(0)
        .body("hello ")
        .send()
        .await
        .unwrap();
    assert_eq!(first.next_position, 6);
    let second = client
        .append_object()
        .bucket(BUCKET)
        .key("log")
        .position(first.next_position)
        .previous_crc64(first.crc64.unwrap())
        .body("world")
        .send()
        .await
        .unwrap();
    assert_eq!(second.next_position, 11);
    assert_eq!(read(&emu, "log").await, "hello world");
    let sent = link.sent_text();
    assert_eq!(
        sent.matches("POST /network/log?append").count(),
        2,
        "{sent}"
    );
}

#[tokio::test]
async fn an_append_that_never_arrived_is_sent_again() {
    let emu = emulator().await;
    let link = link(&emu, request_lost_once).await;
    let client = builder(&emu, &link.endpoint()).build().unwrap();
    let appended = client
        .append_object()
        .bucket(BUCKET)
        .key("log")
        .position(0)
        .body("once")
        .send()
        .await
        .unwrap();
    assert_eq!(appended.next_position, 4);
    assert_eq!(read(&emu, "log").await, "once");
}

#[tokio::test]
async fn a_completed_upload_whose_answer_was_lost_is_not_reported_failed() {
    let emu = emulator().await;
    let direct = direct_client(&emu);
    let upload = direct
        .initiate_multipart_upload()
        .bucket(BUCKET)
        .key("assembled")
        .send()
        .await
        .unwrap();
    let (a, b) = (content(100 * 1024, 20), content(1000, 21));
    let mut parts = Vec::new();
    for (number, data) in [(1, a.clone()), (2, b.clone())] {
        let part = direct
            .upload_part()
            .bucket(BUCKET)
            .key("assembled")
            .upload_id(upload.upload_id.as_str())
            .part_number(number)
            .body(data)
            .send()
            .await
            .unwrap();
        parts.push(CompletedPart::from(&part));
    }
    let link = link(&emu, answer_lost_once).await;
    let client = builder(&emu, &link.endpoint()).build().unwrap();
    let completed = client
        .complete_multipart_upload()
        .bucket(BUCKET)
        .key("assembled")
        .upload_id(upload.upload_id.as_str())
        .parts(parts)
        .send()
        .await
        .unwrap();
    assert!(completed.etag.ends_with("-2\""), "{}", completed.etag);
    assert_eq!(read(&emu, "assembled").await, [a, b].concat());
    let sent = link.sent_text();
    assert_eq!(
        sent.matches("POST /network/assembled?").count(),
        1,
        "{sent}"
    );
}

#[tokio::test]
async fn a_create_only_put_whose_answer_was_lost_is_not_reported_as_existing() {
    let emu = emulator().await;
    let link = link(&emu, answer_lost_once).await;
    let client = builder(&emu, &link.endpoint()).build().unwrap();
    let data = content(20_000, 22);
    let created = client
        .put_object()
        .bucket(BUCKET)
        .key("created")
        .forbid_overwrite(true)
        .body(data.clone())
        .send()
        .await
        .unwrap();
    assert!(created.crc64.is_some());
    assert_eq!(read(&emu, "created").await, data);
    // Someone else's object at the key is still refused.
    let taken = client
        .put_object()
        .bucket(BUCKET)
        .key("created")
        .forbid_overwrite(true)
        .body("other")
        .send()
        .await
        .unwrap_err();
    assert_eq!(taken.code(), Some("FileAlreadyExists"));
}

#[tokio::test]
async fn a_create_only_copy_whose_answer_was_lost_is_not_reported_as_existing() {
    let emu = emulator().await;
    let data = content(30_000, 23);
    put(&emu, "source", data.clone()).await;
    let link = link(&emu, answer_lost_once).await;
    let client = builder(&emu, &link.endpoint()).build().unwrap();
    client
        .copy_object()
        .bucket(BUCKET)
        .key("copy")
        .source_key("source")
        .forbid_overwrite(true)
        .send()
        .await
        .unwrap();
    assert_eq!(read(&emu, "copy").await, data);
}

/// The emulator applies the write, then answers 503 (`commit-503`) or closes the connection
/// (`commit-reset`): each write is settled as applied, never applied twice.
#[tokio::test]
async fn writes_the_server_applied_before_failing_their_answer_are_settled() {
    let emu = emulator().await;
    let client = direct_client(&emu);
    emu.set_faults("append:first=1:commit-503,put:first=1:commit-reset")
        .unwrap();
    let appended = client
        .append_object()
        .bucket(BUCKET)
        .key("committed-log")
        .position(0)
        .body("entry;")
        .send()
        .await
        .unwrap();
    assert_eq!(appended.next_position, 6);
    let created = client
        .put_object()
        .bucket(BUCKET)
        .key("committed-once")
        .forbid_overwrite(true)
        .body("created")
        .send()
        .await
        .unwrap();
    assert!(created.crc64.is_some());
    assert_eq!(emu.injected_faults(), 2);
    emu.clear_faults();
    assert_eq!(read(&emu, "committed-log").await, "entry;");
    assert_eq!(read(&emu, "committed-once").await, "created");
}

/// A multipart upload whose CompleteMultipartUpload was applied and answered 503 is reported
/// complete, and the Uploader does not abort it.
#[tokio::test]
async fn an_uploader_whose_complete_was_applied_but_answered_503_succeeds() {
    let emu = emulator().await;
    let client = direct_client(&emu);
    emu.set_faults("complete:first=1:commit-503").unwrap();
    let data = content(3 * 100 * 1024 + 17, 24);
    oss_client::transfer::Uploader::new(&client)
        .part_size(100 * 1024)
        .upload_bytes(BUCKET, "multi", data.clone())
        .await
        .unwrap();
    assert_eq!(emu.injected_faults(), 1);
    emu.clear_faults();
    assert_eq!(read(&emu, "multi").await, data);
    let pending = client
        .list_multipart_uploads()
        .bucket(BUCKET)
        .send()
        .await
        .unwrap();
    assert!(pending.uploads.is_empty());
}
