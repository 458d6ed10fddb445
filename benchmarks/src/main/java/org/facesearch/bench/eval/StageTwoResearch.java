package org.facesearch.bench.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.lucene.util.VectorUtil;
import org.facesearch.emd.FacePatches;
import org.facesearch.emd.ResearchSinkhorn;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;
import org.facesearch.image.RgbImage;
import org.facesearch.recognizability.Recognizability;

/**
 * Research for issue 7: which per-cell masses and which alpha make stage 2 help on this model.
 * Builds every query version of a seeded sample of one identity split once (probe, stage-1 top 100,
 * the 100 similarity matrices), then scores many candidate weightings and alpha rules on them with
 * the rescorer's own Sinkhorn.
 *
 * <p>Split rule: a person's label is its index in the sorted list of LFW folders; people with an
 * even label are the TUNING split (every constant is chosen there), odd labels the REPORTING split.
 * The gallery is always all of LFW.
 *
 * <p>Per-cell masses tried: apc and uniform (today's), (a) each cell's distance from a per-cell
 * centroid of heavily degraded faces of the tuning split ({@link #cellCentroid}, built like the
 * direct face-level UI centroid), (b) the share of flat pixels in each cell of the query's aligned
 * image, soft or hard, on the query only or mirrored to the same cells of the candidate; and three
 * similarity matrices: plain, centred on a per-cell population mean (tuning split), each face centred
 * on its own mean cell. Alpha: fixed values and forms of {@code alpha: auto}. Prints P@1 minus stage 1.
 *
 * <pre>benchmarks/run org.facesearch.bench.eval.StageTwoResearch --split tune --queries 300 \
 *     --versions clean,mask,sunglasses,lowres16,lowres24,crop-realigned</pre>
 */
public final class StageTwoResearch {
    static final int WINDOW = 100;

    /** One query version, ready to re-rank. */
    record Qv(int q, QueryVersion version, FacePatches query, float[] embedding, float ers, int[] cand, float[] cos,
              boolean[] rel, int r, float[][] sims, double[] pixFlat) {}

    private StageTwoResearch() {}

    public static void main(String[] args) throws Exception {
        String split = "tune";
        int queries = 300;
        int threads = 2;
        int centroidFaces = 400;
        long seed = IdentificationBenchmark.DEFAULT_SEED;
        List<QueryVersion> versions = QueryVersion.parse("clean,mask,sunglasses,lowres16,crop-realigned");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--split" -> split = args[++i];
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--versions" -> versions = QueryVersion.parse(args[++i]);
                case "--centroid-faces" -> centroidFaces = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        int parity = switch (split) {
            case "tune" -> 0;
            case "report" -> 1;
            default -> throw new IllegalArgumentException("--split tune|report");
        };
        LfwGallery gallery = LfwGallery.scan(EvalSupport.lfw());
        try (FaceEncoder encoder = FaceEncoder.open(EvalSupport.defaultPack(), EncoderOptions.defaults().withThreads(threads));
             GalleryCache cache = GalleryCache.openOrBuild(gallery, encoder, java.nio.file.Path.of("benchmarks/target/eval-cache"), threads,
                 System.out)) {
            IdentitySplit.Sample sample = IdentitySplit.sample(gallery, cache, parity, seed, queries);
            List<Integer> chosen = sample.queries();
            System.out.printf(Locale.ROOT, "split %s: %d queries of %d; versions %s%n", split, chosen.size(), sample.poolSize(), versions);

            float[][] cellUi = cellCentroid(gallery, cache, encoder, centroidFaces, seed);
            StageOne stageOne = new StageOne(cache);
            float[] uiCentroid = encoder.pack().descriptor().recognizability().uiCentroid();
            float[] template = encoder.pack().descriptor().feature().alignmentTemplate().clone();
            long t0 = System.nanoTime();
            Map<QueryVersion, List<Qv>> data = build(chosen, versions, gallery, cache, encoder, stageOne, uiCentroid, template, seed, threads);
            System.out.printf(Locale.ROOT, "built %d query versions in %.0f s%n", chosen.size() * versions.size(), (System.nanoTime() - t0) / 1e9);
            Study study = new Study(data, cache, cellUi, threads);
            List<Integer> muItems = new ArrayList<>();
            for (int i = 0; i < gallery.size(); i++) {
                if (gallery.label(i) % 2 == 0 && cache.hasFace(i)) {
                    muItems.add(i);
                }
            }
            Collections.shuffle(muItems, new Random(seed + 13));
            study.computeMu(muItems.subList(0, Math.min(1000, muItems.size())));
            study.run();
        }
    }

