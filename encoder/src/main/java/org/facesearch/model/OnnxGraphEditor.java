package org.facesearch.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnknownFieldSet.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Edits an ONNX model's graph without generated protobuf classes: the model is read as a {@link
 * UnknownFieldSet}, so only the handful of ONNX field numbers used below need to be known and
 * everything else (weights, attributes, metadata) is carried over byte for byte.
 *
 * <p>Two edits: expose an intermediate tensor (the feature map before global pooling) as an extra
 * graph output, and give the graph inputs a symbolic batch dimension so several faces can share one
 * run. Field numbers are those of onnx.proto3 (ModelProto.graph = 7, GraphProto.node = 1,
 * initializer = 5, input = 11, output = 12, value_info = 13, NodeProto.output = 2,
 * ValueInfoProto.name = 1, type = 2, TypeProto.tensor_type = 1, Tensor.elem_type = 1, Tensor.shape
 * = 2, TensorShapeProto.dim = 1, Dimension.dim_value = 1, dim_param = 2).
 */
final class OnnxGraphEditor {
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  private static final int GRAPH_VALUE_INFO = 13;
  private static final int NODE_OUTPUT = 2;
  private static final int TENSOR_NAME = 8;
  private static final int VALUE_NAME = 1;
  private static final int VALUE_TYPE = 2;
  private static final int TYPE_TENSOR = 1;
  private static final int TENSOR_ELEM_TYPE = 1;
  private static final int TENSOR_SHAPE = 2;
  private static final int SHAPE_DIM = 1;
  private static final int DIM_PARAM = 2;
  private static final long ELEM_FLOAT = 1;

  /** The symbolic name given to the batch dimension. */
  static final String BATCH = "batch";

  private OnnxGraphEditor() {}

  /**
   * Returns {@code model} with each of {@code tensors} added to the graph outputs (those already
   * outputs are left alone) and, when {@code dynamicBatch}, dimension 0 of every graph input made
   * symbolic, declared output shapes dropped and shape hints ({@code value_info}) removed, because
   * they would otherwise pin the batch to the exported size.
   *
   * @throws IllegalArgumentException when the bytes are not an ONNX model or a tensor is not
   *     produced by any node of the graph
   */
  static byte[] edit(byte[] model, List<String> tensors, boolean dynamicBatch) {
    UnknownFieldSet modelSet = parse(ByteString.copyFrom(model), "the model");
    List<ByteString> graphs = modelSet.getField(MODEL_GRAPH).getLengthDelimitedList();
    if (graphs.size() != 1) {
      throw new IllegalArgumentException(
          "not an ONNX model: expected one graph, found " + graphs.size());
    }
    UnknownFieldSet graph = parse(graphs.get(0), "the graph");

    Set<String> produced = new HashSet<>();
    for (ByteString node : graph.getField(GRAPH_NODE).getLengthDelimitedList()) {
      for (ByteString out : parse(node, "a node").getField(NODE_OUTPUT).getLengthDelimitedList()) {
        produced.add(out.toStringUtf8());
      }
    }
    if (produced.isEmpty()) {
      throw new IllegalArgumentException("not an ONNX model: the graph has no nodes");
    }
    Set<String> initializers = new HashSet<>();
    for (ByteString init : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
      UnknownFieldSet t = parse(init, "an initializer");
      for (ByteString n : t.getField(TENSOR_NAME).getLengthDelimitedList()) {
        initializers.add(n.toStringUtf8());
      }
    }

    List<ByteString> outputs = new ArrayList<>();
    Set<String> outputNames = new HashSet<>();
    for (ByteString vi : graph.getField(GRAPH_OUTPUT).getLengthDelimitedList()) {
      UnknownFieldSet v = parse(vi, "a graph output");
      outputNames.add(name(v));
      outputs.add(dynamicBatch ? withoutShape(v).toByteString() : vi);
    }
    for (String tensor : tensors) {
      if (outputNames.contains(tensor)) {
        continue;
      }
      if (!produced.contains(tensor)) {
        throw new IllegalArgumentException(
            "no node of the graph produces a tensor named [" + tensor + "]");
      }
      outputs.add(floatValueInfo(tensor).toByteString());
      outputNames.add(tensor);
    }

    UnknownFieldSet.Builder g = UnknownFieldSet.newBuilder(graph);
    g.clearField(GRAPH_OUTPUT);
    g.addField(GRAPH_OUTPUT, lengthDelimited(outputs));
    if (dynamicBatch) {
      List<ByteString> inputs = new ArrayList<>();
      for (ByteString vi : graph.getField(GRAPH_INPUT).getLengthDelimitedList()) {
        UnknownFieldSet v = parse(vi, "a graph input");
        // Old exporters list initializers among the inputs; those keep their fixed shapes.
        inputs.add(initializers.contains(name(v)) ? vi : withSymbolicBatch(v).toByteString());
      }
      g.clearField(GRAPH_INPUT);
      g.addField(GRAPH_INPUT, lengthDelimited(inputs));
      g.clearField(GRAPH_VALUE_INFO);
    }
    UnknownFieldSet.Builder m = UnknownFieldSet.newBuilder(modelSet);
    m.clearField(MODEL_GRAPH);
    m.addField(
        MODEL_GRAPH, Field.newBuilder().addLengthDelimited(g.build().toByteString()).build());
    return m.build().toByteArray();
  }

