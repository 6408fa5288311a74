//! [`ConfigFamily`]: the bucket configuration documents the emulator stores, each named by
//! the sub-resource that addresses it (`PUT|GET|DELETE /bucket?cors`, …).

/// One family of bucket configuration document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConfigFamily {
    /// `?cors`: `CORSConfiguration` (PutBucketCors, GetBucketCors, DeleteBucketCors).
    Cors,
    /// `?lifecycle`: `LifecycleConfiguration`.
    Lifecycle,
    /// `?policy`: a JSON policy document.
    Policy,
    /// `?website`: `WebsiteConfiguration`.
    Website,
    /// `?referer`: `RefererConfiguration` (put and get only).
    Referer,
    /// `?logging`: `BucketLoggingStatus`.
    Logging,
    /// `?encryption`: `ServerSideEncryptionRule`.
    Encryption,
    /// `?tagging` on a bucket: `Tagging` (PutBucketTags, GetBucketTags, DeleteBucketTags).
    Tags,
    /// `?requestPayment`: `RequestPaymentConfiguration` (put and get only).
    RequestPayment,
    /// `?transferAcceleration`: `TransferAccelerationConfiguration` (put and get only).
    TransferAcceleration,
    /// `?publicAccessBlock`: `PublicAccessBlockConfiguration` (bucket level).
    PublicAccessBlock,
    /// `?accessmonitor`: `AccessMonitorConfiguration` (put and get only).
    AccessMonitor,
    /// `?bucketArchiveDirectRead`: `ArchiveDirectReadConfiguration` (put and get only).
    ArchiveDirectRead,
    /// `?httpsConfig`: `HttpsConfiguration` (put and get only).
    HttpsConfig,
    /// `?resourceGroup`: `BucketResourceGroupConfiguration` (put and get only).
    ResourceGroup,
    /// `?userDefinedLogFieldsConfig`: `UserDefinedLogFieldsConfiguration`.
    UserDefinedLogFields,
}

impl ConfigFamily {
    /// Every family.
    pub(crate) const ALL: [Self; 16] = [
        Self::Cors,
        Self::Lifecycle,
        Self::Policy,
        Self::Website,
        Self::Referer,
        Self::Logging,
        Self::Encryption,
        Self::Tags,
        Self::RequestPayment,
        Self::TransferAcceleration,
        Self::PublicAccessBlock,
        Self::AccessMonitor,
        Self::ArchiveDirectRead,
        Self::HttpsConfig,
        Self::ResourceGroup,
        Self::UserDefinedLogFields,
    ];

    /// The sub-resources that address this family (one), as the router consumes them.
    pub(crate) fn sub_resources(self) -> &'static [&'static str] {
        match self {
            Self::Cors => &["cors"],
            Self::Lifecycle => &["lifecycle"],
            Self::Policy => &["policy"],
            Self::Website => &["website"],
            Self::Referer => &["referer"],
            Self::Logging => &["logging"],
            Self::Encryption => &["encryption"],
            Self::Tags => &["tagging"],
            Self::RequestPayment => &["requestPayment"],
            Self::TransferAcceleration => &["transferAcceleration"],
            Self::PublicAccessBlock => &["publicAccessBlock"],
            Self::AccessMonitor => &["accessmonitor"],
            Self::ArchiveDirectRead => &["bucketArchiveDirectRead"],
            Self::HttpsConfig => &["httpsConfig"],
            Self::ResourceGroup => &["resourceGroup"],
            Self::UserDefinedLogFields => &["userDefinedLogFieldsConfig"],
        }
    }

    /// The sub-resource name; also the document's name in the store.
    pub(crate) fn name(self) -> &'static str {
        self.sub_resources()[0]
    }

    /// Whether OSS defines a Delete operation for this family.
    pub(crate) fn deletable(self) -> bool {
        !matches!(
            self,
            Self::Referer
                | Self::RequestPayment
                | Self::TransferAcceleration
                | Self::AccessMonitor
                | Self::ArchiveDirectRead
                | Self::HttpsConfig
                | Self::ResourceGroup
        )
    }
}
