; SPDX-License-Identifier: MIT
; add.ll - small LLVM IR examples used in the optimizer walkthrough.
; Try:  opt -passes='instcombine,loop-vectorize' -S ir/add.ll
;       llc -O2 ir/add.ll -o add.s
; Uses opaque pointers (default since LLVM 15; add -opaque-pointers on LLVM 14).

target triple = "x86_64-unknown-linux-gnu"

; i32 add with no signed wrap: instcombine can fold (a + 1) - 1 -> a
define i32 @add_nsw(i32 %a, i32 %b) {
entry:
  %sum = add nsw i32 %a, %b
  %inc = add nsw i32 %sum, 1
  %res = sub nsw i32 %inc, 1
  ret i32 %res
}

; dst[i] = a[i] + b[i] for i in [0, n); a candidate for the loop vectorizer
define void @vec_add(ptr noalias nocapture %dst, ptr noalias nocapture readonly %a,
                     ptr noalias nocapture readonly %b, i64 %n) {
entry:
  %empty = icmp eq i64 %n, 0
  br i1 %empty, label %exit, label %loop

loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %pa = getelementptr inbounds i32, ptr %a, i64 %i
  %pb = getelementptr inbounds i32, ptr %b, i64 %i
  %va = load i32, ptr %pa, align 4
  %vb = load i32, ptr %pb, align 4
  %vs = add i32 %va, %vb
  %pd = getelementptr inbounds i32, ptr %dst, i64 %i
  store i32 %vs, ptr %pd, align 4
  %i.next = add nuw i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop

exit:
  ret void
}