    /** Per-cell centroid of unrecognizable content: heavy degradations of faces of the tuning split, per cell mean of unit cells. */
    static float[][] cellCentroid(LfwGallery gallery, GalleryCache cache, FaceEncoder encoder, int n, long seed) {
        List<Integer> pool = new ArrayList<>();
        for (int i = 0; i < gallery.size(); i++) {
            if (gallery.label(i) % 2 == 0 && cache.hasFace(i)) {
                pool.add(i);
            }
        }
        Collections.shuffle(pool, new Random(seed + 7));
        Random r = new Random(seed + 11);
        List<RgbImage> degraded = new ArrayList<>();
        for (int i : pool.subList(0, n)) {
            degraded.add(org.facesearch.recognizability.Degradations.heavy(cache.alignedFace(i), r));
        }
        List<EncodedFace> faces = new ArrayList<>();
        for (int from = 0; from < degraded.size(); from += 32) {
            faces.addAll(encoder.embedAligned(degraded.subList(from, Math.min(degraded.size(), from + 32))));
        }
        int cells = faces.get(0).gridH() * faces.get(0).gridW();
        int dims = faces.get(0).patchDims();
        float[][] c = new float[cells][dims];
        for (EncodedFace f : faces) {
            float[] unit = f.unitPatches();
            for (int k = 0; k < cells; k++) {
                for (int d = 0; d < dims; d++) {
                    c[k][d] += unit[k * dims + d];
                }
            }
        }
        for (float[] v : c) {
            double s = 0;
            for (float x : v) {
                s += x * x;
            }
            float inv = (float) (1 / Math.sqrt(s));
            for (int d = 0; d < dims; d++) {
                v[d] *= inv;
            }
        }
        return c;
    }

    static Map<QueryVersion, List<Qv>> build(List<Integer> chosen, List<QueryVersion> versions, LfwGallery gallery, GalleryCache cache,
                                             FaceEncoder encoder, StageOne stageOne, float[] uiCentroid, float[] template, long seed,
                                             int threads) throws Exception {
        Map<QueryVersion, List<Qv>> out = new EnumMap<>(QueryVersion.class);
        for (QueryVersion v : versions) {
            out.put(v, new ArrayList<>());
        }
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        ExecutorService exec = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Qv>>> pending = new ArrayList<>();
            for (int q : chosen) {
                pending.add(exec.submit(() -> {
                    List<Qv> list = new ArrayList<>();
                    for (QueryVersion v : versions) {
                        RgbImage image;
                        EncodedFace face;
                        if (v == QueryVersion.CLEAN) {
                            image = cache.alignedFace(q);
                            face = encoder.embedAligned(List.of(image)).get(0);
                        } else if (v.onAlignedCrop()) {
                            image = v.apply(cache.alignedFace(q), template, v.random(seed, q));
                            face = encoder.embedAligned(List.of(image)).get(0);
                        } else {
                            RgbImage photo;
                            try {
                                photo = decoder.decode(Files.readAllBytes(gallery.path(q)));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            Random random = v.random(seed, q);
                            Degradations.CropBox box = Degradations.CropBox.random(photo.width(), photo.height(), QueryVersion.CROP_FRACTION, random);
                            List<EncodedFace> faces = encoder.encode(box.apply(photo), EncodeMode.DETECT, Integer.MAX_VALUE);
                            double[] centre = box.map(photo.width() / 2.0, photo.height() / 2.0);
                            face = FaceChoice.nearest(faces, centre[0], centre[1]);
                            if (face == null) {
                                list.add(null);
                                continue;
                            }
                            image = face.alignedFace();
                        }
                        IdentificationExperiment.Probe probe = IdentificationExperiment.probe(face);
                        list.add(qv(q, v, probe, image, gallery, cache, stageOne, uiCentroid));
                    }
                    return list;
                }));
            }
            int done = 0;
            for (Future<List<Qv>> f : pending) {
                List<Qv> list = BenchThreads.await(f);
                for (int i = 0; i < versions.size(); i++) {
                    if (list.get(i) != null) {
                        out.get(versions.get(i)).add(list.get(i));
                    }
                }
                if (++done % 50 == 0) {
                    System.out.printf(Locale.ROOT, "  %d / %d queries%n", done, chosen.size());
                }
            }
        } finally {
            exec.shutdownNow();
        }
        return out;
    }

