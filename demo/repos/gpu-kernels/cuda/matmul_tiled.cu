// matmul_tiled.cu - C = A * B for row-major float matrices using
// TILE x TILE shared-memory tiles. Handles sizes that are not multiples
// of TILE by zero-padding the tiles at the edges.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <cuda_runtime.h>

constexpr int TILE = 16;

__global__ void matmul_tiled(const float* __restrict__ A, const float* __restrict__ B,
                             float* __restrict__ C, int M, int N, int K) {
    __shared__ float As[TILE][TILE];
    __shared__ float Bs[TILE][TILE + 1];  // +1 avoids bank conflicts on column reads

    const int row = blockIdx.y * TILE + threadIdx.y;
    const int col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.0f;

    for (int t = 0; t < (K + TILE - 1) / TILE; ++t) {
        const int a_col = t * TILE + threadIdx.x;
        const int b_row = t * TILE + threadIdx.y;
        As[threadIdx.y][threadIdx.x] = (row < M && a_col < K) ? A[row * K + a_col] : 0.0f;
        Bs[threadIdx.y][threadIdx.x] = (b_row < K && col < N) ? B[b_row * N + col] : 0.0f;
        __syncthreads();

#pragma unroll
        for (int k = 0; k < TILE; ++k) {
            acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
        }
        __syncthreads();
    }

    if (row < M && col < N) {
        C[row * N + col] = acc;
    }
}

static void matmul_ref(const std::vector<float>& A, const std::vector<float>& B,
                       std::vector<float>& C, int M, int N, int K) {
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            float s = 0.0f;
            for (int k = 0; k < K; ++k) s += A[i * K + k] * B[k * N + j];
            C[i * N + j] = s;
        }
}

int main() {
    const int M = 300, N = 200, K = 150;
    std::vector<float> A(M * K), B(K * N), C(M * N), R(M * N);
    for (int i = 0; i < M * K; ++i) A[i] = static_cast<float>((i * 7) % 13) * 0.1f;
    for (int i = 0; i < K * N; ++i) B[i] = static_cast<float>((i * 5) % 11) * 0.1f;

    float *dA, *dB, *dC;
    cudaMalloc(&dA, A.size() * sizeof(float));
    cudaMalloc(&dB, B.size() * sizeof(float));
    cudaMalloc(&dC, C.size() * sizeof(float));
    cudaMemcpy(dA, A.data(), A.size() * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dB, B.data(), B.size() * sizeof(float), cudaMemcpyHostToDevice);

    dim3 block(TILE, TILE);
    dim3 grid((N + TILE - 1) / TILE, (M + TILE - 1) / TILE);
    matmul_tiled<<<grid, block>>>(dA, dB, dC, M, N, K);
    cudaMemcpy(C.data(), dC, C.size() * sizeof(float), cudaMemcpyDeviceToHost);

    matmul_ref(A, B, R, M, N, K);
    double max_err = 0.0;
    for (int i = 0; i < M * N; ++i) {
        const double e = std::abs(static_cast<double>(C[i]) - R[i]);
        if (e > max_err) max_err = e;
    }
    std::printf("matmul %dx%dx%d  max_abs_err=%.3e\n", M, N, K, max_err);

    cudaFree(dA);
    cudaFree(dB);
    cudaFree(dC);
    return max_err < 1e-3 ? 0 : 1;
}
