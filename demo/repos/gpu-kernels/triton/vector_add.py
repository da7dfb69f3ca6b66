"""Element-wise vector addition in Triton, with a small benchmark."""
import torch
import triton
import triton.language as tl


@triton.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n_elements, BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(axis=0)
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    y = tl.load(y_ptr + offsets, mask=mask)
    tl.store(out_ptr + offsets, x + y, mask=mask)


def add(x: torch.Tensor, y: torch.Tensor, block_size: int = 1024) -> torch.Tensor:
    if x.shape != y.shape:
        raise ValueError("shape mismatch")
    if not (x.is_cuda and y.is_cuda):
        raise ValueError("inputs must be CUDA tensors")
    out = torch.empty_like(x)
    n = out.numel()
    grid = lambda meta: (triton.cdiv(n, meta["BLOCK_SIZE"]),)
    add_kernel[grid](x, y, out, n, BLOCK_SIZE=block_size)
    return out


def bench(size: int) -> float:
    """Return achieved bandwidth in GB/s for one vector size."""
    x = torch.rand(size, device="cuda", dtype=torch.float32)
    y = torch.rand(size, device="cuda", dtype=torch.float32)
    ms = triton.testing.do_bench(lambda: add(x, y))
    return 3 * x.numel() * x.element_size() / (ms * 1e-3) / 1e9


if __name__ == "__main__":
    torch.manual_seed(0)
    a = torch.rand(98432, device="cuda")
    b = torch.rand(98432, device="cuda")
    assert torch.allclose(add(a, b), a + b)
    for exp in range(12, 28, 3):
        n = 2**exp
        print(f"n={n:>10d}  {bench(n):8.1f} GB/s")
