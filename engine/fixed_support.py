"""Proximal-gradient steps many at a time while the zero weights stay zero and the
others keep their signs: then a step of the squared loss is an affine map of the
nonzero weights and the intercept, and costs a product of size ``|S| + 2``.

With ``S`` the nonzero weights, ``s = sign(w_S)``, ``bc = b - y_mean`` and
``t = eta * lam1``, the trainer's proximal step on the moments of the training rows
(:mod:`engine.gram`) is ::

    g  = G w + bc x_mean - c                     (gradient of the data loss)
    z  = w - eta g
    w' = sign(z) max(|z| - t, 0) / (1 + eta lam2)
    b' = b - eta (x_mean.w + bc)

When every zero weight stays zero (``|g_j| <= lam1`` for ``j`` outside ``S``) and
every nonzero weight stays on its side of zero (``s_j z_j > t``), the step reads
``G[S, S]`` only::

    w'_S = ((I - eta G_SS) w_S - eta bc x_S + eta c_S - t s) / (1 + eta lam2)
    b'   = b - eta (x_S.w_S + bc)

that is ``[w'_S, b' - b, 1] = [w_S, bc, 1] M`` with a ``(|S| + 2)``-square matrix
``M``, and the data loss is the quadratic form ``D = v Q v / 2`` of
``v = [w_S, bc, 1]`` with ``Q = [[G_SS, x_S, -c_S], [x_S, 1, 0], [-c_S, 0, yy]]``.

:meth:`FixedSupportSteps.run` iterates the map step by step (``bc`` recomputed from
``b`` at each, so a step is the same function of ``(w, b)`` however many are taken
at once), then checks every step of the block together:

* the signs and the divergence test on the new iterates (``|S|`` numbers each);
* the zero weights, ``|g_j| <= lam1`` at every step's starting iterate, without
  forming ``g`` when it can: with ``g`` known exactly at an anchor ``v_a``,
  ``|g_j(v) - g_j(v_a)| <= ||a_j|| ||v - v_a||`` (``a_j`` the column of ``j`` in
  ``[G[S]; x_mean]``), so every iterate within the radius
  ``min_j (lam1 - |g_j(v_a)|) / ||a_j||`` of the anchor keeps the zeros; only the
  iterates outside it are checked by the product of the rows ``G[S]`` with them
  (one BLAS-3 product for all of them). The rows are the block the Gram kernel keeps
  for its own products on this support: no second copy.

A decision closer than :data:`MARGIN` (relative to the threshold) to going the other
way counts as a change: such a step is left to the trainer's plain step, whose
rounding then decides it, as it would have without this kernel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["MARGIN", "FixedSupportBlock", "FixedSupportSteps"]

#: A zero weight with ``|g_j| > lam1 (1 - MARGIN)``, or a nonzero weight within
#: ``MARGIN * eta * lam1`` of the threshold, ends a block: the plain step decides.
MARGIN = 1e-9


@dataclass(slots=True)
class FixedSupportBlock:
    """The steps taken on a fixed support ``S``: one row per step, in order.

    ``stopped``: the step after the last one would zero a weight, revive one, flip
    a sign, diverge, or is too close to call (it is for the plain step to take).
    """

    support: np.ndarray
    weights: np.ndarray  # (m, |S|): w_S after each step
    intercepts: np.ndarray  # (m,)
    data_loss: np.ndarray  # (m,)
    penalty: np.ndarray  # (m,)
    stopped: bool

    @property
    def steps(self) -> int:
        return len(self.intercepts)

    @property
    def last_intercept(self) -> float:
        return float(self.intercepts[-1])

    def last_weights(self, d: int) -> np.ndarray:
        """The weights after the last step, all ``d`` of them."""
        w = np.zeros(d)
        w[self.support] = self.weights[-1]
        return w


class FixedSupportSteps:
    """Blocks of proximal-gradient steps of the squared loss with a free intercept,
    from the moments of the training rows kept by ``kernel``
    (:class:`engine.gram.GramKernel`: ``G[S]`` through its ``gram_rows``,
    ``x_mean``, ``y_mean``, ``c``, ``yy``).

    What depends on the support only (``Q``, the norms ``||a_j||``) is formed when the
    support changes, the map ``M`` when the signs, the step size or the penalty
    change: ``O(|S|^2 + d)`` memory beside the kernel's rows. Each is replaced, never
    written into, so copies of this object may share them.
    """

    def __init__(self, kernel):
        self.kernel = kernel
        self.x_mean = kernel.x_mean
        self.y_mean = float(kernel.y_mean)
        self.c = kernel.c
        self.yy = float(kernel.yy)
        self.d = self.c.size
        self._S: np.ndarray | None = None
        self._map_key = None
        self._anchor = None  # (v_a, squared radius), valid for the current map
        #: How many supports ``Q`` and the norms were formed for.
        self.supports_formed = 0

    # -- what depends on the support ----------------------------------------------
    def _use_support(self, S: np.ndarray) -> None:
        kept = self._S
        if kept is not None and kept.size == S.size and (kept == S).all():
            return
        ns, d = S.size, self.d
        rows = self.kernel.gram_rows(S)
        Q = np.zeros((ns + 2, ns + 2))
        Q[:ns, :ns] = rows[:, S]
        Q[:ns, ns] = Q[ns, :ns] = self.x_mean[S]
        Q[:ns, ns + 1] = Q[ns + 1, :ns] = -self.c[S]
        Q[ns, ns] = 1.0
        Q[ns + 1, ns + 1] = self.yy
        norms = np.einsum("ij,ij->j", rows, rows)
        norms += self.x_mean * self.x_mean
        np.sqrt(norms, out=norms)
        free = np.ones(d, dtype=bool)
        free[S] = False
        self._S, self._Q, self._norms, self._free = S, Q, norms, free
        self._map_key = None
        self.supports_formed += 1

    def _map(self, signs: np.ndarray, eta: float, lam1: float, lam2: float):
        """``M`` (the step ``v -> v M``) for these signs, step size and penalty."""
        key = (signs.tobytes(), eta, lam1, lam2)
        if key == self._map_key:
            return self._M
        ns = signs.size
        shrink = 1.0 / (1.0 + eta * lam2)
        x_S = self.x_mean[self._S]
        M = np.zeros((ns + 2, ns + 2))
        M[:ns, :ns] = self._Q[:ns, :ns] * (-eta * shrink)
        M[np.arange(ns), np.arange(ns)] += shrink
        M[ns, :ns] = x_S * (-eta * shrink)
        M[ns + 1, :ns] = (eta * self.c[self._S] - eta * lam1 * signs) * shrink
        M[:ns, ns] = x_S * -eta
        M[ns, ns] = -eta
        M[ns + 1, ns + 1] = 1.0
        self._M, self._map_key = M, key
        # the zeros' threshold, infinite for the support (their g is not tested)
        self._limit = np.where(self._free, lam1 * (1.0 - MARGIN), np.inf)
        self._anchor = None
        return M

    # -- the steps ------------------------------------------------------------------
    def run(
        self,
        w: np.ndarray,
        b: float,
        steps: int,
        *,
        eta: float,
        lam1: float,
        lam2: float,
        bound: float,
    ) -> FixedSupportBlock:
        """Up to ``steps`` proximal steps from ``(w, b)`` (``lam1 > 0``), as many as
        keep the zeros, the signs, and the objective at most ``bound``."""
        S = np.flatnonzero(w)
        self._use_support(S)
        ns = S.size
        V = np.empty((steps + 1, ns + 2))
        wS = V[0, :ns]
        np.take(w, S, out=wS)
        signs = np.sign(wS)
        M = self._map(signs, eta, lam1, lam2)
        V[0, ns + 1] = 1.0
        B = [float(b)]
        y_mean = self.y_mean
        matmul = np.matmul
        rows = list(V)
        for row, nxt in zip(rows, rows[1:], strict=False):
            row[ns] = B[-1] - y_mean
            matmul(row, M, out=nxt)
            B.append(B[-1] + nxt.item(ns))
        V[steps, ns] = B[-1] - y_mean
        new = V[1:]
        W = new[:, :ns]
        D = 0.5 * np.einsum("ij,ij->i", new @ self._Q, new)
        P = W @ signs  # ||w||_1 while the signs hold (the steps after are refused)
        P *= lam1
        if lam2:
            P += 0.5 * lam2 * np.einsum("ij,ij->i", W, W)
        ok = (D + P) <= bound  # False for NaN
        ok &= ((W * signs) > MARGIN * eta * lam1 / (1.0 + eta * lam2)).all(axis=1)
        ok &= self._zeros_kept(V[:-1])
        m = steps if ok.all() else int(np.argmin(ok))
        return FixedSupportBlock(
            S, W[:m], np.array(B[1 : m + 1]), D[:m], P[:m], stopped=m < steps
        )

    def _zeros_kept(self, V: np.ndarray) -> np.ndarray:
        """For each iterate (row of ``V``), whether a step from it keeps every zero
        weight at zero: ``|g_j| <= lam1 (1 - MARGIN)`` outside the support."""
        k = V.shape[1] - 1  # [w_S, bc]: the coordinates that move
        anchor = self._anchor
        if anchor is not None:
            d2 = _dist2(V, anchor[0], k)
        if anchor is None or d2[0] > anchor[1] / 4:  # (re)anchored at the start
            anchor = self._anchor = (V[0].copy(), self._radius2(V[0]))
            d2 = _dist2(V, anchor[0], k)
        ok = d2 <= anchor[1]
        if not ok.all():
            todo = np.flatnonzero(~ok)
            g = self._gradients(V[todo])
            np.abs(g, out=g)
            ok[todo] = (g <= self._limit).all(axis=1)
        return ok

    def _gradients(self, V: np.ndarray) -> np.ndarray:
        """``g = G w + bc x_mean - c`` at each iterate (row of ``V``), all ``d``."""
        ns = self._S.size
        g = V[:, :ns] @ self.kernel.gram_rows(self._S)
        g += V[:, ns, None] * self.x_mean
        g -= self.c
        return g

    def _radius2(self, v: np.ndarray) -> float:
        """The squared radius around ``v`` within which no zero weight can reach
        its threshold; negative when one does at ``v`` itself."""
        slack = self._limit - np.abs(self._gradients(v[None, :])[0])
        if not (slack >= 0).all():
            return -1.0
        # a zero norm (a zero column of [G[S]; x_mean]) gives inf, or NaN: refused
        with np.errstate(divide="ignore", invalid="ignore"):
            r = float((slack / self._norms).min(initial=np.inf))
        return r * r if r == r else -1.0


def _dist2(V: np.ndarray, v: np.ndarray, k: int) -> np.ndarray:
    """Squared distances of the rows of ``V`` from ``v`` in the first ``k``
    coordinates."""
    diff = V[:, :k] - v[:k]
    return np.einsum("ij,ij->i", diff, diff)