    static Qv qv(int q, QueryVersion v, IdentificationExperiment.Probe probe, RgbImage image, LfwGallery gallery, GalleryCache cache,
                 StageOne stageOne, float[] uiCentroid) {
        StageOne.Hits hits = stageOne.top(probe.embedding(), WINDOW + 1, -1);
        int[] cand = new int[WINDOW];
        float[] cos = new float[WINDOW];
        int k = 0;
        for (int p = 0; p < hits.size() && k < WINDOW; p++) {
            if (hits.items()[p] != q) {
                cand[k] = hits.items()[p];
                cos[k++] = hits.scores()[p];
            }
        }
        int label = gallery.label(q);
        boolean[] rel = new boolean[WINDOW];
        float[][] sims = new float[WINDOW][];
        FacePatches query = probe.patches();
        int cells = query.cellCount();
        for (int j = 0; j < WINDOW; j++) {
            rel[j] = gallery.label(cand[j]) == label;
            FacePatches g = IdentificationExperiment.facePatches(cache.patchMap(cand[j]), cache.embedding(cand[j]));
            float[] s = new float[cells * cells];
            for (int a = 0; a < cells; a++) {
                for (int b = 0; b < cells; b++) {
                    s[a * cells + b] = VectorUtil.dotProduct(g.cell(a), query.cell(b));
                }
            }
            sims[j] = s;
        }
        return new Qv(q, v, query, probe.embedding(), Recognizability.ers(uiCentroid, probe.embedding()), cand, cos, rel,
            gallery.imagesOf(label) - 1, sims, flatFractions(image, query.rows(), query.cols()));
    }

    /** Per cell: the share of its pixels whose 3x3 neighbourhood is one flat colour (every channel equal). */
    static double[] flatFractions(RgbImage img, int rows, int cols) {
        int w = img.width();
        int h = img.height();
        byte[] px = img.pixels();
        double[] out = new double[rows * cols];
        int[] count = new int[rows * cols];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean flat = true;
                int o = (y * w + x) * 3;
                for (int dy = -1; dy <= 1 && flat; dy++) {
                    for (int dx = -1; dx <= 1 && flat; dx++) {
                        int yy = Math.min(h - 1, Math.max(0, y + dy));
                        int xx = Math.min(w - 1, Math.max(0, x + dx));
                        int p = (yy * w + xx) * 3;
                        flat = px[p] == px[o] && px[p + 1] == px[o + 1] && px[p + 2] == px[o + 2];
                    }
                }
                int cell = (y * rows / h) * cols + (x * cols / w);
                count[cell]++;
                if (flat) {
                    out[cell]++;
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= count[i];
        }
        return out;
    }

    /** Weightings and alpha rules scored on the built data. */
    static final class Study {
        private final Map<QueryVersion, List<Qv>> data;
        private final GalleryCache cache;
        private final float[][] cellUi;
        private final int threads;
        private final Map<Integer, float[]> galleryUiDots = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<Integer, FacePatches> galleryFaces = new java.util.concurrent.ConcurrentHashMap<>();

