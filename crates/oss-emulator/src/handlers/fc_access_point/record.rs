//! One Object FC access point as stored: a JSON record in its bucket's `documents` map
//! (`accessPointForObjectProcess/<name>`, durable in `bucket.json` with a data directory),
//! read from and written to OSS's `<ObjectProcessConfiguration>` XML.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, OssError};
use crate::handlers::xml_body::{Element, malformed};
use crate::store::Bucket;
use crate::xml::XmlWriter;

/// The prefix of an FC access point's key in the bucket's documents.
const DOCUMENT_PREFIX: &str = "accessPointForObjectProcess/";

/// One transformation: which operations go through which function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Transformation {
    /// `Action` values as sent (OSS takes only GetObject, in any case).
    pub(crate) actions: Vec<String>,
    /// `FunctionArn`.
    pub(crate) function_arn: String,
    /// `FunctionAssumeRoleArn`.
    pub(crate) function_assume_role_arn: String,
    /// `AdditionalFeatures/CustomForwardHeaders/CustomForwardHeader` values.
    pub(crate) custom_forward_headers: Vec<String>,
}

/// What `<ObjectProcessConfiguration>` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ObjectProcess {
    /// At least one.
    pub(crate) transformations: Vec<Transformation>,
    /// `AllowedFeature` values (`GetObject-Range`).
    pub(crate) allowed_features: Vec<String>,
}

/// An FC access point.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FcAccessPoint {
    /// The (ordinary) access point it is built on.
    pub(crate) access_point_name: String,
    /// Creation time, seconds since the Unix epoch.
    pub(crate) creation_date: u64,
    /// The processing.
    pub(crate) object_process: ObjectProcess,
    /// `AllowAnonymousAccessForObjectProcess` as last put, if ever.
    pub(crate) allow_anonymous: Option<String>,
    /// `PublicAccessBlockConfiguration/BlockPublicAccess` (OSS default true).
    pub(crate) block_public_access: bool,
    /// The policy, JSON text as put.
    pub(crate) policy: Option<String>,
}

/// 404 `NoSuchAccessPointForObjectProcess`.
pub(crate) fn no_such_access_point(name: &str) -> OssError {
    OssError::new(
        ErrorCode::NoSuchAccessPointForObjectProcess,
        "The specified access point for object process does not exist.",
    )
    .with("AccessPointForObjectProcessName", name)
}

/// The FC access point `name` of `bucket`, if any.
pub(crate) fn load(bucket: &Bucket, name: &str) -> Option<FcAccessPoint> {
    let text = bucket.document(&format!("{DOCUMENT_PREFIX}{name}"))?;
    serde_json::from_str(&text).ok()
}

/// The FC access point `name` of `bucket`, or 404 `NoSuchAccessPointForObjectProcess`.
pub(crate) fn require(bucket: &Bucket, name: &str) -> Result<FcAccessPoint, OssError> {
    load(bucket, name).ok_or_else(|| no_such_access_point(name))
}

/// Stores (`Some`) or removes (`None`) the FC access point `name` of `bucket`.
pub(crate) fn save(
    bucket: &Bucket,
    name: &str,
    record: Option<&FcAccessPoint>,
) -> Result<(), OssError> {
    let text = match record {
        Some(r) => Some(
            serde_json::to_string(r)
                .map_err(|_| OssError::new(ErrorCode::InternalError, "cannot store the record"))?,
        ),
        None => None,
    };
    bucket.set_document(&format!("{DOCUMENT_PREFIX}{name}"), text)
}

/// The names of `bucket`'s FC access points, in order.
pub(crate) fn names(bucket: &Bucket) -> Vec<String> {
    bucket
        .config()
        .documents
        .keys()
        .filter_map(|k| k.strip_prefix(DOCUMENT_PREFIX))
        .map(str::to_owned)
        .collect()
}

/// The trimmed text of `el`'s child `name`, required non-empty; else 400 `MalformedXML`.
fn required_text<'a>(el: &'a Element, name: &str) -> Result<&'a str, OssError> {
    el.child_text(name)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(malformed)
}

/// The trimmed texts of the `item` children of `el`'s child `list`.
fn texts(el: &Element, list: &str, item: &str) -> Vec<String> {
    el.child(list)
        .map(|l| l.children(item).map(|c| c.text.trim().to_owned()).collect())
        .unwrap_or_default()
}

fn invalid(message: &str, name: &str, value: &str) -> OssError {
    OssError::invalid_argument(message, name, value)
}

