//! The processing document of Object FC access points (`<ObjectProcessConfiguration>`), shared
//! by CreateAccessPointForObjectProcess and the Put/GetAccessPointConfigForObjectProcess
//! pair, and the request every FC access point operation on a bucket starts from. OSS API
//! reference "CreateAccessPointForObjectProcess" (request elements).

use http::Method;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::request::{OperationRequest, required};

/// What Function Compute does for an FC access point (`<ObjectProcessConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ObjectProcessConfiguration {
    /// The transformations (at least one).
    #[serde(default)]
    pub transformation_configurations: TransformationConfigurations,
    /// Extra features the function supports (`GetObject-Range`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_features: Option<AllowedFeatures>,
}

impl ObjectProcessConfiguration {
    /// A document with these transformations and no allowed features.
    pub fn new(transformations: impl IntoIterator<Item = TransformationConfiguration>) -> Self {
        Self {
            transformation_configurations: TransformationConfigurations {
                transformation_configurations: transformations.into_iter().collect(),
            },
            allowed_features: None,
        }
    }

    /// Refuses what OSS refuses: no transformation, or one without an action or a function
    /// ARN.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] naming the rule.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        let transformations = &self
            .transformation_configurations
            .transformation_configurations;
        if transformations.is_empty() {
            return Err(Error::invalid_argument(
                "ObjectProcessConfiguration needs at least one TransformationConfiguration",
            ));
        }
        for t in transformations {
            if t.actions.actions.is_empty() {
                return Err(Error::invalid_argument(
                    "a TransformationConfiguration needs an Action (GetObject)",
                ));
            }
            let function = &t.content_transformation.function_compute;
            if function.function_arn.is_empty() || function.function_assume_role_arn.is_empty() {
                return Err(Error::invalid_argument(
                    "FunctionCompute needs FunctionArn and FunctionAssumeRoleArn",
                ));
            }
        }
        Ok(())
    }
}

/// The list of transformations (`<TransformationConfigurations>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransformationConfigurations {
    /// The transformations.
    #[serde(rename = "TransformationConfiguration", default)]
    pub transformation_configurations: Vec<TransformationConfiguration>,
}

/// One transformation: which operations go through which function
/// (`<TransformationConfiguration>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct TransformationConfiguration {
    /// The operations it applies to.
    #[serde(default)]
    pub actions: AccessPointActions,
    /// The function.
    #[serde(default)]
    pub content_transformation: ContentTransformation,
}

impl TransformationConfiguration {
    /// GetObject through `function`.
    pub fn get_object(function: FunctionCompute) -> Self {
        Self {
            actions: AccessPointActions {
                actions: vec!["GetObject".to_owned()],
            },
            content_transformation: ContentTransformation {
                function_compute: function,
                additional_features: None,
            },
        }
    }
}

/// The operations of a transformation (`<Actions>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccessPointActions {
    /// OSS operation names; only `GetObject` is supported (OSS may answer it lower-cased).
    #[serde(rename = "Action", default)]
    pub actions: Vec<String>,
}

/// The function of a transformation (`<ContentTransformation>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ContentTransformation {
    /// The Function Compute function.
    #[serde(default)]
    pub function_compute: FunctionCompute,
    /// Extra request headers forwarded to the function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_features: Option<AdditionalFeatures>,
}

/// A Function Compute function and the role it runs as (`<FunctionCompute>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct FunctionCompute {
    /// The function's ARN (`acs:fc:<region>:<account>:services/<service>.LATEST/functions/<name>`).
    #[serde(default)]
    pub function_arn: String,
    /// The ARN of the RAM role Function Compute assumes (`acs:ram::<account>:role/<role>`).
    #[serde(default)]
    pub function_assume_role_arn: String,
}

impl FunctionCompute {
    /// The function `function_arn`, run as `function_assume_role_arn`.
    pub fn new(
        function_arn: impl Into<String>,
        function_assume_role_arn: impl Into<String>,
    ) -> Self {
        Self {
            function_arn: function_arn.into(),
            function_assume_role_arn: function_assume_role_arn.into(),
        }
    }
}

