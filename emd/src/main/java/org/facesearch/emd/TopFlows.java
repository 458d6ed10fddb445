package org.facesearch.emd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Picks the {@code n} largest entries of a transport plan with a bounded min-heap (a plan has 2401
 * entries for 7x7 grids; sorting all of them per hit would dominate a cheap explanation). Ties go
 * to the lower (candidate cell, query cell) index so the output is deterministic.
 */
final class TopFlows {
  private TopFlows() {}

  static List<Flow> select(
      Sinkhorn solver, int rows, int cols, int gridColsCandidate, int gridColsQuery, int n) {
    int total = rows * cols;
    int k = Math.min(n, total);
    if (k <= 0) {
      return List.of();
    }
    double[] heapMass = new double[k];
    int[] heapIndex = new int[k];
    int size = 0;
    for (int i = 0; i < total; i++) {
      double mass = solver.plan(i / cols, i % cols);
      if (size < k) {
        heapMass[size] = mass;
        heapIndex[size] = i;
        siftUp(heapMass, heapIndex, size++);
      } else if (better(mass, i, heapMass[0], heapIndex[0])) {
        heapMass[0] = mass;
        heapIndex[0] = i;
        siftDown(heapMass, heapIndex, size);
      }
    }
    List<Flow> flows = new ArrayList<>(size);
    for (int j = 0; j < size; j++) {
      int i = heapIndex[j];
      int s = i / cols; // candidate cell
      int m = i % cols; // query cell
      flows.add(
          new Flow(
              m / gridColsQuery,
              m % gridColsQuery,
              s / gridColsCandidate,
              s % gridColsCandidate,
              heapMass[j]));
    }
    flows.sort((a, b) -> {
      int byMass = Double.compare(b.mass(), a.mass());
      if (byMass != 0) {
        return byMass;
      }
      int byGallery =
          Integer.compare(
              a.galleryRow() * gridColsCandidate + a.galleryCol(),
              b.galleryRow() * gridColsCandidate + b.galleryCol());
      if (byGallery != 0) {
        return byGallery;
      }
      return Integer.compare(
          a.queryRow() * gridColsQuery + a.queryCol(), b.queryRow() * gridColsQuery + b.queryCol());
    });
    return Collections.unmodifiableList(flows);
  }

  /** Whether (mass, index) ranks above (otherMass, otherIndex): more mass, then lower index. */
  private static boolean better(double mass, int index, double otherMass, int otherIndex) {
    return mass > otherMass || (mass == otherMass && index < otherIndex);
  }

  // The heap root is the worst kept entry.
  private static void siftUp(double[] mass, int[] index, int pos) {
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      if (!better(mass[parent], index[parent], mass[pos], index[pos])) {
        return;
      }
      swap(mass, index, parent, pos);
      pos = parent;
    }
  }

  private static void siftDown(double[] mass, int[] index, int size) {
    int pos = 0;
    while (true) {
      int left = 2 * pos + 1;
      if (left >= size) {
        return;
      }
      int worst = left;
      int right = left + 1;
      if (right < size && better(mass[worst], index[worst], mass[right], index[right])) {
        worst = right;
      }
      if (!better(mass[pos], index[pos], mass[worst], index[worst])) {
        return;
      }
      swap(mass, index, pos, worst);
      pos = worst;
    }
  }

  private static void swap(double[] mass, int[] index, int a, int b) {
    double tm = mass[a];
    mass[a] = mass[b];
    mass[b] = tm;
    int ti = index[a];
    index[a] = index[b];
    index[b] = ti;
  }
}
