import { decoratedDefs } from './python-decorators.js';
import { re2 } from './linear-regex.js';

/** CUDA kernels with launch bounds, shared memory, intrinsics and tensor-core APIs. */
export interface CudaAnnotations {
  kernels: Array<{ name: string; launchBounds: string | null }>;
  sharedMemory: Array<{ name: string; type: string; dims: string; dynamic: boolean }>;
  intrinsics: string[];
  tensorCore: string[];
}

/** Triton kernels with their autotune configs. */
export interface TritonAnnotations {
  kernels: Array<{ name: string; autotune: { configs: number; key: string[] } | null }>;
  /** `tl.*` operations used, sorted. */
  ops: string[];
}

const stripCComments = (t: string): string => t.replace(re2(/\/\*[\s\S]*?\*\//g), ' ').replace(/\/\/[^\n]*/g, ' ');
const uniqueSorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

// Warp-level, atomic, cache and async-copy intrinsics (CUDA C++ Programming Guide, "Built-in Functions").
const INTRINSIC = re2(/\b(__syncthreads\w*|__syncwarp|__shfl\w*_sync|__ballot_sync|__any_sync|__all_sync|__activemask|atomic(?:Add|Sub|Exch|Min|Max|Inc|Dec|CAS|And|Or|Xor)\w*|__ldg|__ldcg|__stcg|__threadfence\w*|__popc\w*|__clz\w*|__ffs\w*|__fmaf?_r\w|__expf|__logf|__sinf|__cosf|__fdividef|__half2float|__float2half\w*|__hadd2?|__hmul2?|__hfma2?|__pipeline_\w+|__nanosleep)\b|\b(cp\.async\w*|cooperative_groups)\b/g);
// WMMA/MMA PTX, CUTLASS/CuTe and cuBLASLt: what "uses tensor cores" looks like in source.
const TENSOR_CORE = /\b(nvcuda::wmma|wmma::\w+|mma\.sync\.\w+|ldmatrix\.\w+|wgmma\.\w+|cutlass::gemm\w*|cute::\w*(?:MMA|mma)\w*|cublasLt\w+|__hmma\w*)/g;

export function annotateCuda(text: string): CudaAnnotations {
  const t = stripCComments(text);
  const kernels = [...t.matchAll(re2(/__global__\s+(?:__launch_bounds__\s*\(([^()]*)\)\s+)?(?:static\s+|inline\s+)*void\s+(?:__launch_bounds__\s*\(([^()]*)\)\s+)?([A-Za-z_]\w*)\s*\(/g))].map((m) => ({
    name: m[3]!,
    launchBounds: (m[1] ?? m[2])?.trim() ?? null,
  }));
  const sharedMemory = [...t.matchAll(re2(/(extern\s+)?__shared__\s+(?:__align__\s*\(\d+\)\s+)?([A-Za-z_][\w:<>, ]*?)\s+([A-Za-z_]\w*)\s*((?:\[[^\]]*\])*)/g))].map((m) => ({
    name: m[3]!,
    type: m[2]!.trim(),
    dims: m[4] ?? '',
    dynamic: Boolean(m[1]),
  }));
  return {
    kernels,
    sharedMemory,
    intrinsics: uniqueSorted([...t.matchAll(INTRINSIC)].map((m) => m[1] ?? m[2]!)),
    tensorCore: uniqueSorted([...t.matchAll(TENSOR_CORE)].map((m) => m[1]!)),
  };
}

/** Triton: `@triton.jit` functions, the `@triton.autotune` above them, and `tl.*` ops. */
export function annotateTriton(text: string): TritonAnnotations {
  const t = text.replace(/#[^\n]*/g, '');
  const kernels: TritonAnnotations['kernels'] = [];
  for (const { decorators, name } of decoratedDefs(t)) {
    if (!/@(?:triton\.)?jit\b/.test(decorators)) continue;
    const auto = /@(?:triton\.)?autotune\s*\(([\s\S]*)/.exec(decorators);
    const key = auto ? /key\s*=\s*\[([^\][]*)\]/.exec(auto[1]!) : null;
    kernels.push({
      name,
      autotune: auto
        ? { configs: (auto[1]!.match(/\btriton\.Config\s*\(|\bConfig\s*\(/g) ?? []).length, key: key ? [...key[1]!.matchAll(/['"]([^'"]+)['"]/g)].map((k) => k[1]!) : [] }
        : null,
    });
  }
  return { kernels, ops: uniqueSorted([...t.matchAll(/\btl\.([a-z_][a-z0-9_]*)\s*\(/g)].map((m) => m[1]!)) };
}
