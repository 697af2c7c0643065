"""Groups of correlated features, and one order of features for side-by-side bars.

Two features are linked when the absolute correlation of their training rows is
above a threshold (0.8 by default); a group is a connected set of linked features
(single linkage), of two features or more. L1 tends to keep one member of such a
group and zero the others; L2 and Elastic Net spread the weight over the group.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "GROUP_THRESHOLD",
    "correlated_groups",
    "feature_order",
    "group_label",
]

#: |correlation| above which two features belong to one group.
GROUP_THRESHOLD = 0.8


def correlated_groups(X: np.ndarray, threshold: float = GROUP_THRESHOLD):
    """Index arrays (sorted, each of two features or more, ordered by their first
    feature) of the features of ``X`` (rows × features) linked by
    ``|corr| > threshold``. A constant column is correlated with nothing."""
    X = np.asarray(X, dtype=np.float64)
    d = X.shape[1]
    if d < 2 or X.shape[0] < 2:
        return []
    Xc = X - X.mean(axis=0)
    norms = np.sqrt(np.einsum("ij,ij->j", Xc, Xc))
    keep = norms > 1e-12 * max(float(norms.max()), 1e-300)
    Z = np.zeros_like(Xc)
    Z[:, keep] = Xc[:, keep] / norms[keep]
    corr = Z.T @ Z
    np.fill_diagonal(corr, 0.0)
    i, j = np.nonzero(np.triu(np.abs(corr) > threshold))
    parent = np.arange(d)

    def root(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([root(a) for a in range(d)])
    groups = []
    for r in np.unique(roots):
        members = np.flatnonzero(roots == r)
        if members.size >= 2:
            groups.append(members)
    return sorted(groups, key=lambda g: int(g[0]))


def group_label(names, members) -> str:
    """'A1–A3' for names that share a stem and count up, else the first names."""
    names = [names[int(j)] for j in members]
    stems = {n.rstrip("0123456789") for n in names}
    if len(stems) == 1 and all(n[len(next(iter(stems))) :].isdigit() for n in names):
        return f"{names[0]}–{names[-1]}"
    if len(names) <= 2:
        return " & ".join(names)
    return f"{names[0]} & {len(names) - 1} more"


def feature_order(
    importance: np.ndarray, groups, limit: int | None = None
) -> np.ndarray:
    """Features to draw, position by position: all of them in their own order, or
    beyond ``limit`` the ``limit`` most important (largest ``importance`` first);
    either way each group drawn together where its first member would be, whole
    (so a group may add a few beyond ``limit``)."""
    d = importance.size
    if limit is None or d <= limit:
        base = np.arange(d)
    else:
        base = np.argsort(-importance, kind="stable")[:limit]
    group_of = np.full(d, -1)
    for g, members in enumerate(groups):
        group_of[members] = g
    out, placed = [], np.zeros(d, dtype=bool)
    for j in base:
        if placed[j]:
            continue
        g = group_of[j]
        members = [j] if g < 0 else [int(m) for m in groups[g]]
        if g >= 0 and limit is not None and d > limit:
            # most important first inside the group too
            members.sort(key=lambda m: -importance[m])
        for m in members:
            if not placed[m]:
                out.append(m)
                placed[m] = True
    return np.array(out, dtype=int)
