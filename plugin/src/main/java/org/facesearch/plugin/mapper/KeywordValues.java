package org.facesearch.plugin.mapper;

import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.util.BytesRef;
import org.opensearch.index.mapper.KeywordFieldMapper;
import org.opensearch.index.mapper.ParseContext;

/** Indexes a keyword sub-field the way a default {@code keyword} mapping would: terms plus doc values. */
final class KeywordValues {

  static void add(ParseContext.Document doc, String field, String value) {
    BytesRef bytes = new BytesRef(value);
    doc.add(new Field(field, bytes, KeywordFieldMapper.Defaults.FIELD_TYPE));
    doc.add(new SortedSetDocValuesField(field, bytes));
  }

  private KeywordValues() {}
}
