//! Bucket inventories (`?inventory&inventoryId=…`), OSS API reference "PutBucketInventory",
//! "GetBucketInventory", "ListBucketInventory", "DeleteBucketInventory". A bucket has at most
//! 1000 inventories, each a report of its objects written to a destination bucket daily or
//! weekly.

use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{EmptyOutput, bucket_request};
use crate::paginator::{Next, Paginator};
use crate::request::{OperationRequest, required};
use crate::setters::setters;
use crate::types::RawResponse;
use crate::xml_model::{from_xml, to_xml};

/// An inventory (`<InventoryConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct InventoryConfiguration {
    /// The inventory's id, the same as the request's `inventoryId`.
    pub id: String,
    /// Whether reports are generated.
    pub is_enabled: bool,
    /// Which objects the report lists (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<InventoryFilter>,
    /// Where reports are written.
    pub destination: InventoryDestination,
    /// How often reports are written.
    pub schedule: InventorySchedule,
    /// `All` (every version) or `Current`.
    pub included_object_versions: String,
    /// The columns a report has besides bucket and key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_fields: Option<InventoryOptionalFields>,
    /// Reports of the changes between full reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incremental_inventory: Option<IncrementalInventory>,
}

/// Which objects an inventory lists (`<Filter>`); every condition set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct InventoryFilter {
    /// Keys starting with this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Modified at or after this time (seconds since the Unix epoch, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modify_begin_time_stamp: Option<i64>,
    /// Modified at or before this time (seconds since the Unix epoch, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modify_end_time_stamp: Option<i64>,
    /// At least this size, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_size_bound: Option<u64>,
    /// At most this size, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_size_bound: Option<u64>,
    /// Storage classes, comma separated (`Standard,IA`, or `All`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
}

/// Where an inventory's reports go (`<Destination>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InventoryDestination {
    /// The destination bucket.
    #[serde(rename = "OSSBucketDestination")]
    pub oss_bucket_destination: InventoryOssBucketDestination,
}

/// The bucket reports are written to (`<OSSBucketDestination>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct InventoryOssBucketDestination {
    /// The report format: `CSV`.
    pub format: String,
    /// The account that owns the destination bucket.
    pub account_id: String,
    /// The RAM role OSS writes reports as (`acs:ram::<account>:role/<name>`).
    pub role_arn: String,
    /// The destination bucket, `acs:oss:::<bucket>`.
    pub bucket: String,
    /// Where in the destination bucket reports go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// How reports are encrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<InventoryEncryption>,
}

/// How reports are encrypted (`<Encryption>`): one of the two.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InventoryEncryption {
    /// With a KMS key.
    #[serde(rename = "SSE-KMS", default, skip_serializing_if = "Option::is_none")]
    pub sse_kms: Option<InventorySseKms>,
    /// With OSS-managed keys (an empty `<SSE-OSS/>`).
    #[serde(rename = "SSE-OSS", default, skip_serializing_if = "Option::is_none")]
    pub sse_oss: Option<InventorySseOss>,
}

/// KMS encryption of reports (`<SSE-KMS>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InventorySseKms {
    /// The KMS key id.
    #[serde(rename = "KeyId")]
    pub key_id: String,
}

/// OSS-managed encryption of reports (`<SSE-OSS/>`, no content).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InventorySseOss {}

/// How often full reports are written (`<Schedule>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InventorySchedule {
    /// `Daily` or `Weekly`.
    #[serde(rename = "Frequency")]
    pub frequency: String,
}

/// A report's optional columns (`<OptionalFields>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InventoryOptionalFields {
    /// `Size`, `LastModifiedDate`, `ETag`, `StorageClass`, `IsMultipartUploaded`,
    /// `EncryptionStatus`, `TransitionTime`…
    #[serde(rename = "Field", default)]
    pub fields: Vec<String>,
}

/// Incremental reports (`<IncrementalInventory>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct IncrementalInventory {
    /// Whether incremental reports are written.
    pub is_enabled: bool,
    /// How often.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<IncrementalInventorySchedule>,
    /// Their optional columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_fields: Option<InventoryOptionalFields>,
}

