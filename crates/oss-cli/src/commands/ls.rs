//! `oss ls`: buckets, the first level of a prefix (or everything with `-r`), versions, or
//! unfinished multipart uploads. Plain lines, or one JSON object per line with `--json`.

use std::time::SystemTime;

use futures_util::TryStreamExt as _;
use oss_client::Client;
use serde_json::json;

use crate::args::LsArgs;
use crate::error::CliError;
use crate::filter::Filter;
use crate::location::Remote;
use crate::output::Output;

/// Runs `ls`.
pub(crate) async fn run(client: &Client, args: &LsArgs, output: &Output) -> Result<(), CliError> {
    let Some(path) = &args.path else {
        return buckets(client, output).await;
    };
    let remote = Remote::parse(path)?;
    let filter = Filter::new(&args.filter)?;
    let lister = Lister {
        client,
        remote: &remote,
        filter: &filter,
        args,
        output,
    };
    if args.versions {
        lister.versions().await
    } else if args.uploads {
        lister.uploads().await
    } else {
        lister.objects().await
    }
}

/// UTC time as RFC 3339 with seconds, or `-`.
pub(crate) fn time(time: Option<SystemTime>) -> String {
    time.map_or_else(
        || "-".to_owned(),
        |t| humantime::format_rfc3339_seconds(t).to_string(),
    )
}

async fn buckets(client: &Client, output: &Output) -> Result<(), CliError> {
    let mut marker = None;
    loop {
        let mut request = client.list_buckets();
        if let Some(marker) = marker.take() {
            request = request.marker(marker);
        }
        let page = request.send().await?;
        for bucket in &page.buckets {
            if output.is_json() {
                output.json_line(&json!({
                    "bucket": bucket.name,
                    "region": bucket.region,
                    "created": time(bucket.creation_date),
                    "storage_class": bucket.storage_class,
                }));
            } else {
                println!("oss://{}", bucket.name);
            }
        }
        match page.next_marker {
            Some(next) if page.is_truncated => marker = Some(next),
            _ => return Ok(()),
        }
    }
}

struct Lister<'a> {
    client: &'a Client,
    remote: &'a Remote,
    filter: &'a Filter,
    args: &'a LsArgs,
    output: &'a Output,
}

impl Lister<'_> {
    fn selects(&self, key: &str) -> bool {
        self.filter
            .selects(key.strip_prefix(&self.remote.key).unwrap_or(key))
    }

    fn url(&self, key: &str) -> String {
        format!("oss://{}/{key}", self.remote.bucket)
    }

    async fn objects(&self) -> Result<(), CliError> {
        let mut request = self
            .client
            .list_objects_v2()
            .bucket(&self.remote.bucket)
            .prefix(&self.remote.key)
            .max_keys(1000);
        if !self.args.recursive {
            request = request.delimiter("/");
        }
        let mut pages = request.into_paginator();
        while let Some(page) = pages.try_next().await? {
            for prefix in &page.common_prefixes {
                self.print_prefix(prefix);
            }
            for object in page.contents.iter().filter(|o| self.selects(&o.key)) {
                if self.output.is_json() {
                    self.output.json_line(&json!({
                        "key": self.url(&object.key),
                        "size": object.size,
                        "last_modified": time(object.last_modified),
                        "etag": object.etag,
                        "storage_class": object.storage_class,
                        "type": object.object_type,
                    }));
                } else if self.args.long {
                    println!(
                        "{:>20} {:>14}  {}  {}  {}",
                        time(object.last_modified),
                        object.size,
                        object.etag,
                        object.storage_class,
                        self.url(&object.key)
                    );
                } else {
                    println!("{:>14}  {}", object.size, self.url(&object.key));
                }
            }
        }
        Ok(())
    }

    /// One common prefix (a "directory" of a delimited listing).
    fn print_prefix(&self, prefix: &str) {
        if self.output.is_json() {
            self.output
                .json_line(&json!({ "prefix": self.url(prefix) }));
        } else {
            println!("{:>30}  {}", "DIR", self.url(prefix));
        }
    }

    async fn versions(&self) -> Result<(), CliError> {
        let mut request = self
            .client
            .list_object_versions()
            .bucket(&self.remote.bucket)
            .prefix(&self.remote.key);
        if !self.args.recursive {
            request = request.delimiter("/");
        }
        let mut pages = request.into_paginator();
        while let Some(page) = pages.try_next().await? {
            for prefix in &page.common_prefixes {
                self.print_prefix(prefix);
            }
            for version in page.versions.iter().filter(|v| self.selects(&v.key)) {
                if self.output.is_json() {
                    self.output.json_line(&json!({
                        "key": self.url(&version.key),
                        "version_id": version.version_id,
                        "is_latest": version.is_latest,
                        "delete_marker": version.is_delete_marker,
                        "size": version.size,
                        "last_modified": time(version.last_modified),
                        "etag": version.etag,
                    }));
                } else {
                    let kind = if version.is_delete_marker {
                        "DELETED"
                    } else if version.is_latest {
                        "LATEST"
                    } else {
                        ""
                    };
                    println!(
                        "{:>20} {:>14}  {:<8} {}  {}",
                        time(version.last_modified),
                        version.size,
                        kind,
                        version.version_id,
                        self.url(&version.key)
                    );
                }
            }
        }
        Ok(())
    }

    async fn uploads(&self) -> Result<(), CliError> {
        let mut pages = self
            .client
            .list_multipart_uploads()
            .bucket(&self.remote.bucket)
            .prefix(&self.remote.key)
            .into_paginator();
        while let Some(page) = pages.try_next().await? {
            for upload in page.uploads.iter().filter(|u| self.selects(&u.key)) {
                if self.output.is_json() {
                    self.output.json_line(&json!({
                        "key": self.url(&upload.key),
                        "upload_id": upload.upload_id,
                        "initiated": time(upload.initiated),
                    }));
                } else {
                    println!(
                        "{:>20}  {}  {}",
                        time(upload.initiated),
                        upload.upload_id,
                        self.url(&upload.key)
                    );
                }
            }
        }
        Ok(())
    }
}
