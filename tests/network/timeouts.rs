//! Time limits that follow the transfer: a slow upload finishes, silence fails, a deadline
//! bounds the whole operation, and the error names the request.

use std::time::Duration;

use oss_client::ErrorKind;

use crate::link::Shape;
use crate::support::{BUCKET, SECOND, builder, content, emulator, get, link, put};

/// 48 MiB at 1 MiB a second takes 48 s: far beyond the first-byte limit (10 s) and the idle
/// limit (5 s), yet bytes keep moving, so it succeeds. The old per-attempt timeout ran from the
/// request to the response headers and failed it every time. (The rate is not lower because on
/// loopback the kernel buffers megabytes per socket and lets the writer go on only once a third
/// of that has drained: at 64 KiB/s that is a gap of several seconds with no write possible.)
#[tokio::test(start_paused = true)]
async fn a_slow_upload_finishes() {
    let emu = emulator().await;
    let slow = Shape::Trickle {
        bytes: 64 * 1024,
        every: SECOND / 16,
    };
    let link = link(&emu, move |_| (slow, Shape::Free)).await;
    let client = builder(&emu, &link.endpoint())
        .idle_timeout(5 * SECOND)
        .first_byte_timeout(10 * SECOND)
        .build()
        .unwrap();
    let data = content(48 << 20, 1);
    let started = tokio::time::Instant::now();
    client
        .put_object()
        .bucket(BUCKET)
        .key("slow")
        .body(data.clone())
        .send()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(47),
        "the link was slow"
    );
    assert_eq!(client.stats().retries, 0);
    let stored = crate::support::direct_client(&emu)
        .get_object()
        .bucket(BUCKET)
        .key("slow")
        .send()
        .await
        .unwrap();
    assert_eq!(stored.body.collect().await.unwrap(), data);
}

/// A server that takes the request and never answers: each attempt fails after the
/// first-byte limit, and the error says which request failed, how, and after how many attempts.
#[tokio::test(start_paused = true)]
async fn no_answer_is_a_first_byte_timeout_that_names_the_request() {
    let emu = emulator().await;
    let link = link(&emu, |_| (Shape::Free, Shape::StallAfter(0))).await;
    let client = builder(&emu, &link.endpoint())
        .first_byte_timeout(10 * SECOND)
        .build()
        .unwrap();
    let error = client
        .put_object()
        .bucket(BUCKET)
        .key("dir/unanswered.txt")
        .body("hello")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.request(), Some("PUT network/dir/unanswered.txt"));
    assert_eq!(
        error.to_string(),
        "no response within 10 s of sending the request (first-byte timeout) \
         (PUT network/dir/unanswered.txt, after 3 attempts)"
    );
}

/// An upload whose body stops moving fails after the idle limit, not after a fixed time.
#[tokio::test(start_paused = true)]
async fn an_upload_that_stops_moving_fails_after_the_idle_limit() {
    let emu = emulator().await;
    let link = link(&emu, |_| (Shape::StallAfter(256 * 1024), Shape::Free)).await;
    let client = builder(&emu, &link.endpoint())
        .idle_timeout(7 * SECOND)
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let error = client
        .put_object()
        .bucket(BUCKET)
        .key("stalled-upload")
        .body(content(64 << 20, 2))
        .max_attempts(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(
        error
            .to_string()
            .starts_with("no byte moved for 7 s while sending the request body (idle timeout)"),
        "{error}"
    );
    // The socket buffers take some of the body before the stall shows; nothing waits beyond
    // the idle limit after that.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

/// A download that trickles along within the idle limit is cut by the operation's deadline.
#[tokio::test(start_paused = true)]
async fn the_deadline_bounds_the_whole_operation() {
    let emu = emulator().await;
    put(&emu, "big", content(1 << 20, 3)).await;
    let slow = Shape::Trickle {
        bytes: 4096,
        every: SECOND,
    };
    let link = link(&emu, move |_| (Shape::Free, slow)).await;
    let client = builder(&emu, &link.endpoint())
        .idle_timeout(5 * SECOND)
        .deadline(30 * SECOND)
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let object = get(&client, "big").await;
    let error = object.body.collect().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Deadline);
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "the operation did not finish within its deadline of 30 s"
    );
    assert_eq!(started.elapsed(), Duration::from_secs(30));
}

/// Limits set for some operations only, through `with_timeouts`.
#[tokio::test(start_paused = true)]
async fn an_operation_can_have_its_own_limits() {
    let emu = emulator().await;
    let link = link(&emu, |_| (Shape::Free, Shape::StallAfter(0))).await;
    let client = builder(&emu, &link.endpoint())
        .retry(oss_client::RetryConfig::disabled())
        .build()
        .unwrap();
    let hurried = client.with_timeouts(oss_client::Timeouts {
        first_byte: 2 * SECOND,
        ..client.timeouts()
    });
    assert_eq!(client.timeouts().first_byte, 60 * SECOND);
    let started = tokio::time::Instant::now();
    let error = hurried
        .head_object()
        .bucket(BUCKET)
        .key("k")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(started.elapsed(), 2 * SECOND);
}