/// How often incremental reports are written (`<Schedule>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IncrementalInventorySchedule {
    /// The interval, in seconds.
    #[serde(rename = "Frequency")]
    pub frequency: u64,
}

/// The inputs of the inventory operations: bucket, inventory id, configuration, token.
#[derive(Debug, Clone, Default)]
pub struct BucketInventoryInput {
    bucket: Option<String>,
    inventory_id: Option<String>,
    configuration: Option<InventoryConfiguration>,
    continuation_token: Option<String>,
}

impl BucketInventoryInput {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The inventory's id (required to put, get and delete one).
        inventory_id: String;
        /// The inventory (required to put; its `id` must be the `inventory_id`).
        configuration: InventoryConfiguration;
        /// Where a listing continues (the `NextContinuationToken` of the page before).
        continuation_token: String;
    }
}

/// PutBucketInventory input: bucket, inventory id and configuration.
pub type PutBucketInventory = BucketInventoryInput;
/// GetBucketInventory input: bucket and inventory id.
pub type GetBucketInventory = BucketInventoryInput;
/// DeleteBucketInventory input: bucket and inventory id.
pub type DeleteBucketInventory = BucketInventoryInput;
/// ListBucketInventory input: bucket, and the continuation token of a later page.
pub type ListBucketInventory = BucketInventoryInput;

/// The answer of GetBucketInventory.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetBucketInventoryOutput {
    /// The inventory.
    pub configuration: InventoryConfiguration,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// One page of ListBucketInventory (`<ListInventoryConfigurationsResult>`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ListBucketInventoryOutput {
    /// The inventories of this page, in id order.
    pub configurations: Vec<InventoryConfiguration>,
    /// Whether more follow.
    pub is_truncated: bool,
    /// Where the next page starts.
    pub next_continuation_token: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListPage {
    #[serde(rename = "InventoryConfiguration", default)]
    configurations: Vec<InventoryConfiguration>,
    #[serde(default)]
    is_truncated: bool,
    #[serde(default)]
    next_continuation_token: Option<String>,
}

/// A request on `?inventory&inventoryId=<id>` (id required).
fn inventory_request(
    method: Method,
    bucket: Option<String>,
    id: Option<String>,
) -> Result<OperationRequest, Error> {
    let id = required(id, "inventory_id")?;
    let mut op = bucket_request(method, bucket, "inventory")?;
    op.query.push("inventoryId", id);
    Ok(op)
}

/// Refuses what OSS refuses in an inventory, before any I/O.
fn validate(id: &str, c: &InventoryConfiguration) -> Result<(), Error> {
    let refuse = |what: String| Err(Error::invalid_argument(what));
    let dest = &c.destination.oss_bucket_destination;
    if c.id != id {
        return refuse(format!(
            "the configuration's Id {:?} is not the inventory_id {id:?}",
            c.id
        ));
    }
    if !matches!(c.schedule.frequency.as_str(), "Daily" | "Weekly") {
        return refuse(format!(
            "Frequency is Daily or Weekly, not {:?}",
            c.schedule.frequency
        ));
    }
    if !matches!(c.included_object_versions.as_str(), "All" | "Current") {
        return refuse(format!(
            "IncludedObjectVersions is All or Current, not {:?}",
            c.included_object_versions
        ));
    }
    if dest.format != "CSV" {
        return refuse(format!("Format is CSV, not {:?}", dest.format));
    }
    if !dest.bucket.starts_with("acs:oss:::") {
        return refuse(format!(
            "the destination Bucket is acs:oss:::<bucket>, not {:?}",
            dest.bucket
        ));
    }
    Ok(())
}

/// The inventory operations, each a request shape on one input.
enum Inventory {
    Put(BucketInventoryInput),
    Delete(BucketInventoryInput),
}