        Study(Map<QueryVersion, List<Qv>> data, GalleryCache cache, float[][] cellUi, int threads) {
            this.data = data;
            this.cache = cache;
            this.cellUi = cellUi;
            this.threads = threads;
        }

        FacePatches gallery(int g) {
            return galleryFaces.computeIfAbsent(g, i -> IdentificationExperiment.facePatches(cache.patchMap(i), cache.embedding(i)));
        }

        float[] uiDots(FacePatches f) {
            float[] out = new float[f.cellCount()];
            for (int k = 0; k < out.length; k++) {
                out[k] = VectorUtil.dotProduct(f.cell(k), cellUi[k]);
            }
            return out;
        }

        float[] galleryUi(int g) {
            return galleryUiDots.computeIfAbsent(g, i -> uiDots(gallery(i)));
        }

        /** Per-cell mean of unit cells over clean gallery faces of the tuning split (null: not centred). */
        float[][] mu;
        float[] muMu;
        private final Map<Integer, float[]> galleryMuDots = new java.util.concurrent.ConcurrentHashMap<>();

        /** P[k*cells+m] = <x_k, mu_m>. */
        float[] muDots(FacePatches f) {
            int n = f.cellCount();
            float[] out = new float[n * n];
            for (int k = 0; k < n; k++) {
                for (int m = 0; m < n; m++) {
                    out[k * n + m] = VectorUtil.dotProduct(f.cell(k), mu[m]);
                }
            }
            return out;
        }

        /** The centred cosine matrix from the plain one: cos(g_s - mu_s, q_m - mu_m). */
        float[] centred(float[] sim, float[] gMu, float[] qMu, int n) {
            float[] out = new float[n * n];
            for (int s = 0; s < n; s++) {
                double ns = Math.sqrt(Math.max(1e-9, 1 - 2 * gMu[s * n + s] + muMu[s * n + s]));
                for (int m = 0; m < n; m++) {
                    double nm = Math.sqrt(Math.max(1e-9, 1 - 2 * qMu[m * n + m] + muMu[m * n + m]));
                    double d = sim[s * n + m] - gMu[s * n + m] - qMu[m * n + s] + muMu[s * n + m];
                    out[s * n + m] = (float) (d / (ns * nm));
                }
            }
            return out;
        }

        interface Masses {
            /** Fills u (candidate cells) and v (query cells). */
            void fill(Qv qv, float[] queryUi, int j, FacePatches g, float[] galleryUi, double[] u, double[] v);
        }

        void computeMu(List<Integer> items) {
            int n = gallery(items.get(0)).cellCount();
            int dims = gallery(items.get(0)).dims();
            mu = new float[n][dims];
            for (int g : items) {
                FacePatches f = IdentificationExperiment.facePatches(cache.patchMap(g), cache.embedding(g));
                for (int k = 0; k < n; k++) {
                    for (int d = 0; d < dims; d++) {
                        mu[k][d] += f.cell(k)[d] / items.size();
                    }
                }
            }
            muMu = new float[n * n];
            for (int k = 0; k < n; k++) {
                for (int m = 0; m < n; m++) {
                    muMu[k * n + m] = VectorUtil.dotProduct(mu[k], mu[m]);
                }
            }
        }

        boolean centre;
        boolean selfCentre;

        /** The face's mean unit cell m, then {<x_k, m>} and |m|^2 appended. */
        static float[] selfDots(FacePatches f) {
            int n = f.cellCount();
            float[] m = new float[f.dims()];
            for (int k = 0; k < n; k++) {
                for (int d = 0; d < m.length; d++) {
                    m[d] += f.cell(k)[d] / n;
                }
            }
            float[] out = new float[n + 1];
            for (int k = 0; k < n; k++) {
                out[k] = VectorUtil.dotProduct(f.cell(k), m);
            }
            out[n] = VectorUtil.dotProduct(m, m);
            return out;
        }

