//! A Parquet round trip through object_store on an emulator, as query engines do it: the
//! `parquet` crate's async writer uploads the file through object_store's `BufWriter` (a
//! multipart upload once it outgrows the buffer), and its async reader, over an
//! `AsyncFileReader` on `ObjectStore` as DataFusion's, reads the footer (a suffix range) and
//! then only the column chunks of the chosen row groups and column (`get_ranges`).

use oss_object_store::object_store;
use std::ops::Range;
use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::{FutureExt as _, TryFutureExt as _, TryStreamExt as _};
use object_store::buffered::BufWriter;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt as _};
use oss_object_store::OssObjectStoreBuilder;
use parquet::arrow::arrow_reader::ArrowReaderOptions;
use parquet::arrow::async_reader::{AsyncFileReader, MetadataSuffixFetch};
use parquet::arrow::{AsyncArrowWriter, ParquetRecordBatchStreamBuilder, ProjectionMask};
use parquet::errors::ParquetError;
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader};
use parquet::file::properties::WriterProperties;

/// A Parquet file of an `ObjectStore`, read with ranged GETs.
struct ObjectReader {
    store: Arc<dyn ObjectStore>,
    path: Path,
}

fn parquet_error(e: object_store::Error) -> ParquetError {
    ParquetError::External(Box::new(e))
}

impl AsyncFileReader for ObjectReader {
    fn get_bytes(&mut self, range: Range<u64>) -> BoxFuture<'_, parquet::errors::Result<Bytes>> {
        self.store
            .get_range(&self.path, range)
            .map_err(parquet_error)
            .boxed()
    }

    fn get_byte_ranges(
        &mut self,
        ranges: Vec<Range<u64>>,
    ) -> BoxFuture<'_, parquet::errors::Result<Vec<Bytes>>> {
        async move {
            self.store
                .get_ranges(&self.path, &ranges)
                .await
                .map_err(parquet_error)
        }
        .boxed()
    }

    fn get_metadata<'a>(
        &'a mut self,
        options: Option<&'a ArrowReaderOptions>,
    ) -> BoxFuture<'a, parquet::errors::Result<Arc<ParquetMetaData>>> {
        async move {
            let metadata = ParquetMetaDataReader::new()
                .with_arrow_reader_options(options)
                .load_via_suffix_and_finish(self)
                .await?;
            Ok(Arc::new(metadata))
        }
        .boxed()
    }
}

impl MetadataSuffixFetch for &mut ObjectReader {
    fn fetch_suffix(&mut self, suffix: usize) -> BoxFuture<'_, parquet::errors::Result<Bytes>> {
        let options = GetOptions {
            range: Some(GetRange::Suffix(suffix as u64)),
            ..Default::default()
        };
        async move {
            let answer = self
                .store
                .get_opts(&self.path, options)
                .await
                .map_err(parquet_error)?;
            answer.bytes().await.map_err(parquet_error)
        }
        .boxed()
    }
}

const ROWS: i64 = 20_000;
const ROWS_PER_GROUP: usize = 2_000;

fn batch(first: i64, count: i64) -> RecordBatch {
    let ids: Vec<i64> = (first..first + count).collect();
    let names: Vec<String> = ids.iter().map(|i| format!("name-{i:06}")).collect();
    RecordBatch::try_from_iter([
        ("id", Arc::new(Int64Array::from(ids)) as ArrayRef),
        ("name", Arc::new(StringArray::from(names)) as ArrayRef),
    ])
    .unwrap()
}

#[tokio::test]
async fn parquet_written_and_read_back_by_column_and_row_group() {
    let emu = oss_emulator::Emulator::builder()
        .credentials("LTAI5tParquetTest", "parquet-secret")
        .region("cn-hangzhou")
        .start()
        .await
        .unwrap();
    let store = OssObjectStoreBuilder::new()
        .with_url("oss://lake/warehouse/events")
        .with_endpoint(emu.endpoint())
        .with_region(emu.region())
        .with_config("oss_access_key_id", "LTAI5tParquetTest")
        .unwrap()
        .with_config("oss_access_key_secret", "parquet-secret")
        .unwrap()
        .build()
        .unwrap();
    store
        .client()
        .put_bucket()
        .bucket("lake")
        .send()
        .await
        .unwrap();
    let client = store.client().clone();
    let store = Arc::new(store);
    let path = Path::from("date=2026-12-06/part-0.parquet");

    let properties = WriterProperties::builder()
        .set_max_row_group_row_count(Some(ROWS_PER_GROUP))
        .build();
    // Parts of 128 KiB (OSS's smallest part is 100 KiB): the file goes up in several parts.
    let sink = BufWriter::with_capacity(store.clone(), path.clone(), 128 * 1024);
    let mut writer =
        AsyncArrowWriter::try_new(sink, batch(0, 1).schema(), Some(properties)).unwrap();
    for first in (0..ROWS).step_by(5_000) {
        writer.write(&batch(first, 5_000)).await.unwrap();
    }
    writer.close().await.unwrap();

    // The file is stored under the URL's key prefix.
    let head = client
        .head_object()
        .bucket("lake")
        .key("warehouse/events/date=2026-12-06/part-0.parquet")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length, store.head(&path).await.unwrap().size);
    assert_eq!(head.object_type.as_deref(), Some("Multipart"));

    let reader = ObjectReader {
        store: store.clone(),
        path: path.clone(),
    };
    let builder = ParquetRecordBatchStreamBuilder::new(reader).await.unwrap();
    assert_eq!(builder.metadata().num_row_groups(), 10);
    let names_only = ProjectionMask::roots(builder.parquet_schema(), [1]);
    let batches: Vec<RecordBatch> = builder
        .with_projection(names_only)
        .with_row_groups(vec![3, 4])
        .build()
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<String> = batches
        .iter()
        .flat_map(|b| {
            assert_eq!(b.num_columns(), 1);
            let column = b.column(0).as_any().downcast_ref::<StringArray>().unwrap();
            column
                .iter()
                .map(|v| v.unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let expected: Vec<String> = (6_000..10_000).map(|i| format!("name-{i:06}")).collect();
    assert_eq!(names, expected);
}