/// Reads `<ObjectProcessConfiguration>` (a child of `parent`): at least one transformation,
/// each with actions and a function (else 400 `MalformedXML`); actions other than GetObject,
/// ARNs that are no Function Compute / RAM role ARNs and features other than
/// `GetObject-Range` are 400 `InvalidArgument`.
pub(crate) fn read_object_process(parent: &Element) -> Result<ObjectProcess, OssError> {
    let config = parent
        .child("ObjectProcessConfiguration")
        .ok_or_else(malformed)?;
    let mut transformations = Vec::new();
    let list = config
        .child("TransformationConfigurations")
        .ok_or_else(malformed)?;
    for t in list.children("TransformationConfiguration") {
        let actions = texts(t, "Actions", "Action");
        if actions.is_empty() {
            return Err(malformed());
        }
        if let Some(a) = actions
            .iter()
            .find(|a| !a.eq_ignore_ascii_case("GetObject"))
        {
            return Err(invalid("Only GetObject can be processed.", "Action", a));
        }
        let function = t
            .child("ContentTransformation")
            .and_then(|c| c.child("FunctionCompute"))
            .ok_or_else(malformed)?;
        let function_arn = required_text(function, "FunctionArn")?;
        if !function_arn.starts_with("acs:fc:") {
            return Err(invalid(
                "FunctionArn is not a Function Compute ARN.",
                "FunctionArn",
                function_arn,
            ));
        }
        let role = required_text(function, "FunctionAssumeRoleArn")?;
        if !role.starts_with("acs:ram::") {
            return Err(invalid(
                "FunctionAssumeRoleArn is not a RAM role ARN.",
                "FunctionAssumeRoleArn",
                role,
            ));
        }
        let custom_forward_headers = t
            .child("ContentTransformation")
            .and_then(|c| c.child("AdditionalFeatures"))
            .map(|f| texts(f, "CustomForwardHeaders", "CustomForwardHeader"))
            .unwrap_or_default();
        transformations.push(Transformation {
            actions,
            function_arn: function_arn.to_owned(),
            function_assume_role_arn: role.to_owned(),
            custom_forward_headers,
        });
    }
    if transformations.is_empty() {
        return Err(malformed());
    }
    let allowed_features = texts(config, "AllowedFeatures", "AllowedFeature");
    if let Some(f) = allowed_features.iter().find(|f| *f != "GetObject-Range") {
        return Err(invalid(
            "The allowed feature is not supported.",
            "AllowedFeature",
            f,
        ));
    }
    Ok(ObjectProcess {
        transformations,
        allowed_features,
    })
}

/// Reads `<PublicAccessBlockConfiguration><BlockPublicAccess>` of `parent` when present:
/// `true` or `false` (else 400 `MalformedXML`).
pub(crate) fn read_block_public_access(parent: &Element) -> Result<Option<bool>, OssError> {
    let Some(block) = parent.child("PublicAccessBlockConfiguration") else {
        return Ok(None);
    };
    match required_text(block, "BlockPublicAccess")? {
        "true" => Ok(Some(true)),
        "false" => Ok(Some(false)),
        _ => Err(malformed()),
    }
}

/// Writes `<ObjectProcessConfiguration>`.
pub(crate) fn write_object_process(w: &mut XmlWriter, process: &ObjectProcess) {
    w.open("ObjectProcessConfiguration");
    w.open("TransformationConfigurations");
    for t in &process.transformations {
        w.open("TransformationConfiguration").open("Actions");
        for action in &t.actions {
            w.elem("Action", action);
        }
        w.close("Actions").open("ContentTransformation");
        w.open("FunctionCompute")
            .elem("FunctionArn", &t.function_arn)
            .elem("FunctionAssumeRoleArn", &t.function_assume_role_arn)
            .close("FunctionCompute");
        if !t.custom_forward_headers.is_empty() {
            w.open("AdditionalFeatures").open("CustomForwardHeaders");
            for header in &t.custom_forward_headers {
                w.elem("CustomForwardHeader", header);
            }
            w.close("CustomForwardHeaders").close("AdditionalFeatures");
        }
        w.close("ContentTransformation")
            .close("TransformationConfiguration");
    }
    w.close("TransformationConfigurations");
    w.open("AllowedFeatures");
    for feature in &process.allowed_features {
        w.elem("AllowedFeature", feature);
    }
    w.close("AllowedFeatures");
    w.close("ObjectProcessConfiguration");
}

/// Writes the FC access point's `AllowAnonymousAccessForObjectProcess` (when set) and
/// `PublicAccessBlockConfiguration`.
pub(crate) fn write_access(w: &mut XmlWriter, record: &FcAccessPoint) {
    w.elem_opt(
        "AllowAnonymousAccessForObjectProcess",
        record.allow_anonymous.as_deref(),
    );
    w.open("PublicAccessBlockConfiguration")
        .elem(
            "BlockPublicAccess",
            if record.block_public_access {
                "true"
            } else {
                "false"
            },
        )
        .close("PublicAccessBlockConfiguration");
}
