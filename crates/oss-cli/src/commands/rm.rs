//! `oss rm`: one object, every object under a prefix (`-r`, DeleteMultipleObjects by 1000),
//! or the unfinished multipart uploads under a prefix (`--uploads`, optionally only those
//! initiated more than `--older-than` ago).

use std::time::{Instant, SystemTime};

use futures_util::TryStreamExt as _;
use oss_client::Client;
use oss_client::operation::delete_objects::MAX_KEYS_PER_DELETE;

use crate::args::RmArgs;
use crate::error::CliError;
use crate::filter::Filter;
use crate::location::Remote;
use crate::output::{Event, Output, Summary};
use crate::transfer::describe;
use crate::tree;

/// Runs `rm`.
pub(crate) async fn run(
    client: &Client,
    args: &RmArgs,
    output: &Output,
) -> Result<Summary, CliError> {
    let remote = Remote::parse(&args.path)?;
    let filter = Filter::new(&args.filter)?;
    let started = Instant::now();
    let mut summary = Summary::default();
    if args.uploads {
        let cutoff = args.older_than.map(|age| SystemTime::now() - age);
        abort_uploads(client, &remote, &filter, cutoff, output, &mut summary).await?;
    } else if args.recursive {
        let listed = tree::remote(client, &remote, &filter).await?;
        let keys = listed.keys().map(|r| remote.child(r).key).collect();
        delete_keys(client, &remote.bucket, keys, output, &mut summary).await;
    } else {
        if remote.key.is_empty() || remote.key.ends_with('/') {
            return Err(CliError::usage(format!(
                "{remote}: not an object key (use -r for a prefix)"
            )));
        }
        let result = client
            .delete_object()
            .bucket(&remote.bucket)
            .key(&remote.key)
            .send()
            .await
            .map(|_| ())
            .map_err(describe);
        report(
            output,
            &mut summary,
            "delete",
            &remote.to_string(),
            result.err(),
        );
    }
    summary.objects = summary.deleted;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Deletes `keys` of `bucket`, up to 1000 per request, reporting each key.
pub(crate) async fn delete_keys(
    client: &Client,
    bucket: &str,
    keys: Vec<String>,
    output: &Output,
    summary: &mut Summary,
) {
    for chunk in keys.chunks(MAX_KEYS_PER_DELETE) {
        let result = client
            .delete_objects()
            .bucket(bucket)
            .keys(chunk.iter().cloned())
            .send()
            .await
            .map_err(describe);
        for key in chunk {
            let shown = Remote {
                bucket: bucket.to_owned(),
                key: key.clone(),
            }
            .to_string();
            report(
                output,
                summary,
                "delete",
                &shown,
                result.as_ref().err().cloned(),
            );
        }
    }
}

async fn abort_uploads(
    client: &Client,
    remote: &Remote,
    filter: &Filter,
    cutoff: Option<SystemTime>,
    output: &Output,
    summary: &mut Summary,
) -> Result<(), CliError> {
    let mut pages = client
        .list_multipart_uploads()
        .bucket(&remote.bucket)
        .prefix(&remote.key)
        .into_paginator();
    let mut stale = Vec::new();
    while let Some(page) = pages.try_next().await? {
        for upload in page.uploads {
            let old_enough = match (cutoff, upload.initiated) {
                (None, _) => true,
                (Some(cutoff), Some(initiated)) => initiated <= cutoff,
                (Some(_), None) => false,
            };
            if old_enough && filter.selects(&upload.key[remote.key.len()..]) {
                stale.push(upload);
            }
        }
    }
    for upload in stale {
        let result = client
            .abort_multipart_upload(&remote.bucket, &upload.key, &upload.upload_id)
            .await
            .map(|_| ())
            .map_err(describe);
        let shown = format!(
            "{} (upload {})",
            Remote {
                bucket: remote.bucket.clone(),
                key: upload.key.clone()
            },
            upload.upload_id
        );
        report(output, summary, "abort-upload", &shown, result.err());
    }
    Ok(())
}

fn report(output: &Output, summary: &mut Summary, action: &str, what: &str, error: Option<String>) {
    match error {
        None => summary.deleted += 1,
        Some(_) => summary.failures += 1,
    }
    output.event(&Event::about(action, what, error.as_deref()));
}
