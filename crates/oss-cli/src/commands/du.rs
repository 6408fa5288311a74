//! `oss du`: objects (or files) and bytes under a prefix (or directory), after the filters.

use oss_client::Client;
use serde_json::json;

use crate::args::DuArgs;
use crate::error::CliError;
use crate::filter::Filter;
use crate::location::Location;
use crate::output::Output;
use crate::{tree, walk};

/// Runs `du`.
pub(crate) async fn run(client: &Client, args: &DuArgs, output: &Output) -> Result<(), CliError> {
    let location = Location::parse(&args.path)?;
    let filter = Filter::new(&args.filter)?;
    let listed = match &location {
        Location::Local(root) => walk::local(root, &filter, None, None).await?,
        Location::Remote(remote) => tree::remote(client, remote, &filter).await?,
    };
    let bytes: u64 = listed.values().map(|e| e.size).sum();
    if output.is_json() {
        output.json_line(&json!({
            "path": location.to_string(),
            "objects": listed.len(),
            "bytes": bytes,
        }));
    } else {
        println!("{} objects, {bytes} bytes  {location}", listed.len());
    }
    Ok(())
}
