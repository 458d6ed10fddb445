package org.facesearch.bench.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Issue 7's split of the LFW identities: people with an even label tune, people with an odd label
 * report. A sample is drawn from one side's queries that have a face in their own gallery image.
 */
final class IdentitySplit {
    /** The sampled queries, in gallery order, and how many the side held. */
    record Sample(List<Integer> queries, int poolSize) {}

    private IdentitySplit() {}

    /** Up to {@code n} queries of the side whose labels have {@code parity}, shuffled with {@code seed}. */
    static Sample sample(LfwGallery gallery, GalleryCache cache, int parity, long seed, int n) {
        List<Integer> pool = new ArrayList<>();
        for (int q : gallery.queries()) {
            if (gallery.label(q) % 2 == parity && cache.hasFace(q)) {
                pool.add(q);
            }
        }
        Collections.shuffle(pool, new Random(seed));
        List<Integer> chosen = new ArrayList<>(pool.subList(0, Math.min(n, pool.size())));
        Collections.sort(chosen);
        return new Sample(chosen, pool.size());
    }
}
