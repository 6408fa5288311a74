//! DescribeRegions (`GET /?regions`, OSS API reference "DescribeRegions"): the public,
//! internal and acceleration endpoints of every OSS region, or of one.

use http::Method;

use crate::client::Client;
use crate::error::Error;
use crate::request::OperationRequest;
use crate::types::RawResponse;
use crate::xml;

/// One region of a DescribeRegions answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegionInfo {
    /// The OSS region id, with its `oss-` prefix (`oss-cn-hangzhou`).
    pub region: String,
    /// The public endpoint host (`oss-cn-hangzhou.aliyuncs.com`).
    pub internet_endpoint: String,
    /// The internal (VPC) endpoint host (`oss-cn-hangzhou-internal.aliyuncs.com`).
    pub internal_endpoint: String,
    /// The transfer-acceleration endpoint host (`oss-accelerate.aliyuncs.com`).
    pub accelerate_endpoint: String,
}

/// The answer of DescribeRegions.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DescribeRegionsOutput {
    /// The regions, in the order OSS lists them.
    pub regions: Vec<RegionInfo>,
    /// `x-oss-request-id`.
    pub request_id: String,
    /// The answer's status and headers.
    pub raw: RawResponse,
}

impl Client {
    /// DescribeRegions: every region's endpoints, or only those of `region` when given (an
    /// OSS region id such as `oss-cn-hangzhou`, sent as `?regions=oss-cn-hangzhou`).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] before any I/O when `region` is empty; the
    /// service's error (e.g. 400 `InvalidArgument` for a region OSS does not know) otherwise.
    pub async fn describe_regions(
        &self,
        region: Option<&str>,
    ) -> Result<DescribeRegionsOutput, Error> {
        let mut op = OperationRequest::new(Method::GET, None, None);
        match region {
            Some("") => return Err(Error::invalid_argument("region must not be empty")),
            Some(region) => op.query.push("regions", region),
            None => op.query.push_flag("regions"),
        };
        self.execute_request(Ok(op), |answer| {
            let raw = answer.raw();
            let root = xml::parse(&answer.body)?;
            let regions = root
                .children_named("RegionInfo")
                .map(|r| RegionInfo {
                    region: r.text_or_empty("Region"),
                    internet_endpoint: r.text_or_empty("InternetEndpoint"),
                    internal_endpoint: r.text_or_empty("InternalEndpoint"),
                    accelerate_endpoint: r.text_or_empty("AccelerateEndpoint"),
                })
                .collect();
            Ok(DescribeRegionsOutput {
                regions,
                request_id: raw.request_id(),
                raw,
            })
        })
        .await
    }
}