impl Operation for Inventory {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        match self {
            Self::Put(input) => {
                let id = required(input.inventory_id, "inventory_id")?;
                let configuration = input.configuration.ok_or_else(|| {
                    Error::invalid_argument("the InventoryConfiguration is required")
                })?;
                validate(&id, &configuration)?;
                let mut op = inventory_request(Method::PUT, input.bucket, Some(id))?;
                op.xml_body(to_xml("InventoryConfiguration", &configuration)?);
                Ok(op)
            }
            Self::Delete(input) => {
                inventory_request(Method::DELETE, input.bucket, input.inventory_id)
            }
        }
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

/// GetBucketInventory.
struct Get(BucketInventoryInput);

impl Operation for Get {
    type Output = GetBucketInventoryOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        inventory_request(Method::GET, self.0.bucket, self.0.inventory_id)
    }

    fn output(answer: Answer) -> Result<GetBucketInventoryOutput, Error> {
        Ok(GetBucketInventoryOutput {
            configuration: from_xml(&answer.body)?,
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// ListBucketInventory.
struct List(BucketInventoryInput);

impl Operation for List {
    type Output = ListBucketInventoryOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = bucket_request(Method::GET, self.0.bucket, "inventory")?;
        if let Some(token) = self.0.continuation_token {
            op.query.push("continuation-token", token);
        }
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ListBucketInventoryOutput, Error> {
        let page: ListPage = from_xml(&answer.body)?;
        Ok(ListBucketInventoryOutput {
            configurations: page.configurations,
            is_truncated: page.is_truncated,
            next_continuation_token: page.next_continuation_token.filter(|t| !t.is_empty()),
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

impl Client {
    /// PutBucketInventory (`PUT /bucket?inventory&inventoryId=<id>`): adds an inventory.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O for a missing bucket, id or
    /// configuration, an `Id` other than the `inventory_id`, a `Frequency` other than
    /// `Daily`/`Weekly`, `IncludedObjectVersions` other than `All`/`Current`, a `Format`
    /// other than `CSV` or a destination not `acs:oss:::<bucket>`; service errors
    /// (`InventoryAlreadyExist` for an id in use, `InvalidArgument`, `NoSuchBucket`).
    pub async fn put_bucket_inventory(
        &self,
        input: PutBucketInventory,
    ) -> Result<EmptyOutput, Error> {
        self.execute(Inventory::Put(input)).await
    }

    /// GetBucketInventory (`GET /bucket?inventory&inventoryId=<id>`).
    ///
    /// # Errors
    /// Input errors; `NoSuchInventory` when the bucket has no inventory with that id.
    pub async fn get_bucket_inventory(
        &self,
        input: GetBucketInventory,
    ) -> Result<GetBucketInventoryOutput, Error> {
        self.execute(Get(input)).await
    }

    /// ListBucketInventory (`GET /bucket?inventory[&continuation-token=<token>]`): one page
    /// of the bucket's inventories (OSS answers at most 100 per page).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn list_bucket_inventory(
        &self,
        input: ListBucketInventory,
    ) -> Result<ListBucketInventoryOutput, Error> {
        self.execute(List(input)).await
    }

    /// Every page of ListBucketInventory, each continuing from the `NextContinuationToken` of
    /// the one before; a truncated page without one (or repeating the token it was fetched
    /// with) ends the stream with [`crate::ErrorKind::InvalidResponse`].
    pub fn list_bucket_inventory_paginator(
        &self,
        input: ListBucketInventory,
    ) -> Paginator<ListBucketInventoryOutput> {
        let client = self.clone();
        let start = input.continuation_token.clone().map(|t| (t, None));
        Paginator::new("ListBucketInventory", start, move |token| {
            let mut page = input.clone();
            if let Some((token, _)) = token {
                page.continuation_token = Some(token);
            }
            let client = client.clone();
            async move {
                let output = client.execute(List(page)).await?;
                let next = Next::after(
                    output.is_truncated,
                    "NextContinuationToken",
                    output.next_continuation_token.as_deref(),
                    None,
                );
                Ok((output, next))
            }
        })
    }

    /// DeleteBucketInventory (`DELETE /bucket?inventory&inventoryId=<id>`).
    ///
    /// # Errors
    /// Input errors; service errors.
    pub async fn delete_bucket_inventory(
        &self,
        input: DeleteBucketInventory,
    ) -> Result<EmptyOutput, Error> {
        self.execute(Inventory::Delete(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    /// The document of OSS's PutBucketInventory example, without declaration.
    const EXAMPLE: &str = "<InventoryConfiguration><Id>report1</Id>\
        <IsEnabled>true</IsEnabled><Filter><Prefix>filterPrefix/</Prefix>\
        <LastModifyBeginTimeStamp>1637883649</LastModifyBeginTimeStamp>\
        <LowerSizeBound>1024</LowerSizeBound><StorageClass>Standard,IA</StorageClass></Filter>\
        <Destination><OSSBucketDestination><Format>CSV</Format><AccountId>1000000000000000</AccountId>\
        <RoleArn>acs:ram::1000000000000000:role/AliyunOSSRole</RoleArn>\
        <Bucket>acs:oss:::destination-bucket</Bucket><Prefix>prefix1</Prefix>\
        <Encryption><SSE-OSS/></Encryption></OSSBucketDestination></Destination>\
        <Schedule><Frequency>Daily</Frequency></Schedule>\
        <IncludedObjectVersions>All</IncludedObjectVersions>\
        <OptionalFields><Field>Size</Field><Field>ETag</Field></OptionalFields>\
        </InventoryConfiguration>";

    fn example() -> InventoryConfiguration {
        from_xml(EXAMPLE.as_bytes()).unwrap()
    }

    #[test]
    fn put_sends_the_documented_query_and_xml() {
        let configuration = example();
        assert_eq!(
            configuration.filter.as_ref().unwrap().lower_size_bound,
            Some(1024)
        );
        let dest = &configuration.destination.oss_bucket_destination;
        assert_eq!(
            dest.encryption.as_ref().unwrap().sse_oss,
            Some(InventorySseOss {})
        );
        let op = Inventory::Put(
            PutBucketInventory::default()
                .bucket("examplebucket")
                .inventory_id("report1")
                .configuration(configuration),
        )
        .request()
        .unwrap();
        assert_eq!(op.method, Method::PUT);
        assert_eq!(op.query.to_query_string(), "inventory&inventoryId=report1");
        assert!(op.headers.contains_key("content-md5"));
        assert_eq!(
            body_text(&op),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{EXAMPLE}")
        );
    }

    #[test]
    fn refuses_what_oss_refuses_before_io() {
        let put = |c: InventoryConfiguration, id: &str| {
            Inventory::Put(
                PutBucketInventory::default()
                    .bucket("examplebucket")
                    .inventory_id(id)
                    .configuration(c),
            )
            .request()
        };
        assert!(put(example(), "report2").is_err());
        let mut weekly = example();
        weekly.schedule.frequency = "Hourly".into();
        assert!(put(weekly, "report1").is_err());
        let mut orc = example();
        orc.destination.oss_bucket_destination.format = "ORC".into();
        assert!(put(orc, "report1").is_err());
        assert!(
            Get(GetBucketInventory::default().bucket("examplebucket"))
                .request()
                .is_err()
        );
    }

    #[test]
    fn list_reads_pages_and_tokens() {
        let body = format!(
            "<ListInventoryConfigurationsResult>{EXAMPLE}<IsTruncated>true</IsTruncated>\
             <NextContinuationToken>report1</NextContinuationToken>\
             </ListInventoryConfigurationsResult>"
        );
        let page = List::output(answer(&body)).unwrap();
        assert_eq!(page.configurations.len(), 1);
        assert_eq!(page.configurations[0].id, "report1");
        assert!(page.is_truncated);
        assert_eq!(page.next_continuation_token.as_deref(), Some("report1"));
        let op = List(
            ListBucketInventory::default()
                .bucket("examplebucket")
                .continuation_token("report1"),
        )
        .request()
        .unwrap();
        assert_eq!(
            op.query.to_query_string(),
            "inventory&continuation-token=report1"
        );
    }
}
