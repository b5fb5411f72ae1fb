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
        (br $each_row)))))