/// Extra features of a transformation (`<AdditionalFeatures>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct AdditionalFeatures {
    /// Request headers forwarded to the function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_forward_headers: Option<CustomForwardHeaders>,
}

/// Header names forwarded to the function (`<CustomForwardHeaders>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomForwardHeaders {
    /// The header names.
    #[serde(rename = "CustomForwardHeader", default)]
    pub custom_forward_headers: Vec<String>,
}

/// The features allowed to the function (`<AllowedFeatures>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AllowedFeatures {
    /// Feature names: `GetObject-Range` (the function serves range requests).
    #[serde(rename = "AllowedFeature", default)]
    pub allowed_features: Vec<String>,
}

impl AllowedFeatures {
    /// These features.
    pub fn new<S: Into<String>>(features: impl IntoIterator<Item = S>) -> Self {
        Self {
            allowed_features: features.into_iter().map(Into::into).collect(),
        }
    }
}

/// The most characters an FC access point name has.
pub const MAX_FC_ACCESS_POINT_NAME: usize = 63;

/// Refuses an FC access point name OSS refuses: 1 to 63 lower-case letters, digits and
/// hyphens, no hyphen first or last.
fn validate_name(name: &str) -> Result<(), Error> {
    let allowed = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if name.is_empty()
        || name.len() > MAX_FC_ACCESS_POINT_NAME
        || !allowed
        || name.starts_with('-')
        || name.ends_with('-')
    {
        return Err(Error::invalid_argument(format!(
            "an FC access point name has 1 to 63 lower-case letters, digits and hyphens, no \
             hyphen first or last, not {name:?}"
        )));
    }
    Ok(())
}

/// A request on `bucket` (required, valid) with the sub-resource flag and the FC access
/// point's name (required, valid) in `x-oss-access-point-for-object-process-name`.
pub(crate) fn fc_access_point_request(
    method: Method,
    bucket: Option<String>,
    name: Option<String>,
    subresource: &'static str,
) -> Result<OperationRequest, Error> {
    let name = required(name, "access_point_for_object_process_name")?;
    validate_name(&name)?;
    let mut op = OperationRequest::bucket(method, bucket)?;
    op.query.push_flag(subresource);
    op.dynamic_header("x-oss-access-point-for-object-process-name", &name)?;
    Ok(op)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The processing of the OSS API reference's example.
    pub(crate) fn sample_processing() -> ObjectProcessConfiguration {
        let mut processing =
            ObjectProcessConfiguration::new([TransformationConfiguration::get_object(
                FunctionCompute::new(
                    "acs:fc:cn-qingdao:111933544165:services/test-oss-fc.LATEST/functions/fc-01",
                    "acs:ram::111933544165:role/aliyunfcdefaultrole",
                ),
            )]);
        processing.allowed_features = Some(AllowedFeatures::new(["GetObject-Range"]));
        processing
    }

    #[test]
    fn reads_an_empty_allowed_features_element_and_lower_case_actions() {
        let read: ObjectProcessConfiguration = crate::xml_model::from_xml(
            b"<ObjectProcessConfiguration><AllowedFeatures/><TransformationConfigurations><TransformationConfiguration><Actions><Action>getobject</Action></Actions><ContentTransformation><FunctionCompute><FunctionAssumeRoleArn>r</FunctionAssumeRoleArn><FunctionArn>f</FunctionArn></FunctionCompute></ContentTransformation></TransformationConfiguration></TransformationConfigurations></ObjectProcessConfiguration>",
        )
        .unwrap();
        let t = &read
            .transformation_configurations
            .transformation_configurations[0];
        assert_eq!(t.actions.actions, ["getobject"]);
        assert_eq!(
            t.content_transformation.function_compute,
            FunctionCompute::new("f", "r")
        );
        assert_eq!(read.allowed_features, Some(AllowedFeatures::default()));
    }
}
