"""The kept inverse of a curvature matrix, bordered as features join: the linear
algebra under :class:`~engine.path.kept_inverse.KeptInverse`.

The inverse of ``H = H_KK + lam2_M I`` over the ``k`` features of the positions
``0 .. k-1`` is kept in two parts: ``M0``, the inverse for the first ``k0``
features, and a border for the ``m = k - k0`` that joined since,
``U = M0 H[K0, J]`` and the inverse of the Schur complement
``S = H_JJ - H[J, K0] U``, itself bordered as features join. The border is merged
into ``M0`` every ``BORDER_MAX`` features, so joining costs one product with ``M0``
(``O(k^2)`` per feature) instead of a rewrite of it, and never a new factorization.
One feature joining while there is no border (the usual case along a walk down a
Lasso path) goes into ``M0`` at once, a rank-one update: fewer array operations
than a border, and every later solve is one product.

Solves on the free positions ``F`` (pinned weights held at 0) use
``H_FF^{-1} = (H^-1)_FF - (H^-1)_FP ((H^-1)_PP)^{-1} (H^-1)_PF``, a correction of
``O(k |P|)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BORDER_MAX", "DIRECT_MAX", "SINGULAR", "BorderedInverse"]

#: A feature whose Schur complement is below this share of its own curvature is (to
#: rounding) a combination of the others': the system would be singular.
SINGULAR = 1e-10
#: Features bordered onto the inverse before they are merged into it.
BORDER_MAX = 96
#: Below this many features in the inverse, one joining is put into ``M0`` at
#: once (``O(k^2)``) while there is no border.
DIRECT_MAX = 256


class BorderedInverse:
    """``M0`` (in ``M_buf``), the border ``U``, ``S_inv`` and the solves with them
    (see the module docstring). The state (``k``, ``k0``, ``M_buf``, ``pinned``,
    ``lam2_M``, ``has_M``) and ``_block`` are
    :class:`~engine.path.kept_inverse.KeptInverse`'s."""

    @property
    def M0(self) -> np.ndarray:
        return self.M_buf[: self.k0, : self.k0]

    def _column(self, j: int) -> tuple[np.ndarray, float]:
        """``(H[K, j], H_jj)`` for one new feature ``j`` (stored at position
        ``k``): from ``_block`` unless a subclass has a quicker way."""
        HKJ, HJJ = self._block(np.array([j]))
        return HKJ[:, 0], float(HJJ[0, 0])

    # -- features joining ----------------------------------------------------------
    def _direct(self, J: np.ndarray) -> bool:
        """One feature (stored at position ``k``) into ``M0`` itself, no border
        around (``k0 = k``): with ``h = H[K, j]``, ``u = M0 h`` and the Schur
        complement ``t = H_jj + lam2 - h.u``, the inverse becomes
        ``[[M0 + u u^T / t, -u / t], [-u^T / t, 1 / t]]`` (``O(k^2)``, a handful
        of array operations). False when ``t`` is (to rounding) 0."""
        k = self.k
        h, hjj = self._column(int(J[0]))
        u = self.M0 @ h
        t = hjj - float(h @ u) + self.lam2_M
        if not t > SINGULAR * (hjj + self.lam2_M):
            return False
        ut = u / t
        M = self.M_buf
        M[:k, :k] += np.multiply.outer(u, ut)
        M[:k, k] = -ut
        M[k, :k] = -ut
        M[k, k] = 1.0 / t
        self._no_border(k + 1)
        return True

    def _border(self, J: np.ndarray) -> bool:
        """The new features ``J`` (stored at positions ``k, k + 1, ...``) onto the
        border: ``U`` gains ``M0 H[K0, J]`` and the border's own Schur complement
        is bordered in turn: with ``C = S[old, new]`` and ``D = S[new, new]``,
        ``T = D - C^T S_old^{-1} C``. False when ``T`` is singular."""
        k, k0, m = self.k, self.k0, J.size
        m_old = k - k0
        if m_old == 0:  # a new border
            size = max(BORDER_MAX, m)
            self.U_buf = np.empty((k0, size))
            if self.S_buf is None or self.S_buf.shape[0] < size:
                self.S_buf = np.empty((size, size))
        HKJ, HJJ = self._block(J)
        B = HKJ[:k0]
        U_new = self.M0 @ B
        C = HKJ[k0:] - self.U.T @ B
        W = self.S_inv @ C
        lam2 = self.lam2_M
        if m == 1:  # the usual case, without the 1 x 1 factorizations
            t = float(HJJ[0, 0] - B[:, 0] @ U_new[:, 0] - C[:, 0] @ W[:, 0]) + lam2
            if not t > SINGULAR * (float(HJJ[0, 0]) + lam2):
                return False
            T_inv = np.array([[1.0 / t]])
        else:
            T = HJJ - B.T @ U_new - C.T @ W
            T[np.diag_indices(m)] += lam2
            try:
                L = np.linalg.cholesky(T)
            except np.linalg.LinAlgError:
                return False
            if np.diag(L).min() ** 2 <= SINGULAR * (np.diag(HJJ).max() + lam2):
                return False
            T_inv = np.linalg.inv(T)
        size = m_old + m
        if size > self.S_buf.shape[0]:
            self._border_room(size)
        WT = W @ T_inv
        S = self.S_buf
        S[:m_old, :m_old] += WT @ W.T
        S[:m_old, m_old:size] = -WT
        S[m_old:size, :m_old] = -WT.T
        S[m_old:size, m_old:size] = T_inv
        self.U_buf[:, m_old:size] = U_new
        self.S_inv = S[:size, :size]
        self.U = self.U_buf[:, :size]
        self._changes += 1
        return True

    def _border_room(self, size: int) -> None:
        """Room for a border of ``size`` features (keeping the current one)."""
        m_old = self.k - self.k0
        S, U = self.S_buf, self.U_buf
        self.S_buf = np.empty((size, size))
        self.S_buf[:m_old, :m_old] = S[:m_old, :m_old]
        self.U_buf = np.empty((self.k0, size))
        self.U_buf[:, :m_old] = U[:, :m_old]

    def _merge(self) -> None:
        """The border into ``M0``: ``[[M0 + U S^-1 U^T, -U S^-1], [.., S^-1]]``."""
        k0, k = self.k0, self.k
        if k == k0:
            return
        US = self.U @ self.S_inv
        self.M_buf[:k0, :k0] += US @ self.U.T
        self.M_buf[:k0, k0:k] = -US
        self.M_buf[k0:k, :k0] = -US.T
        self.M_buf[k0:k, k0:k] = self.S_inv
        self._no_border(k)

    def _no_border(self, k0: int) -> None:
        self._changes += 1
        self.k0 = k0
        # the border lives in buffers for up to BORDER_MAX features (more when
        # that many join at once), made when it starts (:meth:`_border`):
        # U = U_buf[:, :m], S_inv = S_buf[:m, :m]
        self.U = np.empty((k0, 0))
        self.S_inv = np.empty((0, 0))

    # -- solves ----------------------------------------------------------------------
    def _inverse(self, V: np.ndarray) -> np.ndarray:
        """``H^{-1} V`` for a vector or a matrix ``V`` (one column per right-hand
        side), through ``M0`` and the border:
        ``z = S^{-1} (V2 - U^T V1)``, ``H^{-1} V = [M0 V1 - U z; z]``."""
        k0 = self.k0
        if self.k == k0:
            return self.M0 @ V
        V1, V2 = V[:k0], V[k0:]
        z = self.S_inv @ (V2 - self.U.T @ V1)
        return np.concatenate([self.M0 @ V1 - self.U @ z, z])

    def _inverse_rows(self, P: np.ndarray) -> np.ndarray:
        """The rows ``P`` of ``H^{-1}`` (its columns: it is symmetric), from
        ``M0``'s rows and the border: ``O(k |P| m)``."""
        k0 = self.k0
        base = P < k0
        V2 = np.zeros((P.size, self.k - k0))
        V2[np.flatnonzero(~base), P[~base] - k0] = 1.0
        V2[base] -= self.U[P[base]]
        z = V2 @ self.S_inv  # S_inv is symmetric
        out = np.empty((P.size, self.k))
        out[:, k0:] = z
        top = out[:, :k0]
        np.matmul(z, self.U.T, out=top)
        np.negative(top, out=top)
        top[base] += self.M0[P[base]]
        return out

    def _pinned_correction(self, P: np.ndarray):
        """``(H^-1[P, :], (H^-1_PP)^{-1})``, kept while the inverse and ``P``
        stay."""
        key = (self._changes, P.tobytes())
        if self._correction is None or self._correction[0] != key:
            E = self._inverse_rows(P)
            self._correction = (key, E, np.linalg.inv(E[:, P]))
        return self._correction[1:]

    def _apply(self, v: np.ndarray) -> np.ndarray:
        """``(H_FF + lam2_M I)^{-1} v_F`` on the free positions ``F``, 0 on the
        pinned ones ``P``: ``(H^-1_FF - H^-1_FP (H^-1_PP)^{-1} H^-1_PF) v_F``."""
        P = np.flatnonzero(self.pinned[: self.k])
        if P.size == 0:
            return self._inverse(v)
        v = v.copy()
        v[P] = 0.0
        y = self._inverse(v)
        E, EPP_inv = self._pinned_correction(P)
        y -= (EPP_inv @ y[P]) @ E
        y[P] = 0.0
        return y
