package org.facesearch.field;

import java.io.IOException;
import java.util.Map;
import org.apache.lucene.codecs.StoredFieldsReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterDirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.opensearch.common.collect.Tuple;
import org.opensearch.common.lucene.index.SequentialStoredFieldsLeafReader;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.IndexModule;
import org.opensearch.index.mapper.SourceFieldMapper;
import org.opensearch.plugins.Plugin;

/**
 * Another plugin's index reader wrapper on every index, as the security plugin installs one for its
 * field- and document-level security: this one hides the top-level {@code secret} field of every
 * {@code _source} it reads (field-level security in miniature), so that a test sees it at work.
 * OpenSearch allows one reader wrapper per index.
 */
public class ReaderWrapperTestPlugin extends Plugin {

  /** The field this wrapper hides. */
  public static final String HIDDEN = "secret";

  @Override
  public void onIndexModule(IndexModule indexModule) {
    indexModule.setReaderWrapper(indexService -> HidingReader::new);
  }

  private static final class HidingReader extends FilterDirectoryReader {
    HidingReader(DirectoryReader in) throws IOException {
      super(
          in,
          new SubReaderWrapper() {
            @Override
            public LeafReader wrap(LeafReader reader) {
              return new HidingLeaf(reader);
            }
          });
    }

    @Override
    protected DirectoryReader doWrapDirectoryReader(DirectoryReader in) throws IOException {
      return new HidingReader(in);
    }

    @Override
    public CacheHelper getReaderCacheHelper() {
      return in.getReaderCacheHelper();
    }
  }

  private static final class HidingLeaf extends SequentialStoredFieldsLeafReader {
    HidingLeaf(LeafReader in) {
      super(in);
    }

    @Override
    public CacheHelper getCoreCacheHelper() {
      return in.getCoreCacheHelper();
    }

    @Override
    public CacheHelper getReaderCacheHelper() {
      return in.getReaderCacheHelper();
    }

    @Override
    public StoredFields storedFields() throws IOException {
      StoredFields inner = in.storedFields();
      return new StoredFields() {
        @Override
        public void document(int doc, StoredFieldVisitor visitor) throws IOException {
          inner.document(doc, new HidingVisitor(visitor));
        }
      };
    }

    @Override
    protected StoredFieldsReader doGetSequentialStoredFieldsReader(StoredFieldsReader reader) {
      return new HidingFieldsReader(reader);
    }
  }

  private static final class HidingFieldsReader extends StoredFieldsReader {
    private final StoredFieldsReader in;

    HidingFieldsReader(StoredFieldsReader in) {
      this.in = in;
    }

    @Override
    public void document(int doc, StoredFieldVisitor visitor) throws IOException {
      in.document(doc, new HidingVisitor(visitor));
    }

    @Override
    public StoredFieldsReader clone() {
      return new HidingFieldsReader(in.clone());
    }

    @Override
    public void checkIntegrity() throws IOException {
      in.checkIntegrity();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Hands every field on, {@code _source} without {@link #HIDDEN}. */
  private static final class HidingVisitor extends StoredFieldVisitor {
    private final StoredFieldVisitor inner;

    HidingVisitor(StoredFieldVisitor inner) {
      this.inner = inner;
    }

    @Override
    public Status needsField(FieldInfo fieldInfo) throws IOException {
      return inner.needsField(fieldInfo);
    }

    @Override
    public void binaryField(FieldInfo fieldInfo, byte[] value) throws IOException {
      if (!SourceFieldMapper.NAME.equals(fieldInfo.name)) {
        inner.binaryField(fieldInfo, value);
        return;
      }
      Tuple<XContentType, Map<String, Object>> source =
          XContentHelper.convertToMap(new BytesArray(value), true);
      source.v2().remove(HIDDEN);
      try (XContentBuilder builder = XContentBuilder.builder(source.v1().xContent())) {
        inner.binaryField(
            fieldInfo, BytesReference.toBytes(BytesReference.bytes(builder.map(source.v2()))));
      }
    }

    @Override
    public void stringField(FieldInfo fieldInfo, String value) throws IOException {
      inner.stringField(fieldInfo, value);
    }

    @Override
    public void intField(FieldInfo fieldInfo, int value) throws IOException {
      inner.intField(fieldInfo, value);
    }

    @Override
    public void longField(FieldInfo fieldInfo, long value) throws IOException {
      inner.longField(fieldInfo, value);
    }

    @Override
    public void floatField(FieldInfo fieldInfo, float value) throws IOException {
      inner.floatField(fieldInfo, value);
    }

    @Override
    public void doubleField(FieldInfo fieldInfo, double value) throws IOException {
      inner.doubleField(fieldInfo, value);
    }
  }
}
