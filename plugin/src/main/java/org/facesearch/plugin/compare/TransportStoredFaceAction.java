package org.facesearch.plugin.compare;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.facesearch.field.FaceFieldType;
import org.facesearch.field.FaceLayout;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.RoutingMissingException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.single.shard.TransportSingleShardAction;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.routing.ShardsIterator;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.lucene.search.Queries;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.index.shard.ShardId;
import org.opensearch.index.IndexService;
import org.opensearch.index.engine.Engine;
import org.opensearch.index.mapper.IdFieldMapper;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.Uid;
import org.opensearch.index.shard.IndexShard;
import org.opensearch.indices.IndicesService;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/**
 * Reads a stored face on the shard that holds its document, as searches see the shard (after a
 * refresh): the embedding from the vector field and the patch map from doc values, through {@link
 * FaceLayout}, so it works whatever {@code _source} keeps. A document that does not exist is a 404
 * (as for {@code GET index/_doc/id}); a field that is not a {@code face} field, or a document
 * without a face in it, a 400.
 */
public final class TransportStoredFaceAction
    extends TransportSingleShardAction<StoredFaceRequest, StoredFaceResponse> {

  private final IndicesService indicesService;

  @Inject
  public TransportStoredFaceAction(
      ClusterService clusterService,
      TransportService transportService,
      IndicesService indicesService,
      ThreadPool threadPool,
      ActionFilters actionFilters,
      IndexNameExpressionResolver resolver) {
    super(
        StoredFaceAction.NAME,
        threadPool,
        clusterService,
        transportService,
        actionFilters,
        resolver,
        StoredFaceRequest::new,
        ThreadPool.Names.GET);
    this.indicesService = indicesService;
  }

  @Override
  protected boolean resolveIndex(StoredFaceRequest request) {
    return true;
  }

  @Override
  protected void resolveRequest(ClusterState state, InternalRequest request) {
    request
        .request()
        .routing(
            state
                .metadata()
                .resolveIndexRouting(request.request().routing(), request.request().index()));
    if (request.request().routing() == null
        && state.getMetadata().routingRequired(request.concreteIndex())) {
      throw new RoutingMissingException(request.concreteIndex(), request.request().id());
    }
  }

  @Override
  protected ShardsIterator shards(ClusterState state, InternalRequest request) {
    return clusterService
        .operationRouting()
        .getShards(
            clusterService.state(),
            request.concreteIndex(),
            request.request().id(),
            request.request().routing(),
            null);
  }

  @Override
  protected StoredFaceResponse shardOperation(StoredFaceRequest request, ShardId shardId)
      throws IOException {
    IndexService index = indicesService.indexServiceSafe(shardId.getIndex());
    MappedFieldType type = index.mapperService().fieldType(request.field());
    if (type == null) {
      throw new IllegalArgumentException(
          "index [" + request.index() + "] has no field [" + request.field() + "]");
    }
    if (!(type instanceof FaceFieldType)) {
      throw new IllegalArgumentException(
          "field ["
              + request.field()
              + "] of index ["
              + request.index()
              + "] is of type ["
              + type.typeName()
              + "], not [face]");
    }
    IndexShard shard = index.getShard(shardId.id());
    try (Engine.Searcher searcher = shard.acquireSearcher("face_compare")) {
      // The root document with that id (nested documents of it are not faces of it).
      BooleanQuery byId =
          new BooleanQuery.Builder()
              .add(
                  new TermQuery(new Term(IdFieldMapper.NAME, Uid.encodeId(request.id()))),
                  BooleanClause.Occur.FILTER)
              .add(Queries.newNonNestedFilter(), BooleanClause.Occur.FILTER)
              .build();
      ScoreDoc[] hits = searcher.search(byId, 1).scoreDocs;
      if (hits.length == 0) {
        throw new ResourceNotFoundException(
            "document [" + request.id() + "] not found in index [" + request.index() + "]");
      }
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hits[0].doc, leaves));
      int doc = hits[0].doc - leaf.docBase;
      FaceLayout.StoredFaces faces = FaceLayout.read(leaf.reader(), request.field());
      float[] embedding = faces.embedding(doc);
      if (embedding == null) {
        throw new IllegalArgumentException(
            "document ["
                + request.id()
                + "] of index ["
                + request.index()
                + "] has no face in ["
                + request.field()
                + "]");
      }
      PatchMap patches = faces.patches(doc);
      String model = faces.model(doc);
      // Decoded and written as float32: exact for every stored encoding.
      return new StoredFaceResponse(
          embedding, patches == null ? null : PatchEncoding.FLOAT32.encode(patches), model);
    }
  }

  @Override
  protected Writeable.Reader<StoredFaceResponse> getResponseReader() {
    return StoredFaceResponse::new;
  }
}