  private static UnknownFieldSet parse(ByteString bytes, String what) {
    try {
      return UnknownFieldSet.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "not an ONNX model: " + what + " is not valid protobuf (" + e.getMessage() + ")", e);
    }
  }

  private static String name(UnknownFieldSet valueInfo) {
    List<ByteString> n = valueInfo.getField(VALUE_NAME).getLengthDelimitedList();
    return n.isEmpty() ? "" : n.get(n.size() - 1).toStringUtf8();
  }

  private static Field lengthDelimited(List<ByteString> values) {
    Field.Builder f = Field.newBuilder();
    values.forEach(f::addLengthDelimited);
    return f.build();
  }

  /** ValueInfoProto {name, type {tensor_type {elem_type: FLOAT}}}; the runtime infers the shape. */
  private static UnknownFieldSet floatValueInfo(String tensor) {
    UnknownFieldSet tensorType =
        UnknownFieldSet.newBuilder()
            .addField(TENSOR_ELEM_TYPE, Field.newBuilder().addVarint(ELEM_FLOAT).build())
            .build();
    UnknownFieldSet type =
        UnknownFieldSet.newBuilder()
            .addField(
                TYPE_TENSOR,
                Field.newBuilder().addLengthDelimited(tensorType.toByteString()).build())
            .build();
    return UnknownFieldSet.newBuilder()
        .addField(
            VALUE_NAME,
            Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(tensor)).build())
        .addField(VALUE_TYPE, Field.newBuilder().addLengthDelimited(type.toByteString()).build())
        .build();
  }

  /** The same value info with the tensor's shape removed (element type kept). */
  private static UnknownFieldSet withoutShape(UnknownFieldSet valueInfo) {
    return mapTensorType(
        valueInfo,
        tensorType -> UnknownFieldSet.newBuilder(tensorType).clearField(TENSOR_SHAPE).build());
  }

  /** The same value info with dimension 0 replaced by the symbolic {@link #BATCH}. */
  private static UnknownFieldSet withSymbolicBatch(UnknownFieldSet valueInfo) {
    return mapTensorType(
        valueInfo,
        tensorType -> {
          List<ByteString> shapes = tensorType.getField(TENSOR_SHAPE).getLengthDelimitedList();
          if (shapes.isEmpty()) {
            return tensorType;
          }
          UnknownFieldSet shape = parse(shapes.get(0), "a tensor shape");
          List<ByteString> dims =
              new ArrayList<>(shape.getField(SHAPE_DIM).getLengthDelimitedList());
          if (dims.isEmpty()) {
            return tensorType;
          }
          dims.set(
              0,
              UnknownFieldSet.newBuilder()
                  .addField(
                      DIM_PARAM,
                      Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(BATCH)).build())
                  .build()
                  .toByteString());
          UnknownFieldSet newShape =
              UnknownFieldSet.newBuilder(shape)
                  .clearField(SHAPE_DIM)
                  .addField(SHAPE_DIM, lengthDelimited(dims))
                  .build();
          return UnknownFieldSet.newBuilder(tensorType)
              .clearField(TENSOR_SHAPE)
              .addField(
                  TENSOR_SHAPE,
                  Field.newBuilder().addLengthDelimited(newShape.toByteString()).build())
              .build();
        });
  }

  private static UnknownFieldSet mapTensorType(
      UnknownFieldSet valueInfo, java.util.function.UnaryOperator<UnknownFieldSet> edit) {
    List<ByteString> types = valueInfo.getField(VALUE_TYPE).getLengthDelimitedList();
    if (types.isEmpty()) {
      return valueInfo;
    }
    UnknownFieldSet type = parse(types.get(0), "a value type");
    List<ByteString> tensorTypes = type.getField(TYPE_TENSOR).getLengthDelimitedList();
    if (tensorTypes.isEmpty()) {
      return valueInfo; // not a tensor (sequence, map): nothing to change
    }
    UnknownFieldSet newTensorType = edit.apply(parse(tensorTypes.get(0), "a tensor type"));
    UnknownFieldSet newType =
        UnknownFieldSet.newBuilder(type)
            .clearField(TYPE_TENSOR)
            .addField(
                TYPE_TENSOR,
                Field.newBuilder().addLengthDelimited(newTensorType.toByteString()).build())
            .build();
    return UnknownFieldSet.newBuilder(valueInfo)
        .clearField(VALUE_TYPE)
        .addField(VALUE_TYPE, Field.newBuilder().addLengthDelimited(newType.toByteString()).build())
        .build();
  }
}
