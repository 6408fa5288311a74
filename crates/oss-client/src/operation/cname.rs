//! Custom domains (CNAME, `?cname`), OSS API reference "CreateCnameToken", "GetCnameToken",
//! "PutCname", "ListCname", "DeleteCname". A domain is bound to a bucket in two steps: a
//! token is created, published by the domain's owner as a DNS TXT record, then PutCname
//! binds the domain (OSS checks the record).

use http::Method;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::Error;
use crate::execute::{Answer, Operation};
use crate::operation::bucket_config::{ConfigOutput, EmptyOutput, bucket_request};
use crate::request::{OperationRequest, required};
use crate::setters::setters;
use crate::xml_model::to_xml;

/// The TLS certificate of a bound domain (`<CertificateConfiguration>`), all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct CertificateConfiguration {
    /// A certificate of Alibaba Cloud's certificate service, by id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cert_id: Option<String>,
    /// The certificate, PEM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    /// Its private key, PEM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    /// The id of the certificate this one replaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_cert_id: Option<String>,
    /// Replace the bound certificate even when `previous_cert_id` does not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
    /// Unbind the domain's certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete_certificate: Option<bool>,
}

/// A domain's ownership token (`<CnameToken>`): publish `token` as a TXT record at
/// `_dnsauth.<domain>` before PutCname.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct CnameToken {
    /// The bucket.
    #[serde(default)]
    pub bucket: String,
    /// The domain.
    #[serde(default)]
    pub cname: String,
    /// The token (hex; 32 characters on the emulator).
    #[serde(default)]
    pub token: String,
    /// When the token lapses (HTTP date, GMT; 72 hours after creation on OSS).
    #[serde(default)]
    pub expire_time: String,
}

/// A bound domain's certificate as ListCname reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct CnameCertificate {
    /// Where the certificate comes from: `CAS` or `Upload`.
    #[serde(rename = "Type", default)]
    pub kind: String,
    /// The certificate's id.
    #[serde(default)]
    pub cert_id: String,
    /// `Enabled` or `Disabled`.
    #[serde(default)]
    pub status: String,
    /// When it was bound.
    #[serde(default)]
    pub creation_date: String,
    /// Its SHA-1 fingerprint.
    #[serde(default)]
    pub fingerprint: String,
    /// Start of validity.
    #[serde(default)]
    pub valid_start_date: String,
    /// End of validity.
    #[serde(default)]
    pub valid_end_date: String,
}

/// One bound domain of a ListCname answer (`<Cname>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct CnameInfo {
    /// The domain.
    pub domain: String,
    /// When it was bound (ISO 8601, UTC).
    #[serde(default)]
    pub last_modified: String,
    /// `Enabled` or `Disabled`.
    #[serde(default)]
    pub status: String,
    /// Whether it is a wildcard domain (`*.example.com`).
    #[serde(default)]
    pub is_wild_card: Option<bool>,
    /// The bound certificate, if any.
    #[serde(default)]
    pub certificate: Option<CnameCertificate>,
}

/// The domains bound to a bucket (`<ListCnameResult>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
#[serde(rename_all = "PascalCase")]
pub struct ListCnameResult {
    /// The bucket.
    #[serde(default)]
    pub bucket: String,
    /// The bucket owner's id.
    #[serde(default)]
    pub owner: String,
    /// The bound domains.
    #[serde(rename = "Cname", default)]
    pub cnames: Vec<CnameInfo>,
}

/// CreateCnameToken, GetCnameToken and DeleteCname input: a bucket and a domain.
#[derive(Debug, Clone, Default)]
pub struct CnameDomain {
    bucket: Option<String>,
    domain: Option<String>,
}

impl CnameDomain {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The custom domain (required, `static.example.com`).
        domain: String;
    }
}

/// CreateCnameToken input.
pub type CreateCnameToken = CnameDomain;
/// GetCnameToken input.
pub type GetCnameToken = CnameDomain;
/// DeleteCname input.
pub type DeleteCname = CnameDomain;

/// PutCname input.
#[derive(Debug, Clone, Default)]
pub struct PutCname {
    bucket: Option<String>,
    domain: Option<String>,
    certificate_configuration: Option<CertificateConfiguration>,
}

impl PutCname {
    setters! {
        /// The bucket (required).
        bucket: String;
        /// The custom domain (required).
        domain: String;
        /// The domain's TLS certificate (optional).
        certificate_configuration: CertificateConfiguration;
    }
}

/// ListCname input.
#[derive(Debug, Clone, Default)]
pub struct ListCname {
    bucket: Option<String>,
}

