// SPDX-License-Identifier: MIT
/*
 * memcpy_x86_64.S - void *fast_memcpy(void *dst, const void *src, size_t n)
 *
 * System V AMD64 ABI: rdi = dst, rsi = src, rdx = n, returns dst in rax.
 * Strategy:
 *   n >= REP_THRESHOLD : rep movsb (fast on ERMS/FSRM parts)
 *   n >= 64            : 4 x 16-byte unaligned SSE2 loads/stores per iteration
 *   remainder          : 16-byte, then 8-byte, then byte tail
 * Regions must not overlap (use memmove semantics elsewhere).
 */
#define REP_THRESHOLD 2048

    .text
    .globl  fast_memcpy
    .type   fast_memcpy, @function
    .p2align 4
fast_memcpy:
    movq    %rdi, %rax              /* return value */
    cmpq    $REP_THRESHOLD, %rdx
    jae     .Lrep

    cmpq    $64, %rdx
    jb      .Ltail16
.Lloop64:
    movdqu  0(%rsi), %xmm0
    movdqu  16(%rsi), %xmm1
    movdqu  32(%rsi), %xmm2
    movdqu  48(%rsi), %xmm3
    movdqu  %xmm0, 0(%rdi)
    movdqu  %xmm1, 16(%rdi)
    movdqu  %xmm2, 32(%rdi)
    movdqu  %xmm3, 48(%rdi)
    addq    $64, %rsi
    addq    $64, %rdi
    subq    $64, %rdx
    cmpq    $64, %rdx
    jae     .Lloop64

.Ltail16:
    cmpq    $16, %rdx
    jb      .Ltail8
    movdqu  (%rsi), %xmm0
    movdqu  %xmm0, (%rdi)
    addq    $16, %rsi
    addq    $16, %rdi
    subq    $16, %rdx
    jmp     .Ltail16

.Ltail8:
    cmpq    $8, %rdx
    jb      .Ltail1
    movq    (%rsi), %rcx
    movq    %rcx, (%rdi)
    addq    $8, %rsi
    addq    $8, %rdi
    subq    $8, %rdx

.Ltail1:
    testq   %rdx, %rdx
    jz      .Ldone
.Lbyte:
    movzbl  (%rsi), %ecx
    movb    %cl, (%rdi)
    incq    %rsi
    incq    %rdi
    decq    %rdx
    jnz     .Lbyte
.Ldone:
    ret

.Lrep:
    movq    %rdx, %rcx
    rep movsb
    ret
    .size   fast_memcpy, .-fast_memcpy

    .section .note.GNU-stack, "", @progbits