        static float[] selfMean(FacePatches f) {
            int n = f.cellCount();
            float[] m = new float[f.dims()];
            for (int k = 0; k < n; k++) {
                for (int d = 0; d < m.length; d++) {
                    m[d] += f.cell(k)[d] / n;
                }
            }
            return m;
        }

        /** cos(g_s - m_g, q_m - m_q) from the plain matrix. */
        static float[] selfCentred(float[] sim, FacePatches g, FacePatches q, int n) {
            float[] mg = selfMean(g);
            float[] mq = selfMean(q);
            float[] gq = new float[n]; // <g_s, m_q>
            float[] qg = new float[n]; // <m_g, q_m>
            float[] gg = new float[n];
            float[] qq = new float[n];
            for (int k = 0; k < n; k++) {
                gq[k] = VectorUtil.dotProduct(g.cell(k), mq);
                qg[k] = VectorUtil.dotProduct(mg, q.cell(k));
                gg[k] = VectorUtil.dotProduct(g.cell(k), mg);
                qq[k] = VectorUtil.dotProduct(q.cell(k), mq);
            }
            float mm = VectorUtil.dotProduct(mg, mq);
            float mgmg = VectorUtil.dotProduct(mg, mg);
            float mqmq = VectorUtil.dotProduct(mq, mq);
            float[] out = new float[n * n];
            for (int s = 0; s < n; s++) {
                double ns = Math.sqrt(Math.max(1e-9, 1 - 2 * gg[s] + mgmg));
                for (int m = 0; m < n; m++) {
                    double nm = Math.sqrt(Math.max(1e-9, 1 - 2 * qq[m] + mqmq));
                    out[s * n + m] = (float) ((sim[s * n + m] - gq[s] - qg[m] + mm) / (ns * nm));
                }
            }
            return out;
        }

        interface AlphaRule {
            double alpha(Qv qv);
        }

        /** Share of cells whose flat fraction reaches t (the cells the hard weighting drops). */
        static double occluded(Qv qv, double t) {
            int n = 0;
            for (double f : qv.pixFlat()) {
                n += f >= t ? 1 : 0;
            }
            return (double) n / qv.pixFlat().length;
        }