impl ListCname {
    setters! {
        /// The bucket (required).
        bucket: String;
    }
}

/// `<BucketCnameConfiguration><Cname>…</Cname></BucketCnameConfiguration>`.
#[derive(Serialize)]
struct BucketCnameConfiguration {
    #[serde(rename = "Cname")]
    cname: CnameBody,
}

#[derive(Serialize)]
struct CnameBody {
    #[serde(rename = "Domain")]
    domain: String,
    #[serde(
        rename = "CertificateConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    certificate_configuration: Option<CertificateConfiguration>,
}

/// A non-empty domain, else [`crate::ErrorKind::InvalidArgument`].
fn domain(value: Option<String>) -> Result<String, Error> {
    let domain = required(value, "domain")?;
    if domain.is_empty() || domain.contains(['/', ' ', '?', '#']) {
        return Err(Error::invalid_argument(format!(
            "{domain:?} is not a domain name"
        )));
    }
    Ok(domain)
}

/// `POST /bucket?cname&comp=<comp>` with the domain document.
fn cname_post(
    bucket: Option<String>,
    comp: &'static str,
    domain: String,
    certificate_configuration: Option<CertificateConfiguration>,
) -> Result<OperationRequest, Error> {
    let mut op = OperationRequest::bucket(Method::POST, bucket)?;
    op.query.push_flag("cname").push("comp", comp);
    let body = BucketCnameConfiguration {
        cname: CnameBody {
            domain,
            certificate_configuration,
        },
    };
    op.xml_body(to_xml("BucketCnameConfiguration", &body)?);
    Ok(op)
}

/// The CNAME operations, each a request shape on its input.
enum Cname {
    CreateToken(CnameDomain),
    GetToken(CnameDomain),
    Put(PutCname),
    Delete(CnameDomain),
    List(ListCname),
}

impl Cname {
    fn request(self) -> Result<OperationRequest, Error> {
        match self {
            Self::CreateToken(input) => {
                cname_post(input.bucket, "token", domain(input.domain)?, None)
            }
            Self::GetToken(input) => {
                let mut op = OperationRequest::bucket(Method::GET, input.bucket)?;
                op.query
                    .push("comp", "token")
                    .push("cname", domain(input.domain)?);
                Ok(op)
            }
            Self::Put(input) => cname_post(
                input.bucket,
                "add",
                domain(input.domain)?,
                input.certificate_configuration,
            ),
            Self::Delete(input) => cname_post(input.bucket, "delete", domain(input.domain)?, None),
            Self::List(input) => bucket_request(Method::GET, input.bucket, "cname"),
        }
    }
}

/// A CNAME operation answered with a document `D`.
struct WithDocument<D>(Cname, std::marker::PhantomData<fn() -> D>);

impl<D: serde::de::DeserializeOwned> Operation for WithDocument<D> {
    type Output = ConfigOutput<D>;

    fn request(self) -> Result<OperationRequest, Error> {
        self.0.request()
    }

    fn output(answer: Answer) -> Result<ConfigOutput<D>, Error> {
        ConfigOutput::read(&answer)
    }
}

impl Operation for Cname {
    type Output = EmptyOutput;

    fn request(self) -> Result<OperationRequest, Error> {
        Cname::request(self)
    }

    fn output(answer: Answer) -> Result<EmptyOutput, Error> {
        Ok(EmptyOutput::from_answer(&answer))
    }
}

fn with_document<D>(op: Cname) -> WithDocument<D> {
    WithDocument(op, std::marker::PhantomData)
}

impl Client {
    /// CreateCnameToken (`POST /bucket?cname&comp=token`): a token proving ownership of the
    /// domain, valid 72 hours on OSS.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidArgument`] without a bucket or domain; service errors
    /// (`NoSuchBucket`, `CnameAlreadyExists` when another bucket holds the domain).
    pub async fn create_cname_token(
        &self,
        input: CreateCnameToken,
    ) -> Result<ConfigOutput<CnameToken>, Error> {
        self.execute(with_document(Cname::CreateToken(input))).await
    }

    /// GetCnameToken (`GET /bucket?comp=token&cname=<domain>`): the token created last.
    ///
    /// # Errors
    /// Input errors; service errors (`CnameTokenNotFound` when none was created or it lapsed).
    pub async fn get_cname_token(
        &self,
        input: GetCnameToken,
    ) -> Result<ConfigOutput<CnameToken>, Error> {
        self.execute(with_document(Cname::GetToken(input))).await
    }

