/*
 * Native baseline for the wasm ring kernels (bench/kernels.ts builds this with `g++ -O3`, no -march):
 * Z_{2^64} MatMul and 2-D convolution (NCHW, stride 1, "same" padding (k−1)/2) on uint64_t with
 * wrapping arithmetic, each timing itself and printing one JSON line with its MAC/s and a checksum
 * of the result, so the bench can check that wasm and C did the same work on the same inputs.
 *
 * Inputs are SplitMix64 streams from the same seeds bench/harness.ts `words64` uses (a: 1, b: 2 for
 * MatMul; x: 3, w: 4 for convolution). Checksum: FNV-1a style fold over the output words,
 * h = (h ^ y[i]) · 0x100000001b3 mod 2^64 from h = 0, printed as 16 hex digits.
 *
 * Design (a fair, reasonably optimised baseline in plain C++, no intrinsics; on x86-64 without -march
 * g++ -O3 compiles the tiles to scalar imul — SSE2 has no 64-bit lane multiply and GCC's cost model
 * declines emulating one). The tile shape was chosen by measurement among 2×2 … 8×8: 4 × 8 and 8 × 4
 * were fastest here (AMD EPYC, ≈ 6–7.5e9 MAC/s), ahead of 4 × 4 (≈ 5e9) and plain i-k-j (≈ 2.7e9).
 *   - matmul: 4 × 8 register tile of c accumulated over the whole of k (i, j tiles; k innermost), so
 *     each a load feeds 8 multiply-adds and each b load 4; edges fall back to a dot product.
 *   - conv direct: the same 4 × 8 tile with rows = 4 output channels and columns = 8 adjacent output
 *     pixels of one output row, accumulated over (input channel, kh, kw); the input is first copied
 *     into a zero-padded plane and the weights repacked as [c][kh][kw][o], so the tile has no bounds
 *     tests and reads both operands contiguously.
 *   - conv im2col: cols[(c, kh, kw), pixel] (zeros in the padding), then the matmul above.
 *
 * Usage: ring-kernels matmul M K N RUNS | ring-kernels conv-direct|conv-im2col N C HW CO K RUNS
 * Timing: one untimed warm-up call, then the median of RUNS calls, each timed with
 * clock_gettime(CLOCK_MONOTONIC) ("rate") and with CLOCK_PROCESS_CPUTIME_ID ("cpuRate": the CPU time
 * this process was given, which a busy machine's other processes do not inflate).
 */
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

typedef uint64_t u64;

static std::vector<u64> splitmix(size_t n, u64 seed) {
  std::vector<u64> out(n);
  u64 s = seed;
  for (size_t i = 0; i < n; i++) {
    s += 0x9e3779b97f4a7c15ULL;
    u64 z = s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    out[i] = z ^ (z >> 31);
  }
  return out;
}

static u64 checksum(const std::vector<u64>& y) {
  u64 h = 0;
  for (u64 v : y) h = (h ^ v) * 0x100000001b3ULL;
  return h;
}

