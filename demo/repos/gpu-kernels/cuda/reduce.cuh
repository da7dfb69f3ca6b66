// reduce.cuh - block-level sum reduction helpers.
// block_reduce_sum() combines warp shuffles with one shared-memory pass,
// so it needs only 32 floats of shared memory regardless of block size.
#pragma once

#include <cuda_runtime.h>

#ifndef WARP_SIZE
#define WARP_SIZE 32
#endif

__device__ __forceinline__ float warp_reduce_sum(float v) {
#pragma unroll
    for (int offset = WARP_SIZE / 2; offset > 0; offset >>= 1) {
        v += __shfl_down_sync(0xffffffffu, v, offset);
    }
    return v;
}

// Returns the block-wide sum in thread 0 (other threads get a partial value).
// Must be called by every thread of the block.
__device__ __forceinline__ float block_reduce_sum(float v) {
    __shared__ float warp_sums[WARP_SIZE];
    const int lane = threadIdx.x % WARP_SIZE;
    const int warp = threadIdx.x / WARP_SIZE;

    v = warp_reduce_sum(v);
    if (lane == 0) {
        warp_sums[warp] = v;
    }
    __syncthreads();

    const int num_warps = (blockDim.x + WARP_SIZE - 1) / WARP_SIZE;
    v = (threadIdx.x < num_warps) ? warp_sums[lane] : 0.0f;
    if (warp == 0) {
        v = warp_reduce_sum(v);
    }
    return v;
}

// Grid-stride sum of x[0..n) into *out. *out must be zeroed before launch.
template <int BLOCK>
__global__ void reduce_sum_kernel(const float* __restrict__ x, float* out, size_t n) {
    float acc = 0.0f;
    for (size_t i = blockIdx.x * (size_t)BLOCK + threadIdx.x; i < n; i += (size_t)gridDim.x * BLOCK) {
        acc += x[i];
    }
    acc = block_reduce_sum(acc);
    if (threadIdx.x == 0) {
        atomicAdd(out, acc);
    }
}