    /// PutCname (`POST /bucket?cname&comp=add`): binds the domain (and its certificate).
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchCnameInDns` when the token is not published,
    /// `CnameAlreadyExists`).
    pub async fn put_cname(&self, input: PutCname) -> Result<EmptyOutput, Error> {
        self.execute(Cname::Put(input)).await
    }

    /// ListCname (`GET /bucket?cname`): every domain bound to the bucket (not paged).
    ///
    /// # Errors
    /// Input errors; `NoSuchBucket`.
    pub async fn list_cname(
        &self,
        input: ListCname,
    ) -> Result<ConfigOutput<ListCnameResult>, Error> {
        self.execute(with_document(Cname::List(input))).await
    }

    /// DeleteCname (`POST /bucket?cname&comp=delete`): unbinds the domain.
    ///
    /// # Errors
    /// Input errors; service errors (`NoSuchCname` when the domain is not bound).
    pub async fn delete_cname(&self, input: DeleteCname) -> Result<EmptyOutput, Error> {
        self.execute(Cname::Delete(input)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::test_support::{answer, body_text};

    #[test]
    fn put_cname_posts_the_documented_document() {
        let certificate = CertificateConfiguration {
            cert_id: Some("493****-cn-hangzhou".into()),
            force: Some(true),
            ..Default::default()
        };
        let input = PutCname::default()
            .bucket("examplebucket")
            .domain("example.com")
            .certificate_configuration(certificate);
        let op = Cname::Put(input).request().unwrap();
        assert_eq!(op.method, Method::POST);
        assert_eq!(op.query.to_query_string(), "cname&comp=add");
        assert!(op.headers.contains_key("content-md5"));
        assert_eq!(
            body_text(&op),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><BucketCnameConfiguration><Cname>\
             <Domain>example.com</Domain><CertificateConfiguration>\
             <CertId>493****-cn-hangzhou</CertId><Force>true</Force>\
             </CertificateConfiguration></Cname></BucketCnameConfiguration>"
        );
    }

    #[test]
    fn token_requests_name_the_domain() {
        let input = || {
            CnameDomain::default()
                .bucket("examplebucket")
                .domain("example.com")
        };
        let create = Cname::CreateToken(input()).request().unwrap();
        assert_eq!(create.query.to_query_string(), "cname&comp=token");
        assert!(body_text(&create).contains("<Domain>example.com</Domain>"));
        let get = Cname::GetToken(input()).request().unwrap();
        assert_eq!(get.method, Method::GET);
        assert_eq!(get.query.to_query_string(), "comp=token&cname=example.com");
        let delete = Cname::Delete(input()).request().unwrap();
        assert_eq!(delete.query.to_query_string(), "cname&comp=delete");
    }

    #[test]
    fn reads_tokens_and_listings() {
        let token = WithDocument::<CnameToken>::output(answer(
            "<CnameToken><Bucket>examplebucket</Bucket><Cname>example.com</Cname>\
             <Token>be1d49d863dea9ffeff3df7d6455****</Token>\
             <ExpireTime>Wed, 23 Feb 2022 21:16:37 GMT</ExpireTime></CnameToken>",
        ))
        .unwrap();
        assert_eq!(
            token.configuration.token,
            "be1d49d863dea9ffeff3df7d6455****"
        );
        assert_eq!(
            token.configuration.expire_time,
            "Wed, 23 Feb 2022 21:16:37 GMT"
        );
        let list = WithDocument::<ListCnameResult>::output(answer(
            "<ListCnameResult><Bucket>examplebucket</Bucket><Owner>testowner</Owner>\
             <Cname><Domain>a.example.com</Domain><LastModified>2021-09-15T02:35:07.000Z\
             </LastModified><Status>Enabled</Status><Certificate><Type>CAS</Type>\
             <CertId>493****-cn-hangzhou</CertId><Status>Enabled</Status></Certificate></Cname>\
             <Cname><Domain>b.example.com</Domain><Status>Enabled</Status></Cname>\
             </ListCnameResult>",
        ))
        .unwrap()
        .configuration;
        assert_eq!(list.owner, "testowner");
        assert_eq!(list.cnames.len(), 2);
        assert_eq!(list.cnames[0].certificate.as_ref().unwrap().kind, "CAS");
        assert_eq!(list.cnames[1].domain, "b.example.com");
    }

    #[test]
    fn refuses_a_missing_or_malformed_domain() {
        let missing = CnameDomain::default().bucket("examplebucket");
        assert!(Cname::CreateToken(missing).request().is_err());
        let bad = PutCname::default().bucket("examplebucket").domain("a/b");
        assert!(Cname::Put(bad).request().is_err());
    }
}
