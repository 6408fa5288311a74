//! ListCloudBoxes (`GET /?cloudboxes`, OSS API reference "ListCloudBoxes"): the CloudBoxes
//! (OSS on premises) of the account, paged by marker.

use http::Method;
use serde::Deserialize;

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::paginator::{Next, PagedListing, Paginator, Token, paginate};
use crate::request::OperationRequest;
use crate::setters::setters;
use crate::types::{Owner, RawResponse};
use crate::xml_model::from_xml;

/// One CloudBox (`<CloudBox>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CloudBox {
    /// Its id (`cb-f8z7yvzgwfkl9q0h****`).
    #[serde(rename = "ID", default)]
    pub id: String,
    /// Its name.
    #[serde(rename = "Name", default)]
    pub name: String,
    /// The region it belongs to (`cn-shanghai`).
    #[serde(rename = "Region", default)]
    pub region: String,
    /// The control endpoint host.
    #[serde(rename = "ControlEndpoint", default)]
    pub control_endpoint: String,
    /// The data endpoint host.
    #[serde(rename = "DataEndpoint", default)]
    pub data_endpoint: String,
    /// Its alias, when it has one.
    #[serde(rename = "Alias", default)]
    pub alias: Option<String>,
}

/// ListCloudBoxes input.
#[derive(Debug, Clone, Default)]
pub struct ListCloudBoxes {
    prefix: Option<String>,
    marker: Option<String>,
    max_keys: Option<u32>,
}

impl ListCloudBoxes {
    setters! {
        /// Only CloudBoxes whose name starts with this.
        prefix: String;
        /// Start after this CloudBox name (a previous page's `next_marker`).
        marker: String;
        /// CloudBoxes per page (1 to 1000).
        max_keys: u32;
    }
}

/// One page of ListCloudBoxes.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ListCloudBoxesOutput {
    /// The CloudBoxes of this page.
    pub cloud_boxes: Vec<CloudBox>,
    /// The account.
    pub owner: Option<Owner>,
    /// Whether more follow.
    pub is_truncated: bool,
    /// Where the next page starts.
    pub next_marker: Option<String>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

/// `<ListCloudBoxResult>` as sent.
#[derive(Deserialize)]
struct Document {
    #[serde(rename = "Owner")]
    owner: Option<OwnerElement>,
    #[serde(rename = "IsTruncated", default)]
    is_truncated: bool,
    #[serde(rename = "NextMarker")]
    next_marker: Option<String>,
    #[serde(rename = "CloudBoxes", default)]
    cloud_boxes: CloudBoxes,
}

#[derive(Deserialize, Default)]
struct CloudBoxes {
    #[serde(rename = "CloudBox", default)]
    items: Vec<CloudBox>,
}

#[derive(Deserialize)]
struct OwnerElement {
    #[serde(rename = "ID", default)]
    id: String,
    #[serde(rename = "DisplayName", default)]
    display_name: String,
}

impl Operation for ListCloudBoxes {
    type Output = ListCloudBoxesOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        let mut op = OperationRequest::new(Method::GET, None, None);
        op.query.push_flag("cloudboxes");
        op.push_optional([("prefix", self.prefix), ("marker", self.marker)]);
        op.push_page_size("max-keys", self.max_keys)?;
        Ok(op)
    }

    fn output(answer: Answer) -> Result<ListCloudBoxesOutput, Error> {
        let document: Document = from_xml(&answer.body)?;
        Ok(ListCloudBoxesOutput {
            cloud_boxes: document.cloud_boxes.items,
            owner: document.owner.map(|o| Owner {
                id: o.id,
                display_name: o.display_name,
            }),
            is_truncated: document.is_truncated,
            next_marker: document.next_marker.filter(|m| !m.is_empty()),
            request_id: answer.request_id(),
            raw: answer.raw(),
        })
    }
}

/// The pages of ListCloudBoxes.
#[derive(Clone)]
struct Pages {
    client: Client,
    input: ListCloudBoxes,
}

impl PagedListing for Pages {
    type Page = ListCloudBoxesOutput;
    const OPERATION: &'static str = "ListCloudBoxes";

    fn start(&self) -> Option<Token> {
        self.input.marker.clone().map(|m| (m, None))
    }

    fn continue_from(&mut self, (marker, _): Token) {
        self.input.marker = Some(marker);
    }

    fn next(page: &Self::Page) -> Next {
        Next::after(
            page.is_truncated,
            "NextMarker",
            page.next_marker.as_deref(),
            None,
        )
    }

    async fn fetch_page(self) -> Result<Self::Page, Error> {
        self.client.list_cloud_boxes(self.input).await
    }
}

impl Client {
    /// ListCloudBoxes (`GET /?cloudboxes`): one page of the account's CloudBoxes; see
    /// [`Client::list_cloud_boxes_paginator`] for all pages.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] for `max_keys` outside 1..=1000; service errors.
    pub async fn list_cloud_boxes(
        &self,
        input: ListCloudBoxes,
    ) -> Result<ListCloudBoxesOutput, Error> {
        self.execute(input).await
    }

    /// Every page of ListCloudBoxes, starting after the input's marker; each next page starts
    /// at the previous page's `NextMarker`.
    pub fn list_cloud_boxes_paginator(
        &self,
        input: ListCloudBoxes,
    ) -> Paginator<ListCloudBoxesOutput> {
        paginate(Pages {
            client: self.clone(),
            input,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::answer;

    #[test]
    fn request_and_answer_follow_the_documented_shape() {
        let op = ListCloudBoxes::default()
            .prefix("cb-")
            .marker("cb-a")
            .max_keys(2u32)
            .request()
            .unwrap();
        assert_eq!(op.bucket, None);
        assert_eq!(
            op.query.to_query_string(),
            "cloudboxes&prefix=cb-&marker=cb-a&max-keys=2"
        );
        let page = ListCloudBoxes::output(answer(
            "<ListCloudBoxResult><Owner><ID>51264</ID><DisplayName>51264</DisplayName></Owner>\
             <Prefix>cb-</Prefix><Marker>cb-a</Marker><MaxKeys>2</MaxKeys>\
             <IsTruncated>true</IsTruncated><NextMarker>cb-c</NextMarker><CloudBoxes>\
             <CloudBox><ID>cb-b</ID><Name>box-b</Name><Region>cn-shanghai</Region>\
             <ControlEndpoint>cb-b.cn-shanghai.oss-cloudbox-control.aliyuncs.com</ControlEndpoint>\
             <DataEndpoint>cb-b.cn-shanghai.oss-cloudbox.aliyuncs.com</DataEndpoint></CloudBox>\
             </CloudBoxes></ListCloudBoxResult>",
        ))
        .unwrap();
        assert_eq!(page.cloud_boxes.len(), 1);
        assert_eq!(page.cloud_boxes[0].region, "cn-shanghai");
        assert_eq!(page.owner.as_ref().unwrap().id, "51264");
        assert!(matches!(Pages::next(&page), Next::From((m, None)) if m == "cb-c"));
    }

    #[test]
    fn refuses_a_page_size_out_of_range() {
        assert!(ListCloudBoxes::default().max_keys(0u32).request().is_err());
    }
}