        void run() throws Exception {
            describeEvidence();
            Map<String, Masses> weightings = new LinkedHashMap<>();
            Map<String, Boolean> centring = new LinkedHashMap<>();
            Map<String, Boolean> selfCentring = new LinkedHashMap<>();
            // Similarity: 0 plain, 1 centred on the per-cell population mean, 2 each face centred on its own mean cell.
            Map<String, Integer> modes = new LinkedHashMap<>();
            weightings.put("apc", (qv, qui, j, g, gui, u, v) -> apc(qv.query(), g, u, v));
            modes.put("apc", 0);
            weightings.put("uniform", (qv, qui, j, g, gui, u, v) -> { java.util.Arrays.fill(u, 1); java.util.Arrays.fill(v, 1); });
            modes.put("uniform", 0);
            // (a) per-cell UI centroid: mass = 1 - cos(cell, per-cell centroid of heavily degraded faces), both sides.
            weightings.put("cell-UI distance", (qv, qui, j, g, gui, u, v) -> {
                for (int m = 0; m < v.length; m++) {
                    v[m] = Math.max(0, 1 - qui[m]);
                    u[m] = Math.max(0, 1 - gui[m]);
                }
            });
            modes.put("cell-UI distance", 0);
            // (b) pixel evidence: soft (1 - flat share) on the query only, mirrored to the same cells of the candidate, and hard.
            weightings.put("flat, query only, soft", (qv, qui, j, g, gui, u, v) -> {
                java.util.Arrays.fill(u, 1);
                for (int m = 0; m < v.length; m++) {
                    v[m] = 1 - qv.pixFlat()[m];
                }
            });
            modes.put("flat, query only, soft", 0);
            weightings.put("flat, mirrored, soft", (qv, qui, j, g, gui, u, v) -> {
                for (int m = 0; m < v.length; m++) {
                    v[m] = 1 - qv.pixFlat()[m];
                    u[m] = v[m];
                }
            });
            modes.put("flat, mirrored, soft", 0);
            for (int mode = 0; mode < 3; mode++) {
                String name = (mode == 0 ? "" : mode == 1 ? "population-centred " : "self-centred ") + "flat, mirrored, hard t=0.05";
                weightings.put(name, (qv, qui, j, g, gui, u, v) -> {
                    for (int m = 0; m < v.length; m++) {
                        v[m] = qv.pixFlat()[m] < 0.05 ? 1 : 0;
                        u[m] = v[m];
                    }
                });
                modes.put(name, mode);
            }
            weightings.put("self-centred apc", (qv, qui, j, g, gui, u, v) -> apc(qv.query(), g, u, v));
            modes.put("self-centred apc", 2);
            weightings.put("self-centred uniform", (qv, qui, j, g, gui, u, v) -> { java.util.Arrays.fill(u, 1); java.util.Arrays.fill(v, 1); });
            modes.put("self-centred uniform", 2);
            for (var e : modes.entrySet()) {
                centring.put(e.getKey(), e.getValue() == 1);
                selfCentring.put(e.getKey(), e.getValue() == 2);
            }
            Map<String, AlphaRule> rules = new LinkedHashMap<>();
            for (double a : new double[] {0.2, 0.3, 0.5, 0.7}) {
                rules.put("a=" + a, qv -> a);
            }
            // Forms of alpha auto tried: min(max, a0 + k * covered share), optionally 0 below the pack's ERS threshold (0.81).
            for (double gate : new double[] {0, 0.81}) {
                for (double[] c : new double[][] {{0, 1.5, 0.3}, {0, 1.0, 0.5}, {0.2, 0.5, 0.5}, {0.3, 0.5, 0.5}, {0.3, 1.0, 0.5}}) {
                    rules.put(String.format(Locale.ROOT, "auto a0=%.1f k=%.1f max=%.1f gate=%.2f", c[0], c[1], c[2], gate),
                        qv -> qv.ers() < gate ? 0 : Math.min(c[2], c[0] + c[1] * occluded(qv, 0.05)));
                }
            }
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-55s", "P@1 - stage 1 (weighting, alpha)"));
            StringBuilder s1 = new StringBuilder(String.format(Locale.ROOT, "%-55s", "stage 1 P@1"));
            for (var d : data.entrySet()) {
                head.append(String.format(Locale.ROOT, " | %-14s", d.getKey().key()));
                s1.append(String.format(Locale.ROOT, " | %-14s", pct(stage1(d.getValue()), d.getValue().size())));
            }
            System.out.println(head);
            System.out.println(s1);
            for (var e : weightings.entrySet()) {
                centre = centring.get(e.getKey());
                selfCentre = selfCentring.get(e.getKey());
                Map<QueryVersion, double[][]> emd = new LinkedHashMap<>();
                for (var d : data.entrySet()) {
                    emd.put(d.getKey(), emds(d.getValue(), e.getValue()));
                }
                for (var rule : rules.entrySet()) {
                    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-55s", e.getKey() + ", " + rule.getKey()));
                    for (var d : data.entrySet()) {
                        int hits = 0;
                        List<Qv> list = d.getValue();
                        double[][] em = emd.get(d.getKey());
                        for (int i = 0; i < list.size(); i++) {
                            hits += top1(list.get(i), em[i], rule.getValue().alpha(list.get(i))) ? 1 : 0;
                        }
                        row.append(String.format(Locale.ROOT, " | %+-14.1f", 100.0 * (hits - stage1(list)) / list.size()));
                    }
                    System.out.println(row);
                }
            }
            for (var d : data.entrySet()) {
                double[] occ = new double[d.getValue().size()];
                for (int i = 0; i < occ.length; i++) {
                    occ[i] = occluded(d.getValue().get(i), 0.05);
                }
                java.util.Arrays.sort(occ);
                System.out.printf(Locale.ROOT, "occluded share (t=0.05) %s: min %.3f median %.3f max %.3f%n", d.getKey().key(), occ[0], occ[occ.length / 2],
                    occ[occ.length - 1]);
            }
        }

