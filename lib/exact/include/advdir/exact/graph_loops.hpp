// The index loops of the graph's nodes (graph.hpp), over any number type: pooling windows,
// average-pooling divisors, and the sums of products of dense and convolution nodes. One
// copy, used by the exact engine (FLINT integers, 128-bit integers) and by the float-first
// filter of lib/enclose; the checker keeps its own (lib/check).
#pragma once
#include "advdir/exact/graph.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace advdir::exact {

// A cell of a pooling window inside the input: its flat input index and its kernel cell
// (row-major), the name a ray certificate gives it.
struct Cell {
  std::size_t at, kernel;
};

// Each output entry's window in a pooling, in kernel order (padding left out).
std::vector<std::vector<Cell>> windows_of(const Window2d& w);

// ONNX's AveragePool divisor: the window's cells in the input, or with count_include_pad
// its cells in the padded input (a ceil_mode window is cut at the padding's end).
std::size_t avg_divisor(const Window2d& w, std::size_t oh, std::size_t ow, bool include_pad);

// The first largest of `cells` entries, by value and then (just past the point, when
// by_slope is given) by slope: by_value(j, w) and by_slope(j, w) are the signs of j's
// minus w's.
template <class ByValue, class BySlope>
std::size_t first_largest(std::size_t cells, ByValue by_value, BySlope by_slope) {
  std::size_t w = 0;
  for (std::size_t j = 1; j < cells; ++j) {
    const int v = by_value(j, w);
    if (v > 0 || (v == 0 && by_slope(j, w) > 0)) w = j;
  }
  return w;
}

// out[r] += sum_j w[r][j] x[j] over the columns nz (the others: x[j] = 0). Ring supplies
// static mul_add(d, a, b) (d += a b) and is_zero(a).
template <class Ring, class T>
void dense_products(std::size_t rows, std::size_t cols, const std::vector<std::size_t>& nz, const T* w, const T* x, T* out) {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j : nz) Ring::mul_add(out[r], w[r * cols + j], x[j]);
}

// out += the convolution of x by the node's kernel (ONNX's Conv, cross-correlation), bias
// left out.
template <class Ring, class T>
void conv_products(const GraphNode& n, const T* kernel, const T* x, T* out) {
  const Window2d& w = n.window;
  const std::size_t per_group = w.channels / n.group, outs_per_group = n.out_channels / n.group;
  for (std::size_t o = 0; o < n.out_channels; ++o) {
    const std::size_t first = (o / outs_per_group) * per_group;
    for (std::size_t ci = 0; ci < per_group; ++ci)
      for (std::size_t kh = 0; kh < w.kernel_h; ++kh)
        for (std::size_t kw = 0; kw < w.kernel_w; ++kw) {
          const T& k = kernel[((o * per_group + ci) * w.kernel_h + kh) * w.kernel_w + kw];
          if (Ring::is_zero(k)) continue;
          // input column ow * stride + shift lies inside for ow in [lo, hi)
          const std::ptrdiff_t shift = std::ptrdiff_t(kw * w.dilation_w) - std::ptrdiff_t(w.pad_left), s = std::ptrdiff_t(w.stride_w);
          const std::ptrdiff_t lo = shift >= 0 ? 0 : (-shift + s - 1) / s;
          const std::ptrdiff_t hi = std::min(std::ptrdiff_t(w.out_w), std::ptrdiff_t(w.width) - shift <= 0 ? 0 : (std::ptrdiff_t(w.width) - 1 - shift) / s + 1);
          for (std::size_t oh = 0; oh < w.out_h; ++oh) {
            const std::ptrdiff_t ih = std::ptrdiff_t(oh * w.stride_h + kh * w.dilation_h) - std::ptrdiff_t(w.pad_top);
            if (ih < 0 || std::size_t(ih) >= w.height) continue;
            const T* row = x + ((first + ci) * w.height + std::size_t(ih)) * w.width;
            T* dst = out + (o * w.out_h + oh) * w.out_w;
            for (std::ptrdiff_t ow = lo; ow < hi; ++ow) Ring::mul_add(dst[ow], k, row[ow * s + shift]);
          }
        }
  }
}

// out += the convolution's products with the input entries `at` alone (the others taken as
// 0): each reaches the outputs whose window covers it. The incremental ray walk's step.
template <class Ring, class T>
void conv_scatter(const GraphNode& n, const T* kernel, const T* x, const std::vector<std::size_t>& at, T* out) {
  const Window2d& w = n.window;
  const std::size_t per_group = w.channels / n.group, outs_per_group = n.out_channels / n.group;
  // the output position along one axis whose window cell `k` is input position `i`, if any
  auto position = [](std::size_t i, std::size_t k, std::size_t pad, std::size_t dilation, std::size_t stride, std::size_t outs) {
    const std::ptrdiff_t from = std::ptrdiff_t(i + pad) - std::ptrdiff_t(k * dilation);
    return from >= 0 && from % std::ptrdiff_t(stride) == 0 && std::size_t(from) / stride < outs ? std::ptrdiff_t(from) / std::ptrdiff_t(stride) : -1;
  };
  for (std::size_t a : at) {
    const std::size_t ci = a / (w.height * w.width), ih = a / w.width % w.height, iw = a % w.width;
    const std::size_t group = ci / per_group, local = ci % per_group;
    for (std::size_t kh = 0; kh < w.kernel_h; ++kh) {
      const std::ptrdiff_t oh = position(ih, kh, w.pad_top, w.dilation_h, w.stride_h, w.out_h);
      if (oh < 0) continue;
      for (std::size_t kw = 0; kw < w.kernel_w; ++kw) {
        const std::ptrdiff_t ow = position(iw, kw, w.pad_left, w.dilation_w, w.stride_w, w.out_w);
        if (ow < 0) continue;
        for (std::size_t o = group * outs_per_group; o < (group + 1) * outs_per_group; ++o) {
          const T& k = kernel[((o * per_group + local) * w.kernel_h + kh) * w.kernel_w + kw];
          if (!Ring::is_zero(k)) Ring::mul_add(out[(o * w.out_h + std::size_t(oh)) * w.out_w + std::size_t(ow)], k, x[a]);
        }
      }
    }
  }
}

}  // namespace advdir::exact