static double seconds(clockid_t clock) {
  timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double median(std::vector<double> times) {
  std::sort(times.begin(), times.end());
  size_t mid = times.size() / 2;
  return times.size() % 2 == 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

struct Timing {
  double wall;
  double cpu;
};

static Timing medianSeconds(const std::function<void()>& f, int runs) {
  f();
  std::vector<double> wall, cpu;
  for (int r = 0; r < runs; r++) {
    double w0 = seconds(CLOCK_MONOTONIC), c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    f();
    cpu.push_back(seconds(CLOCK_PROCESS_CPUTIME_ID) - c0);
    wall.push_back(seconds(CLOCK_MONOTONIC) - w0);
  }
  return {median(wall), median(cpu)};
}

enum { TR = 4, TC = 8 };

/*
 * c[i0.., j0..] (TR × TC tile) = Σ_t a(r, t) · b(t, q) where a(r, t) = a[r·aRow + t·aCol] and
 * b(t, q) = b[t·bRow + q]; c rows are cRow apart.
 */
static inline void tile(const u64* a, size_t aRow, size_t aCol, const u64* b, size_t bRow, u64* c, size_t cRow, int k) {
  u64 s[TR][TC] = {};
  for (int t = 0; t < k; t++) {
    const u64* bt = b + (size_t)t * bRow;
    u64 bv[TC];
    for (int q = 0; q < TC; q++) bv[q] = bt[q];
    for (int r = 0; r < TR; r++) {
      u64 x = a[r * aRow + (size_t)t * aCol];
      for (int q = 0; q < TC; q++) s[r][q] += x * bv[q];
    }
  }
  for (int r = 0; r < TR; r++)
    for (int q = 0; q < TC; q++) c[r * cRow + q] = s[r][q];
}

static void matmul(const u64* a, const u64* b, u64* c, int m, int k, int n) {
  int i = 0;
  for (; i + TR <= m; i += TR) {
    int j = 0;
    for (; j + TC <= n; j += TC) tile(a + (size_t)i * k, k, 1, b + j, n, c + (size_t)i * n + j, n, k);
    for (; j < n; j++)
      for (int r = i; r < i + TR; r++) {
        u64 s = 0;
        for (int t = 0; t < k; t++) s += a[(size_t)r * k + t] * b[(size_t)t * n + j];
        c[(size_t)r * n + j] = s;
      }
  }
  for (; i < m; i++)
    for (int j = 0; j < n; j++) {
      u64 s = 0;
      for (int t = 0; t < k; t++) s += a[(size_t)i * k + t] * b[(size_t)t * n + j];
      c[(size_t)i * n + j] = s;
    }
}

struct Conv {
  int n, c, hw, co, k;
  int pad() const { return (k - 1) / 2; }
  size_t macs() const { return (size_t)n * co * hw * hw * c * k * k; }
};

/* Direct convolution; xp (zero-padded input, c × (hw+2p)²) and wp (weights as [c][kh][kw][o]) are scratch. */
static void convDirect(const Conv& g, const u64* x, const u64* w, u64* y, std::vector<u64>& xp, std::vector<u64>& wp) {
  const int C = g.c, HW = g.hw, CO = g.co, K = g.k, P = g.pad(), PW = HW + 2 * P;
  const size_t kk = (size_t)K * K;
  for (int o = 0; o < CO; o++)
    for (int c = 0; c < C; c++)
      for (size_t t = 0; t < kk; t++) wp[((size_t)c * kk + t) * CO + o] = w[((size_t)o * C + c) * kk + t];
  for (int b = 0; b < g.n; b++) {
    std::fill(xp.begin(), xp.end(), 0);
    for (int c = 0; c < C; c++)
      for (int h = 0; h < HW; h++)
        std::memcpy(&xp[((size_t)c * PW + h + P) * PW + P], &x[(((size_t)b * C + c) * HW + h) * HW], sizeof(u64) * HW);
    u64* yb = y + (size_t)b * CO * HW * HW;
    for (int o0 = 0; o0 < CO; o0 += TR)
      for (int oh = 0; oh < HW; oh++)
        for (int ow0 = 0; ow0 < HW; ow0 += TC) {
          if (o0 + TR <= CO && ow0 + TC <= HW) {
            u64 s[TR][TC] = {};
            for (int c = 0; c < C; c++)
              for (int kh = 0; kh < K; kh++) {
                const u64* xr = &xp[((size_t)c * PW + oh + kh) * PW + ow0];
                const u64* wr = &wp[((size_t)c * kk + (size_t)kh * K) * CO + o0];
                for (int kw = 0; kw < K; kw++) {
                  u64 bv[TC];
                  for (int q = 0; q < TC; q++) bv[q] = xr[kw + q];
                  for (int r = 0; r < TR; r++) {
                    u64 wv = wr[(size_t)kw * CO + r];
                    for (int q = 0; q < TC; q++) s[r][q] += wv * bv[q];
                  }
                }
              }
            for (int r = 0; r < TR; r++)
              for (int q = 0; q < TC; q++) yb[((size_t)(o0 + r) * HW + oh) * HW + ow0 + q] = s[r][q];
            continue;
          }
          for (int o = o0; o < std::min(CO, o0 + TR); o++)
            for (int ow = ow0; ow < std::min(HW, ow0 + TC); ow++) {
              u64 s = 0;
              for (int c = 0; c < C; c++)
                for (int kh = 0; kh < K; kh++)
                  for (int kw = 0; kw < K; kw++)
                    s += wp[((size_t)c * kk + (size_t)kh * K + kw) * CO + o] * xp[((size_t)c * PW + oh + kh) * PW + ow + kw];
              yb[((size_t)o * HW + oh) * HW + ow] = s;
            }
        }
  }
}

static void convIm2col(const Conv& g, const u64* x, const u64* w, u64* y, std::vector<u64>& cols) {
  const int C = g.c, HW = g.hw, K = g.k, P = g.pad();
  const size_t pix = (size_t)HW * HW;
  for (int b = 0; b < g.n; b++) {
    std::fill(cols.begin(), cols.end(), 0);
    size_t row = 0;
    for (int c = 0; c < C; c++)
      for (int kh = 0; kh < K; kh++)
        for (int kw = 0; kw < K; kw++, row++) {
          u64* cr = &cols[row * pix];
          for (int oh = 0; oh < HW; oh++) {
            int ih = oh + kh - P;
            if (ih < 0 || ih >= HW) continue;
            const u64* xr = x + (((size_t)b * C + c) * HW + ih) * HW;
            int lo = std::max(0, P - kw), hi = std::min(HW, HW + P - kw);
            for (int ow = lo; ow < hi; ow++) cr[(size_t)oh * HW + ow] = xr[ow + kw - P];
          }
        }
    matmul(w, cols.data(), y + (size_t)b * g.co * pix, g.co, C * K * K, (int)pix);
  }
}

static int arg(char** argv, int i) {
  int v = std::atoi(argv[i]);
  if (v <= 0) {
    std::fprintf(stderr, "ring-kernels: argument %d must be a positive integer, got '%s'\n", i, argv[i]);
    std::exit(2);
  }
  return v;
}

static void print(const char* kernel, const std::string& shape, size_t macs, Timing s, int runs, u64 h) {
  std::printf("{\"kernel\":\"%s\",\"shape\":\"%s\",\"macs\":%zu,\"seconds\":%.9g,\"rate\":%.6g,\"cpuRate\":%.6g,\"runs\":%d,\"checksum\":\"%016llx\"}\n",
              kernel, shape.c_str(), macs, s.wall, (double)macs / s.wall, (double)macs / s.cpu, runs, (unsigned long long)h);
}

int main(int argc, char** argv) {
  std::string kind = argc > 1 ? argv[1] : "";
  if (kind == "matmul" && argc == 6) {
    int m = arg(argv, 2), k = arg(argv, 3), n = arg(argv, 4), runs = arg(argv, 5);
    std::vector<u64> a = splitmix((size_t)m * k, 1), b = splitmix((size_t)k * n, 2), c((size_t)m * n);
    Timing s = medianSeconds([&] { matmul(a.data(), b.data(), c.data(), m, k, n); }, runs);
    print("matmul", std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n), (size_t)m * k * n, s, runs, checksum(c));
    return 0;
  }
  if ((kind == "conv-direct" || kind == "conv-im2col") && argc == 8) {
    Conv g{arg(argv, 2), arg(argv, 3), arg(argv, 4), arg(argv, 5), arg(argv, 6)};
    int runs = arg(argv, 7);
    if (g.k % 2 == 0) {
      std::fprintf(stderr, "ring-kernels: kernel size must be odd for same padding, got %d\n", g.k);
      return 2;
    }
    std::vector<u64> x = splitmix((size_t)g.n * g.c * g.hw * g.hw, 3), w = splitmix((size_t)g.co * g.c * g.k * g.k, 4);
    std::vector<u64> y((size_t)g.n * g.co * g.hw * g.hw);
    Timing s;
    if (kind == "conv-direct") {
      size_t pw = (size_t)g.hw + 2 * g.pad();
      std::vector<u64> xp((size_t)g.c * pw * pw), wp(w.size());
      s = medianSeconds([&] { convDirect(g, x.data(), w.data(), y.data(), xp, wp); }, runs);
    } else {
      std::vector<u64> cols((size_t)g.c * g.k * g.k * g.hw * g.hw);
      s = medianSeconds([&] { convIm2col(g, x.data(), w.data(), y.data(), cols); }, runs);
    }
    std::string shape = std::to_string(g.n) + "x" + std::to_string(g.c) + "x" + std::to_string(g.hw) + "x" + std::to_string(g.hw) + "*" +
                        std::to_string(g.co) + "x" + std::to_string(g.c) + "x" + std::to_string(g.k) + "x" + std::to_string(g.k);
    print(kind.c_str(), shape, g.macs(), s, runs, checksum(y));
    return 0;
  }
  std::fprintf(stderr, "usage: ring-kernels matmul M K N RUNS | ring-kernels conv-direct|conv-im2col N C HW CO K RUNS\n");
  return 2;
}
