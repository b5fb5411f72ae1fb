;; SIMD loops that work directly on float32 arrays on the tfjs WASM heap, for kernels tfjs does
;; in many passes. Pointers are byte offsets into the imported memory, which is set by
;; scripts/compile-wat.mjs: plain for tfjs's single-threaded build, shared for its threaded one.
(module
  (import "env" "memory" MEMORY)

  ;; One fused Adam update (PyTorch's form, Kingma & Ba 2015 Alg. 1), four lanes at a time. Every
  ;; operation is the same IEEE float32 operation, in the same order, as the op-by-op path in
  ;; train/adam.ts, so both give identical bits:
  ;;   m' = m·β1 + g·(1−β1);  v' = v·β2 + g²·(1−β2);  p' = p − (m' / (√v' / c + ε)) · s
  ;; with c = √(1−β2^t) and s = lr / (1−β1^t).
  (func (export "adam")
    (param $p0 i32) (param $g i32) (param $m0 i32) (param $v0 i32)
    (param $p1 i32) (param $m1 i32) (param $v1 i32) (param $n i32)
    (param $b1 f32) (param $a1 f32) (param $b2 f32) (param $a2 f32)
    (param $c f32) (param $eps f32) (param $s f32)
    (local $i i32) (local $end i32) (local $o i32)
    (local $B1 v128) (local $A1 v128) (local $B2 v128) (local $A2 v128)
    (local $C v128) (local $EPS v128) (local $S v128)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $A1 (f32x4.splat (local.get $a1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $A2 (f32x4.splat (local.get $a2)))
    (local.set $C (f32x4.splat (local.get $c)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (local.set $S (f32x4.splat (local.get $s)))
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (block $vectors_done
      (loop $vectors
        (br_if $vectors_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gv (v128.load align=4 (i32.add (local.get $g) (local.get $o))))
        (local.set $mv (f32x4.add
          (f32x4.mul (v128.load align=4 (i32.add (local.get $m0) (local.get $o))) (local.get $B1))
          (f32x4.mul (local.get $gv) (local.get $A1))))
        (local.set $vv (f32x4.add
          (f32x4.mul (v128.load align=4 (i32.add (local.get $v0) (local.get $o))) (local.get $B2))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $A2))))
        (v128.store align=4 (i32.add (local.get $m1) (local.get $o)) (local.get $mv))
        (v128.store align=4 (i32.add (local.get $v1) (local.get $o)) (local.get $vv))
        (v128.store align=4 (i32.add (local.get $p1) (local.get $o))
          (f32x4.sub
            (v128.load align=4 (i32.add (local.get $p0) (local.get $o)))
            (f32x4.mul
              (f32x4.div (local.get $mv)
                (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vv)) (local.get $C)) (local.get $EPS)))
              (local.get $S))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vectors)))
    (block $scalars_done
      (loop $scalars
        (br_if $scalars_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $o))))
        (local.set $ms (f32.add
          (f32.mul (f32.load (i32.add (local.get $m0) (local.get $o))) (local.get $b1))
          (f32.mul (local.get $gs) (local.get $a1))))
        (local.set $vs (f32.add
          (f32.mul (f32.load (i32.add (local.get $v0) (local.get $o))) (local.get $b2))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $a2))))
        (f32.store (i32.add (local.get $m1) (local.get $o)) (local.get $ms))
        (f32.store (i32.add (local.get $v1) (local.get $o)) (local.get $vs))
        (f32.store (i32.add (local.get $p1) (local.get $o))
          (f32.sub
            (f32.load (i32.add (local.get $p0) (local.get $o)))
            (f32.mul
              (f32.div (local.get $ms)
                (f32.add (f32.div (f32.sqrt (local.get $vs)) (local.get $c)) (local.get $eps)))
              (local.get $s))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scalars))))

  ;; out = dy · step(x), the ReLU gradient in one pass instead of Step then Multiply, with the
  ;; same bits: step is 1 where x > 0, NaN where x is NaN, else 0.
  (func (export "relu_grad") (param $dy i32) (param $x i32) (param $n i32) (param $out i32)
    (local $i i32) (local $end i32) (local $o i32) (local $xv v128) (local $xs f32) (local $ONE v128)
    (local.set $ONE (f32x4.splat (f32.const 1)))
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (block $vectors_done
      (loop $vectors
        (br_if $vectors_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $xv (v128.load align=4 (i32.add (local.get $x) (local.get $o))))
        (v128.store align=4 (i32.add (local.get $out) (local.get $o))
          (f32x4.mul
            (v128.load align=4 (i32.add (local.get $dy) (local.get $o)))
            (v128.bitselect
              (local.get $xv)
              (v128.and (f32x4.gt (local.get $xv) (f32x4.splat (f32.const 0))) (local.get $ONE))
              (f32x4.ne (local.get $xv) (local.get $xv)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vectors)))
    (block $scalars_done
      (loop $scalars
        (br_if $scalars_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $xs (f32.load (i32.add (local.get $x) (local.get $o))))
        (f32.store (i32.add (local.get $out) (local.get $o))
          (f32.mul
            (f32.load (i32.add (local.get $dy) (local.get $o)))
            (select
              (local.get $xs)
              (select (f32.const 1) (f32.const 0) (f32.gt (local.get $xs) (f32.const 0)))
              (f32.ne (local.get $xs) (local.get $xs)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scalars))))

  ;; out[c] = Σ_r x[r·cols + c]: sums over leading axes (bias gradients) in one pass, row by row,
  ;; with the running sums in `out` (one row of them stays in cache).
  (func (export "column_sums") (param $x i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $r i32) (local $c i32) (local $row i32) (local $end i32)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end (i32.and (local.get $cols) (i32.const -4)))
    (local.set $row (local.get $x))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $vectors_done
          (loop $vectors
            (br_if $vectors_done (i32.ge_u (local.get $c) (local.get $end)))
            (v128.store align=4 (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
              (f32x4.add
                (v128.load align=4 (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))))
                (v128.load align=4 (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2))))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vectors)))
        (block $scalars_done
          (loop $scalars
            (br_if $scalars_done (i32.ge_u (local.get $c) (local.get $cols)))
            (f32.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))
              (f32.add
                (f32.load (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))))
                (f32.load (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $scalars)))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row))))

  ;; out[c][m][a] = in[a][m][c] for 4-byte elements: every transpose whose permutation reduces
  ;; (after dropping size-1 axes and merging runs) to swapping the outer and inner axes. Blocks
  ;; of 4×4 are transposed in registers with lane shuffles; edges element by element.
  (func (export "transpose_amc") (param $in i32) (param $A i32) (param $M i32) (param $C i32) (param $out i32)
    (local $m i32) (local $a i32) (local $c i32) (local $aEnd i32) (local $cEnd i32)
    (local $inRow i32) (local $outCol i32) (local $rowStride i32) (local $colStride i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $aEnd (i32.and (local.get $A) (i32.const -4)))
    (local.set $cEnd (i32.and (local.get $C) (i32.const -4)))
    ;; bytes between in[a][m][·] and in[a+1][m][·], and between out[c][m][·] and out[c+1][m][·]
    (local.set $rowStride (i32.shl (i32.mul (local.get $M) (local.get $C)) (i32.const 2)))
    (local.set $colStride (i32.shl (i32.mul (local.get $M) (local.get $A)) (i32.const 2)))
    (block $m_done (loop $each_m
      (br_if $m_done (i32.ge_u (local.get $m) (local.get $M)))
      (local.set $a (i32.const 0))
      (block $a_done (loop $each_a
        (br_if $a_done (i32.ge_u (local.get $a) (local.get $A)))
        ;; in[a][m][0] and out[0][m][a]
        (local.set $inRow (i32.add (local.get $in)
          (i32.shl (i32.add (i32.mul (i32.mul (local.get $a) (local.get $M)) (local.get $C)) (i32.mul (local.get $m) (local.get $C))) (i32.const 2))))
        (local.set $outCol (i32.add (local.get $out)
          (i32.shl (i32.add (i32.mul (local.get $m) (local.get $A)) (local.get $a)) (i32.const 2))))
        (local.set $c (i32.const 0))
        (if (i32.lt_u (local.get $a) (local.get $aEnd))
          (then
            (block $c_done (loop $each_c
              (br_if $c_done (i32.ge_u (local.get $c) (local.get $cEnd)))
              (local.set $r0 (v128.load align=4 (i32.add (local.get $inRow) (i32.shl (local.get $c) (i32.const 2)))))
              (local.set $r1 (v128.load align=4 (i32.add (i32.add (local.get $inRow) (local.get $rowStride)) (i32.shl (local.get $c) (i32.const 2)))))
              (local.set $r2 (v128.load align=4 (i32.add (i32.add (local.get $inRow) (i32.shl (local.get $rowStride) (i32.const 1))) (i32.shl (local.get $c) (i32.const 2)))))
              (local.set $r3 (v128.load align=4 (i32.add (i32.add (local.get $inRow) (i32.mul (local.get $rowStride) (i32.const 3))) (i32.shl (local.get $c) (i32.const 2)))))
              (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
              (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
              (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
              (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
              (v128.store align=4 (i32.add (local.get $outCol) (i32.mul (local.get $c) (local.get $colStride)))
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
              (v128.store align=4 (i32.add (local.get $outCol) (i32.mul (i32.add (local.get $c) (i32.const 1)) (local.get $colStride)))
                (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
              (v128.store align=4 (i32.add (local.get $outCol) (i32.mul (i32.add (local.get $c) (i32.const 2)) (local.get $colStride)))
                (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
              (v128.store align=4 (i32.add (local.get $outCol) (i32.mul (i32.add (local.get $c) (i32.const 3)) (local.get $colStride)))
                (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
              (local.set $c (i32.add (local.get $c) (i32.const 4)))
              (br $each_c)))
            (call $transpose_edge (local.get $inRow) (local.get $outCol) (i32.const 4) (local.get $c) (local.get $C) (local.get $rowStride) (local.get $colStride))
            (local.set $a (i32.add (local.get $a) (i32.const 4))))
          (else
            (call $transpose_edge (local.get $inRow) (local.get $outCol) (i32.sub (local.get $A) (local.get $a)) (i32.const 0) (local.get $C) (local.get $rowStride) (local.get $colStride))
            (local.set $a (local.get $A))))
        (br $each_a)))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br $each_m))))

  ;; out[i][j] = Σ_r a[r][i]·b[r][j] (out = aᵀ·b) for tall, narrow a [rows×m] and b [rows×n] with
  ;; m % 4 = 0 and n % 8 = 0: filter gradients of convolutions with few input channels, where
  ;; XNNPACK would first pack every row. Each 4×8 tile of out is held in registers over a chunk of
  ;; 256 rows, so a chunk of both operands comes from cache for every tile.
  (func (export "tall_at_b") (param $a i32) (param $b i32) (param $rows i32) (param $m i32) (param $n i32) (param $out i32)
    (local $r0 i32) (local $r1 i32) (local $i i32) (local $j i32) (local $r i32)
    (local $pa i32) (local $pb i32) (local $po i32) (local $sa i32) (local $sb i32)
    (local $b0 v128) (local $b1 v128) (local $s v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (i32.mul (local.get $m) (local.get $n)) (i32.const 2)))
    ;; bytes per row of a, and of b (and of out)
    (local.set $sa (i32.shl (local.get $m) (i32.const 2)))
    (local.set $sb (i32.shl (local.get $n) (i32.const 2)))
    (block $chunks_done (loop $each_chunk
      (br_if $chunks_done (i32.ge_u (local.get $r0) (local.get $rows)))
      (local.set $r1 (select
        (i32.add (local.get $r0) (i32.const 256)) (local.get $rows)
        (i32.lt_u (i32.add (local.get $r0) (i32.const 256)) (local.get $rows))))
      (local.set $i (i32.const 0))
      (block $i_done (loop $each_i
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $j_done (loop $each_j
          (br_if $j_done (i32.ge_u (local.get $j) (local.get $n)))
          ;; out[i][j], a[r0][i], b[r0][j]
          (local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
          (local.set $pa (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $m)) (local.get $i)) (i32.const 2))))
          (local.set $pb (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $n)) (local.get $j)) (i32.const 2))))
          (local.set $c00 (v128.load align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 0)))))
          (local.set $c01 (v128.load offset=16 align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 0)))))
          (local.set $c10 (v128.load align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 1)))))
          (local.set $c11 (v128.load offset=16 align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 1)))))
          (local.set $c20 (v128.load align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 2)))))
          (local.set $c21 (v128.load offset=16 align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 2)))))
          (local.set $c30 (v128.load align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 3)))))
          (local.set $c31 (v128.load offset=16 align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 3)))))
          (local.set $r (local.get $r0))
          (block $r_done (loop $each_r
            (br_if $r_done (i32.ge_u (local.get $r) (local.get $r1)))
            (local.set $b0 (v128.load align=4 (local.get $pb)))
            (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
            (local.set $s (v128.load32_splat offset=0 (local.get $pa)))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat offset=4 (local.get $pa)))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat offset=8 (local.get $pa)))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat offset=12 (local.get $pa)))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $pa (i32.add (local.get $pa) (local.get $sa)))
            (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $each_r)))
          (v128.store align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 0))) (local.get $c00))
          (v128.store offset=16 align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 0))) (local.get $c01))
          (v128.store align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 1))) (local.get $c10))
          (v128.store offset=16 align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 1))) (local.get $c11))
          (v128.store align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 2))) (local.get $c20))
          (v128.store offset=16 align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 2))) (local.get $c21))
          (v128.store align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 3))) (local.get $c30))
          (v128.store offset=16 align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 3))) (local.get $c31))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $each_j)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $each_i)))
      (local.set $r0 (local.get $r1))
      (br $each_chunk))))

  ;; tall_at_b with gathered rows, for convolution filter gradients without im2col:
  ;; out[t][i][j] = Σ_r a_t[r][i]·b[r][j], where row r of a_t starts at byte table[r·taps + t]
  ;; (a pixel of x under filter tap t, or a zero row for padding), m % 4 = 0, n % 8 = 0. Chunks of
  ;; 256 rows are outermost, so each chunk of b comes from cache for every tap and tile.
  (func (export "gather_at_b") (param $table i32) (param $taps i32) (param $b i32) (param $rows i32) (param $m i32) (param $n i32) (param $out i32)
    (local $r0 i32) (local $r1 i32) (local $t i32) (local $i i32) (local $j i32)
    (local $ia i32) (local $pt i32) (local $pt1 i32) (local $pa i32) (local $pb i32) (local $po i32) (local $sb i32) (local $st i32)
    (local $b0 v128) (local $b1 v128) (local $s v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (i32.mul (i32.mul (local.get $taps) (local.get $m)) (local.get $n)) (i32.const 2)))
    (local.set $sb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $st (i32.shl (local.get $taps) (i32.const 2)))
    (block $chunks_done (loop $each_chunk
      (br_if $chunks_done (i32.ge_u (local.get $r0) (local.get $rows)))
      (local.set $r1 (select
        (i32.add (local.get $r0) (i32.const 256)) (local.get $rows)
        (i32.lt_u (i32.add (local.get $r0) (i32.const 256)) (local.get $rows))))
      (local.set $t (i32.const 0))
      (block $t_done (loop $each_t
        (br_if $t_done (i32.ge_u (local.get $t) (local.get $taps)))
        (local.set $i (i32.const 0))
        (block $i_done (loop $each_i
          (br_if $i_done (i32.ge_u (local.get $i) (local.get $m)))
          (local.set $ia (i32.shl (local.get $i) (i32.const 2)))
          (local.set $j (i32.const 0))
          (block $j_done (loop $each_j
            (br_if $j_done (i32.ge_u (local.get $j) (local.get $n)))
            ;; out[t][i][j], table[r0·taps + t], b[r0][j]
            (local.set $po (i32.add (local.get $out) (i32.shl
              (i32.add (i32.mul (i32.add (i32.mul (local.get $t) (local.get $m)) (local.get $i)) (local.get $n)) (local.get $j)) (i32.const 2))))
            (local.set $pt (i32.add (local.get $table) (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $taps)) (local.get $t)) (i32.const 2))))
            (local.set $pt1 (i32.add (local.get $pt) (i32.mul (i32.sub (local.get $r1) (local.get $r0)) (local.get $st))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $n)) (local.get $j)) (i32.const 2))))
            (local.set $c00 (v128.load align=4 (local.get $po)))
            (local.set $c01 (v128.load offset=16 align=4 (local.get $po)))
            (local.set $c10 (v128.load align=4 (i32.add (local.get $po) (local.get $sb))))
            (local.set $c11 (v128.load offset=16 align=4 (i32.add (local.get $po) (local.get $sb))))
            (local.set $c20 (v128.load align=4 (i32.add (local.get $po) (i32.shl (local.get $sb) (i32.const 1)))))
            (local.set $c21 (v128.load offset=16 align=4 (i32.add (local.get $po) (i32.shl (local.get $sb) (i32.const 1)))))
            (local.set $c30 (v128.load align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 3)))))
            (local.set $c31 (v128.load offset=16 align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 3)))))
            (block $r_done (loop $each_r
              (br_if $r_done (i32.ge_u (local.get $pt) (local.get $pt1)))
              (local.set $pa (i32.add (i32.load (local.get $pt)) (local.get $ia)))
              (local.set $b0 (v128.load align=4 (local.get $pb)))
              (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
              (local.set $s (v128.load32_splat offset=0 (local.get $pa)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
              (local.set $s (v128.load32_splat offset=4 (local.get $pa)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
              (local.set $s (v128.load32_splat offset=8 (local.get $pa)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
              (local.set $s (v128.load32_splat offset=12 (local.get $pa)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
              (local.set $pt (i32.add (local.get $pt) (local.get $st)))
              (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
              (br $each_r)))
            (v128.store align=4 (local.get $po) (local.get $c00))
            (v128.store offset=16 align=4 (local.get $po) (local.get $c01))
            (v128.store align=4 (i32.add (local.get $po) (local.get $sb)) (local.get $c10))
            (v128.store offset=16 align=4 (i32.add (local.get $po) (local.get $sb)) (local.get $c11))
            (v128.store align=4 (i32.add (local.get $po) (i32.shl (local.get $sb) (i32.const 1))) (local.get $c20))
            (v128.store offset=16 align=4 (i32.add (local.get $po) (i32.shl (local.get $sb) (i32.const 1))) (local.get $c21))
            (v128.store align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 3))) (local.get $c30))
            (v128.store offset=16 align=4 (i32.add (local.get $po) (i32.mul (local.get $sb) (i32.const 3))) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $each_j)))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $each_i)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each_t)))
      (local.set $r0 (local.get $r1))
      (br $each_chunk))))

  ;; A product with gathered rows, for convolutions without im2col (XNNPACK's indirect GEMM):
  ;; out_r[j] = bias[j] + Σ_t Σ_c a_rt[c]·w[t][c][j] for w [taps × k × n], where a_rt (k floats)
  ;; starts at byte table[r·taps + t] (a pixel under tap t, or a zero row), out_r (n floats) at
  ;; outs[r], and bias is 0 for none; rows % 4 = 0 (pad with zero rows and a scratch output),
  ;; n % 8 = 0. 4×8 tiles of out in registers; a tile's rows stay in cache across the columns.
  (func (export "gather_a_b") (param $table i32) (param $taps i32) (param $k i32) (param $w i32) (param $bias i32) (param $outs i32) (param $rows i32) (param $n i32)
    (local $r i32) (local $j i32) (local $t i32) (local $pt i32) (local $st i32) (local $sn i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $pe i32) (local $pw i32) (local $po i32)
    (local $b0 v128) (local $b1 v128) (local $s v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    ;; bytes per table row, and per row of w
    (local.set $st (i32.shl (local.get $taps) (i32.const 2)))
    (local.set $sn (i32.shl (local.get $n) (i32.const 2)))
    (block $r_done (loop $each_r
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $j_done (loop $each_j
        (br_if $j_done (i32.ge_u (local.get $j) (local.get $n)))
        ;; every row starts from the bias (or zero)
        (if (local.get $bias)
          (then
            (local.set $b0 (v128.load align=4 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $b1 (v128.load offset=16 align=4 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))))
          (else
            (local.set $b0 (v128.const i32x4 0 0 0 0))
            (local.set $b1 (v128.const i32x4 0 0 0 0))))
        (local.set $c00 (local.get $b0))
        (local.set $c01 (local.get $b1))
        (local.set $c10 (local.get $b0))
        (local.set $c11 (local.get $b1))
        (local.set $c20 (local.get $b0))
        (local.set $c21 (local.get $b1))
        (local.set $c30 (local.get $b0))
        (local.set $c31 (local.get $b1))
        (local.set $pt (i32.add (local.get $table) (i32.mul (local.get $r) (local.get $st))))
        (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $t (i32.const 0))
        (block $t_done (loop $each_t
          (br_if $t_done (i32.ge_u (local.get $t) (local.get $taps)))
          (local.set $p0 (i32.load (local.get $pt)))
          (local.set $p1 (i32.load (i32.add (local.get $pt) (local.get $st))))
          (local.set $p2 (i32.load (i32.add (local.get $pt) (i32.shl (local.get $st) (i32.const 1)))))
          (local.set $p3 (i32.load (i32.add (local.get $pt) (i32.mul (local.get $st) (i32.const 3)))))
          (local.set $pe (i32.add (local.get $p0) (i32.shl (local.get $k) (i32.const 2))))
          (block $c_done (loop $each_c
            (br_if $c_done (i32.ge_u (local.get $p0) (local.get $pe)))
            (local.set $b0 (v128.load align=4 (local.get $pw)))
            (local.set $b1 (v128.load offset=16 align=4 (local.get $pw)))
            (local.set $s (v128.load32_splat (local.get $p0)))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat (local.get $p1)))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat (local.get $p2)))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat (local.get $p3)))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 4)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 4)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 4)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 4)))
            (local.set $pw (i32.add (local.get $pw) (local.get $sn)))
            (br $each_c)))
          (local.set $pt (i32.add (local.get $pt) (i32.const 4)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $each_t)))
        ;; out rows r..r+3 at outs[r..r+3], columns j..j+7
        (local.set $po (i32.add (local.get $outs) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $p0 (i32.add (i32.load offset=0 (local.get $po)) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store align=4 (local.get $p0) (local.get $c00))
        (v128.store offset=16 align=4 (local.get $p0) (local.get $c01))
        (local.set $p0 (i32.add (i32.load offset=4 (local.get $po)) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store align=4 (local.get $p0) (local.get $c10))
        (v128.store offset=16 align=4 (local.get $p0) (local.get $c11))
        (local.set $p0 (i32.add (i32.load offset=8 (local.get $po)) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store align=4 (local.get $p0) (local.get $c20))
        (v128.store offset=16 align=4 (local.get $p0) (local.get $c21))
        (local.set $p0 (i32.add (i32.load offset=12 (local.get $po)) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store align=4 (local.get $p0) (local.get $c30))
        (v128.store offset=16 align=4 (local.get $p0) (local.get $c31))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $each_j)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $each_r))))

  ;; The element-by-element part of transpose_amc: `rows` rows of `in` from column c0 to C.
  (func $transpose_edge (param $inRow i32) (param $outCol i32) (param $rows i32) (param $c0 i32) (param $C i32)
    (param $rowStride i32) (param $colStride i32)
    (local $r i32) (local $c i32)
    (block $r_done (loop $each_r
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (local.get $c0))
      (block $c_done (loop $each_c
        (br_if $c_done (i32.ge_u (local.get $c) (local.get $C)))
        (i32.store (i32.add (i32.add (local.get $outCol) (i32.shl (local.get $r) (i32.const 2))) (i32.mul (local.get $c) (local.get $colStride)))
          (i32.load (i32.add (i32.add (local.get $inRow) (i32.mul (local.get $r) (local.get $rowStride))) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $each_c)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each_r))))

  ;; exp(-a) for a ≥ 0 (NaN stays NaN): exp(-a) = 2^-k · exp(k·ln 2 - a) with k = round(a / ln 2),
  ;; the rest |r| ≤ ln 2 / 2 by a degree-6 Taylor polynomial (relative error < 2e-7); a is
  ;; clamped at 87 (exp(-87) ≈ 1.6e-38, the smallest power of two kept normal).
  (func $exp_neg (param $a v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128)
    (local.set $a (f32x4.min (local.get $a) (f32x4.splat (f32.const 87))))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $a) (f32x4.splat (f32.const 1.44269504)))))
    ;; r = k·ln 2 - a, ln 2 in two parts so k·ln2_hi is exact
    (local.set $r (f32x4.add
      (f32x4.sub (f32x4.mul (local.get $k) (f32x4.splat (f32.const 0.693359375))) (local.get $a))
      (f32x4.mul (local.get $k) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 1.38888889e-3)) (f32x4.mul (local.get $r) (f32x4.splat (f32.const 1.98412698e-4)))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 8.33333333e-3)) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 4.16666667e-2)) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 0.166666667)) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 0.5)) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $r) (local.get $p))))
    ;; 2^-k from its exponent bits (k ≤ 126)
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.sub (i32x4.splat (i32.const 127)) (i32x4.trunc_sat_f32x4_s (local.get $k))) (i32.const 23))))

  ;; log(1 + t) for 0 ≤ t ≤ 1: 2·atanh(s) with s = t / (2 + t) ≤ 1/3, odd series to s^13
  ;; (relative error < 2e-8), so small t keep their precision.
  (func $log1p_unit (param $t v128) (result v128)
    (local $s v128) (local $z v128) (local $p v128)
    (local.set $s (f32x4.div (local.get $t) (f32x4.add (f32x4.splat (f32.const 2)) (local.get $t))))
    (local.set $z (f32x4.mul (local.get $s) (local.get $s)))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 9.09090909e-2)) (f32x4.mul (local.get $z) (f32x4.splat (f32.const 7.69230769e-2)))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 0.111111111)) (f32x4.mul (local.get $z) (local.get $p))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 0.142857143)) (f32x4.mul (local.get $z) (local.get $p))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 0.2)) (f32x4.mul (local.get $z) (local.get $p))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 0.333333333)) (f32x4.mul (local.get $z) (local.get $p))))
    (local.set $p (f32x4.add (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $z) (local.get $p))))
    (f32x4.mul (f32x4.add (local.get $s) (local.get $s)) (local.get $p)))

  ;; Bernoulli negative log-likelihood from logits, summed per row (cols % 4 = 0):
  ;; out[r] = Σ_c max(l, 0) - l·x + log(1 + exp(-|l|)).
  (func (export "bernoulli_nll") (param $l i32) (param $x i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $r i32) (local $o i32) (local $end i32) (local $lv v128) (local $acc v128)
    (block $rows_done (loop $each_row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $acc (v128.const i32x4 0 0 0 0))
      (local.set $end (i32.add (local.get $o) (i32.shl (local.get $cols) (i32.const 2))))
      (block $cols_done (loop $each_col
        (br_if $cols_done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $lv (v128.load align=4 (i32.add (local.get $l) (local.get $o))))
        (local.set $acc (f32x4.add (local.get $acc)
          (f32x4.add
            (f32x4.sub (f32x4.max (local.get $lv) (f32x4.splat (f32.const 0)))
              (f32x4.mul (local.get $lv) (v128.load align=4 (i32.add (local.get $x) (local.get $o)))))
            (call $log1p_unit (call $exp_neg (f32x4.abs (local.get $lv)))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $each_col)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
        (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each_row))))

  ;; Its gradient with respect to the logits (cols % 4 = 0): out = dy[r]·(σ(l) - x), with
  ;; σ(l) = 1/(1 + t) for l ≥ 0 and t/(1 + t) below, t = exp(-|l|).
  (func (export "bernoulli_nll_grad") (param $dy i32) (param $l i32) (param $x i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $r i32) (local $o i32) (local $end i32) (local $lv v128) (local $t v128) (local $d v128) (local $inv v128)
    (block $rows_done (loop $each_row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $d (v128.load32_splat (i32.add (local.get $dy) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $end (i32.add (local.get $o) (i32.shl (local.get $cols) (i32.const 2))))
      (block $cols_done (loop $each_col
        (br_if $cols_done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $lv (v128.load align=4 (i32.add (local.get $l) (local.get $o))))
        (local.set $t (call $exp_neg (f32x4.abs (local.get $lv))))
        (local.set $inv (f32x4.div (f32x4.splat (f32.const 1)) (f32x4.add (f32x4.splat (f32.const 1)) (local.get $t))))
        (v128.store align=4 (i32.add (local.get $out) (local.get $o))
          (f32x4.mul (local.get $d)
            (f32x4.sub
              (v128.bitselect (local.get $inv) (f32x4.mul (local.get $t) (local.get $inv))
                (f32x4.ge (local.get $lv) (f32x4.splat (f32.const 0))))
              (v128.load align=4 (i32.add (local.get $x) (local.get $o))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $each_col)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each_row))))

  ;; Σ x² over n floats, squares in float32 as tfjs's Square gives them, summed in float64.
  (func (export "sum_squares") (param $x i32) (param $n i32) (result f64)
    (local $i i32) (local $end i32) (local $v v128) (local $lo v128) (local $hi v128) (local $s f64)
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (block $vectors_done (loop $vectors
      (br_if $vectors_done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (v128.load align=4 (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $v (f32x4.mul (local.get $v) (local.get $v)))
      (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $v))))
      (local.set $hi (f64x2.add (local.get $hi)
        (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vectors)))
    (local.set $lo (f64x2.add (local.get $lo) (local.get $hi)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo))))
    (block $scalars_done (loop $scalars
      (br_if $scalars_done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (f64.add (local.get $s) (f64.promote_f32
        (f32.mul (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))
          (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $scalars)))
    (local.get $s))
)