        static String pct(int hits, int n) {
            return String.format(Locale.ROOT, "%.1f", 100.0 * hits / n);
        }

        static int stage1(List<Qv> list) {
            int h = 0;
            for (Qv qv : list) {
                h += qv.rel()[0] ? 1 : 0;
            }
            return h;
        }

        static boolean top1(Qv qv, double[] emd, double alpha) {
            int best = 0;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < emd.length; j++) {
                float s = (float) (alpha * emd[j] + (1 - alpha) * qv.cos()[j]);
                if (s > bestScore) {
                    bestScore = s;
                    best = j;
                }
            }
            return qv.rel()[best];
        }

        double[][] emds(List<Qv> list, Masses masses) throws Exception {
            double[][] out = new double[list.size()][];
            ExecutorService exec = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int tt = t;
                    fs.add(exec.submit(() -> {
                        ResearchSinkhorn sk = new ResearchSinkhorn();
                        for (int i = tt; i < list.size(); i += threads) {
                            Qv qv = list.get(i);
                            int cells = qv.query().cellCount();
                            double[] u = new double[cells];
                            double[] v = new double[cells];
                            float[] qui = uiDots(qv.query());
                            float[] qMu = centre ? muDots(qv.query()) : null;
                            double[] e = new double[WINDOW];
                            for (int j = 0; j < WINDOW; j++) {
                                FacePatches g = gallery(qv.cand()[j]);
                                masses.fill(qv, qui, j, g, galleryUi(qv.cand()[j]), u, v);
                                float[] sim = selfCentre ? selfCentred(qv.sims()[j], g, qv.query(), cells) : centre ? centred(qv.sims()[j], galleryMuDots.computeIfAbsent(qv.cand()[j], x -> muDots(g)), qMu, cells)
                                    : qv.sims()[j];
                                e[j] = sk.emd(sim, cells, cells, u, v);
                            }
                            out[i] = e;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    BenchThreads.await(f);
                }
            } finally {
                exec.shutdownNow();
            }
            return out;
        }

        static void apc(FacePatches q, FacePatches g, double[] u, double[] v) {
            for (int k = 0; k < u.length; k++) {
                u[k] = Math.max(0, VectorUtil.dotProduct(q.centre(), g.cell(k)));
                v[k] = Math.max(0, VectorUtil.dotProduct(g.centre(), q.cell(k)));
            }
        }

        /** Per version: the mean per-row flat share and per-row cell-UI cosine of the query. */
        void describeEvidence() {
            for (var d : data.entrySet()) {
                List<Qv> list = d.getValue();
                int rows = list.get(0).query().rows();
                int cols = list.get(0).query().cols();
                double[] flat = new double[rows];
                double[] ui = new double[rows];
                double ersSum = 0;
                double occSum = 0;
                for (Qv qv : list) {
                    float[] qui = uiDots(qv.query());
                    for (int k = 0; k < rows * cols; k++) {
                        flat[k / cols] += qv.pixFlat()[k] / cols / list.size();
                        ui[k / cols] += qui[k] / cols / list.size();
                        occSum += qv.pixFlat()[k] / (rows * cols);
                    }
                    ersSum += qv.ers();
                }
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-15s ERS %.3f occluded %.3f | flat by row", d.getKey().key(),
                    ersSum / list.size(), occSum / list.size()));
                for (double f : flat) {
                    b.append(String.format(Locale.ROOT, " %.2f", f));
                }
                b.append(" | cell-UI cos by row");
                for (double f : ui) {
                    b.append(String.format(Locale.ROOT, " %.2f", f));
                }
                System.out.println(b);
            }
        }
    }
}
